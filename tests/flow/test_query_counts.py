"""Every page and htmx endpoint of the flow runs as many SQL queries for an
order of 50 lines as for an order of 1 line."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptoir.orders import services

from .conftest import LYON

pytestmark = pytest.mark.django_db


def _version(order):
    order.refresh_from_db()
    return order.version


def _customer(order, demo):
    return {
        "version": _version(order),
        "email": "marie.dupont@example.fr",
        "same_as_billing": "on",
        **{f"bill_{key}": value for key, value in LYON.items()},
    }


# name -> (method, url name, data builder, htmx)
ENDPOINTS = {
    "list": ("get", "orders:list", None, False),
    "customer": ("get", "orders:customer", None, False),
    "customer_post": ("post", "orders:customer", _customer, False),
    "customer_search": (
        "get",
        "orders:customer_search",
        lambda order, demo: {"q": "dup"},
        True,
    ),
    "details": ("get", "orders:details", None, False),
    "details_update": (
        "post",
        "orders:details",
        lambda order, demo: {
            "version": _version(order),
            **{f"qty-{line.pk}": 2 for line in order.lines.all()},
        },
        True,
    ),
    "products": ("get", "orders:products", lambda order, demo: {"q": "car"}, True),
    "add_line": (
        "post",
        "orders:add_line",
        lambda order, demo: {
            "version": _version(order),
            "variant": demo.variants["CAR-1KG"].pk,
            "quantity": 1,
        },
        True,
    ),
    "remove_line": ("post", "orders:remove_line", None, True),
    "shipping": (
        "post",
        "orders:shipping",
        lambda order, demo: {
            "version": _version(order),
            "shipping_method": demo.shipping["Retrait au Panier"].pk,
            "step": "payments",
        },
        True,
    ),
    "adjustments": ("get", "orders:adjustments", None, False),
    "adjustment_add": (
        "post",
        "orders:adjustments",
        lambda order, demo: {
            "version": _version(order),
            "label": "Commission",
            "amount": "1,50",
        },
        True,
    ),
    "payments": ("get", "orders:payments", None, False),
    "payment_method": (
        "post",
        "orders:payment_method",
        lambda order, demo: {
            "version": _version(order),
            "payment_method": demo.card.pk,
        },
        True,
    ),
    "place": (
        "post",
        "orders:payments",
        lambda order, demo: {
            "version": _version(order),
            "payment_method": demo.card.pk,
            "amount": "0",
        },
        False,
    ),
    "history": ("get", "orders:history", None, False),
}


def prepare(order, demo, hub_manager, name):
    """Put the order in the state the endpoint needs."""
    if name in ("place", "payments", "history"):
        services.update_customer_details(
            order=order,
            actor=hub_manager,
            expected_version=_version(order),
            email="marie.dupont@example.fr",
            bill_address=LYON,
            ship_address=None,
        )
        services.set_shipping_method(
            order=order,
            actor=hub_manager,
            expected_version=_version(order),
            shipping_method=demo.shipping["Retrait au Panier"],
        )


def run(client, order, demo, name):
    method, url_name, build, htmx = ENDPOINTS[name]
    kwargs = {"number": order.number}
    data = build(order, demo) if build else {}
    if name == "remove_line":
        kwargs["line_id"] = order.lines.first().pk
        data = {"version": _version(order)}
    headers = {"hx-request": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(
            reverse(url_name, kwargs=kwargs if url_name != "orders:list" else None),
            data,
            headers=headers,
        )
    assert response.status_code in (200, 302), response.content[:2000]
    return len(queries)


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_query_count_does_not_grow_with_lines(
    manager, demo, hub_manager, order_with_lines, name
):
    # Removing the only line leaves an empty order, which has less to price:
    # remove_line compares 2 and 51 lines, so 1 and 50 remain afterwards.
    sizes = (2, 51) if name == "remove_line" else (1, 50)
    small, large = (order_with_lines(size) for size in sizes)
    for order in (small, large):
        prepare(order, demo, hub_manager, name)
    manager.get(reverse("orders:list"))  # session and user caches warm

    counts = [run(manager, order, demo, name) for order in (small, large)]

    assert counts[0] == counts[1], counts


def test_adjustments_page_query_count_does_not_grow_with_adjustments(
    manager, demo, hub_manager, draft
):
    def manual_adjustments(count):
        for index in range(count):
            services.add_manual_adjustment(
                order=draft,
                actor=hub_manager,
                expected_version=_version(draft),
                label=f"Remise {index}",
                amount="-0.10",
                tax_category=demo.tva20,
            )
        with CaptureQueriesContext(connection) as queries:
            manager.get(reverse("orders:adjustments", args=[draft.number]))
        return len(queries)

    assert manual_adjustments(1) == manual_adjustments(19)
