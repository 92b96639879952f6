"""Manual adjustments: added, changed, removed, taxed, and in the totals."""

from decimal import Decimal

from comptoir.orders import services
from comptoir.orders.models import Adjustment, OrderEvent


def test_a_taxed_discount_is_changed_then_removed(demo, hub_manager, worked_example):
    # Given a discount of 2.00 with VAT 20 % included, on the worked example
    discount = services.add_manual_adjustment(
        order=worked_example,
        actor=hub_manager,
        expected_version=worked_example.version,
        label="Remise fidélité",
        amount=Decimal("-2.00"),
        tax_category=demo.tva20,
    )
    assert discount.tax_amount == Decimal("-0.33")
    assert worked_example.adjustment_total == Decimal("-0.50")
    assert worked_example.total == Decimal("24.21")
    assert worked_example.included_tax_total == Decimal("1.73")

    # When it becomes 3,00 € then is removed
    changed = services.update_manual_adjustment(
        order=worked_example,
        actor=hub_manager,
        expected_version=worked_example.version,
        adjustment_id=discount.pk,
        label="Remise fidélité",
        amount="-3,00",
        tax_category=demo.tva20,
    )
    assert (changed.amount, changed.tax_amount) == (Decimal("-3.00"), Decimal("-0.50"))
    assert worked_example.total == Decimal("23.21")

    services.remove_manual_adjustment(
        order=worked_example,
        actor=hub_manager,
        expected_version=worked_example.version,
        adjustment_id=discount.pk,
    )

    # Then the totals are back to the worked example, and history says so
    assert worked_example.total == Decimal("26.21")
    assert not Adjustment.objects.filter(pk=discount.pk).exists()
    kinds = list(
        OrderEvent.objects.filter(order=worked_example)
        .filter(kind__startswith="adjustment_")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "adjustment_added",
        "adjustment_added",
        "adjustment_changed",
        "adjustment_removed",
    ]


def test_removing_the_payment_method_removes_its_fee(demo, hub_manager, worked_example):
    result = services.set_payment_method(
        order=worked_example,
        actor=hub_manager,
        expected_version=worked_example.version,
        payment_method=None,
    )

    assert result.order.payment_fee_total == Decimal("0.00")
    assert result.order.total == Decimal("25.97")
    assert not Adjustment.objects.filter(
        order=worked_example, kind=Adjustment.Kind.PAYMENT
    ).exists()


def test_every_write_bumps_the_version_once(demo, hub_manager, worked_example):
    version = worked_example.version

    services.set_shipping_method(
        order=worked_example,
        actor=hub_manager,
        expected_version=version,
        shipping_method=demo.shipping["Retrait au Panier"],
    )

    assert worked_example.version == version + 1
    assert worked_example.updated_by == hub_manager
