"""Bad input is refused with a clear message, and nothing is written."""

import pytest
from django.utils import translation

from comptoir.orders import services
from comptoir.orders.errors import OrderError

from .conftest import add
from .helpers import snapshot


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "The quantity must be at least 1."),
        (-3, "The quantity must be at least 1."),
        ("deux", "Enter the quantity as a whole number, such as 2."),
        ("1.5", "Enter the quantity as a whole number, such as 2."),
        ("", "Enter the quantity as a whole number, such as 2."),
        (None, "Enter the quantity as a whole number, such as 2."),
        (10000, "The quantity cannot be more than 9,999."),
    ],
)
def test_bad_quantity_is_refused_and_nothing_changes(
    demo, hub_manager, draft, quantity, message
):
    # Given a draft with one line
    add(draft, hub_manager, "CAR-1KG", 2, demo)
    before = snapshot(draft)

    # When a bad quantity is added, by a manager reading English
    with translation.override("en"), pytest.raises(OrderError) as refused:
        add(draft, hub_manager, "COM-250", quantity, demo)

    # Then one clear message names the quantity field, and nothing changed
    assert refused.value.field == "quantity"
    assert refused.value.messages[0].startswith(message)
    assert snapshot(draft) == before


def test_quantity_message_is_translated(demo, hub_manager, draft):
    with translation.override("fr"), pytest.raises(OrderError) as refused:
        add(draft, hub_manager, "COM-250", 0, demo)

    # The wording belongs to the French catalogue; the test checks it is used.
    [message] = refused.value.messages
    assert message.startswith("La quantité")
    assert message.endswith("supprimez sa ligne.")


def test_growing_a_line_past_9999_is_refused(demo, hub_manager, draft):
    add(draft, hub_manager, "TOM-1KG", 9000, demo)
    before = snapshot(draft)

    with pytest.raises(OrderError) as refused:
        add(draft, hub_manager, "TOM-1KG", 1000, demo)

    assert refused.value.field == "quantity"
    assert "10000" in refused.value.messages[0]
    assert snapshot(draft) == before


def test_variant_not_distributed_to_this_hub_is_refused(demo, hub_manager, draft):
    # Given the current cycle, where CAR-1KG goes to Le Panier Local only
    order = services.create_order(
        actor=hub_manager,
        distributor=demo.panier,
        order_cycle=demo.current_cycle,
    )
    demo.current_cycle.exchanges.get(
        incoming=False, enterprise=demo.panier
    ).variants.remove(demo.variants["PAI-800"])
    before = snapshot(order)

    # When a variant the outgoing exchange does not carry is added
    with pytest.raises(OrderError) as refused:
        add(order, hub_manager, "PAI-800", 1, demo)

    # Then it is refused, naming the hub, and nothing changed
    assert refused.value.field == "variant"
    assert "Le Panier Local" in refused.value.messages[0]
    assert snapshot(order) == before


def test_variant_of_another_hub_is_refused(demo, other_hub_manager):
    # Épicerie du Marché is not sent the carrots
    order = services.create_order(
        actor=other_hub_manager,
        distributor=demo.epicerie,
        order_cycle=demo.current_cycle,
    )
    before = snapshot(order)

    with pytest.raises(OrderError) as refused:
        add(order, other_hub_manager, "CAR-1KG", 1, demo)

    assert refused.value.field == "variant"
    assert snapshot(order) == before


def test_unknown_variant_is_refused(demo, hub_manager, draft):
    before = snapshot(draft)

    with pytest.raises(OrderError) as refused:
        services.add_variant(
            order=draft,
            actor=hub_manager,
            expected_version=draft.version,
            variant_id=999999,
            quantity=1,
        )

    assert refused.value.field == "variant"
    assert snapshot(draft) == before


def test_line_added_to_canceled_order_is_refused(demo, hub_manager, draft):
    add(draft, hub_manager, "CAR-1KG", 1, demo)
    services.cancel_order(
        order=draft, actor=hub_manager, expected_version=draft.version
    )
    before = snapshot(draft)

    with translation.override("en"), pytest.raises(OrderError) as refused:
        add(draft, hub_manager, "COM-250", 1, demo)

    assert refused.value.field == "variant"
    assert refused.value.messages == [
        "This order is canceled: no line can be added to it."
    ]
    assert snapshot(draft) == before


def test_update_lines_reports_every_bad_line_and_changes_nothing(
    demo, hub_manager, draft
):
    carrots = add(draft, hub_manager, "CAR-1KG", 2, demo)
    comte = add(draft, hub_manager, "COM-250", 1, demo)
    bread = add(draft, hub_manager, "BAG-TRA", 3, demo)
    before = snapshot(draft)

    # When one line is fine and two are not
    with pytest.raises(OrderError) as refused:
        services.update_lines(
            order=draft,
            actor=hub_manager,
            expected_version=draft.version,
            quantities={carrots.pk: 5, comte.pk: 0, bread.pk: "x"},
        )

    # Then both problems are named by line, and not even the good one is saved
    fields = [field for field, _message in refused.value.problems]
    assert fields == [f"line:{comte.pk}", f"line:{bread.pk}"]
    assert snapshot(draft) == before


def test_quantity_beyond_stock_is_refused_with_what_is_left(demo, hub_manager, draft):
    before = snapshot(draft)

    with translation.override("en"), pytest.raises(OrderError) as refused:
        add(draft, hub_manager, "BRI-400", 11, demo)

    assert refused.value.messages == ["Only 10 left of Brioche."]
    assert snapshot(draft) == before


def test_on_demand_variant_ignores_stock(demo, hub_manager, draft):
    line = add(draft, hub_manager, "TOM-1KG", 500, demo)

    assert line.quantity == 500


@pytest.mark.parametrize(
    ("label", "amount", "field"),
    [
        ("", "1.50", "label"),
        ("Commission", "abc", "amount"),
        ("Commission", "0", "amount"),
        ("Commission", "1.505", "amount"),
    ],
)
def test_bad_manual_adjustment_is_refused(
    demo, hub_manager, draft, label, amount, field
):
    before = snapshot(draft)

    with pytest.raises(OrderError) as refused:
        services.add_manual_adjustment(
            order=draft,
            actor=hub_manager,
            expected_version=draft.version,
            label=label,
            amount=amount,
        )

    assert refused.value.field == field
    assert snapshot(draft) == before


def test_shipping_method_of_another_hub_is_refused(demo, hub_manager, draft):
    before = snapshot(draft)

    with pytest.raises(OrderError) as refused:
        services.set_shipping_method(
            order=draft,
            actor=hub_manager,
            expected_version=draft.version,
            shipping_method=demo.shipping["Retrait à l'épicerie"],
        )

    assert refused.value.field == "shipping_method"
    assert snapshot(draft) == before


def test_delivery_without_address_is_refused(demo, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )
    before = snapshot(order)

    with pytest.raises(OrderError) as refused:
        services.set_shipping_method(
            order=order,
            actor=hub_manager,
            expected_version=order.version,
            shipping_method=demo.shipping["Livraison à domicile"],
        )

    assert refused.value.field == "shipping_method"
    assert snapshot(order) == before


def test_customer_details_without_email_are_refused(demo, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )
    before = snapshot(order)

    with pytest.raises(OrderError) as refused:
        services.update_customer_details(
            order=order,
            actor=hub_manager,
            expected_version=order.version,
            email="pas-une-adresse",
            bill_address={"first_name": "", "last_name": "Dupont", "country": "F"},
            ship_address=None,
        )

    assert [field for field, _m in refused.value.problems] == [
        "email",
        "bill_first_name",
        "bill_country",
    ]
    assert snapshot(order) == before
