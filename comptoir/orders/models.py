from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")


def money_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, default=ZERO, **kwargs
    )


class Order(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        COMPLETE = "complete", _("complete")
        CANCELED = "canceled", _("canceled")

    class PaymentState(models.TextChoices):
        BALANCE_DUE = "balance_due", _("balance due")
        PAID = "paid", _("paid")
        CREDIT_OWED = "credit_owed", _("credit owed")
        VOID = "void", _("void")

    class ShipmentState(models.TextChoices):
        PENDING = "pending", _("pending")
        READY = "ready", _("ready")
        SHIPPED = "shipped", _("shipped")

    class Source(models.TextChoices):
        MANAGER = "manager", _("manager")
        IMPORT = "import", _("import")
        API = "api", _("API")

    number = models.CharField(_("number"), max_length=20, unique=True)
    distributor = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("distributor"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    order_cycle = models.ForeignKey(
        "cycles.OrderCycle",
        verbose_name=_("order cycle"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    bill_address = models.ForeignKey(
        "customers.Address",
        verbose_name=_("billing address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ship_address = models.ForeignKey(
        "customers.Address",
        verbose_name=_("shipping address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    shipping_method = models.ForeignKey(
        "fees.ShippingMethod",
        verbose_name=_("shipping method"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    payment_method = models.ForeignKey(
        "fees.PaymentMethod",
        verbose_name=_("payment method"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT
    )
    payment_state = models.CharField(
        _("payment state"),
        max_length=12,
        choices=PaymentState.choices,
        default=PaymentState.BALANCE_DUE,
    )
    shipment_state = models.CharField(
        _("shipment state"),
        max_length=12,
        choices=ShipmentState.choices,
        default=ShipmentState.PENDING,
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.MANAGER
    )
    external_platform = models.CharField(_("platform"), max_length=80, blank=True)
    external_reference = models.CharField(
        _("external reference"), max_length=120, blank=True
    )
    is_guest = models.BooleanField(_("guest order"), default=False)
    is_late = models.BooleanField(_("late order"), default=False)
    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    locale = models.CharField(_("language"), max_length=8, default="fr")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    internal_note = models.TextField(_("internal note"), blank=True)
    customer_note = models.TextField(_("customer note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    # Written by the recalculation service only, in the same transaction as
    # the adjustments they sum, so lists and reports need no re-pricing.
    item_total = money_field(_("item total"))
    fee_total = money_field(_("fees"))
    shipping_total = money_field(_("shipping"))
    payment_fee_total = money_field(_("payment fee"))
    adjustment_total = money_field(_("adjustments"))
    included_tax_total = money_field(_("tax included"))
    additional_tax_total = money_field(_("tax added"))
    total = money_field(_("total"))
    payment_total = money_field(_("paid"))

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["distributor", "-created_at"]),
            models.Index(fields=["order_cycle", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["distributor", "external_platform", "external_reference"],
                condition=~Q(external_reference=""),
                name="order_external_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def balance(self) -> Decimal:
        return self.total - self.payment_total

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def buyer_name(self) -> str:
        address = self.bill_address
        if address is not None and address.full_name:
            return address.full_name
        customer = self.customer
        return customer.full_name if customer is not None else ""


class Line(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    variant = models.ForeignKey(
        "catalogue.Variant",
        verbose_name=_("variant"),
        on_delete=models.PROTECT,
        related_name="order_lines",
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    product_name = models.CharField(_("product"), max_length=150)
    unit_display = models.CharField(_("unit"), max_length=60)
    producer_name = models.CharField(_("producer"), max_length=120)
    sku = models.CharField(_("SKU"), max_length=40)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    tax_category = models.ForeignKey(
        "fees.TaxCategory",
        verbose_name=_("tax category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # Set by recalculation: this line's per-item fees, shown beside it.
    fee_total = money_field(_("fees"))
    # Units taken from the hub's stock for this line: none while the order is
    # a draft or for a variant on demand. A cancel gives back exactly these.
    stock_taken = models.PositiveIntegerField(_("taken from stock"), default=0)

    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "variant"], name="line_unique_variant"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=9999),
                name="line_quantity_range",
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="line_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name} {self.unit_display}"

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def total_with_fees(self) -> Decimal:
        return self.amount + self.fee_total


class Adjustment(models.Model):
    """A typed money row on an order or on one of its lines."""

    class Kind(models.TextChoices):
        FEE = "enterprise_fee", _("enterprise fee")
        SHIPPING = "shipping", _("shipping")
        PAYMENT = "payment_fee", _("payment fee")
        TAX = "tax", _("tax")
        MANUAL = "manual", _("manual")

    class Role(models.TextChoices):
        SUPPLIER = "supplier", _("supplier")
        DISTRIBUTOR = "distributor", _("distributor")
        COORDINATOR = "coordinator", _("coordinator")

    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="adjustments",
    )
    line = models.ForeignKey(
        Line,
        verbose_name=_("line"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adjustments",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("description"), max_length=255)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    tax_category = models.ForeignKey(
        "fees.TaxCategory",
        verbose_name=_("tax category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # For a tax row: whether it is included in prices. For other rows: whether
    # the tax computed on them (tax_amount) is included in their amount.
    included = models.BooleanField(_("tax included"), default=True)
    tax_amount = models.DecimalField(
        _("tax"), max_digits=12, decimal_places=2, default=ZERO
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    fee = models.ForeignKey(
        "fees.EnterpriseFee",
        verbose_name=_("fee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    fee_type = models.CharField(_("fee type"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class Payment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        COMPLETED = "completed", _("completed")
        VOID = "void", _("void")
        FAILED = "failed", _("failed")

    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="payments",
    )
    method = models.ForeignKey(
        "fees.PaymentMethod", verbose_name=_("payment method"), on_delete=models.PROTECT
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.method}: {self.amount}"


class OrderEvent(models.Model):
    """One entry of an order's history."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("event"), max_length=40)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "at"])]

    def __str__(self) -> str:
        return f"{self.order} {self.kind}"
