"""Calculators on the reference cases of DESIGN §3 (from OFN's own tests)."""

from decimal import Decimal

import pytest

from comptoir.pricing import CalculatorKind, Line, PreferenceError

from .builders import calculator, line


def items(*specs: tuple[str, int]) -> tuple[Line, ...]:
    """Lines of (unit price, quantity)."""
    return tuple(
        line(n, variant_id=n, name="x", price=price, quantity=quantity)
        for n, (price, quantity) in enumerate(specs)
    )


def test_flat_rate_is_charged_once() -> None:
    calc = calculator(CalculatorKind.FLAT_RATE, amount="2.00")

    assert calc.amount(items(("1.00", 3), ("4.00", 7))) == Decimal("2.00")


def test_flat_rate_per_item_counts_units() -> None:
    calc = calculator(CalculatorKind.FLAT_RATE_PER_ITEM, amount="0.10")

    assert calc.amount(items(("1.00", 3), ("4.00", 7))) == Decimal("1.00")


def test_flat_percent_per_item_rounds_each_unit() -> None:
    calc = calculator(CalculatorKind.FLAT_PERCENT_PER_ITEM, percent="20")

    # 20 % of 0.86 is 0.172, rounded to 0.17 a unit, times 8.
    assert calc.amount(items(("0.86", 8))) == Decimal("1.36")


def test_flat_percent_item_total_rounds_once() -> None:
    calc = calculator(CalculatorKind.FLAT_PERCENT_ITEM_TOTAL, percent="20")

    # 20 % of 6.88 is 1.376: rounded once, not per unit.
    assert calc.amount(items(("0.86", 8))) == Decimal("1.38")


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [(4, Decimal("4.00")), (2, Decimal("3.00")), (1, Decimal("2.00"))],
)
def test_flexible_rate(quantity: int, expected: Decimal) -> None:
    calc = calculator(
        CalculatorKind.FLEXIBLE_RATE, first_item="2", additional_item="1", max_items="3"
    )

    assert calc.amount(items(("5.00", quantity))) == expected


def test_flexible_rate_counts_units_across_lines() -> None:
    calc = calculator(
        CalculatorKind.FLEXIBLE_RATE, first_item="2", additional_item="1", max_items="3"
    )

    assert calc.amount(items(("5.00", 1), ("1.00", 1))) == Decimal("3.00")


def test_flexible_rate_with_max_zero_is_free() -> None:
    calc = calculator(
        CalculatorKind.FLEXIBLE_RATE, first_item="2", additional_item="1", max_items="0"
    )

    assert calc.amount(items(("5.00", 4))) == Decimal("0.00")


def test_flexible_rate_on_nothing_is_free() -> None:
    calc = calculator(
        CalculatorKind.FLEXIBLE_RATE, first_item="2", additional_item="1", max_items="3"
    )

    assert calc.amount(()) == Decimal("0.00")


@pytest.mark.parametrize(
    ("price", "expected"),
    [("4.00", Decimal("10.00")), ("12.00", Decimal("1.00")), ("5.00", Decimal("1.00"))],
)
def test_price_sack(price: str, expected: Decimal) -> None:
    calc = calculator(
        CalculatorKind.PRICE_SACK,
        minimal_amount="5",
        normal_amount="10",
        discount_amount="1",
    )

    assert calc.amount(items((price, 1))) == expected


def test_weight_charges_total_kilograms() -> None:
    calc = calculator(CalculatorKind.WEIGHT, per_kg="0.75")
    lines = (
        line(1, variant_id=1, name="x", price="1", quantity=3, weight_kg="0.5"),
        line(2, variant_id=2, name="y", price="1", quantity=1, weight_kg="1.25"),
        line(3, variant_id=3, name="z", price="1", quantity=9),
    )

    # (3 × 0.5 + 1.25) kg × 0.75 = 2.0625; a line without weight weighs nothing.
    assert calc.amount(lines) == Decimal("2.06")


def test_none_costs_nothing() -> None:
    calc = calculator(CalculatorKind.NONE)

    assert calc.amount(items(("5.00", 4))) == Decimal("0.00")


def test_calculator_without_its_preferences_is_refused() -> None:
    with pytest.raises(PreferenceError) as caught:
        calculator(CalculatorKind.FLAT_RATE)

    assert (caught.value.key, caught.value.code) == ("amount", "required")


def test_calculator_keeps_its_own_copy_of_preferences() -> None:
    preferences = {"amount": Decimal("2.00")}
    calc = calculator(CalculatorKind.FLAT_RATE, amount="2.00")
    copy = type(calc)(kind=calc.kind, preferences=preferences)

    preferences["amount"] = Decimal("9.00")

    assert copy.amount(()) == Decimal("2.00")
    assert hash(copy) == hash(calc)
