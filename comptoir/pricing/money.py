"""The one rounding rule for money, and lenient parsing of typed amounts."""

from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Pricing runs under this context so that a caller who lowered the thread's
# precision, or silenced its traps, cannot change a price. It is Python's
# default, written down.
PRICING_CONTEXT = Context(prec=28, traps=[InvalidOperation, DivisionByZero, Overflow])


def round2(value: Decimal) -> Decimal:
    """Round an amount to cents, halves away from zero."""
    # Rounding passed by position: the keyword form is twice as slow, and
    # pricing an order rounds a few thousand times.
    rounded = value.quantize(CENT, ROUND_HALF_UP)
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
