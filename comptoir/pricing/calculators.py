"""Calculators: how much a fee, a shipping or a payment method costs."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

from comptoir.pricing.money import ZERO, round2, to_decimal


class CalculatorKind(StrEnum):
    """How an amount is computed; the values are stored in the database."""

    FLAT_RATE = "flat_rate"
    FLAT_RATE_PER_ITEM = "flat_rate_per_item"
    FLAT_PERCENT_PER_ITEM = "flat_percent_per_item"
    FLAT_PERCENT_ITEM_TOTAL = "flat_percent_item_total"
    FLEXIBLE_RATE = "flexible_rate"
    PRICE_SACK = "price_sack"
    WEIGHT = "weight"
    NONE = "none"


PREFERENCE_KEYS: Mapping[CalculatorKind, tuple[str, ...]] = MappingProxyType(
    {
        CalculatorKind.FLAT_RATE: ("amount",),
        CalculatorKind.FLAT_RATE_PER_ITEM: ("amount",),
        CalculatorKind.FLAT_PERCENT_PER_ITEM: ("percent",),
        CalculatorKind.FLAT_PERCENT_ITEM_TOTAL: ("percent",),
        CalculatorKind.FLEXIBLE_RATE: ("first_item", "additional_item", "max_items"),
        CalculatorKind.PRICE_SACK: (
            "minimal_amount",
            "normal_amount",
            "discount_amount",
        ),
        CalculatorKind.WEIGHT: ("per_kg",),
        CalculatorKind.NONE: (),
    }
)

PER_ORDER_KINDS = frozenset(
    {CalculatorKind.FLAT_RATE, CalculatorKind.FLEXIBLE_RATE, CalculatorKind.PRICE_SACK}
)
FEE_KINDS = frozenset(CalculatorKind) - {CalculatorKind.FLAT_PERCENT_ITEM_TOTAL}
METHOD_KINDS = frozenset(CalculatorKind) - {CalculatorKind.FLAT_PERCENT_PER_ITEM}

# Counts of items, not money: a fraction or a negative count means nothing.
_COUNT_KEYS = frozenset({"max_items"})


class Item(Protocol):
    """What a calculator reads from a line."""

    @property
    def unit_price(self) -> Decimal: ...

    @property
    def quantity(self) -> int: ...

    @property
    def weight_kg(self) -> Decimal | None: ...


class PreferenceError(ValueError):
    """A calculator preference is missing or unusable.

    `key` names the preference and `code` is one of "required", "invalid",
    "negative" or "not_integer", for forms to turn into a message. When several
    preferences are wrong, this error describes the first and `errors` holds
    one error per problem.
    """

    def __init__(
        self,
        *,
        key: str,
        code: str,
        others: Sequence["PreferenceError"] = (),
    ) -> None:
        super().__init__(f"preference {key!r}: {code}")
        self.key = key
        self.code = code
        self.errors: tuple[PreferenceError, ...] = (self, *others)


def validate_preferences(
    kind: CalculatorKind, raw: Mapping[str, object]
) -> dict[str, Decimal]:
    """Return the preferences `kind` needs as Decimals; unknown keys are dropped."""
    values: dict[str, Decimal] = {}
    problems: list[PreferenceError] = []
    for key in PREFERENCE_KEYS[kind]:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(PreferenceError(key=key, code="required"))
            continue
        try:
            number = to_decimal(value)
        except ValueError:
            problems.append(PreferenceError(key=key, code="invalid"))
            continue
        if key in _COUNT_KEYS:
            if number != number.to_integral_value():
                problems.append(PreferenceError(key=key, code="not_integer"))
                continue
            if number < 0:
                problems.append(PreferenceError(key=key, code="negative"))
                continue
            number = Decimal(int(number))
        values[key] = number
    if problems:
        first, *others = problems
        raise PreferenceError(key=first.key, code=first.code, others=others)
    return values


@dataclass(frozen=True, slots=True)
class Calculator:
    """A calculator kind with its preferences, already validated."""

    kind: CalculatorKind
    preferences: Mapping[str, Decimal]

    def __post_init__(self) -> None:
        # Fail when the calculator is built from the database, not halfway
        # through pricing an order.
        for key in PREFERENCE_KEYS[self.kind]:
            if key not in self.preferences:
                raise PreferenceError(key=key, code="required")
        # A read-only copy: the caller's dict may change after this.
        frozen = MappingProxyType(dict(self.preferences))
        object.__setattr__(self, "preferences", frozen)

    def __hash__(self) -> int:
        # Declared by hand because a mapping is not hashable, and fees (which
        # hold a calculator) are handy as dict keys.
        return hash((self.kind, frozenset(self.preferences.items())))

    @property
    def per_order(self) -> bool:
        """Whether the amount is charged once per order rather than per line."""
        return self.kind in PER_ORDER_KINDS

    def amount(self, items: Sequence[Item]) -> Decimal:
        """Return the amount for `items`, rounded to cents."""
        return _COMPUTE[self.kind](self.preferences, items)


_Compute = Callable[[Mapping[str, Decimal], Sequence[Item]], Decimal]


def _flat_rate(prefs: Mapping[str, Decimal], items: Sequence[Item]) -> Decimal:
    return round2(prefs["amount"])


def _flat_rate_per_item(prefs: Mapping[str, Decimal], items: Sequence[Item]) -> Decimal:
    return round2(prefs["amount"] * sum(item.quantity for item in items))


def _flat_percent_per_item(
    prefs: Mapping[str, Decimal], items: Sequence[Item]
) -> Decimal:
    # Rounded per unit, as OFN does: 20 % of 0.86 is 0.17 a unit, not 0.172.
    factor = prefs["percent"] / 100
    total = ZERO
    for item in items:
        total += round2(item.unit_price * factor) * item.quantity
    return total


def _flat_percent_item_total(
    prefs: Mapping[str, Decimal], items: Sequence[Item]
) -> Decimal:
    subtotal = sum((item.unit_price * item.quantity for item in items), ZERO)
    return round2(subtotal * prefs["percent"] / 100)


def _flexible_rate(prefs: Mapping[str, Decimal], items: Sequence[Item]) -> Decimal:
    count = sum(item.quantity for item in items)
    max_items = prefs["max_items"]
    # A max below zero cannot come through validate_preferences; treat it as
    # zero rather than charge a negative number of additional items.
    if count <= 0 or max_items <= 0:
        return ZERO
    charged = min(Decimal(count), max_items)
    return round2(prefs["first_item"] + (charged - 1) * prefs["additional_item"])


def _price_sack(prefs: Mapping[str, Decimal], items: Sequence[Item]) -> Decimal:
    subtotal = sum((item.unit_price * item.quantity for item in items), ZERO)
    if subtotal < prefs["minimal_amount"]:
        return round2(prefs["normal_amount"])
    return round2(prefs["discount_amount"])


def _weight(prefs: Mapping[str, Decimal], items: Sequence[Item]) -> Decimal:
    # A variant without a weight weighs nothing rather than blocking the order.
    kilograms = sum(
        (item.weight_kg * item.quantity for item in items if item.weight_kg),
        ZERO,
    )
    return round2(kilograms * prefs["per_kg"])


def _none(prefs: Mapping[str, Decimal], items: Sequence[Item]) -> Decimal:
    return ZERO


_COMPUTE: dict[CalculatorKind, _Compute] = {
    CalculatorKind.FLAT_RATE: _flat_rate,
    CalculatorKind.FLAT_RATE_PER_ITEM: _flat_rate_per_item,
    CalculatorKind.FLAT_PERCENT_PER_ITEM: _flat_percent_per_item,
    CalculatorKind.FLAT_PERCENT_ITEM_TOTAL: _flat_percent_item_total,
    CalculatorKind.FLEXIBLE_RATE: _flexible_rate,
    CalculatorKind.PRICE_SACK: _price_sack,
    CalculatorKind.WEIGHT: _weight,
    CalculatorKind.NONE: _none,
}
