from django.contrib import admin

from comptoir.core.admin import ScopedAdmin, ScopedInline

from .models import Exchange, OrderCycle


class ExchangeInline(ScopedInline):
    model = Exchange
    fields = ["enterprise", "incoming", "variants", "fees", "pickup_time"]
    # The coordinator brings in other enterprises' goods and fees.
    open_choices = ("enterprise", "variants", "fees")


@admin.register(OrderCycle)
class OrderCycleAdmin(ScopedAdmin):
    list_display = ["name", "coordinator", "opens_at", "closes_at"]
    list_select_related = ["coordinator"]
    search_fields = ["name"]
    filter_horizontal = ["coordinator_fees"]
    inlines = [ExchangeInline]
    open_choices = ("coordinator_fees",)
