"""Orders as the JSON API writes them: amounts as decimal strings, public ids."""

from decimal import Decimal
from typing import Any

from django.urls import reverse

from comptoir.customers.models import Address
from comptoir.orders.models import Order

TOTALS = (
    "item_total",
    "fee_total",
    "shipping_total",
    "payment_fee_total",
    "adjustment_total",
    "included_tax_total",
    "additional_tax_total",
    "total",
)


def money(amount: Decimal | None) -> str | None:
    """Write an amount as "24.71": a string, so no client reads it as a float."""
    return None if amount is None else f"{amount:.2f}"


def _moment(value) -> str | None:
    return value.isoformat() if value is not None else None


def _address(address: Address | None) -> dict[str, str] | None:
    return address.as_dict() if address is not None else None


def order_summary(order: Order) -> dict[str, Any]:
    """Return what an order list shows of one order."""
    totals = {name: money(getattr(order, name)) for name in TOTALS}
    totals["paid"] = money(order.payment_total)
    totals["balance"] = money(order.balance)
    return {
        "number": order.number,
        "url": reverse("api:order_detail", args=[order.number]),
        "state": order.state,
        "payment_state": order.payment_state,
        "shipment_state": order.shipment_state,
        "distributor": {
            "code": order.distributor.slug,
            "name": order.distributor.name,
        },
        "order_cycle": {"id": order.order_cycle_id, "name": order.order_cycle.name},
        "source": order.source,
        "platform": order.external_platform,
        "external_reference": order.external_reference,
        "email": order.email,
        "buyer_name": order.buyer_name,
        "is_guest": order.is_guest,
        "is_late": order.is_late,
        "placed_at": _moment(order.placed_at),
        "created_at": _moment(order.created_at),
        "totals": totals,
    }


def order_detail(order: Order) -> dict[str, Any]:
    """Return an order with its lines, adjustments and payments."""
    lines = list(order.lines.order_by("id"))
    sku_of_line = {line.pk: line.sku for line in lines}
    data = order_summary(order)
    data.update(
        {
            "bill_address": _address(order.bill_address),
            "ship_address": _address(order.ship_address),
            "shipping_method": (
                order.shipping_method.name if order.shipping_method else None
            ),
            "payment_method": (
                order.payment_method.name if order.payment_method else None
            ),
            "customer_note": order.customer_note,
            "lines": [
                {
                    "sku": line.sku,
                    "product": line.product_name,
                    "unit": line.unit_display,
                    "producer": line.producer_name,
                    "quantity": line.quantity,
                    "unit_price": money(line.unit_price),
                    "amount": money(line.amount),
                    "fee_total": money(line.fee_total),
                }
                for line in lines
            ],
            "adjustments": [
                {
                    "kind": adjustment.kind,
                    "label": adjustment.label,
                    "amount": money(adjustment.amount),
                    "tax_amount": money(adjustment.tax_amount),
                    "tax_included": adjustment.included,
                    "line_sku": (
                        sku_of_line.get(adjustment.line_id)
                        if adjustment.line_id
                        else None
                    ),
                }
                for adjustment in order.adjustments.order_by("id")
            ],
            "payments": [
                {
                    "method": payment.method.name,
                    "amount": money(payment.amount),
                    "state": payment.state,
                    "reference": payment.reference,
                    "completed_at": _moment(payment.completed_at),
                }
                for payment in order.payments.select_related("method")
            ],
        }
    )
    return data
