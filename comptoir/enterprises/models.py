from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enterprise(models.Model):
    """A producer, a hub (distributor), or both."""

    class Kind(models.TextChoices):
        PRODUCER = "producer", _("Producer")
        HUB = "hub", _("Hub")
        BOTH = "both", _("Producer and hub")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("code"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    address1 = models.CharField(_("address"), max_length=200, blank=True)
    address2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    zipcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR")
    charges_sales_tax = models.BooleanField(_("charges sales tax"), default=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        related_name="enterprises",
        blank=True,
    )

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_hub(self) -> bool:
        return self.kind in (self.Kind.HUB, self.Kind.BOTH)

    @property
    def is_producer(self) -> bool:
        return self.kind in (self.Kind.PRODUCER, self.Kind.BOTH)

    @property
    def address_lines(self) -> list[str]:
        town = f"{self.zipcode} {self.city}".strip()
        return [part for part in (self.address1, self.address2, town) if part]
