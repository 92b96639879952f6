"""Delivery that survives a mail server that is down: retries, exactly once."""

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comptoir.emails.models import OutboundEmail
from comptoir.emails.services import (
    Outcome,
    deliver_email,
    next_attempt_after,
    send_order_confirmation,
)
from comptoir.orders.models import Order, OrderEvent

from .conftest import let_time_pass, run_worker

pytestmark = [pytest.mark.smtp, pytest.mark.django_db(transaction=True)]


def place(make_order, world, **kwargs):
    with transaction.atomic():
        order = make_order(**kwargs)
        send_order_confirmation(order=order, actor=world.manager)
    return order


def test_db_worker_delivers_queued_confirmation(
    smtp_server, database_tasks, make_order, world
):
    # Given an order placed with the database task backend
    place(make_order, world)

    # Then nothing leaves during the request: two tasks wait for the worker
    assert smtp_server.inbox.envelopes == []
    assert DBTaskResult.objects.ready().count() == 2
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {"queued"}

    # When the worker runs
    run_worker()

    # Then both messages are delivered and recorded as sent
    assert len(smtp_server.inbox.envelopes) == 2
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {"sent"}
    assert DBTaskResult.objects.ready().count() == 0
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_order_placed_while_smtp_is_down_is_delivered_once_by_the_retry(
    stopped_smtp_server, database_tasks, make_order, world
):
    # Given a mail server that refuses connections
    # When an order is placed and the worker tries to deliver its e-mails
    order = place(make_order, world)
    before = timezone.now()
    run_worker()

    # Then the order stands and its messages are "failed" with the reason
    assert Order.objects.get(pk=order.pk).state == Order.State.COMPLETE
    confirmation = OutboundEmail.objects.get(kind="confirmation")
    assert confirmation.state == OutboundEmail.State.FAILED
    assert confirmation.attempts == 1
    assert "Connection refused" in confirmation.last_error
    # And a retry is scheduled one minute later, on the order and in the queue
    assert before + timedelta(seconds=50) < confirmation.next_attempt_at
    assert confirmation.next_attempt_at < before + timedelta(seconds=70)
    retries = DBTaskResult.objects.filter(status="READY")
    assert sorted(r.run_after for r in retries) == sorted(
        OutboundEmail.objects.values_list("next_attempt_at", flat=True)
    )
    failed_event = OrderEvent.objects.get(
        order=order, kind="email_failed", data__email=confirmation.pk
    )
    assert failed_event.data["error"] == confirmation.last_error

    # When the server comes back but the retry is not due yet
    stopped_smtp_server.start()
    run_worker()

    # Then nothing is sent early
    assert stopped_smtp_server.inbox.envelopes == []

    # When the minute has passed and the worker runs, twice
    let_time_pass(minutes=2)
    run_worker()
    run_worker()

    # Then each message is delivered exactly once
    assert [e.rcpt_tos for e in stopped_smtp_server.inbox.envelopes] == [
        ["marie.dupont@example.fr"],
        ["contact@ruche-du-quai.test"],
    ]
    confirmation.refresh_from_db()
    assert confirmation.state == OutboundEmail.State.SENT
    assert confirmation.attempts == 2
    assert confirmation.next_attempt_at is None
    # And running the delivery again sends nothing more
    assert deliver_email(email_id=confirmation.pk) == Outcome.ALREADY_SENT
    assert len(stopped_smtp_server.inbox.envelopes) == 2


def test_failing_smtp_never_raises_into_the_request(
    stopped_smtp_server, immediate_tasks, make_order, world
):
    # Given the immediate backend, which delivers inside the web request
    # When an order is placed while the mail server is down
    order = place(make_order, world)

    # Then placing returned normally and the message is "failed" with the reason
    confirmation = OutboundEmail.objects.get(order=order, kind="confirmation")
    assert confirmation.state == OutboundEmail.State.FAILED
    assert confirmation.last_error.startswith("ConnectionRefusedError")
    assert confirmation.next_attempt_at is not None

    # When the server is back and the sweep runs after the delay, twice
    stopped_smtp_server.start()
    later = confirmation.next_attempt_at + timedelta(seconds=1)
    out = io.StringIO()
    call_command("send_queued_emails", stdout=out)
    assert "sent=0" in out.getvalue()
    let_time_pass(minutes=2)
    call_command("send_queued_emails", stdout=out)
    call_command("send_queued_emails", stdout=out)

    # Then each message went out exactly once
    assert len(stopped_smtp_server.inbox.envelopes) == 2
    assert out.getvalue().splitlines()[1:] == [
        "sent=2 failed=0 skipped=0",
        "sent=0 failed=0 skipped=0",
    ]
    assert deliver_email(email_id=confirmation.pk, now=later) == "already_sent"


def test_retries_stop_after_five_attempts(
    stopped_smtp_server, immediate_tasks, make_order, world
):
    # Given a message whose first attempt failed
    order = place(make_order, world)
    email = OutboundEmail.objects.get(order=order, kind="confirmation")
    waits = []

    # When each scheduled retry fails too
    while email.next_attempt_at is not None:
        previous = email.next_attempt_at
        assert deliver_email(email_id=email.pk, now=previous) == Outcome.FAILED
        email.refresh_from_db()
        if email.next_attempt_at is not None:
            waits.append(email.next_attempt_at - previous)

    # Then it was tried 5 times, waiting 5, 15 then 60 minutes after the 1st
    # retry, and stays "failed" with no further attempt planned
    assert email.attempts == 5
    assert waits == [timedelta(minutes=m) for m in (5, 15, 60)]
    assert email.state == OutboundEmail.State.FAILED
    assert email.next_attempt_at is None
    assert deliver_email(email_id=email.pk) == Outcome.NOT_DUE
    assert (
        OrderEvent.objects.filter(kind="email_failed", data__email=email.pk).count()
        == 5
    )


def test_retry_delays_grow():
    now = timezone.now()
    assert [next_attempt_after(n, now=now) for n in range(1, 6)] == [
        now + timedelta(minutes=1),
        now + timedelta(minutes=5),
        now + timedelta(minutes=15),
        now + timedelta(minutes=60),
        None,
    ]


def test_sweep_delivers_a_message_whose_task_was_lost(
    smtp_server, database_tasks, make_order, world
):
    # Given queued messages whose tasks were lost
    place(make_order, world)
    DBTaskResult.objects.all().delete()

    # When the sweep runs
    out = io.StringIO()
    call_command("send_queued_emails", stdout=out)

    # Then the messages are delivered
    assert out.getvalue().strip() == "sent=2 failed=0 skipped=0"
    assert len(smtp_server.inbox.envelopes) == 2
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {"sent"}


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database fails a second writer at once "
    "instead of making it wait as the file database does",
)
def test_two_workers_delivering_at_once_send_once(
    smtp_server, database_tasks, make_order, world
):
    # Given a queued message and a mail server slow to accept it
    place(make_order, world)
    email = OutboundEmail.objects.get(kind="confirmation")
    smtp_server.inbox.delay = 0.3
    outcomes = []

    def deliver():
        try:
            outcomes.append(deliver_email(email_id=email.pk))
        finally:
            connection.close()

    # When two workers try to deliver it at the same moment
    workers = [threading.Thread(target=deliver) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    # Then it leaves once; the second worker finds it sent
    assert sorted(outcomes) == [Outcome.ALREADY_SENT, Outcome.SENT]
    assert len(smtp_server.inbox.envelopes) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 1)
