"""The outbox services: refusals, "Send again", and the order page's panel."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from comptoir.emails.errors import EmailError
from comptoir.emails.models import OutboundEmail
from comptoir.emails.selectors import emails_for_order
from comptoir.emails.services import (
    resend_order_confirmation,
    retry_email,
    send_cancellation,
    send_order_confirmation,
)
from comptoir.orders.models import Order, OrderEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate(immediate_tasks):
    """Deliver right after commit, through the test's in-memory mailbox."""


def confirm(order, actor, capture):
    with capture(execute=True):
        return send_order_confirmation(order=order, actor=actor)


def test_failed_message_is_sent_again_on_request(
    make_order, world, django_capture_on_commit_callbacks
):
    # Given a confirmation whose automatic retries are used up
    order = make_order()
    email = confirm(order, world.manager, django_capture_on_commit_callbacks)[0]
    OutboundEmail.objects.filter(pk=email.pk).update(
        state="failed", attempts=5, next_attempt_at=None, last_error="SMTP down"
    )
    mail.outbox.clear()

    # When the manager presses "Send again"
    with django_capture_on_commit_callbacks(execute=True):
        retry_email(email=email, actor=world.manager)

    # Then it is delivered, and the request is on the order's history
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    assert email.attempts == 6
    assert [m.to for m in mail.outbox] == [["marie.dupont@example.fr"]]
    event = OrderEvent.objects.filter(order=order, kind="email_queued").last()
    assert event.actor == world.manager
    assert event.data["retry"] is True


def test_sending_again_a_sent_message_is_refused(
    make_order, world, django_capture_on_commit_callbacks
):
    # Given a confirmation that was sent
    order = make_order()
    email = confirm(order, world.manager, django_capture_on_commit_callbacks)[0]
    email.refresh_from_db()
    events = OrderEvent.objects.filter(order=order).count()
    mail.outbox.clear()

    # When the manager asks to send it again
    with (
        translation.override("en"),
        pytest.raises(EmailError) as refusal,
        django_capture_on_commit_callbacks(execute=True),
    ):
        retry_email(email=email, actor=world.manager)

    # Then it is refused and nothing changed
    assert refusal.value.messages == ["This e-mail was already sent."]
    fresh = OutboundEmail.objects.get(pk=email.pk)
    assert (fresh.state, fresh.attempts, fresh.sent_at) == (
        "sent",
        1,
        email.sent_at,
    )
    assert OrderEvent.objects.filter(order=order).count() == events
    assert mail.outbox == []


def test_resending_a_draft_is_refused(make_order, world):
    # Given an order that was never placed
    order = make_order()
    Order.objects.filter(pk=order.pk).update(state=Order.State.DRAFT)
    order.refresh_from_db()

    # When the manager asks to resend its confirmation
    with translation.override("fr"), pytest.raises(EmailError) as refusal:
        resend_order_confirmation(order=order, actor=world.manager)

    # Then it is refused in the manager's language and nothing is written
    assert refusal.value.messages == [
        "Seule une commande validée peut recevoir son e-mail de confirmation."
    ]
    assert OutboundEmail.objects.count() == 0
    assert OrderEvent.objects.filter(order=order).count() == 0


def test_confirmation_without_an_address_is_refused(make_order, world):
    order = make_order(email="")

    with pytest.raises(EmailError) as refusal:
        send_order_confirmation(order=order, actor=world.manager)

    assert refusal.value.field == "email"
    assert OutboundEmail.objects.count() == 0
    assert OrderEvent.objects.filter(order=order).count() == 0


def test_cancellation_of_an_order_without_address_writes_nothing(make_order, world):
    order = make_order(email="")

    assert send_cancellation(order=order, actor=world.manager) is None
    assert OutboundEmail.objects.count() == 0


def test_hub_without_email_gets_no_copy(
    make_order, world, django_capture_on_commit_callbacks
):
    # Given a hub with no e-mail address
    world.hub.email = ""
    world.hub.save(update_fields=["email"])
    order = make_order()

    # When the order is confirmed
    emails = confirm(order, world.manager, django_capture_on_commit_callbacks)

    # Then only the buyer is written to, with no Reply-To
    assert [e.kind for e in emails] == ["confirmation"]
    assert [(m.to, m.reply_to) for m in mail.outbox] == [
        (["marie.dupont@example.fr"], [])
    ]
    skipped = OrderEvent.objects.get(order=order, kind="email_skipped")
    assert skipped.data == {"email_kind": "hub_copy", "reason": "hub_without_email"}


def test_console_backend_prints_and_still_records_the_message(
    settings, make_order, world, django_capture_on_commit_callbacks, capsys
):
    # Given no SMTP server configured, as in `make run`
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    # When an order is confirmed
    order = make_order()
    confirm(order, world.manager, django_capture_on_commit_callbacks)

    # Then the messages are printed and stored as sent
    printed = capsys.readouterr().out
    assert "To: marie.dupont@example.fr" in printed
    assert "Confirmation_de_commande_R900000001" in printed
    assert list(emails_for_order(order).values_list("state", flat=True)) == [
        "sent",
        "sent",
    ]


def test_queueing_failure_leaves_the_message_queued(
    monkeypatch, make_order, world, django_capture_on_commit_callbacks, caplog
):
    # Given a task queue that cannot be reached
    from comptoir.emails import tasks

    def unreachable(*args, **kwargs):
        raise ConnectionError("queue unreachable")

    # Tasks are frozen dataclasses: patch their class for this test.
    monkeypatch.setattr(type(tasks.send_outbound_email), "enqueue", unreachable)
    order = make_order()

    # When the order is confirmed, nothing raises into the caller
    confirm(order, world.manager, django_capture_on_commit_callbacks)

    # Then the messages wait, queued, for the sweep, and the failure is logged
    assert set(emails_for_order(order).values_list("state", flat=True)) == {"queued"}
    assert "Could not queue delivery of e-mail" in caplog.text


def test_emails_for_order_lists_the_order_messages_newest_first(
    make_order, world, django_capture_on_commit_callbacks
):
    order = make_order()
    other = make_order(number="R900000002")
    confirm(order, world.manager, django_capture_on_commit_callbacks)
    confirm(other, world.manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        resend_order_confirmation(order=order, actor=world.manager)

    kinds = [email.kind for email in emails_for_order(order)]

    assert kinds == ["resend", "hub_copy", "confirmation"]


def test_order_emails_panel_shows_state_reason_and_send_again(make_order, world):
    # Given a sent confirmation and a failed hub copy whose reason has markup
    order = make_order()
    now = timezone.now()
    sent = OutboundEmail.objects.create(
        order=order,
        kind="confirmation",
        to=["marie.dupont@example.fr"],
        subject="Confirmation",
        body_text="x",
        language="fr",
        state="sent",
        attempts=1,
        sent_at=now,
    )
    failed = OutboundEmail.objects.create(
        order=order,
        kind="hub_copy",
        to=["contact@ruche-du-quai.test"],
        subject="Nouvelle commande",
        body_text="x",
        language="fr",
        state="failed",
        attempts=2,
        last_error="SMTPRecipientsRefused: <b>refused</b>",
        next_attempt_at=now,
    )

    # When the panel is drawn in French
    with translation.override("fr"):
        html = render_to_string(
            "emails/order_emails.html",
            {
                "emails": emails_for_order(order),
                "email_retry_url": "/orders/R900000001/emails/retry/",
            },
        )

    # Then each message shows its state; only the failed one offers a retry
    assert '<span class="badge sent">Envoyé</span>' in html
    assert '<span class="badge failed">Non envoyé</span>' in html
    assert "2 tentatives" in html
    assert "Non envoyé : SMTPRecipientsRefused: &lt;b&gt;refused&lt;/b&gt;" in html
    assert html.count('action="/orders/R900000001/emails/retry/"') == 1
    assert f'<input type="hidden" name="email" value="{failed.pk}">' in html
    assert f'value="{sent.pk}"' not in html
    assert "Envoyer à nouveau" in html
