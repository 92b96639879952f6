from decimal import Decimal

import pytest

from comptoir.core.money import format_money, parse_amount


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        (Decimal("26.21"), "fr", "26,21\u00a0€"),
        (Decimal("26.21"), "en", "€26.21"),
        (Decimal("-1.5"), "fr", "-1,50\u00a0€"),
        (Decimal("-1.5"), "en", "-€1.50"),
        (Decimal("1234.565"), "fr", "1\u202f234,57\u00a0€"),
        (Decimal("1234.565"), "en", "€1,234.57"),
        (Decimal("0"), "fr", "0,00\u00a0€"),
    ],
)
def test_format_money(amount, language, expected):
    assert format_money(amount, language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26,21", Decimal("26.21")),
        ("26.21", Decimal("26.21")),
        (" -1,50 € ", Decimal("-1.50")),
        ("1\u202f234,50", Decimal("1234.50")),
    ],
)
def test_parse_amount_reads_both_decimal_marks(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1.234,50", "nan", "inf"])
def test_parse_amount_refuses_what_is_not_an_amount(text):
    with pytest.raises(ValueError):
        parse_amount(text)
