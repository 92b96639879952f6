"""Snapshots that let a refusal test assert that nothing changed."""

from comptoir.catalogue.models import Variant, VariantOverride
from comptoir.orders.models import Adjustment, Line, Order, OrderEvent, Payment


def snapshot(order: Order) -> dict:
    """Everything a service could write about `order`, read afresh."""
    fresh = Order.objects.get(pk=order.pk)
    return {
        "order": {
            field.attname: getattr(fresh, field.attname)
            for field in Order._meta.concrete_fields
        },
        "lines": list(
            Line.objects.filter(order=order)
            .order_by("id")
            .values_list("id", "variant_id", "quantity", "fee_total", "stock_taken")
        ),
        "adjustments": list(
            Adjustment.objects.filter(order=order)
            .order_by("id")
            .values_list("id", "kind", "label", "amount", "tax_amount")
        ),
        "payments": list(
            Payment.objects.filter(order=order).values_list("id", "amount", "state")
        ),
        "events": OrderEvent.objects.filter(order=order).count(),
        "stock": list(Variant.objects.order_by("id").values_list("id", "stock")),
        "override_stock": list(
            VariantOverride.objects.order_by("id").values_list("id", "stock")
        ),
    }
