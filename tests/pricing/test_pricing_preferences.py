"""Calculator preferences as typed in a form."""

from decimal import Decimal

import pytest

from comptoir.pricing import CalculatorKind, PreferenceError, to_decimal
from comptoir.pricing import validate_preferences as validate


def test_missing_percent_is_required() -> None:
    with pytest.raises(PreferenceError) as caught:
        validate(CalculatorKind.FLAT_PERCENT_PER_ITEM, {})

    assert (caught.value.key, caught.value.code) == ("percent", "required")


def test_blank_amount_is_required() -> None:
    with pytest.raises(PreferenceError) as caught:
        validate(CalculatorKind.FLAT_RATE, {"amount": "  "})

    assert caught.value.code == "required"


@pytest.mark.parametrize("value", ["abc", "1,2.3", "NaN", "Infinity", 1.5, True, []])
def test_not_a_number_is_invalid(value: object) -> None:
    with pytest.raises(PreferenceError) as caught:
        validate(CalculatorKind.FLAT_RATE, {"amount": value})

    assert (caught.value.key, caught.value.code) == ("amount", "invalid")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2,50", Decimal("2.50")),
        ("2.50", Decimal("2.50")),
        (" 1 234,5 ", Decimal("1234.5")),
        ("1\u202f234,5", Decimal("1234.5")),
        (3, Decimal("3")),
        (Decimal("0.10"), Decimal("0.10")),
        ("-1,50", Decimal("-1.50")),
    ],
)
def test_amounts_are_read_both_ways(value: object, expected: Decimal) -> None:
    values = validate(CalculatorKind.FLAT_RATE, {"amount": value})

    assert values == {"amount": expected}


def test_fractional_max_items_is_not_an_integer() -> None:
    raw = {"first_item": "2", "additional_item": "1", "max_items": "1.5"}

    with pytest.raises(PreferenceError) as caught:
        validate(CalculatorKind.FLEXIBLE_RATE, raw)

    assert (caught.value.key, caught.value.code) == ("max_items", "not_integer")


def test_negative_max_items_is_refused() -> None:
    raw = {"first_item": "2", "additional_item": "1", "max_items": "-1"}

    with pytest.raises(PreferenceError) as caught:
        validate(CalculatorKind.FLEXIBLE_RATE, raw)

    assert (caught.value.key, caught.value.code) == ("max_items", "negative")


def test_whole_max_items_written_with_decimals_is_kept_whole() -> None:
    raw = {"first_item": "2", "additional_item": "1", "max_items": "3,0"}

    values = validate(CalculatorKind.FLEXIBLE_RATE, raw)

    assert str(values["max_items"]) == "3"


def test_negative_amounts_make_discounts() -> None:
    values = validate(CalculatorKind.FLAT_PERCENT_PER_ITEM, {"percent": "-5"})

    assert values == {"percent": Decimal("-5")}


def test_every_problem_is_reported() -> None:
    raw = {"first_item": "x", "max_items": "0.5"}

    with pytest.raises(PreferenceError) as caught:
        validate(CalculatorKind.FLEXIBLE_RATE, raw)

    assert [(e.key, e.code) for e in caught.value.errors] == [
        ("first_item", "invalid"),
        ("additional_item", "required"),
        ("max_items", "not_integer"),
    ]


def test_unknown_keys_are_dropped() -> None:
    values = validate(CalculatorKind.NONE, {"amount": "3", "colour": "red"})

    assert values == {}


def test_to_decimal_refuses_floats() -> None:
    with pytest.raises(ValueError):
        to_decimal(0.1)
