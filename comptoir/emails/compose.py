"""Write an order's e-mails: the facts they show and their three parts.

Everything is rendered in the order's language (the buyer's), whoever the
manager is and whatever language their screen uses.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from comptoir.core.money import round2

SUPPORTED_LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class EmailParts:
    subject: str
    body_text: str
    body_html: str
    language: str


@dataclass(frozen=True)
class LineSummary:
    product_name: str
    producer_name: str
    quantity: int
    unit_display: str
    unit_price: Decimal  # including the line's per-item fees
    total: Decimal  # including the line's per-item fees


@dataclass(frozen=True)
class AmountRow:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Shipping:
    name: str
    description: str
    delivers: bool
    amount: Decimal
    pickup_time: str = ""
    pickup_instructions: str = ""
    address_lines: list[str] = field(default_factory=list)


def order_language(order) -> str:
    """Return "fr" or "en" for the order's locale; French otherwise."""
    language = (order.locale or "")[:2].lower()
    return language if language in SUPPORTED_LANGUAGES else settings.LANGUAGE_CODE


def sender_for(hub) -> str:
    """Send as the hub's name at the instance's address, so buyers know who."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((hub.name, address)) if address else settings.DEFAULT_FROM_EMAIL


def order_summary(order) -> dict:
    """Collect what an order's e-mails show, in a fixed number of queries."""
    from comptoir.cycles.models import Exchange
    from comptoir.orders.models import Adjustment

    hub = order.distributor
    lines = list(order.lines.all())
    adjustments = list(order.adjustments.all())
    # Fees first, then the manager's own lines, then the payment fee: the
    # order a buyer reads a bill in, whatever order the rows were written in.
    rank = {
        Adjustment.Kind.FEE: 0,
        Adjustment.Kind.MANUAL: 1,
        Adjustment.Kind.PAYMENT: 2,
    }
    order_rows = [
        AmountRow(label=row.label, amount=row.amount)
        for row in sorted(adjustments, key=lambda row: (rank.get(row.kind, 9), row.pk))
        if row.line_id is None and row.kind in rank and row.amount != 0
    ]
    line_summaries = [summarize_line(line) for line in lines]
    exchange = (
        Exchange.objects.filter(
            order_cycle_id=order.order_cycle_id,
            enterprise_id=order.distributor_id,
            incoming=False,
        )
        .only("pickup_time", "pickup_instructions")
        .first()
    )
    bill = order.bill_address
    ship = order.ship_address or bill
    return {
        "order": order,
        "hub": hub,
        "hub_address_lines": hub.address_lines,
        "buyer_name": bill.full_name if bill else "",
        "buyer_phone": bill.phone if bill else "",
        "buyer_email": order.email,
        "bill_address_lines": bill.lines if bill else [],
        "lines": line_summaries,
        "subtotal": sum((line.total for line in line_summaries), Decimal("0.00")),
        "order_rows": order_rows,
        "shipping": shipping_summary(order, exchange, ship),
        "additional_tax": order.additional_tax_total,
        "included_tax": order.included_tax_total,
        "total": order.total,
        "paid": order.payment_total,
        "balance": order.balance,
        "payment_method": order.payment_method,
        "customer_note": order.customer_note,
    }


def summarize_line(line) -> LineSummary:
    total = line.total_with_fees
    return LineSummary(
        product_name=line.product_name,
        producer_name=line.producer_name,
        quantity=line.quantity,
        unit_display=line.unit_display,
        unit_price=round2(total / line.quantity),
        total=total,
    )


def shipping_summary(order, exchange, ship_address) -> Shipping | None:
    method = order.shipping_method
    if method is None:
        return None
    if method.delivers:
        return Shipping(
            name=method.name,
            description=method.description,
            delivers=True,
            amount=order.shipping_total,
            address_lines=ship_address.lines if ship_address else [],
        )
    return Shipping(
        name=method.name,
        description=method.description,
        delivers=False,
        amount=order.shipping_total,
        pickup_time=exchange.pickup_time if exchange else "",
        pickup_instructions=exchange.pickup_instructions if exchange else "",
    )


def render_parts(*, template: str, context: dict, language: str) -> EmailParts:
    """Render `emails/<template>_{subject.txt,body.txt,body.html}`."""
    with translation.override(language):
        raw_subject = render_to_string(f"emails/{template}_subject.txt", context)
        # A header cannot hold a line break; templates may end with one.
        subject = " ".join(raw_subject.split())
        context = {**context, "subject": subject}
        body_text = render_to_string(f"emails/{template}_body.txt", context)
        body_html = render_to_string(f"emails/{template}_body.html", context)
    return EmailParts(
        subject=subject,
        body_text=body_text.strip() + "\n",
        body_html=body_html,
        language=language,
    )
