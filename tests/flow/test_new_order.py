"""Items 1 and 2: the Orders page, and step 1 (distributor and order cycle)."""

import pytest
from django.urls import reverse

from comptoir.orders.models import Order, OrderEvent

pytestmark = pytest.mark.django_db


def new_order_form(client):
    page = client.get(reverse("orders:new"))
    assert page.status_code == 200
    return page.context["token"]


def post_new(client, demo, token, cycle=None):
    return client.post(
        reverse("orders:new"),
        {
            "distributor": demo.panier.pk,
            "order_cycle": (cycle or demo.current_cycle).pk,
            "token": token,
        },
    )


def test_creating_a_draft_goes_to_customer_details(manager, demo):
    token = new_order_form(manager)

    response = post_new(manager, demo, token)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:customer", args=[order.number])
    assert order.is_draft and not order.is_late
    assert order.distributor == demo.panier


def test_double_submit_creates_one_order(manager, demo):
    # Given one form, sent twice (a double click)
    token = new_order_form(manager)

    first = post_new(manager, demo, token)
    second = post_new(manager, demo, token)

    # Then one order exists, and both answers lead to it
    order = Order.objects.get()
    assert first["Location"] == second["Location"]
    assert second["Location"].endswith(f"/orders/{order.number}/customer/")


def test_two_forms_make_two_orders(manager, demo):
    first, second = new_order_form(manager), new_order_form(manager)

    post_new(manager, demo, first)
    post_new(manager, demo, second)

    assert Order.objects.count() == 2


def test_unknown_token_creates_nothing(manager, demo):
    new_order_form(manager)

    response = post_new(manager, demo, "made-up")

    assert response.status_code == 200
    assert "This form had expired" in response.content.decode()
    assert not Order.objects.exists()


def test_missing_choices_get_messages_under_the_fields(manager, demo):
    token = new_order_form(manager)

    response = manager.post(reverse("orders:new"), {"token": token, "distributor": ""})

    errors = response.context["form"].errors
    assert errors["order_cycle"] == ["Choose the order cycle of this order."]
    assert not Order.objects.exists()
    assert "Choose the order cycle of this order." in response.content.decode()


def test_closed_cycle_makes_a_late_order_recorded_in_history(manager, demo):
    token = new_order_form(manager)

    response = post_new(manager, demo, token, cycle=demo.past_cycle)

    order = Order.objects.get()
    assert order.is_late
    assert OrderEvent.objects.filter(order=order, kind="late_order").exists()
    page = manager.get(response["Location"])
    assert "Late order" in page.content.decode()
    history = manager.get(reverse("orders:history", args=[order.number]))
    assert "Late order: the order cycle was closed" in history.content.decode()


def test_cycle_field_lists_open_cycles_first_with_their_status(manager, demo):
    response = manager.get(
        reverse("orders:new_cycles"),
        {"distributor": demo.panier.pk, "order_cycle": demo.past_cycle.pk},
    )

    html = response.content.decode()
    open_at = html.index("Semaine en cours")
    assert open_at < html.index("Semaine prochaine") < html.index("Semaine dernière")
    assert "open, closes" in html and "upcoming, opens" in html
    # The closed cycle chosen shows the late-order warning
    assert "late order" in html


def test_french_words_of_the_guide(hub_manager):
    from .conftest import client_for

    html = client_for(hub_manager, "fr").get(reverse("orders:new")).content.decode()

    for word in ("Nouvelle commande", "Distributeur", "Cycle de vente"):
        assert word in html


def test_orders_page_marks_drafts_and_paginates(manager, demo, hub_manager):
    from comptoir.orders import services

    for _ in range(27):
        services.create_order(
            actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
        )

    first = manager.get(reverse("orders:list"))
    second = manager.get(reverse("orders:list"), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2
    assert first.content.decode().count('class="badge draft"') == 25
    assert "New order" in first.content.decode()
