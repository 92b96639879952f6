"""Items 8 and 9: Update on the Payments page places the order, or says, one
message per problem, why it cannot be placed, and changes nothing."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from comptoir.catalogue.models import Variant
from comptoir.customers.models import Address
from comptoir.cycles.models import Exchange
from comptoir.emails.models import OutboundEmail
from comptoir.orders import services
from comptoir.orders.models import Order, OrderEvent, Payment
from tests.orders.helpers import snapshot

from .conftest import add

pytestmark = pytest.mark.django_db


def place(client, order, demo, **overrides):
    data = {
        "version": Order.objects.get(pk=order.pk).version,
        "payment_method": demo.card.pk,
        "amount": "26.21",
        "send_confirmation": "on",
        **overrides,
    }
    return client.post(reverse("orders:payments", args=[order.number]), data)


def refused(response, message):
    assert response.status_code == 200
    errors = response.context["errors"]
    assert message in errors or any(message in str(e) for e in errors), errors
    assert message in response.content.decode().replace("&#x27;", "'")


def test_update_places_the_worked_example(
    manager, demo, ready, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    carrots = demo.variants["CAR-1KG"].stock

    with django_capture_on_commit_callbacks(execute=True):
        response = place(manager, ready, demo, amount="26,21")

    assert response.status_code == 302
    order = Order.objects.get(pk=ready.pk)
    assert order.state == Order.State.COMPLETE
    assert order.total == Decimal("26.21")
    assert order.payment_state == Order.PaymentState.PAID
    assert order.balance == Decimal("0.00")
    assert order.placed_at is not None
    assert Variant.objects.get(sku="CAR-1KG").stock == carrots - 2
    assert Payment.objects.get(order=order).amount == Decimal("26.21")
    assert OrderEvent.objects.filter(order=order, kind="placed").exists()
    confirmation = OutboundEmail.objects.get(
        order=order, kind=OutboundEmail.Kind.CONFIRMATION
    )
    assert "€26.21" in confirmation.body_text
    assert any("€26.21" in message.body for message in mail.outbox)
    page = manager.get(response["Location"])
    assert b"is placed" in page.content
    assert "€0.00" in page.content.decode()


def test_zero_received_places_the_order_with_balance_due(manager, demo, ready):
    response = place(manager, ready, demo, amount="0", send_confirmation="")

    assert response.status_code == 302
    order = Order.objects.get(pk=ready.pk)
    assert order.state == Order.State.COMPLETE
    assert order.payment_state == Order.PaymentState.BALANCE_DUE
    assert order.balance == Decimal("26.21")
    assert not OutboundEmail.objects.filter(order=order).exists()


def test_no_line_is_refused(manager, demo, draft):
    services.set_shipping_method(
        order=draft,
        actor=draft.created_by,
        expected_version=draft.version,
        shipping_method=demo.shipping["Retrait au Panier"],
    )
    before = snapshot(draft)

    response = place(manager, draft, demo)

    refused(response, "Add at least one product to place the order.")
    assert snapshot(draft) == before


def test_missing_email_is_refused(manager, demo, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )
    add(order, hub_manager, demo.variants["CAR-1KG"], 1)
    before = snapshot(order)

    response = place(manager, order, demo)

    refused(response, "Enter the buyer's e-mail address.")
    assert snapshot(order) == before


def test_missing_shipping_method_is_refused(manager, demo, hub_manager, draft):
    add(draft, hub_manager, demo.variants["CAR-1KG"], 1)
    before = snapshot(draft)

    response = place(manager, draft, demo)

    refused(response, "Choose a shipping method.")
    assert snapshot(draft) == before


def test_shipping_method_no_longer_offered_is_refused(manager, demo, ready):
    method = demo.shipping["Livraison à domicile"]
    method.active = False
    method.save(update_fields=["active"])
    before = snapshot(ready)

    response = place(manager, ready, demo)

    assert response.status_code == 200
    assert any("Livraison à domicile" in error for error in response.context["errors"])
    assert snapshot(ready) == before


def test_delivery_without_address_is_refused(manager, demo, ready):
    Address.objects.filter(pk=ready.ship_address_id).update(address1="", city="")
    before = snapshot(ready)

    response = place(manager, ready, demo)

    assert response.status_code == 200
    assert any("shipping address" in error for error in response.context["errors"])
    assert snapshot(ready) == before


def test_line_no_longer_distributed_is_refused(manager, demo, ready):
    outgoing = Exchange.objects.get(
        order_cycle=demo.current_cycle, enterprise=demo.panier, incoming=False
    )
    outgoing.variants.remove(demo.variants["COM-250"])
    before = snapshot(ready)

    response = place(manager, ready, demo)

    refused(
        response,
        "Comté 18 mois is no longer offered in this order cycle: "
        "remove it to place the order.",
    )
    assert snapshot(ready) == before


def test_line_beyond_stock_is_refused_with_the_quantity_left(manager, demo, ready):
    Variant.objects.filter(sku="BAG-TRA").update(stock=2)
    before = snapshot(ready)

    response = place(manager, ready, demo)

    assert response.status_code == 200
    assert any(
        "Only 2 left of Baguette tradition" in e for e in response.context["errors"]
    )
    assert snapshot(ready) == before


def test_every_problem_is_listed_at_once(manager, demo, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )
    before = snapshot(order)

    response = place(manager, order, demo)

    errors = response.context["errors"]
    assert "Add at least one product to place the order." in errors
    assert "Enter the buyer's e-mail address." in errors
    assert "Choose a shipping method." in errors
    assert snapshot(order) == before


def test_refusals_are_in_french_for_a_french_manager(demo, hub_manager, draft):
    from .conftest import client_for

    response = place(client_for(hub_manager, "fr"), draft, demo)

    assert (
        "Ajoutez au moins un produit pour passer la commande."
        in (response.context["errors"])
    )


def test_bad_amount_is_refused_under_its_field(manager, demo, ready):
    before = snapshot(ready)

    response = place(manager, ready, demo, amount="douze")

    assert response.context["payment_form"].errors["amount"] == [
        "Enter an amount such as 12.50."
    ]
    assert snapshot(ready) == before


def test_confirmation_box_is_checked_for_a_managers_order(manager, ready):
    response = manager.get(reverse("orders:payments", args=[ready.number]))

    form = response.context["payment_form"]
    assert form.initial["send_confirmation"] is True
    assert form.initial["amount"] == "26.21".replace("26.21", str(ready.balance))


def test_confirmation_box_is_off_for_an_imported_order(manager, ready):
    Order.objects.filter(pk=ready.pk).update(source=Order.Source.IMPORT)

    response = manager.get(reverse("orders:payments", args=[ready.number]))

    assert response.context["payment_form"].initial["send_confirmation"] is False
