"""Cancelling a placed order, and e-mail buttons that must never crash."""

from decimal import Decimal

from comptoir.catalogue.models import Variant
from comptoir.emails.models import OutboundEmail
from comptoir.orders import services
from comptoir.orders.models import Order

from .conftest import client_for


def place(order, actor, demo):
    order.refresh_from_db()
    return services.place_order(
        order=order,
        actor=actor,
        expected_version=order.version,
        payment_method=demo.card,
        amount_received=Decimal("0"),
        send_confirmation=True,
    )


def stock_of(sku):
    return Variant.objects.get(sku=sku).stock


def test_cancel_gives_stock_back_and_tells_the_buyer(manager, ready, hub_manager, demo):
    placed = place(ready, hub_manager, demo)
    assert stock_of("CAR-1KG") == 98

    response = manager.post(
        f"/orders/{placed.number}/cancel/",
        {"version": placed.version, "send_email": "on"},
        follow=True,
    )

    placed.refresh_from_db()
    assert placed.state == Order.State.CANCELED
    assert stock_of("CAR-1KG") == 100
    assert "Order canceled" in response.content.decode()
    assert OutboundEmail.objects.filter(order=placed, kind="cancellation").exists()


def test_cancel_over_a_newer_version_changes_nothing(manager, ready, hub_manager, demo):
    placed = place(ready, hub_manager, demo)

    response = manager.post(
        f"/orders/{placed.number}/cancel/",
        {"version": placed.version - 1, "send_email": "on"},
        follow=True,
    )

    placed.refresh_from_db()
    assert placed.state == Order.State.COMPLETE
    assert stock_of("CAR-1KG") == 98
    assert "was changed by" in response.content.decode()


def test_other_hub_manager_cannot_cancel(ready, hub_manager, other_hub_manager, demo):
    placed = place(ready, hub_manager, demo)

    response = client_for(other_hub_manager).post(
        f"/orders/{placed.number}/cancel/", {"version": placed.version}
    )

    assert response.status_code == 404
    placed.refresh_from_db()
    assert placed.state == Order.State.COMPLETE


def test_resend_on_a_canceled_order_is_a_message_not_a_crash(
    manager, ready, hub_manager, demo
):
    placed = place(ready, hub_manager, demo)
    services.cancel_order(
        order=placed, actor=hub_manager, expected_version=placed.version
    )
    emails_before = OutboundEmail.objects.count()

    response = manager.post(f"/orders/{placed.number}/emails/resend/", follow=True)

    assert response.status_code == 200
    assert OutboundEmail.objects.count() == emails_before
    assert 'class="message error"' in response.content.decode()


def test_send_again_on_a_sent_email_is_a_message_not_a_crash(
    manager, ready, hub_manager, demo
):
    placed = place(ready, hub_manager, demo)
    email = OutboundEmail.objects.filter(order=placed).first()
    email.state = OutboundEmail.State.SENT
    email.save(update_fields=["state"])

    response = manager.post(
        f"/orders/{placed.number}/emails/retry/", {"email": email.pk}, follow=True
    )

    assert response.status_code == 200
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    assert 'class="message error"' in response.content.decode()
