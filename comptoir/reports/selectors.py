from django.db.models import Count, QuerySet, Sum

from comptoir.enterprises.selectors import scope_for
from comptoir.orders.models import Order


def sales_by_cycle(user, *, cycle_id: int | None = None) -> QuerySet:
    """Complete orders summed per order cycle and distributor, newest first."""
    orders = scope_for(user, Order.objects.filter(state=Order.State.COMPLETE))
    if cycle_id is not None:
        orders = orders.filter(order_cycle_id=cycle_id)
    return (
        orders.values(
            "order_cycle_id",
            "order_cycle__name",
            "order_cycle__closes_at",
            "distributor__name",
        )
        .annotate(
            orders=Count("id"),
            item_total=Sum("item_total"),
            fee_total=Sum("fee_total"),
            shipping_total=Sum("shipping_total"),
            payment_fee_total=Sum("payment_fee_total"),
            adjustment_total=Sum("adjustment_total"),
            included_tax=Sum("included_tax_total"),
            additional_tax=Sum("additional_tax_total"),
            total=Sum("total"),
            paid=Sum("payment_total"),
        )
        .order_by("-order_cycle__closes_at", "distributor__name")
    )
