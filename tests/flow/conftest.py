"""Fixtures for the flow's view tests: logged-in clients and orders."""

import pytest
from django.test import Client

from comptoir.cycles.models import Exchange
from comptoir.orders import services
from comptoir.orders.models import Order
from tests.builders import LYON, fill_worked_example
from tests.factories import ProductFactory, VariantFactory

__all__ = ["LYON", "add", "client_for"]


def client_for(user, language="en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def manager(hub_manager):
    """Claire's browser, in English unless a test asks otherwise."""
    return client_for(hub_manager)


@pytest.fixture
def draft(demo, hub_manager) -> Order:
    """A draft of Le Panier Local in the current cycle, for Marie, no lines."""
    order = services.create_order(
        actor=hub_manager,
        distributor=demo.panier,
        order_cycle=demo.current_cycle,
        locale="en",
    )
    services.update_customer_details(
        order=order,
        actor=hub_manager,
        expected_version=order.version,
        email="marie.dupont@example.fr",
        bill_address=LYON,
        ship_address=None,
        customer=demo.marie,
    )
    return order


def add(order, actor, variant, quantity):
    order.refresh_from_db()
    return services.add_variant(
        order=order,
        actor=actor,
        expected_version=order.version,
        variant_id=variant.pk,
        quantity=quantity,
    )


@pytest.fixture
def ready(demo, hub_manager, draft) -> Order:
    """The worked example, ready to be placed: everything but the payment."""
    draft.refresh_from_db()
    fill_worked_example(draft, actor=hub_manager, demo=demo)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def order_with_lines(demo, hub_manager):
    """Build a draft with `count` lines of new variants this cycle carries."""

    def build(count: int) -> Order:
        order = services.create_order(
            actor=hub_manager,
            distributor=demo.panier,
            order_cycle=demo.current_cycle,
            locale="en",
        )
        outgoing = Exchange.objects.get(
            order_cycle=demo.current_cycle, enterprise=demo.panier, incoming=False
        )
        incoming = Exchange.objects.get(
            order_cycle=demo.current_cycle, enterprise=demo.tilleuls, incoming=True
        )
        for index in range(count):
            product = ProductFactory(producer=demo.tilleuls, name=f"Légume {index}")
            variant = VariantFactory(product=product, tax_category=demo.tva55)
            outgoing.variants.add(variant)
            incoming.variants.add(variant)
            add(order, hub_manager, variant, 1)
        order.refresh_from_db()
        return order

    return build
