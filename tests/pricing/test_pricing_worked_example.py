"""The worked example of DESIGN §3, priced end to end."""

from dataclasses import replace
from decimal import Context, Decimal, localcontext

from comptoir.pricing import AdjustmentKind, Role, price_order

from .builders import TVA_5_5, TVA_20, with_added_tax, worked_example


def test_worked_example_totals() -> None:
    # Given the worked example, with French VAT included in prices
    data = worked_example()

    # When it is priced
    totals = price_order(data).totals

    # Then every total is the one computed by hand
    assert totals.item_total == Decimal("15.70")
    assert totals.fee_total == Decimal("3.77")
    assert totals.shipping_total == Decimal("5.00")
    assert totals.payment_fee_total == Decimal("0.24")
    assert totals.manual_total == Decimal("1.50")
    assert totals.included_tax == Decimal("2.06")
    assert totals.additional_tax == Decimal("0.00")
    assert totals.total == Decimal("26.21")


def test_worked_example_fees_by_name() -> None:
    order = price_order(worked_example())

    fees: dict[str, Decimal] = {}
    for adjustment in order.adjustments:
        if adjustment.kind is AdjustmentKind.FEE:
            name = adjustment.label.rsplit(" – ", 1)[-1].split(",")[0]
            fees[name] = fees.get(name, Decimal("0.00")) + adjustment.amount

    assert fees == {
        "Frais de gestion": Decimal("1.57"),
        "Emballage": Decimal("0.20"),
        "Logistique": Decimal("2.00"),
    }


def test_per_item_fees_are_one_row_per_line_and_fee() -> None:
    order = price_order(worked_example())

    rows = [
        (a.line_key, a.fee_id, a.amount, a.role, a.tax_category_id, a.included_tax)
        for a in order.adjustments
        if a.kind is AdjustmentKind.FEE and a.line_key is not None
    ]

    # The management fee inherits each line's 5.5 % category.
    assert rows == [
        (1, 2, Decimal("0.20"), Role.SUPPLIER, None, Decimal("0.00")),
        (1, 1, Decimal("0.50"), Role.COORDINATOR, TVA_5_5, Decimal("0.03")),
        (2, 1, Decimal("0.68"), Role.COORDINATOR, TVA_5_5, Decimal("0.04")),
        (3, 1, Decimal("0.39"), Role.COORDINATOR, TVA_5_5, Decimal("0.02")),
    ]


def test_order_level_rows() -> None:
    order = price_order(worked_example())

    rows = [
        (a.kind, a.label, a.amount, a.tax_category_id, a.included_tax)
        for a in order.adjustments
        if a.line_key is None
    ]

    assert rows == [
        (
            AdjustmentKind.FEE,
            "Logistique, marge distributeur Le Panier Local",
            Decimal("2.00"),
            TVA_20,
            Decimal("0.33"),
        ),
        (
            AdjustmentKind.SHIPPING,
            "Livraison à domicile",
            Decimal("5.00"),
            TVA_20,
            Decimal("0.83"),
        ),
        (
            AdjustmentKind.PAYMENT,
            "Carte bancaire (TPE)",
            Decimal("0.24"),
            None,
            Decimal("0.00"),
        ),
        (
            AdjustmentKind.MANUAL,
            "Commission",
            Decimal("1.50"),
            None,
            Decimal("0.00"),
        ),
    ]


def test_lines_carry_their_fees_and_tax() -> None:
    order = price_order(worked_example())

    assert [
        (
            line.key,
            line.amount,
            line.fee_total,
            line.included_tax,
            line.total_with_fees,
        )
        for line in order.lines
    ] == [
        (1, Decimal("5.00"), Decimal("0.70"), Decimal("0.26"), Decimal("5.70")),
        (2, Decimal("6.80"), Decimal("0.68"), Decimal("0.35"), Decimal("7.48")),
        (3, Decimal("3.90"), Decimal("0.39"), Decimal("0.20"), Decimal("4.29")),
    ]


def test_tax_summary_has_one_row_per_rate() -> None:
    order = price_order(worked_example())

    # 5.5 %: lines 0.26 + 0.35 + 0.20, inherited fees 0.03 + 0.04 + 0.02.
    # 20 %: logistics 0.33, shipping 0.83.
    assert [(t.rate_name, t.included, t.amount) for t in order.taxes] == [
        ("TVA 5,5 %", True, Decimal("0.90")),
        ("TVA 20 %", True, Decimal("1.16")),
    ]


def test_tax_is_computed_per_item_not_on_the_sum() -> None:
    order = price_order(worked_example())

    # 5.5 % included on the summed 15.70 of lines would be 0.82, not 0.81.
    line_tax = sum((line.included_tax for line in order.lines), Decimal("0.00"))

    assert line_tax == Decimal("0.81")


def test_labels_in_french() -> None:
    order = price_order(worked_example())

    labels = [a.label for a in order.adjustments if a.kind is AdjustmentKind.FEE]

    assert labels[:2] == [
        "Carottes – Emballage, marge fournisseur Ferme des Tilleuls",
        "Carottes – Frais de gestion, marge coordinateur Le Panier Local",
    ]


def test_labels_in_english() -> None:
    data = replace(worked_example(), locale="en")

    order = price_order(data)

    labels = [a.label for a in order.adjustments if a.kind is AdjustmentKind.FEE]
    assert labels == [
        "Carottes – Emballage, supplier fee Ferme des Tilleuls",
        "Carottes – Frais de gestion, coordinator fee Le Panier Local",
        "Comté – Frais de gestion, coordinator fee Le Panier Local",
        "Baguette – Frais de gestion, coordinator fee Le Panier Local",
        "Logistique, distributor fee Le Panier Local",
    ]


def test_hub_that_charges_no_tax_charges_none() -> None:
    data = replace(worked_example(), charges_tax=False)

    order = price_order(data)

    assert order.totals.included_tax == Decimal("0.00")
    assert order.totals.additional_tax == Decimal("0.00")
    assert order.taxes == ()
    assert order.totals.total == Decimal("26.21")


def test_address_outside_the_zone_is_not_taxed() -> None:
    data = replace(with_added_tax(worked_example()), tax_country="BE")

    order = price_order(data)

    assert order.totals.included_tax == Decimal("0.00")
    assert order.totals.additional_tax == Decimal("0.00")
    assert order.totals.total == Decimal("26.21")


def test_no_tax_address_means_no_tax() -> None:
    data = replace(worked_example(), tax_country=None)

    order = price_order(data)

    assert order.totals.included_tax == Decimal("0.00")
    assert order.taxes == ()


def test_added_tax_raises_the_total_by_exactly_the_tax() -> None:
    # Given the same order with VAT added to prices
    data = with_added_tax(worked_example())

    # When it is priced
    totals = price_order(data).totals

    # Then lines 0.28 + 0.37 + 0.21, inherited fees 0.03 + 0.04 + 0.02,
    # logistics 0.40 and shipping 1.00 are added to the 26.21
    assert totals.additional_tax == Decimal("2.35")
    assert totals.included_tax == Decimal("0.00")
    assert totals.total == Decimal("28.56")
    assert totals.total - price_order(worked_example()).totals.total == Decimal("2.35")


def test_the_callers_decimal_context_does_not_change_prices() -> None:
    # Given a caller who works with three significant digits
    with localcontext(Context(prec=3)):
        # When the order is priced
        order = price_order(worked_example())

    # Then pricing used its own context
    assert order.totals.total == Decimal("26.21")
    assert order.totals.included_tax == Decimal("2.06")
