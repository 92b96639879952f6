"""The one rounding rule for money, and lenient parsing of typed amounts."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round2(value: Decimal) -> Decimal:
    """Round an amount to cents, halves away from zero."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    # A tiny negative amount rounds to -0.00, which would print as "-0,00 €".
    return rounded if rounded else ZERO


def to_decimal(value: object) -> Decimal:
    """Read a Decimal, an int or a typed number such as "2,50" or "1 234.5".

    Floats are refused: a float never touches money. Raises ValueError.
    """
    # bool is an int subclass; True is not a price.
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, str):
        number = _parse_text(value)
    else:
        number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _parse_text(text: str) -> Decimal:
    # French writes "1 234,50" (often with a narrow no-break space); English
    # "1234.50". Mixing both separators is ambiguous, so it is refused.
    compact = "".join(text.split())
    if "," in compact:
        if "." in compact or compact.count(",") > 1:
            raise ValueError(f"ambiguous number: {text!r}")
        compact = compact.replace(",", ".")
    try:
        return Decimal(compact)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
