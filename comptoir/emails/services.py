"""Write and deliver e-mails: the outbox.

A message is first a row, written in the transaction of the action that
causes it (placing or canceling an order), so it exists exactly when the
action does. Delivery is a task enqueued after commit; it locks the row, sends
through Django's e-mail backend, and records the outcome. A failure keeps the
message "failed" with the reason and schedules a retry with growing delays;
`send_due_emails` (the `send_queued_emails` command) picks up anything whose
task was lost.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import partial
from typing import TYPE_CHECKING

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .compose import (
    EmailParts,
    order_language,
    order_summary,
    render_parts,
    sender_for,
)
from .errors import EmailError
from .models import OutboundEmail

if TYPE_CHECKING:
    from comptoir.accounts.models import User
    from comptoir.orders.models import Order

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th
# failure ends the automatic retries and leaves "Send again" to the manager.
RETRY_DELAYS_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = 5
ERROR_MAX_LENGTH = 1000


class Outcome:
    SENT = "sent"
    FAILED = "failed"
    ALREADY_SENT = "already_sent"
    NOT_DUE = "not_due"
    MISSING = "missing"


def send_order_confirmation(*, order: Order, actor: User | None) -> list[OutboundEmail]:
    """Queue the buyer's confirmation and the hub's copy of a placed order."""
    from comptoir.orders.models import OrderEvent

    require_buyer_email(order)
    hub = order.distributor
    context = order_summary(order)
    language = order_language(order)
    with transaction.atomic():
        emails = [
            queue_email(
                order=order,
                actor=actor,
                kind=OutboundEmail.Kind.CONFIRMATION,
                to=[order.email],
                reply_to=[hub.email] if hub.email else [],
                parts=render_parts(
                    template="confirmation", context=context, language=language
                ),
            )
        ]
        if hub.email:
            emails.append(
                queue_email(
                    order=order,
                    actor=actor,
                    kind=OutboundEmail.Kind.HUB_COPY,
                    to=[hub.email],
                    reply_to=[order.email],
                    parts=render_parts(
                        template="hub_copy", context=context, language=language
                    ),
                )
            )
        else:
            # Nobody to copy: say so in the order's history rather than
            # leaving the hub to wonder why its copy never came.
            OrderEvent.objects.create(
                order=order,
                actor=actor,
                at=timezone.now(),
                kind="email_skipped",
                data={
                    "email_kind": OutboundEmail.Kind.HUB_COPY.value,
                    "reason": "hub_without_email",
                },
            )
    return emails


def resend_order_confirmation(*, order: Order, actor: User | None) -> OutboundEmail:
    """Queue the buyer's confirmation again, its subject marked as a resend."""
    from comptoir.orders.models import Order as OrderModel

    if order.state != OrderModel.State.COMPLETE:
        raise EmailError(_("Only a placed order can have its confirmation sent."))
    require_buyer_email(order)
    hub = order.distributor
    parts = render_parts(
        template="resend", context=order_summary(order), language=order_language(order)
    )
    return queue_email(
        order=order,
        actor=actor,
        kind=OutboundEmail.Kind.RESEND,
        to=[order.email],
        reply_to=[hub.email] if hub.email else [],
        parts=parts,
    )


def send_cancellation(*, order: Order, actor: User | None) -> OutboundEmail | None:
    """Queue the buyer's notice that their order was canceled.

    An order with no e-mail address (a draft dropped before the buyer's
    details were taken) has nobody to tell: nothing is queued.
    """
    if not order.email:
        return None
    hub = order.distributor
    parts = render_parts(
        template="cancellation",
        context=order_summary(order),
        language=order_language(order),
    )
    return queue_email(
        order=order,
        actor=actor,
        kind=OutboundEmail.Kind.CANCELLATION,
        to=[order.email],
        reply_to=[hub.email] if hub.email else [],
        parts=parts,
    )


def retry_email(*, email: OutboundEmail, actor: User | None) -> OutboundEmail:
    """Queue a message that was not sent for delivery now ("Send again")."""
    now = timezone.now()
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email.pk)
        if email.is_sent:
            raise EmailError(_("This e-mail was already sent."))
        email.state = OutboundEmail.State.QUEUED
        email.next_attempt_at = now
        email.save(update_fields=["state", "next_attempt_at"])
        record_event(
            email,
            kind="email_queued",
            actor=actor,
            at=now,
            data={"retry": True, "attempts": email.attempts},
        )
        transaction.on_commit(partial(enqueue_delivery, email_id=email.pk))
    return email


def queue_email(
    *,
    order: Order | None,
    actor: User | None,
    kind: str,
    to: list[str],
    reply_to: list[str],
    parts: EmailParts,
    cc: list[str] | None = None,
) -> OutboundEmail:
    """Store one message and deliver it once the caller's transaction commits."""
    now = timezone.now()
    with transaction.atomic():
        email = OutboundEmail.objects.create(
            order=order,
            kind=kind,
            from_email=sender_for(order.distributor) if order is not None else "",
            to=to,
            cc=cc or [],
            reply_to=reply_to,
            subject=parts.subject,
            body_text=parts.body_text,
            body_html=parts.body_html,
            language=parts.language,
            next_attempt_at=now,
            created_by=actor,
        )
        record_event(email, kind="email_queued", actor=actor, at=now)
        transaction.on_commit(partial(enqueue_delivery, email_id=email.pk))
    return email


def enqueue_delivery(*, email_id: int, run_after: datetime | None = None) -> None:
    """Hand a message to the task queue; never raise into the caller.

    When this fails (the queue's table is unreachable, say), the message stays
    queued in the outbox and `send_queued_emails` delivers it later.
    """
    from .tasks import send_outbound_email

    try:
        task = send_outbound_email
        if run_after is not None:
            if not task.get_backend().supports_defer:
                # The immediate backend cannot wait: the sweep retries instead.
                logger.info("E-mail %s: retry left to send_queued_emails", email_id)
                return
            task = task.using(run_after=run_after)
        task.enqueue(email_id)
    except Exception:
        logger.exception("Could not queue delivery of e-mail %s", email_id)


def deliver_email(*, email_id: int, now: datetime | None = None) -> str:
    """Send one message if it is due and not sent yet; record what happened.

    The row stays locked while the message is handed to the mail server, so
    two workers (or a worker and the sweep) can never both send it. On
    SQLite that lock is the whole database's write lock: a slow server holds
    other writers for up to EMAIL_TIMEOUT, which they wait out (busy timeout).
    """
    now = now or timezone.now()
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return Outcome.MISSING
        if email.is_sent:
            return Outcome.ALREADY_SENT
        if email.next_attempt_at is None or email.next_attempt_at > now:
            return Outcome.NOT_DUE
        email.attempts += 1
        try:
            build_message(email).send()
        except Exception as error:
            logger.exception(
                "E-mail %s not delivered (attempt %s)", email.pk, email.attempts
            )
            record_failure(email, error=error, now=now)
            outcome = Outcome.FAILED
        else:
            record_success(email, now=now)
            outcome = Outcome.SENT
    if outcome == Outcome.FAILED and email.next_attempt_at is not None:
        transaction.on_commit(
            partial(
                enqueue_delivery, email_id=email.pk, run_after=email.next_attempt_at
            )
        )
    return outcome


def send_due_emails(*, now: datetime | None = None, limit: int = 500) -> Counter:
    """Deliver every queued or failed message whose attempt is due.

    This is the safety net for tasks that were lost (a worker's database
    wiped, a crash between commit and enqueue); delivery stays exactly-once
    because each message is locked and re-checked before it is sent.
    """
    now = now or timezone.now()
    due_ids = list(
        OutboundEmail.objects.filter(
            state__in=[OutboundEmail.State.QUEUED, OutboundEmail.State.FAILED],
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return Counter(deliver_email(email_id=email_id) for email_id in due_ids)


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    _name, sender = parseaddr(email.from_email)
    domain = sender.rpartition("@")[2] or "comptoir.invalid"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email or None,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        # A stable id lets mail servers drop a copy if a crash between the
        # SMTP hand-over and our commit ever makes us send it twice.
        headers={"Message-ID": f"<outbox-{email.pk}@{domain}>"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def record_success(email: OutboundEmail, *, now: datetime) -> None:
    email.state = OutboundEmail.State.SENT
    email.sent_at = now
    email.next_attempt_at = None
    email.save(update_fields=["state", "sent_at", "next_attempt_at", "attempts"])
    record_event(
        email, kind="email_sent", actor=None, at=now, data={"attempts": email.attempts}
    )


def record_failure(email: OutboundEmail, *, error: Exception, now: datetime) -> None:
    email.state = OutboundEmail.State.FAILED
    email.last_error = describe_error(error)
    email.next_attempt_at = next_attempt_after(email.attempts, now=now)
    email.save(update_fields=["state", "last_error", "next_attempt_at", "attempts"])
    record_event(
        email,
        kind="email_failed",
        actor=None,
        at=now,
        data={
            "attempts": email.attempts,
            "error": email.last_error,
            "next_attempt_at": email.next_attempt_at.isoformat()
            if email.next_attempt_at
            else None,
        },
    )


def next_attempt_after(attempts: int, *, now: datetime) -> datetime | None:
    """Return when to try again after `attempts` failures; None when done."""
    if attempts >= MAX_ATTEMPTS:
        return None
    delay = RETRY_DELAYS_MINUTES[min(attempts, len(RETRY_DELAYS_MINUTES)) - 1]
    return now + timedelta(minutes=delay)


def describe_error(error: Exception) -> str:
    text = f"{type(error).__name__}: {error}".strip()
    return text[:ERROR_MAX_LENGTH]


def record_event(
    email: OutboundEmail,
    *,
    kind: str,
    actor: User | None,
    at: datetime,
    data: dict | None = None,
) -> None:
    """Write the message's step into its order's history."""
    if email.order_id is None:
        return
    from comptoir.orders.models import OrderEvent

    OrderEvent.objects.create(
        order_id=email.order_id,
        actor=actor,
        at=at,
        kind=kind,
        data={
            "email": email.pk,
            "email_kind": email.kind,
            "to": email.to,
            **(data or {}),
        },
    )


def require_buyer_email(order: Order) -> None:
    if not order.email:
        raise EmailError(
            _("This order has no e-mail address to send to."), field="email"
        )
