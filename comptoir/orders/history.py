"""How the History page reads an order's events: who, when, what changed.

Services store each event's details as plain JSON (before/after values, line
quantities, e-mail steps); this turns them into labelled rows in the reader's
language, with amounts and dates written the language's way.
"""

from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.core.money import format_money

EVENT_TITLES = {
    "created": gettext_lazy("Order created"),
    "late_order": gettext_lazy("Late order: the order cycle was closed"),
    "customer_details": gettext_lazy("Customer details changed"),
    "line_added": gettext_lazy("Product added"),
    "line_changed": gettext_lazy("Quantity changed"),
    "line_removed": gettext_lazy("Product removed"),
    "lines_updated": gettext_lazy("Lines updated"),
    "recalculated": gettext_lazy("Fees and totals recalculated"),
    "shipping_method": gettext_lazy("Shipping method chosen"),
    "payment_method": gettext_lazy("Payment method chosen"),
    "adjustment_added": gettext_lazy("Adjustment added"),
    "adjustment_changed": gettext_lazy("Adjustment changed"),
    "adjustment_removed": gettext_lazy("Adjustment removed"),
    "placed": gettext_lazy("Order placed"),
    "payment": gettext_lazy("Payment recorded"),
    "payment_recorded": gettext_lazy("Payment recorded"),
    "canceled": gettext_lazy("Order canceled"),
    "email_queued": gettext_lazy("E-mail queued"),
    "email_sent": gettext_lazy("E-mail sent"),
    "email_failed": gettext_lazy("E-mail failed"),
    "email_retried": gettext_lazy("E-mail sent again"),
    "email_skipped": gettext_lazy("E-mail not sent: no address"),
    "imported": gettext_lazy("Recorded from another platform"),
}


# Keys whose values are row ids: useless to a reader, left out.
HIDDEN_KEYS = {"line", "adjustment", "payment", "customer", "email_id", "outbound"}
MONEY_KEYS = {
    "item_total",
    "fee_total",
    "shipping_total",
    "payment_fee_total",
    "adjustment_total",
    "included_tax_total",
    "additional_tax_total",
    "total",
    "payment_total",
    "amount",
    "amount_received",
}
KEY_LABELS = {
    "platform": gettext_lazy("Platform"),
    "placed_at": gettext_lazy("Sold on"),
    "email": gettext_lazy("E-mail"),
    "guest": gettext_lazy("Guest order"),
    "bill_address": gettext_lazy("Billing address"),
    "ship_address": gettext_lazy("Shipping address"),
    "customer_note": gettext_lazy("Customer note"),
    "internal_note": gettext_lazy("Internal note"),
    "locale": gettext_lazy("Language"),
    "item_total": gettext_lazy("Products"),
    "fee_total": gettext_lazy("Fees (margins)"),
    "shipping_total": gettext_lazy("Shipping"),
    "payment_fee_total": gettext_lazy("Payment fee"),
    "adjustment_total": gettext_lazy("Adjustments"),
    "included_tax_total": gettext_lazy("Tax included"),
    "additional_tax_total": gettext_lazy("Tax added"),
    "total": gettext_lazy("Total"),
    "payment_total": gettext_lazy("Paid"),
    "payment_state": gettext_lazy("Payment state"),
    "amount": gettext_lazy("Amount"),
    "amount_received": gettext_lazy("Amount received"),
    "payment_method": gettext_lazy("Payment method"),
    "shipping_method": gettext_lazy("Shipping method"),
    "method": gettext_lazy("Payment method"),
    "confirmation": gettext_lazy("Confirmation e-mail"),
    "reference": gettext_lazy("Reference"),
    "label": gettext_lazy("Description"),
    "tax_category": gettext_lazy("Tax category"),
    "cycle": gettext_lazy("Order cycle"),
    "closed_at": gettext_lazy("Closed"),
    "was_placed": gettext_lazy("Was placed"),
    "kind": gettext_lazy("Message"),
    "email_kind": gettext_lazy("Message"),
    "next_attempt_at": gettext_lazy("Next attempt"),
    "reason": gettext_lazy("Reason"),
    "retry": gettext_lazy("Sent again"),
    "to": gettext_lazy("To"),
    "attempts": gettext_lazy("Attempts"),
    "error": gettext_lazy("Error"),
}
# For events whose before/after are single values: what those values are.
SCALAR_LABELS = {
    "shipping_method": gettext_lazy("Shipping method"),
    "payment_method": gettext_lazy("Payment method"),
}


def describe_event(event) -> dict:
    """Turn an event's stored data into rows a manager can read."""
    data = event.data if isinstance(event.data, dict) else {}
    rows: list[tuple[str, str | None, str]] = []
    changes = "before" in data or "after" in data or "lines" in data
    for item in data.get("lines", []) if isinstance(data.get("lines"), list) else []:
        rows.append(_quantity_row(item))
    if "product" in data and ("before" in data or "after" in data):
        rows.append(_quantity_row(data))
    elif isinstance(data.get("before"), dict) or isinstance(data.get("after"), dict):
        before = data.get("before") or {}
        after = data.get("after") or {}
        for key in [*before, *(k for k in after if k not in before)]:
            if key in HIDDEN_KEYS or before.get(key) == after.get(key):
                continue
            rows.append(
                (
                    _key_label(key),
                    _readable(key, before.get(key)),
                    _readable(key, after.get(key)),
                )
            )
    elif "before" in data or "after" in data:
        label = SCALAR_LABELS.get(event.kind, gettext_lazy("Value"))
        rows.append(
            (
                str(label),
                _readable("", data.get("before")),
                _readable("", data.get("after")),
            )
        )
    hidden = HIDDEN_KEYS | {"before", "after", "lines", "product", "unit"}
    if event.kind.startswith("email_"):
        hidden = hidden | {"email"}
    for key, value in data.items():
        if key not in hidden:
            rows.append((_key_label(key), None, _readable(key, value)))
    title = EVENT_TITLES.get(event.kind)
    return {
        "event": event,
        "title": str(title) if title else event.kind.replace("_", " ").capitalize(),
        "rows": rows,
        "changes": changes,
    }


def _quantity_row(item: dict) -> tuple[str, str, str]:
    name = " ".join(str(item.get(key) or "") for key in ("product", "unit")).strip()
    return (
        name or _("Product"),
        _readable("", item.get("before")),
        _readable("", item.get("after")),
    )


def _key_label(key) -> str:
    label = KEY_LABELS.get(key)
    return str(label) if label else str(key).replace("_", " ").capitalize()


def _readable(key: str, value) -> str:
    """Render a stored value on one line: addresses, amounts, dates."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "email_kind":
        from comptoir.emails.models import OutboundEmail

        return str(dict(OutboundEmail.Kind.choices).get(value, value)).capitalize()
    if key in MONEY_KEYS:
        try:
            return format_money(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            return str(value)
    if isinstance(value, dict):
        address = [value.get(k) for k in ("first_name", "last_name")]
        name = " ".join(part for part in address if part)
        rest = [
            str(v)
            for k, v in value.items()
            if v and k not in ("first_name", "last_name")
        ]
        return ", ".join(part for part in [name, *rest] if part) or "—"
    if isinstance(value, list):
        return ", ".join(_readable("", item) for item in value) or "—"
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        moment = parse_datetime(value)
        if moment is not None:
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return str(value)
