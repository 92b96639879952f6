"""Starting an order and setting its buyer."""

import re

import pytest
from django.utils import translation

from comptoir.customers.models import Customer
from comptoir.cycles.models import OrderCycle
from comptoir.orders import services
from comptoir.orders.errors import OrderError
from comptoir.orders.models import Order, OrderEvent

from .conftest import LYON


def test_a_draft_gets_a_human_number_and_a_created_event(demo, hub_manager):
    order = services.create_order(
        actor=hub_manager,
        distributor=demo.panier,
        order_cycle=demo.current_cycle,
        locale="en-GB",
    )

    assert re.fullmatch(r"R\d{9}", order.number)
    assert (order.state, order.is_late, order.locale, order.version) == (
        Order.State.DRAFT,
        False,
        "en",
        1,
    )
    assert order.created_by == hub_manager
    assert list(
        OrderEvent.objects.filter(order=order).values_list("kind", flat=True)
    ) == ["created"]


def test_locale_defaults_to_the_active_language(demo, hub_manager):
    with translation.override("en"):
        order = services.create_order(
            actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
        )

    assert order.locale == "en"


def test_a_closed_cycle_makes_a_late_order(demo, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.past_cycle
    )

    assert order.is_late
    assert OrderEvent.objects.filter(order=order, kind="late_order").exists()


def test_number_collisions_are_retried(demo, hub_manager, monkeypatch):
    taken = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )
    candidates = iter([taken.number, taken.number, "R000000042"])
    monkeypatch.setattr(services, "new_order_number", lambda: next(candidates))

    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )

    assert order.number == "R000000042"


def test_a_distributor_the_actor_does_not_manage_is_refused(demo, other_hub_manager):
    with pytest.raises(OrderError) as refused:
        services.create_order(
            actor=other_hub_manager,
            distributor=demo.panier,
            order_cycle=demo.current_cycle,
        )

    assert refused.value.field == "distributor"
    assert not Order.objects.exists()


def test_a_cycle_without_goods_for_the_distributor_is_refused(demo, hub_manager):
    lonely = OrderCycle.objects.create(
        name="Vide",
        opens_at=demo.current_cycle.opens_at,
        closes_at=demo.current_cycle.closes_at,
        coordinator=demo.panier,
    )

    with pytest.raises(OrderError) as refused:
        services.create_order(
            actor=hub_manager, distributor=demo.panier, order_cycle=lonely
        )

    assert refused.value.field == "order_cycle"
    assert not Order.objects.exists()


def test_the_same_external_reference_is_refused(demo, hub_manager):
    services.create_order(
        actor=hub_manager,
        distributor=demo.panier,
        order_cycle=demo.current_cycle,
        source=Order.Source.IMPORT,
        external_platform="Cagette",
        external_reference="C-118",
    )

    with pytest.raises(OrderError) as refused:
        services.create_order(
            actor=hub_manager,
            distributor=demo.panier,
            order_cycle=demo.current_cycle,
            source=Order.Source.IMPORT,
            external_platform="Cagette",
            external_reference="C-118",
        )

    assert refused.value.field == "external_reference"
    assert Order.objects.count() == 1


def _details(order, actor, **kwargs):
    values = {
        "email": "marie.dupont@example.fr",
        "bill_address": LYON,
        "ship_address": None,
    }
    values.update(kwargs)
    return services.update_customer_details(
        order=order, actor=actor, expected_version=order.version, **values
    )


def test_an_existing_customer_is_found_by_email(demo, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )

    _details(order, hub_manager, email="Marie.Dupont@Example.fr")

    assert order.customer == demo.marie
    assert not order.is_guest
    assert order.ship_address.as_dict() == order.bill_address.as_dict()
    assert order.ship_address.pk != order.bill_address.pk
    assert order.bill_address.pk != demo.marie.bill_address_id


def test_a_new_buyer_becomes_a_customer_of_the_hub(demo, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )

    _details(order, hub_manager, email="nouveau@example.fr")

    customer = Customer.objects.get(hub=demo.panier, email="nouveau@example.fr")
    assert order.customer == customer
    assert (customer.first_name, customer.last_name) == ("Marie", "Dupont")
    assert customer.bill_address.city == "Lyon"


def test_a_guest_order_makes_no_customer(demo, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )

    _details(order, hub_manager, email="passant@example.fr", guest=True)

    assert order.customer is None
    assert order.is_guest
    assert not Customer.objects.filter(email="passant@example.fr").exists()


def test_the_order_speaks_the_customer_language(demo, hub_manager):
    Customer.objects.filter(pk=demo.marie.pk).update(language="en")
    order = services.create_order(
        actor=hub_manager,
        distributor=demo.panier,
        order_cycle=demo.current_cycle,
        locale="fr",
    )

    _details(order, hub_manager)

    assert order.locale == "en"


def test_a_customer_of_another_hub_is_refused(demo, other_hub_manager, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )
    paul = Customer.objects.get(email="paul.bernard@example.fr")

    with pytest.raises(OrderError) as refused:
        _details(order, hub_manager, customer=paul)

    assert refused.value.field == "customer"
    assert Order.objects.get(pk=order.pk).customer is None


def test_separate_shipping_address_and_history(demo, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )
    _details(order, hub_manager)

    _details(
        order,
        hub_manager,
        ship_address={**LYON, "address1": "5 place Bellecour", "zipcode": "69002"},
        customer_note="Sonner deux fois",
    )

    assert order.ship_address.address1 == "5 place Bellecour"
    assert order.bill_address.address1 == "12 rue des Lilas"
    event = OrderEvent.objects.filter(order=order, kind="customer_details").last()
    assert event.data["before"]["ship_address"]["address1"] == "12 rue des Lilas"
    assert event.data["after"]["ship_address"]["address1"] == "5 place Bellecour"
    assert event.data["after"]["customer_note"] == "Sonner deux fois"
