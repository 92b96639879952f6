"""Read the JSON body of POST /api/orders/ into an ExternalOrder.

Only the shape is checked here (objects, lists, text, booleans); what the
values mean (a SKU, a method's name, an amount) is the service's to judge.
"""

import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from comptoir.orders.errors import OrderError, Problem

from .services import ExternalLine, ExternalOrder

SCALAR = (str, int, Decimal)


def read_external_order(body: bytes) -> ExternalOrder:
    """Return the order in `body`; raise OrderError naming each malformed field."""
    try:
        # Decimals, not floats: an amount sent as a JSON number stays exact.
        data = json.loads(body.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError):
        raise OrderError(_("Send the order as a JSON object, in UTF-8.")) from None
    if not isinstance(data, dict):
        raise OrderError(_("Send the order as a JSON object, in UTF-8."))
    problems: list[Problem] = []
    for name in (
        "distributor",
        "order_cycle",
        "platform",
        "external_reference",
        "placed_at",
        "email",
        "shipping_method",
        "payment_method",
        "amount_paid",
        "customer_note",
    ):
        value = data.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, SCALAR)
        ):
            problems.append((name, _("Give this field as text.")))
    customer = _object(data, "customer", problems)
    bill = _object(data, "bill_address", problems)
    ship = _object(data, "ship_address", problems) if data.get("ship_address") else None
    for name in ("send_confirmation", "guest"):
        if data.get(name) is not None and not isinstance(data[name], bool):
            problems.append((name, _("Give this field as true or false.")))
    lines = _lines(data.get("lines"), problems)
    if problems:
        raise OrderError(problems=problems)
    return ExternalOrder(
        distributor=data.get("distributor"),
        order_cycle=data.get("order_cycle"),
        platform=data.get("platform"),
        external_reference=data.get("external_reference"),
        placed_at=data.get("placed_at"),
        email=data.get("email"),
        customer=customer,
        bill_address=bill,
        ship_address=ship,
        lines=lines,
        shipping_method=data.get("shipping_method"),
        payment_method=data.get("payment_method"),
        amount_paid=data.get("amount_paid", "0"),
        send_confirmation=bool(data.get("send_confirmation", False)),
        customer_note=data.get("customer_note") or "",
        guest=bool(data.get("guest", False)),
    )


def _object(data: dict, name: str, problems: list[Problem]) -> dict[str, Any]:
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append((name, _("Give this field as a JSON object.")))
        return {}
    for key, item in value.items():
        if item is not None and (
            isinstance(item, bool) or not isinstance(item, SCALAR)
        ):
            problems.append((f"{name}.{key}", _("Give this field as text.")))
    return value


def _lines(value: Any, problems: list[Problem]) -> list[ExternalLine]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(("lines", _("Give the lines as a JSON list.")))
        return []
    lines = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            problems.append(
                (
                    f"lines[{index}]",
                    _("Give each line as an object with sku and quantity."),
                )
            )
            continue
        lines.append(
            ExternalLine(
                sku=item.get("sku"),
                quantity=item.get("quantity"),
                producer=item.get("producer") or "",
            )
        )
    return lines
