"""Tax on one amount, and the one rounding rule."""

from decimal import Decimal

import pytest

from comptoir.pricing import added_tax, included_tax, round2


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("10.00", Decimal("0.91")), ("50.00", Decimal("4.55"))],
)
def test_included_tax(amount: str, expected: Decimal) -> None:
    assert included_tax(amount=Decimal(amount), rate=Decimal("0.1")) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("10.00", Decimal("1.00")), ("50.00", Decimal("5.00"))],
)
def test_added_tax(amount: str, expected: Decimal) -> None:
    assert added_tax(amount=Decimal(amount), rate=Decimal("0.1")) == expected


def test_tax_on_a_discount_is_negative() -> None:
    assert added_tax(amount=Decimal("-5.00"), rate=Decimal("0.2")) == Decimal("-1.00")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("0.025", "0.03"),
        ("0.0049", "0.00"),
        ("-0.005", "-0.01"),
        ("2.675", "2.68"),
        ("7", "7.00"),
    ],
)
def test_round2_rounds_halves_up(value: str, expected: str) -> None:
    assert str(round2(Decimal(value))) == expected


def test_round2_never_returns_negative_zero() -> None:
    assert str(round2(Decimal("-0.001"))) == "0.00"
