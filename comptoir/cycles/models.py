from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrderCycle(models.Model):
    """A time-boxed sale (cycle de vente) run by a coordinator."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        UPCOMING = "upcoming", _("upcoming")
        CLOSED = "closed", _("closed")

    name = models.CharField(_("name"), max_length=120)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    coordinator = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        related_name="coordinated_cycles",
    )
    coordinator_fees = models.ManyToManyField(
        "fees.EnterpriseFee",
        verbose_name=_("coordinator fees"),
        blank=True,
        related_name="coordinated_cycles",
    )

    class Meta:
        verbose_name = _("order cycle")
        verbose_name_plural = _("order cycles")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="cycle_closes_after_opening",
                violation_error_message=_("A cycle must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def status_at(self, moment) -> str:
        if moment < self.opens_at:
            return self.Status.UPCOMING
        if moment >= self.closes_at:
            return self.Status.CLOSED
        return self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class Exchange(models.Model):
    """Goods moving into a cycle (incoming) or out to a distributor (outgoing)."""

    order_cycle = models.ForeignKey(
        OrderCycle,
        verbose_name=_("order cycle"),
        on_delete=models.CASCADE,
        related_name="exchanges",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="exchanges",
        help_text=_("The supplier for incoming goods, the distributor for outgoing."),
    )
    incoming = models.BooleanField(_("incoming"))
    variants = models.ManyToManyField(
        "catalogue.Variant", verbose_name=_("variants"), blank=True
    )
    fees = models.ManyToManyField(
        "fees.EnterpriseFee",
        verbose_name=_("fees"),
        blank=True,
        related_name="exchanges",
    )
    pickup_time = models.CharField(_("pickup time"), max_length=120, blank=True)
    pickup_instructions = models.TextField(_("pickup instructions"), blank=True)

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        constraints = [
            models.UniqueConstraint(
                fields=["order_cycle", "enterprise", "incoming"],
                name="exchange_unique_direction",
            ),
        ]

    def __str__(self) -> str:
        direction = _("incoming") if self.incoming else _("outgoing")
        return f"{self.order_cycle} – {self.enterprise} ({direction})"

    def clean(self) -> None:
        super().clean()
        if self.enterprise_id and not self.incoming and not self.enterprise.is_hub:
            raise ValidationError(
                {"enterprise": _("Goods can only go out to a hub.")}, code="not_hub"
            )
