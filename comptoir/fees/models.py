from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from comptoir.pricing.calculators import (
    FEE_KINDS,
    METHOD_KINDS,
    PER_ORDER_KINDS,
    Calculator,
    CalculatorKind,
    PreferenceError,
    validate_preferences,
)

CALCULATOR_CHOICES = [
    (CalculatorKind.FLAT_RATE.value, _("Flat rate (per order)")),
    (CalculatorKind.FLAT_RATE_PER_ITEM.value, _("Flat rate (per item)")),
    (CalculatorKind.FLAT_PERCENT_PER_ITEM.value, _("Flat percent (per item)")),
    (CalculatorKind.FLAT_PERCENT_ITEM_TOTAL.value, _("Flat percent of item total")),
    (CalculatorKind.FLEXIBLE_RATE.value, _("Flexible rate")),
    (CalculatorKind.PRICE_SACK.value, _("Price sack")),
    (CalculatorKind.WEIGHT.value, _("Weight (per kg)")),
    (CalculatorKind.NONE.value, _("None")),
]

PREFERENCE_LABELS = {
    "amount": _("amount"),
    "percent": _("percent"),
    "first_item": _("first item"),
    "additional_item": _("additional item"),
    "max_items": _("max items"),
    "minimal_amount": _("minimal amount"),
    "normal_amount": _("normal amount"),
    "discount_amount": _("discount amount"),
    "per_kg": _("amount per kg"),
}

PREFERENCE_ERRORS = {
    "required": _("%(name)s is required for this calculator."),
    "invalid": _("%(name)s must be a number."),
    "negative": _("%(name)s cannot be negative."),
    "not_integer": _("%(name)s must be a whole number."),
}


class Zone(models.Model):
    """A set of countries that tax rates apply to."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    countries = models.JSONField(
        _("countries"), default=list, help_text=_("ISO codes, such as FR, BE.")
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxCategory(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tax category")
        verbose_name_plural = _("tax categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxRate(models.Model):
    category = models.ForeignKey(
        TaxCategory,
        verbose_name=_("tax category"),
        on_delete=models.CASCADE,
        related_name="rates",
    )
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=100)
    amount = models.DecimalField(
        _("rate"),
        max_digits=6,
        decimal_places=5,
        help_text=_("As a fraction: 0.055 for 5.5 %."),
    )
    included_in_price = models.BooleanField(_("included in price"), default=True)

    class Meta:
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lt=1),
                name="taxrate_amount_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalculatedModel(models.Model):
    """Fields shared by everything priced by a calculator."""

    ALLOWED_KINDS: frozenset[CalculatorKind] = frozenset(CalculatorKind)

    calculator = models.CharField(
        _("calculator"), max_length=32, choices=CALCULATOR_CHOICES, default="none"
    )
    preferences = models.JSONField(
        _("calculator preferences"), default=dict, blank=True
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        kind = CalculatorKind(self.calculator)
        if kind not in self.ALLOWED_KINDS:
            raise ValidationError(
                {"calculator": _("This calculator cannot be used here.")},
                code="calculator_not_allowed",
            )
        self.preferences = clean_preferences(kind, self.preferences or {})

    def get_calculator(self) -> Calculator:
        kind = CalculatorKind(self.calculator)
        values = {key: Decimal(str(value)) for key, value in self.preferences.items()}
        return Calculator(kind=kind, preferences=values)


def clean_preferences(kind: CalculatorKind, raw: dict) -> dict[str, str]:
    """Validate a calculator's preferences; store them as decimal strings."""
    try:
        values = validate_preferences(kind, raw)
    except PreferenceError as error:
        name = PREFERENCE_LABELS.get(error.key, error.key)
        message = PREFERENCE_ERRORS.get(error.code, PREFERENCE_ERRORS["invalid"])
        raise ValidationError(
            {"preferences": message % {"name": str(name).capitalize()}},
            code=error.code,
        ) from error
    return {key: str(value) for key, value in values.items()}


class EnterpriseFee(CalculatedModel):
    """A margin (marge) an enterprise takes in order cycles."""

    ALLOWED_KINDS = FEE_KINDS

    class FeeType(models.TextChoices):
        ADMIN = "admin", _("Admin")
        PACKING = "packing", _("Packing")
        TRANSPORT = "transport", _("Transport")
        SALES = "sales", _("Sales")
        FUNDRAISING = "fundraising", _("Fundraising")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="fees",
    )
    name = models.CharField(_("name"), max_length=120)
    fee_type = models.CharField(_("fee type"), max_length=20, choices=FeeType.choices)
    tax_category = models.ForeignKey(
        TaxCategory,
        verbose_name=_("tax category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    inherits_tax_category = models.BooleanField(
        _("inherit tax category from product"), default=False
    )

    class Meta:
        verbose_name = _("enterprise fee")
        verbose_name_plural = _("enterprise fees")
        ordering = ["enterprise__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name"], name="enterprisefee_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(inherits_tax_category=False)
                # Sorted: a set iterates in a different order in each process.
                | ~Q(calculator__in=sorted(kind.value for kind in PER_ORDER_KINDS)),
                name="enterprisefee_inherit_per_item_only",
                violation_error_message=_(
                    "Only a per-item calculator can inherit the product's tax category."
                ),
            ),
            models.CheckConstraint(
                condition=Q(inherits_tax_category=False) | Q(tax_category__isnull=True),
                name="enterprisefee_inherit_or_category",
                violation_error_message=_(
                    "Choose a tax category or inherit the product's, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.enterprise})"

    def clean(self) -> None:
        super().clean()
        if (
            self.inherits_tax_category
            and CalculatorKind(self.calculator) in PER_ORDER_KINDS
        ):
            raise ValidationError(
                {
                    "inherits_tax_category": _(
                        "Only a per-item calculator can inherit the product's "
                        "tax category."
                    )
                },
                code="inherit_per_order",
            )


class HubMethod(CalculatedModel):
    """What shipping and payment methods share: a hub's priced choice."""

    ALLOWED_KINDS = METHOD_KINDS

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    back_office_only = models.BooleanField(_("back office only"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ShippingMethod(HubMethod):
    class Kind(models.TextChoices):
        PICKUP = "pickup", _("Pickup")
        DELIVERY = "delivery", _("Delivery")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    tax_category = models.ForeignKey(
        TaxCategory,
        verbose_name=_("tax category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    hubs = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("hubs"),
        related_name="shipping_methods",
    )

    class Meta(HubMethod.Meta):
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")

    @property
    def delivers(self) -> bool:
        return self.kind == self.Kind.DELIVERY


class PaymentMethod(HubMethod):
    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        CHECK = "check", _("Cheque")
        TRANSFER = "transfer", _("Bank transfer")
        CARD = "card", _("Card")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    hubs = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("hubs"),
        related_name="payment_methods",
    )

    class Meta(HubMethod.Meta):
        verbose_name = _("payment method")
        verbose_name_plural = _("payment methods")
