from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from comptoir.core.admin import ReferenceDataAdmin, ScopedAdmin

from .models import (
    PREFERENCE_LABELS,
    EnterpriseFee,
    PaymentMethod,
    ShippingMethod,
    TaxCategory,
    TaxRate,
    Zone,
)

PREFERENCE_HELP = _(
    "One value per line, as name: value. Names: %(names)s. "
    "Example for a flat rate: amount: 2.50"
) % {"names": ", ".join(PREFERENCE_LABELS)}


class PreferencesField(forms.CharField):
    """Edit calculator preferences as "name: value" lines."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{key}: {amount}" for key, amount in value.items())
        return value

    def to_python(self, value):
        text = super().to_python(value)
        preferences = {}
        for raw_line in text.splitlines():
            if not raw_line.strip():
                continue
            key, sep, amount = raw_line.partition(":")
            if not sep:
                raise forms.ValidationError(
                    _("Write each preference as name: value."), code="format"
                )
            preferences[key.strip()] = amount.strip()
        return preferences


class CalculatedForm(forms.ModelForm):
    preferences = PreferencesField(
        label=_("calculator preferences"), required=False, help_text=PREFERENCE_HELP
    )


@admin.register(Zone)
class ZoneAdmin(ReferenceDataAdmin):
    list_display = ["name", "countries"]


class TaxRateInline(admin.TabularInline):
    model = TaxRate
    extra = 0


@admin.register(TaxCategory)
class TaxCategoryAdmin(ReferenceDataAdmin):
    list_display = ["name", "description"]
    inlines = [TaxRateInline]


@admin.register(EnterpriseFee)
class EnterpriseFeeAdmin(ScopedAdmin):
    form = CalculatedForm
    list_display = ["name", "enterprise", "fee_type", "calculator"]
    list_filter = ["fee_type", "calculator"]
    search_fields = ["name", "enterprise__name"]
    open_choices = ("tax_category",)


@admin.register(ShippingMethod)
class ShippingMethodAdmin(ScopedAdmin):
    form = CalculatedForm
    list_display = ["name", "kind", "calculator", "back_office_only", "active"]
    list_filter = ["kind", "active", "back_office_only"]
    filter_horizontal = ["hubs"]
    open_choices = ("tax_category",)


@admin.register(PaymentMethod)
class PaymentMethodAdmin(ScopedAdmin):
    form = CalculatedForm
    list_display = ["name", "kind", "calculator", "back_office_only", "active"]
    list_filter = ["kind", "active", "back_office_only"]
    filter_horizontal = ["hubs"]
