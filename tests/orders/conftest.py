"""Helpers for the orders services tests: drafts on the demo hub."""

import pytest

from comptoir.orders import services
from comptoir.orders.models import Order
from tests.builders import LYON, fill_worked_example

__all__ = ["LYON", "add"]


def add(order: Order, actor, sku: str, quantity, demo):
    """Add `quantity` of the demo variant `sku` to `order`."""
    return services.add_variant(
        order=order,
        actor=actor,
        expected_version=order.version,
        variant_id=demo.variants[sku].pk,
        quantity=quantity,
    )


@pytest.fixture
def draft(demo, hub_manager) -> Order:
    """An empty draft of Le Panier Local in the current cycle, for Marie."""
    order = services.create_order(
        actor=hub_manager,
        distributor=demo.panier,
        order_cycle=demo.current_cycle,
        locale="fr",
    )
    services.update_customer_details(
        order=order,
        actor=hub_manager,
        expected_version=order.version,
        email="marie.dupont@example.fr",
        bill_address=LYON,
        ship_address=None,
    )
    return order


@pytest.fixture
def worked_example(demo, hub_manager, draft) -> Order:
    """The worked example of issue 3, built through the services."""
    fill_worked_example(draft, actor=hub_manager, demo=demo)
    services.set_payment_method(
        order=draft,
        actor=hub_manager,
        expected_version=draft.version,
        payment_method=demo.card,
    )
    return draft
