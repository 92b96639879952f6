from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Product(models.Model):
    class UnitKind(models.TextChoices):
        WEIGHT = "weight", _("Weight")
        VOLUME = "volume", _("Volume")
        ITEMS = "items", _("Items")

    producer = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    unit_kind = models.CharField(
        _("unit kind"), max_length=10, choices=UnitKind.choices
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Variant(models.Model):
    """What is sold: a product in one unit, with its price and stock."""

    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="variants",
    )
    # Repeated from the product so that the SKU can be unique per producer in
    # the database itself; kept equal to product.producer by clean().
    producer = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="variants",
    )
    sku = models.CharField(_("SKU"), max_length=40)
    unit_value = models.DecimalField(
        _("unit value"),
        max_digits=10,
        decimal_places=3,
        help_text=_("In grams, millilitres or items, by the product's unit kind."),
    )
    display = models.CharField(
        _("unit shown"), max_length=60, help_text=_("For example 1 kg, 4 × 125 g.")
    )
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    on_demand = models.BooleanField(_("on demand"), default=False)
    stock = models.IntegerField(_("stock"), default=0)
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
    # Lower-cased, accent-free "product producer sku" for prefix search.
    search_text = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["product__name", "unit_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "sku"],
                name="variant_sku_unique_per_producer",
                violation_error_message=_("This producer already has this SKU."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="variant_price_not_negative",
                violation_error_message=_("A price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(on_demand=True) | Q(stock__gte=0),
                name="variant_stock_not_negative",
                violation_error_message=_(
                    "Stock cannot be negative unless the variant is on demand."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} – {self.display}"

    def clean(self) -> None:
        super().clean()
        if self.product_id and self.producer_id != self.product.producer_id:
            raise ValidationError(
                {"producer": _("The producer must be the product's producer.")}
            )

    def save(self, *args, **kwargs):
        # Derived search key only; no business rule lives here.
        from comptoir.core.text import search_key

        if self.product_id:
            self.producer_id = self.product.producer_id
            self.search_text = search_key(
                f"{self.product.name} {self.product.producer.name} {self.sku}"
            )
        super().save(*args, **kwargs)


class VariantOverride(models.Model):
    """A hub's own price and stock for a variant."""

    hub = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="variant_overrides",
    )
    variant = models.ForeignKey(
        Variant,
        verbose_name=_("variant"),
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    stock = models.IntegerField(_("stock"), null=True, blank=True)
    on_demand = models.BooleanField(_("on demand"), null=True, blank=True)

    class Meta:
        verbose_name = _("variant override")
        verbose_name_plural = _("variant overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "variant"],
                name="override_unique_per_hub",
                violation_error_message=_("This hub already overrides this variant."),
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="override_price_not_negative",
                violation_error_message=_("A price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(on_demand=True) | Q(stock__isnull=True) | Q(stock__gte=0),
                name="override_stock_not_negative",
                violation_error_message=_(
                    "Stock cannot be negative unless the variant is on demand."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} @ {self.hub}"
