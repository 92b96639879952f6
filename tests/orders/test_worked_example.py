"""The worked example of issue 3 on the demo data, through the real services."""

from decimal import Decimal

from comptoir.orders.models import Adjustment, Line, Order


def test_worked_example_totals(worked_example):
    # Given the worked example built step by step on Le Panier Local
    order = Order.objects.get(pk=worked_example.pk)

    # Then every stored total is exact
    assert order.item_total == Decimal("15.70")
    assert order.fee_total == Decimal("3.77")
    assert order.shipping_total == Decimal("5.00")
    assert order.payment_fee_total == Decimal("0.24")
    assert order.adjustment_total == Decimal("1.50")
    assert order.included_tax_total == Decimal("2.06")
    assert order.additional_tax_total == Decimal("0.00")
    assert order.total == Decimal("26.21")
    # and the caller's object saw the same totals
    assert worked_example.total == Decimal("26.21")


def test_worked_example_stored_adjustments(worked_example):
    rows = [
        (a.kind, a.label, a.amount, a.tax_amount, a.line_id is not None)
        for a in Adjustment.objects.filter(order=worked_example).order_by(
            "kind", "label"
        )
    ]

    assert rows == [
        (
            "enterprise_fee",
            "Baguette tradition – Frais de gestion, marge coordinateur Le Panier Local",
            Decimal("0.39"),
            Decimal("0.02"),
            True,
        ),
        (
            "enterprise_fee",
            "Carottes – Emballage, marge fournisseur Ferme des Tilleuls",
            Decimal("0.20"),
            Decimal("0.00"),
            True,
        ),
        (
            "enterprise_fee",
            "Carottes – Frais de gestion, marge coordinateur Le Panier Local",
            Decimal("0.50"),
            Decimal("0.03"),
            True,
        ),
        (
            "enterprise_fee",
            "Comté 18 mois – Frais de gestion, marge coordinateur Le Panier Local",
            Decimal("0.68"),
            Decimal("0.04"),
            True,
        ),
        (
            "enterprise_fee",
            "Logistique, marge distributeur Le Panier Local",
            Decimal("2.00"),
            Decimal("0.33"),
            False,
        ),
        ("manual", "Commission", Decimal("1.50"), Decimal("0.00"), False),
        (
            "payment_fee",
            "Carte bancaire (TPE)",
            Decimal("0.24"),
            Decimal("0.00"),
            False,
        ),
        ("shipping", "Livraison à domicile", Decimal("5.00"), Decimal("0.83"), False),
        ("tax", "TVA 20 %", Decimal("1.16"), Decimal("0.00"), False),
        ("tax", "TVA 5,5 %", Decimal("0.90"), Decimal("0.00"), False),
    ]


def test_worked_example_line_fees(worked_example):
    lines = {
        line.sku: line.fee_total for line in Line.objects.filter(order=worked_example)
    }

    assert lines == {
        "CAR-1KG": Decimal("0.70"),
        "COM-250": Decimal("0.68"),
        "BAG-TRA": Decimal("0.39"),
    }
