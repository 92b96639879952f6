"""Item 12: only the distributor's (or the coordinator's) managers and super
admins reach an order; everyone else gets a 404 everywhere, searches included."""

import pytest
from django.urls import reverse

from comptoir.orders.models import Order
from tests.orders.helpers import snapshot

from .conftest import client_for

pytestmark = pytest.mark.django_db

# (url name, extra kwargs, method, data)
ORDER_URLS = [
    ("orders:detail", {}, "get", {}),
    ("orders:customer", {}, "get", {}),
    ("orders:customer", {}, "post", {"email": "x@example.fr"}),
    ("orders:customer_search", {}, "get", {"q": "dup"}),
    ("orders:details", {}, "get", {}),
    ("orders:details", {}, "post", {}),
    ("orders:products", {}, "get", {"q": "car"}),
    ("orders:add_line", {}, "post", {"variant": 1, "quantity": 1}),
    ("orders:remove_line", {"line_id": 1}, "post", {}),
    ("orders:shipping", {}, "post", {}),
    ("orders:adjustments", {}, "get", {}),
    ("orders:adjustments", {}, "post", {"label": "x", "amount": "1"}),
    ("orders:adjustment_update", {"adjustment_id": 1}, "post", {}),
    ("orders:adjustment_remove", {"adjustment_id": 1}, "post", {}),
    ("orders:payments", {}, "get", {}),
    ("orders:payments", {}, "post", {"amount": "1"}),
    ("orders:payment_method", {}, "post", {}),
    ("orders:email_resend", {}, "post", {}),
    ("orders:email_retry", {}, "post", {"email": 1}),
    ("orders:history", {}, "get", {}),
]


def call(client, name, kwargs, method, data, order, htmx=False):
    url = reverse(name, kwargs={"number": order.number, **kwargs})
    headers = {"hx-request": "true"} if htmx else {}
    return getattr(client, method)(url, data, headers=headers)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("name", "kwargs", "method", "data"), ORDER_URLS)
def test_other_hubs_manager_gets_404_everywhere(
    other_hub_manager, ready, name, kwargs, method, data, htmx
):
    # Given the other hub's manager, and Le Panier Local's order ready to place
    client = client_for(other_hub_manager)
    before = snapshot(ready)

    # When they reach any URL of the order
    response = call(client, name, kwargs, method, data, ready, htmx)

    # Then the order does not exist for them, and nothing changed
    assert response.status_code == 404
    assert snapshot(ready) == before


@pytest.mark.parametrize(("name", "kwargs", "method", "data"), ORDER_URLS[:6])
def test_producer_and_outsider_get_404(
    producer_manager, outsider, ready, name, kwargs, method, data
):
    for user in (producer_manager, outsider):
        response = call(client_for(user), name, kwargs, method, data, ready)
        assert response.status_code == 404


def test_search_results_never_show_another_hubs_customers(manager, draft):
    # Paul Bernard is a customer of Épicerie du Marché only
    response = manager.get(
        reverse("orders:customer_search", args=[draft.number]), {"q": "bernard"}
    )

    assert response.status_code == 200
    assert b"paul.bernard" not in response.content


def test_cycle_options_of_another_hub_are_404(manager, demo):
    response = manager.get(
        reverse("orders:new_cycles"), {"distributor": demo.epicerie.pk}
    )

    assert response.status_code == 404


def test_another_hub_is_not_a_choice_for_a_new_order(manager, demo):
    # Given Claire's form, posted with the other hub as distributor
    page = manager.get(reverse("orders:new"))
    token = page.context["token"]

    response = manager.post(
        reverse("orders:new"),
        {
            "distributor": demo.epicerie.pk,
            "order_cycle": demo.current_cycle.pk,
            "token": token,
        },
    )

    # Then nothing is created and the field says why
    assert response.status_code == 200
    assert response.context["form"].errors["distributor"]
    assert not Order.objects.exists()


def test_list_shows_only_the_users_orders(manager, other_hub_manager, ready):
    assert ready.number in manager.get(reverse("orders:list")).content.decode()
    other = client_for(other_hub_manager).get(reverse("orders:list"))
    assert ready.number not in other.content.decode()


def test_super_admin_reaches_every_step(super_admin, ready):
    client = client_for(super_admin)
    for name in ("customer", "details", "adjustments", "payments", "history"):
        url = reverse(f"orders:{name}", args=[ready.number])
        assert client.get(url).status_code == 200


def test_coordinators_manager_reaches_the_order(demo, other_hub_manager, ready):
    # Given Le Panier Local coordinates the cycle; make the épicerie the
    # coordinator instead, so its manager now may reach Le Panier Local's order
    cycle = ready.order_cycle
    cycle.coordinator = demo.epicerie
    cycle.save(update_fields=["coordinator"])

    response = client_for(other_hub_manager).get(
        reverse("orders:details", args=[ready.number])
    )

    assert response.status_code == 200
