"""Map an order from the database to `comptoir.pricing.PricingInput`.

Everything is read in a fixed number of queries, whatever the number of
lines and fees: the order's lines, the variants the cycle's exchanges carry
among them (read from the through table), the exchanges' fees, the
coordinator's fees, the manual adjustments and the tax rates of the
categories involved. The order itself comes in with its distributor, methods
and shipping address already joined (see `ORDER_RELATED`).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from comptoir.cycles.models import Exchange, OrderCycle
from comptoir.fees.models import EnterpriseFee, ShippingMethod, TaxRate
from comptoir.pricing import Exchange as PricedExchange
from comptoir.pricing import Fee as PricedFee
from comptoir.pricing import Line as PricedLine
from comptoir.pricing import (
    ManualAdjustment,
    Method,
    PricingInput,
    Role,
)
from comptoir.pricing import TaxRate as PricedTaxRate
from comptoir.pricing.labels import language_of

from .models import Adjustment, Line, Order

# What pricing reads through the order: join them when locking it.
ORDER_RELATED = ("distributor", "shipping_method", "payment_method", "ship_address")


@dataclass(frozen=True, slots=True)
class PricingContext:
    """An order's pricing input and the rows it was read from."""

    lines: list[Line]
    manual: list[Adjustment]
    undistributed: list[Line]
    data: PricingInput


def load_pricing_context(order: Order) -> PricingContext:
    """Read what prices `order` and map it to plain pricing values."""
    lines = list(Line.objects.filter(order=order).order_by("id"))
    exchanges = _exchanges(order)
    outgoing = next(
        (exchange for exchange in exchanges if exchange.role is Role.DISTRIBUTOR),
        None,
    )
    distributed = outgoing.variant_ids if outgoing is not None else frozenset()
    coordinator_fees = tuple(
        _fee(row.enterprisefee)
        for row in OrderCycle.coordinator_fees.through.objects.filter(
            ordercycle_id=order.order_cycle_id
        )
        .select_related("enterprisefee__enterprise")
        .order_by("enterprisefee__name", "enterprisefee_id")
    )
    manual = list(
        Adjustment.objects.filter(order=order, kind=Adjustment.Kind.MANUAL).order_by(
            "id"
        )
    )
    shipping = _method(order.shipping_method) if order.shipping_method_id else None
    payment = _method(order.payment_method) if order.payment_method_id else None
    priced_lines = tuple(
        PricedLine(
            key=line.id,
            variant_id=line.variant_id,
            product_name=line.product_name,
            unit_price=line.unit_price,
            quantity=line.quantity,
            weight_kg=line.weight_kg,
            tax_category_id=line.tax_category_id,
            carried=line.variant_id in distributed,
        )
        for line in lines
    )
    categories = {line.tax_category_id for line in lines}
    categories |= {adjustment.tax_category_id for adjustment in manual}
    for exchange in exchanges:
        categories |= {fee.tax_category_id for fee in exchange.fees}
    categories |= {fee.tax_category_id for fee in coordinator_fees}
    if shipping is not None:
        categories.add(shipping.tax_category_id)
    categories.discard(None)
    data = PricingInput(
        lines=priced_lines,
        incoming=tuple(e for e in exchanges if e.role is Role.SUPPLIER),
        outgoing=outgoing,
        coordinator_fees=coordinator_fees,
        shipping=shipping,
        payment=payment,
        manual=tuple(
            ManualAdjustment(
                key=adjustment.id,
                label=adjustment.label,
                amount=adjustment.amount,
                tax_category_id=adjustment.tax_category_id,
            )
            for adjustment in manual
        ),
        tax_rates=_tax_rates(categories),
        tax_country=tax_country(order),
        charges_tax=order.distributor.charges_sales_tax,
        locale=language_of(order.locale or ""),
    )
    return PricingContext(
        lines=lines,
        manual=manual,
        undistributed=[line for line in lines if line.variant_id not in distributed],
        data=data,
    )


def tax_country(order: Order) -> str | None:
    """Return the country of the order's tax address.

    The shipping address when the order is delivered; otherwise the goods are
    handed over at the hub, so the hub's address.
    """
    method = order.shipping_method
    address = order.ship_address
    if method is not None and method.delivers and address is not None:
        return address.country or None
    return order.distributor.country or None


def _exchanges(order: Order) -> list[PricedExchange]:
    """The cycle's incoming exchanges and its outgoing one to the distributor.

    Two queries on the through tables: which of the order's variants each
    exchange carries (an exchange's other variants cannot change this order's
    price), and each exchange's fees. An incoming exchange that carries none
    of the order's variants takes no part in it and is left out.
    """
    in_play = Q(exchange__order_cycle_id=order.order_cycle_id) & (
        Q(exchange__incoming=True)
        | Q(exchange__incoming=False, exchange__enterprise_id=order.distributor_id)
    )
    roles: dict[int, Role] = {}
    variants: dict[int, set[int]] = defaultdict(set)
    for exchange_id, incoming, variant_id in Exchange.variants.through.objects.filter(
        in_play, variant_id__in=Line.objects.filter(order=order).values("variant_id")
    ).values_list("exchange_id", "exchange__incoming", "variant_id"):
        roles[exchange_id] = Role.SUPPLIER if incoming else Role.DISTRIBUTOR
        variants[exchange_id].add(variant_id)
    fees: dict[int, list[PricedFee]] = defaultdict(list)
    for row in (
        Exchange.fees.through.objects.filter(in_play)
        .select_related("exchange", "enterprisefee__enterprise")
        .order_by("exchange_id", "enterprisefee__name", "enterprisefee_id")
    ):
        roles[row.exchange_id] = (
            Role.SUPPLIER if row.exchange.incoming else Role.DISTRIBUTOR
        )
        fees[row.exchange_id].append(_fee(row.enterprisefee))
    return [
        PricedExchange(
            exchange_id=exchange_id,
            role=role,
            variant_ids=frozenset(variants.get(exchange_id, ())),
            fees=tuple(fees.get(exchange_id, ())),
        )
        for exchange_id, role in sorted(roles.items())
        if role is Role.DISTRIBUTOR or variants.get(exchange_id)
    ]


def _fee(fee: EnterpriseFee) -> PricedFee:
    return PricedFee(
        fee_id=fee.id,
        name=fee.name,
        enterprise_name=fee.enterprise.name,
        enterprise_id=fee.enterprise_id,
        fee_type=fee.fee_type,
        calculator=fee.get_calculator(),
        tax_category_id=fee.tax_category_id,
        inherits_tax=fee.inherits_tax_category,
    )


def _method(method) -> Method:
    return Method(
        method_id=method.id,
        name=method.name,
        calculator=method.get_calculator(),
        tax_category_id=(
            method.tax_category_id if isinstance(method, ShippingMethod) else None
        ),
    )


def _tax_rates(categories: set) -> tuple[PricedTaxRate, ...]:
    if not categories:
        return ()
    return tuple(
        PricedTaxRate(
            category_id=rate.category_id,
            name=rate.name,
            rate=rate.amount,
            included=rate.included_in_price,
            countries=frozenset(
                str(code).upper() for code in (rate.zone.countries or [])
            ),
        )
        for rate in TaxRate.objects.filter(category_id__in=categories)
        .select_related("zone")
        .order_by("category_id", "id")
    )
