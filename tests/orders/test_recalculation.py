"""The recalculation service: fixed query count, undistributed lines, taxes."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from comptoir.catalogue.models import Product, Variant
from comptoir.orders import services
from comptoir.orders.errors import OrderError, StaleOrderError
from comptoir.orders.models import Adjustment, Line, Order, OrderEvent

from .conftest import LYON, add
from .helpers import snapshot


def _order_with_lines(demo, actor, count: int) -> Order:
    """A delivered, card-paid order of `count` lines of distinct variants."""
    product = Product.objects.create(
        producer=demo.tilleuls, name="Légume", unit_kind=Product.UnitKind.WEIGHT
    )
    variants = [
        Variant.objects.create(
            product=product,
            producer=demo.tilleuls,
            sku=f"LEG-{count}-{index}",
            unit_value=Decimal(1000),
            display="1 kg",
            price=Decimal("1.25") + index,
            stock=1000,
            tax_category=demo.tva55,
        )
        for index in range(count)
    ]
    for exchange in demo.current_cycle.exchanges.filter(
        enterprise__in=[demo.tilleuls, demo.panier]
    ):
        exchange.variants.add(*variants)
    order = services.create_order(
        actor=actor, distributor=demo.panier, order_cycle=demo.current_cycle
    )
    services.update_customer_details(
        order=order,
        actor=actor,
        expected_version=order.version,
        email="marie.dupont@example.fr",
        bill_address=LYON,
        ship_address=None,
    )
    Line.objects.bulk_create(
        Line(
            order=order,
            variant=variant,
            quantity=2,
            unit_price=variant.price,
            product_name=product.name,
            unit_display=variant.display,
            producer_name=demo.tilleuls.name,
            sku=variant.sku,
            tax_category=demo.tva55,
        )
        for variant in variants
    )
    Order.objects.filter(pk=order.pk).update(
        shipping_method=demo.shipping["Livraison à domicile"],
        payment_method=demo.card,
    )
    Adjustment.objects.create(
        order=order, kind=Adjustment.Kind.MANUAL, label="Commission", amount=1
    )
    return order


def _queries_of_recalculation(order: Order, actor) -> tuple[int, Order]:
    with CaptureQueriesContext(connection) as captured:
        result = services.recalculate_order(order=order, actor=actor)
    return len(captured.captured_queries), result.order


def test_query_count_is_the_same_for_1_and_200_lines(demo, hub_manager):
    # Given an order of one line and an order of 200 lines
    small = _order_with_lines(demo, hub_manager, 1)
    large = _order_with_lines(demo, hub_manager, 200)

    # When each is recalculated
    small_queries, small = _queries_of_recalculation(small, hub_manager)
    large_queries, large = _queries_of_recalculation(large, hub_manager)

    # Then both took the same number of queries, and every fee was written
    assert small_queries == large_queries
    assert Adjustment.objects.filter(order=large, line__isnull=False).count() == 400
    assert large.fee_total == sum(
        Line.objects.filter(order=large).values_list("fee_total", flat=True),
        Decimal("0.00"),
    ) + Decimal("2.00")


def test_query_count_is_the_same_again_when_nothing_changed(demo, hub_manager):
    small = _order_with_lines(demo, hub_manager, 1)
    large = _order_with_lines(demo, hub_manager, 200)
    services.recalculate_order(order=small, actor=hub_manager)
    services.recalculate_order(order=large, actor=hub_manager)

    small_queries, _ = _queries_of_recalculation(small, hub_manager)
    large_queries, _ = _queries_of_recalculation(large, hub_manager)

    assert small_queries == large_queries


def test_recalculation_bumps_the_version_and_records_the_change(
    demo, hub_manager, draft
):
    add(draft, hub_manager, "CAR-1KG", 2, demo)
    Line.objects.filter(order=draft).update(quantity=4)
    version = Order.objects.get(pk=draft.pk).version

    result = services.recalculate_order(order=draft, actor=hub_manager)

    assert result.order.version == version + 1
    assert result.order.item_total == Decimal("10.00")
    event = OrderEvent.objects.filter(order=draft, kind="recalculated").last()
    assert event is not None
    assert event.data["before"]["item_total"] == "5.00"
    assert event.data["after"]["item_total"] == "10.00"


def test_recalculation_without_change_records_no_event(demo, hub_manager, draft):
    add(draft, hub_manager, "CAR-1KG", 2, demo)
    events = OrderEvent.objects.filter(order=draft).count()

    services.recalculate_order(order=draft, actor=hub_manager)

    assert OrderEvent.objects.filter(order=draft).count() == events


def test_undistributed_line_keeps_its_price_gets_no_fee_and_is_listed(
    demo, hub_manager, worked_example
):
    # Given the cycle stops distributing the Comté to Le Panier Local
    demo.current_cycle.exchanges.get(
        incoming=False, enterprise=demo.panier
    ).variants.remove(demo.variants["COM-250"])

    # When the order is recalculated
    result = services.recalculate_order(order=worked_example, actor=hub_manager)

    # Then the Comté is still sold at 6.80, without its 0.68 management fee
    [line] = result.undistributed_lines
    assert (line.sku, line.unit_price, line.fee_total) == (
        "COM-250",
        Decimal("6.80"),
        Decimal("0.00"),
    )
    assert result.order.item_total == Decimal("15.70")
    assert result.order.fee_total == Decimal("3.09")
    assert not Adjustment.objects.filter(line=line).exists()


def test_placing_with_an_undistributed_line_is_refused(
    demo, hub_manager, worked_example
):
    demo.current_cycle.exchanges.get(
        incoming=False, enterprise=demo.panier
    ).variants.remove(demo.variants["COM-250"])
    before = snapshot(worked_example)

    with translation.override("en"), pytest.raises(OrderError) as refused:
        services.place_order(
            order=worked_example,
            actor=hub_manager,
            expected_version=worked_example.version,
            payment_method=demo.card,
            amount_received="0",
            send_confirmation=False,
        )

    comte = worked_example.lines.get(sku="COM-250")
    assert refused.value.field == f"line:{comte.pk}"
    assert "Comté 18 mois is no longer offered" in refused.value.messages[0]
    assert snapshot(worked_example) == before


def test_pickup_is_taxed_at_the_hub_and_a_foreign_delivery_is_not(
    demo, hub_manager, worked_example
):
    # A delivery to Brussels is outside the France zone: no VAT at all
    services.update_customer_details(
        order=worked_example,
        actor=hub_manager,
        expected_version=worked_example.version,
        email="marie.dupont@example.fr",
        bill_address={**LYON, "city": "Bruxelles", "zipcode": "1000", "country": "BE"},
        ship_address=None,
    )
    assert worked_example.included_tax_total == Decimal("0.00")
    assert worked_example.total == Decimal("26.21")

    # Picked up at the hub in Lyon, the French VAT applies again
    result = services.set_shipping_method(
        order=worked_example,
        actor=hub_manager,
        expected_version=worked_example.version,
        shipping_method=demo.shipping["Retrait au Panier"],
    )
    assert result.order.shipping_total == Decimal("0.00")
    assert result.order.included_tax_total == Decimal("1.23")


def test_hub_that_charges_no_tax_charges_none(demo, hub_manager, worked_example):
    demo.panier.charges_sales_tax = False
    demo.panier.save(update_fields=["charges_sales_tax"])

    result = services.recalculate_order(order=worked_example, actor=hub_manager)

    assert result.order.included_tax_total == Decimal("0.00")
    assert not Adjustment.objects.filter(order=worked_example, kind="tax").exists()


def test_labels_follow_the_order_language(demo, hub_manager, worked_example):
    Order.objects.filter(pk=worked_example.pk).update(locale="en")

    services.recalculate_order(order=worked_example, actor=hub_manager)

    assert Adjustment.objects.filter(
        order=worked_example,
        label="Logistique, distributor fee Le Panier Local",
    ).exists()


def test_stale_version_is_refused_and_names_who_changed_it(
    demo, hub_manager, super_admin, draft
):
    # Given two people on the same draft; the admin saves first
    seen_version = draft.version
    other_copy = Order.objects.get(pk=draft.pk)
    add(other_copy, super_admin, "CAR-1KG", 1, demo)
    before = snapshot(draft)

    # When the manager saves from the page drawn before
    with translation.override("en"), pytest.raises(StaleOrderError) as refused:
        services.add_variant(
            order=draft,
            actor=hub_manager,
            expected_version=seen_version,
            variant_id=demo.variants["COM-250"].pk,
            quantity=1,
        )

    # Then it is refused, naming the admin, and nothing changed
    assert refused.value.changed_by == str(super_admin)
    assert refused.value.messages[0].startswith(
        f"This order was changed by {super_admin} at "
    )
    assert snapshot(draft) == before
