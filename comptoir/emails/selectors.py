"""Reads of the outbox for the order pages."""

from django.db.models import QuerySet

from .models import OutboundEmail


def emails_for_order(order) -> QuerySet[OutboundEmail]:
    """Return an order's messages, newest first, for its e-mails panel."""
    return OutboundEmail.objects.filter(order=order).order_by("-created_at", "-id")


def has_unsent_emails(order) -> bool:
    """Tell whether a message of the order has not left (queued or failed)."""
    return (
        OutboundEmail.objects.filter(order=order)
        .exclude(state=OutboundEmail.State.SENT)
        .exists()
    )
