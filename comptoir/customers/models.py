from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Address(models.Model):
    """A postal address; orders copy theirs so history stays true."""

    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address1 = models.CharField(_("address"), max_length=200, blank=True)
    address2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    zipcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR")

    FIELDS = (
        "first_name",
        "last_name",
        "phone",
        "address1",
        "address2",
        "zipcode",
        "city",
        "country",
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return ", ".join(self.lines) or "—"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def lines(self) -> list[str]:
        town = f"{self.zipcode} {self.city}".strip()
        return [part for part in (self.address1, self.address2, town) if part]

    @property
    def is_complete(self) -> bool:
        return bool(self.address1 and self.zipcode and self.city and self.country)

    def as_dict(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in self.FIELDS}

    def copy(self) -> "Address":
        return Address(**self.as_dict())


class Customer(models.Model):
    """A buyer of one hub."""

    hub = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="customers",
    )
    email = models.EmailField(_("e-mail"))
    code = models.CharField(_("code"), max_length=40, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("", _("Not set")), ("fr", _("French")), ("en", _("English"))],
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    bill_address = models.ForeignKey(
        Address,
        verbose_name=_("billing address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ship_address = models.ForeignKey(
        Address,
        verbose_name=_("shipping address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "email"],
                name="customer_email_unique_per_hub",
                violation_error_message=_(
                    "This hub already has a customer with this e-mail."
                ),
            ),
            models.UniqueConstraint(
                fields=["hub", "code"],
                condition=~Q(code=""),
                name="customer_code_unique_per_hub",
                violation_error_message=_(
                    "This hub already has a customer with this code."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args, **kwargs):
        # E-mails are compared case-blind; the unique constraint needs one form.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
