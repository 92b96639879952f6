from django.contrib import admin

from comptoir.core.admin import ScopedAdmin, ScopedInline

from .models import Product, Variant, VariantOverride


class VariantInline(ScopedInline):
    model = Variant
    fields = [
        "sku",
        "display",
        "unit_value",
        "price",
        "on_demand",
        "stock",
        "weight_kg",
        "tax_category",
    ]
    exclude = ["producer"]
    extra = 1


@admin.register(Product)
class ProductAdmin(ScopedAdmin):
    list_display = ["name", "producer", "unit_kind"]
    list_filter = ["unit_kind"]
    search_fields = ["name", "producer__name", "variants__sku"]
    inlines = [VariantInline]

    def save_formset(self, request, form, formset, change):
        # A variant carries its product's producer so the SKU is unique per
        # producer in the database itself.
        for variant in formset.save(commit=False):
            variant.producer_id = form.instance.producer_id
            variant.save()
        for obsolete in formset.deleted_objects:
            obsolete.delete()


@admin.register(Variant)
class VariantAdmin(ScopedAdmin):
    list_display = ["sku", "product", "display", "price", "stock", "on_demand"]
    search_fields = ["sku", "product__name"]
    list_select_related = ["product"]
    exclude = ["producer"]

    def save_model(self, request, obj, form, change):
        obj.producer_id = obj.product.producer_id
        super().save_model(request, obj, form, change)


@admin.register(VariantOverride)
class VariantOverrideAdmin(ScopedAdmin):
    list_display = ["variant", "hub", "price", "stock", "on_demand"]
    list_select_related = ["variant__product", "hub"]
    # A hub overrides the variants it sells, whoever produces them.
    open_choices = ("variant",)
