"""Orders in the setup pages: read-only, since every change goes through the
services (totals, stock and history must move together)."""

from django.contrib import admin

from comptoir.core.admin import ScopedAdmin

from .models import Adjustment, Line, Order, OrderEvent, Payment


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)


class LineInline(_ReadOnlyInline):
    model = Line
    fields = [
        "product_name",
        "unit_display",
        "producer_name",
        "sku",
        "quantity",
        "unit_price",
        "fee_total",
        "stock_taken",
    ]
    readonly_fields = fields


class AdjustmentInline(_ReadOnlyInline):
    model = Adjustment
    fields = ["kind", "label", "amount", "tax_amount", "included", "line"]
    readonly_fields = fields


class PaymentInline(_ReadOnlyInline):
    model = Payment
    fields = ["method", "amount", "state", "reference", "completed_at", "created_by"]
    readonly_fields = fields


class OrderEventInline(_ReadOnlyInline):
    model = OrderEvent
    fields = ["at", "actor", "kind", "data"]
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ScopedAdmin):
    list_display = [
        "number",
        "distributor",
        "order_cycle",
        "email",
        "state",
        "payment_state",
        "total",
        "created_at",
    ]
    list_filter = ["state", "payment_state", "is_late", "source"]
    list_select_related = ["distributor", "order_cycle"]
    search_fields = ["number", "email", "external_reference"]
    date_hierarchy = "created_at"
    inlines = [LineInline, AdjustmentInline, PaymentInline, OrderEventInline]
    exclude = ["bill_address", "ship_address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
