"""Money as the interface shows and reads it: one place for formats."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation

from comptoir.pricing.money import round2

__all__ = ["format_money", "parse_amount", "round2"]

CURRENCY_SIGNS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}
NBSP = "\u00a0"
NARROW_NBSP = "\u202f"


def format_money(amount: Decimal | None, language: str | None = None) -> str:
    """Format 26.21 as "26,21 €" in French and "€26.21" in English."""
    if amount is None:
        return ""
    language = (language or translation.get_language() or "fr")[:2]
    sign = CURRENCY_SIGNS.get(settings.COMPTOIR_CURRENCY, settings.COMPTOIR_CURRENCY)
    value = round2(Decimal(amount))
    minus = "-" if value < 0 else ""
    units, cents = f"{abs(value):.2f}".split(".")
    if language == "fr":
        grouped = f"{int(units):,}".replace(",", NARROW_NBSP)
        return f"{minus}{grouped},{cents}{NBSP}{sign}"
    grouped = f"{int(units):,}"
    return f"{minus}{sign}{grouped}.{cents}"


def parse_amount(text: str) -> Decimal:
    """Read "26,21" or "26.21" (spaces allowed); raise ValueError otherwise."""
    cleaned = text.strip().replace(NBSP, "").replace(NARROW_NBSP, "").replace(" ", "")
    cleaned = cleaned.replace("€", "").replace(",", ".")
    if cleaned.count(".") > 1 or not cleaned:
        raise ValueError(text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    return value
