"""Tax rates, and the tax on one amount."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from comptoir.pricing.money import ZERO, round2

_ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class TaxRate:
    """A rate of a tax category; 0.055 means 5.5 %."""

    category_id: int
    name: str
    rate: Decimal
    included: bool
    countries: frozenset[str]


@dataclass(frozen=True, slots=True)
class TaxSummary:
    """One tax rate charged on an order, summed over everything it taxed."""

    category_id: int
    rate_name: str
    rate: Decimal
    included: bool
    amount: Decimal


def included_tax(*, amount: Decimal, rate: Decimal) -> Decimal:
    """Return the tax already inside `amount` at `rate`."""
    return round2(amount - amount / (_ONE + rate))


def added_tax(*, amount: Decimal, rate: Decimal) -> Decimal:
    """Return the tax to add on top of `amount` at `rate`."""
    return round2(amount * rate)


class TaxLedger:
    """Taxes one order's amounts and keeps the total charged per rate.

    Built once per order: the rates that apply (category, country, whether
    the hub charges tax) are sorted out up front, so taxing an amount is one
    dict lookup.
    """

    __slots__ = ("_by_category", "_charged", "_rates")

    def __init__(
        self, *, rates: Iterable[TaxRate], country: str | None, charges_tax: bool
    ) -> None:
        self._rates: list[TaxRate] = []
        self._by_category: dict[int, list[tuple[int, TaxRate]]] = {}
        if charges_tax and country is not None:
            for rate in rates:
                if country in rate.countries:
                    applied = (len(self._rates), rate)
                    self._by_category.setdefault(rate.category_id, []).append(applied)
                    self._rates.append(rate)
        self._charged = [ZERO] * len(self._rates)

    def tax(
        self, *, amount: Decimal, category_id: int | None
    ) -> tuple[Decimal, Decimal]:
        """Return (included, added) tax on `amount`, and record it."""
        if category_id is None:
            return ZERO, ZERO
        applied = self._by_category.get(category_id)
        if not applied:
            return ZERO, ZERO
        included = added = ZERO
        for index, rate in applied:
            if rate.included:
                tax = included_tax(amount=amount, rate=rate.rate)
                included += tax
            else:
                tax = added_tax(amount=amount, rate=rate.rate)
                added += tax
            self._charged[index] += tax
        return included, added

    def summary(self) -> tuple[TaxSummary, ...]:
        """Return one row per rate that charged a non-zero amount."""
        return tuple(
            TaxSummary(
                category_id=rate.category_id,
                rate_name=rate.name,
                rate=rate.rate,
                included=rate.included,
                amount=amount,
            )
            for rate, amount in zip(self._rates, self._charged, strict=True)
            if amount
        )
