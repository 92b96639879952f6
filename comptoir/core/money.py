"""Money as the interface shows and reads it: one place for formats."""

from decimal import Decimal

from django.conf import settings
from django.utils import translation

from comptoir.pricing.money import round2, to_decimal

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
    """Read "26,21", "26.21" or "26,21 €"; raise ValueError otherwise."""
    sign = CURRENCY_SIGNS.get(settings.COMPTOIR_CURRENCY, settings.COMPTOIR_CURRENCY)
    return to_decimal(text.replace(sign, ""))
