from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """One message in the outbox: stored first, delivered by a task after commit.

    The row is the truth about a message: what was said, to whom, and whether
    it left. A message is never deleted when delivery fails; it stays "failed"
    with the reason until a retry delivers it.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("order confirmation")
        HUB_COPY = "hub_copy", _("copy to the hub")
        RESEND = "resend", _("confirmation sent again")
        CANCELLATION = "cancellation", _("cancellation")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("not sent")

    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # When the next delivery may be tried; None once sent, or once the
    # automatic retries are used up (a manager can still send it again).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep looks for due messages that have not left yet.
            models.Index(fields=["state", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {', '.join(self.to)}"

    @property
    def is_sent(self) -> bool:
        return self.state == self.State.SENT

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc]
