"""Reads on orders that need care: access, search and stock at a hub."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from comptoir.catalogue.models import Variant
from comptoir.core.text import search_key
from comptoir.enterprises.selectors import scope_for

from .models import Adjustment, Order
from .stock import (
    AVAILABILITY_FIELDS,
    Availability,
    availability,
    from_values,
    with_hub_override,
)

__all__ = [
    "Availability",
    "VariantOffer",
    "adjustments_for",
    "availability",
    "get_order_for",
    "order_totals_context",
    "orders_for",
    "search_variants",
]


def orders_for(user) -> QuerySet[Order]:
    """Return the orders `user` may see, with what order lists show."""
    return scope_for(
        user,
        Order.objects.select_related(
            "distributor", "order_cycle", "customer", "bill_address"
        ),
    )


def get_order_for(user, number: str) -> Order:
    """Return the order numbered `number`; 404 when the user may not see it."""
    return get_object_or_404(
        orders_for(user).select_related(
            "ship_address", "shipping_method", "payment_method", "updated_by"
        ),
        number=number,
    )


@dataclass(frozen=True, slots=True)
class VariantOffer:
    """A variant as the order's distributor sells it in the order's cycle."""

    variant_id: int
    product_name: str
    producer_name: str
    display: str
    sku: str
    price: Decimal
    stock: int | None
    on_demand: bool
    available: bool


def search_variants(*, order: Order, query: str, limit: int = 20) -> list[VariantOffer]:
    """Return the variants offered to the order whose words start with `query`.

    Product, producer and SKU are searched, accents and case ignored; every
    word typed must start a word of the variant ("car 1kg" finds "Carottes
    … CAR-1KG").
    """
    words = search_key(query).split()
    if not words:
        return []
    variants = Variant.objects.filter(
        exchange__order_cycle_id=order.order_cycle_id,
        exchange__incoming=False,
        exchange__enterprise_id=order.distributor_id,
    )
    for word in words:
        # search_text is already folded; a word starts the text or follows a
        # space or a hyphen (SKUs such as CAR-1KG).
        variants = variants.filter(
            Q(search_text__startswith=word)
            | Q(search_text__contains=f" {word}")
            | Q(search_text__contains=f"-{word}")
        )
    rows = (
        with_hub_override(variants, hub=order.distributor)
        .order_by("product__name", "unit_value", "id")
        .values(
            *AVAILABILITY_FIELDS,
            "product__name",
            "producer__name",
            "display",
            "sku",
        )[:limit]
    )
    offers = []
    for row in rows:
        found = from_values(row)
        offers.append(
            VariantOffer(
                variant_id=row["id"],
                product_name=row["product__name"],
                producer_name=row["producer__name"],
                display=row["display"],
                sku=row["sku"],
                price=found.price,
                stock=found.stock,
                on_demand=found.on_demand,
                available=found.available,
            )
        )
    return offers


def adjustments_for(order: Order) -> dict[str, list[Adjustment]]:
    """Return the order's adjustments grouped by kind, in display order."""
    grouped: dict[str, list[Adjustment]] = {kind: [] for kind in Adjustment.Kind}
    for adjustment in Adjustment.objects.filter(order=order).order_by("id"):
        grouped[adjustment.kind].append(adjustment)
    return grouped


TOTAL_ROWS = (
    ("item_total", _("Items")),
    ("fee_total", _("Fees")),
    ("shipping_total", _("Shipping")),
    ("payment_fee_total", _("Payment fee")),
    ("adjustment_total", _("Adjustments")),
    ("additional_tax_total", _("Tax added")),
)


def order_totals_context(order: Order) -> dict:
    """Return the totals as rows that add up to the total, for templates.

    The rows shown are exactly the parts of the total (the included tax is
    given apart, as it is inside the amounts already).
    """
    return {
        "rows": [
            (name, label, getattr(order, name))
            for name, label in TOTAL_ROWS
            if name == "item_total" or getattr(order, name)
        ],
        "total": order.total,
        "included_tax": order.included_tax_total,
        "paid": order.payment_total,
        "balance": order.balance,
    }
