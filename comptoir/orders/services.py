"""Writes on orders: every function is keyword-only, typed and atomic.

Each write that comes from a page takes the `expected_version` the page was
drawn from: the order row is locked, its version compared, and a
StaleOrderError raised when someone else changed it meanwhile. Every
successful write bumps the version once, names who made it, and leaves an
order event. Totals are written only by `_reprice`, in the same transaction as
the adjustments they sum.
"""

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from comptoir.catalogue.models import Variant
from comptoir.core.money import parse_amount
from comptoir.customers.models import Address, Customer
from comptoir.cycles.models import Exchange, OrderCycle
from comptoir.enterprises.models import Enterprise
from comptoir.enterprises.selectors import managed_hubs
from comptoir.fees.models import PaymentMethod, ShippingMethod, TaxCategory
from comptoir.pricing import AdjustmentKind, PricedOrder, price_order

from . import bulk
from .errors import OrderError, Problem, StaleOrderError
from .models import Adjustment, Line, Order, OrderEvent, Payment
from .pricing_input import ORDER_RELATED, PricingContext, load_pricing_context
from .stock import (
    Availability,
    LockedStock,
    availability,
    resolve,
    with_hub_override,
)

logger = logging.getLogger(__name__)

MAX_QUANTITY = 9999
# The widest amount the adjustment columns hold (12 digits, 2 decimals).
MAX_AMOUNT = Decimal("9999999999.99")
NUMBER_ATTEMPTS = 8
ZERO = Decimal("0.00")

_TOTAL_FIELDS = (
    "item_total",
    "fee_total",
    "shipping_total",
    "payment_fee_total",
    "adjustment_total",
    "included_tax_total",
    "additional_tax_total",
    "total",
)


@dataclass
class RecalcResult:
    """An order re-priced: fresh totals, the priced detail, and the lines the
    cycle no longer distributes (they kept their price and got no fee)."""

    order: Order
    priced: PricedOrder
    undistributed_lines: list[Line] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


# --------------------------------------------------------------------------
# Creating an order


@transaction.atomic
def create_order(
    *,
    actor,
    distributor: Enterprise,
    order_cycle: OrderCycle,
    now: datetime | None = None,
    locale: str | None = None,
    source: str = Order.Source.MANAGER,
    external_platform: str = "",
    external_reference: str = "",
    placed_at: datetime | None = None,
) -> Order:
    """Start a draft order of `distributor` in `order_cycle`."""
    now = now or timezone.now()
    if source not in Order.Source.values:
        raise ValueError(f"unknown order source {source!r}")
    if not managed_hubs(actor).filter(pk=distributor.pk).exists():
        raise OrderError(_("You do not manage this distributor."), field="distributor")
    if not Exchange.objects.filter(
        order_cycle=order_cycle, enterprise=distributor, incoming=False
    ).exists():
        raise OrderError(
            _("%(distributor)s receives no products in %(cycle)s.")
            % {"distributor": distributor.name, "cycle": order_cycle.name},
            field="order_cycle",
        )
    external_platform = external_platform.strip()
    external_reference = external_reference.strip()
    if external_reference and _reference_taken(
        distributor=distributor,
        platform=external_platform,
        reference=external_reference,
    ):
        raise OrderError(
            _("An order with the reference %(reference)s already exists.")
            % {"reference": external_reference},
            field="external_reference",
        )
    order = Order(
        distributor=distributor,
        order_cycle=order_cycle,
        locale=_language(locale),
        source=source,
        external_platform=external_platform,
        external_reference=external_reference,
        placed_at=placed_at,
        is_late=order_cycle.status_at(now) == OrderCycle.Status.CLOSED,
        created_by=actor,
        updated_by=actor,
    )
    _insert_with_number(order)
    _record(order, actor=actor, now=now, kind="created", data={})
    if order.is_late:
        _record(
            order,
            actor=actor,
            now=now,
            kind="late_order",
            data={"cycle": order_cycle.name, "closed_at": order_cycle.closes_at},
        )
    return order


def new_order_number() -> str:
    """Return a candidate human order number: "R" and nine digits."""
    return f"R{secrets.randbelow(10**9):09d}"


def _insert_with_number(order: Order) -> None:
    # Random numbers cannot be guessed from one another; a collision is rare
    # and simply retried, each try in its own savepoint.
    for _attempt in range(NUMBER_ATTEMPTS):
        order.number = new_order_number()
        if Order.objects.filter(number=order.number).exists():
            continue
        try:
            with transaction.atomic():
                order.save()
        except IntegrityError:
            if Order.objects.filter(number=order.number).exists():
                continue
            # Another manager brought in the same external order just now.
            raise OrderError(
                _("An order with the reference %(reference)s already exists.")
                % {"reference": order.external_reference},
                field="external_reference",
            ) from None
        return
    raise RuntimeError("could not find a free order number")


def _reference_taken(*, distributor: Enterprise, platform: str, reference: str) -> bool:
    return Order.objects.filter(
        distributor=distributor,
        external_platform=platform,
        external_reference=reference,
    ).exists()


def _language(locale: str | None) -> str:
    code = (locale or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    known = {language for language, _name in settings.LANGUAGES}
    return code.lower() if code.lower() in known else settings.LANGUAGE_CODE


# --------------------------------------------------------------------------
# Customer details


@transaction.atomic
def update_customer_details(
    *,
    order: Order,
    actor,
    expected_version: int,
    email: str,
    bill_address: Mapping[str, Any],
    ship_address: Mapping[str, Any] | None,
    customer: Customer | None = None,
    guest: bool = False,
    customer_note: str = "",
    internal_note: str = "",
) -> Order:
    """Set the buyer: e-mail, addresses (copied onto the order) and customer.

    `ship_address` None means "same as billing". Unless `guest`, the order is
    linked to `customer`, or to the distributor's customer with this e-mail,
    created when there is none.
    """
    now = timezone.now()
    locked = _lock_for_change(order, expected_version)
    email = (email or "").strip()
    problems: list[Problem] = []
    if not email:
        problems.append(("email", _("Enter the buyer's e-mail address.")))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                ("email", _("Enter a valid e-mail address, such as name@example.fr."))
            )
    bill = _clean_address(bill_address, prefix="bill", problems=problems)
    ship = (
        dict(bill)
        if ship_address is None
        else _clean_address(ship_address, prefix="ship", problems=problems)
    )
    if customer is not None and not guest and customer.hub_id != locked.distributor_id:
        problems.append(
            ("customer", _("This customer belongs to another distributor."))
        )
    if problems:
        raise OrderError(problems=problems)

    before = _details_snapshot(locked)
    if guest:
        customer = None
    elif customer is None:
        customer = _find_or_create_customer(
            hub=locked.distributor, email=email, bill=bill, ship=ship
        )
    changes: dict[str, Any] = {
        "email": email,
        "customer": customer,
        "is_guest": guest,
        "bill_address": _store_address(locked.bill_address_id, bill),
        "ship_address": _store_address(locked.ship_address_id, ship),
        "customer_note": customer_note.strip(),
        "internal_note": internal_note.strip(),
    }
    if customer is not None and customer.language:
        changes["locale"] = customer.language
    result = _reprice(order=locked, actor=actor, now=now, changes=changes)
    after = _details_snapshot(result.order)
    _record(
        locked,
        actor=actor,
        now=now,
        kind="customer_details",
        data=_changed(before, after),
    )
    _sync(order, locked)
    return order


_REQUIRED_BILL_FIELDS = ("first_name", "last_name")


def _clean_address(
    raw: Mapping[str, Any], *, prefix: str, problems: list[Problem]
) -> dict[str, str]:
    """Return the address fields of `raw`, stripped; add problems found."""
    values = {name: str(raw.get(name) or "").strip() for name in Address.FIELDS}
    values["country"] = (values["country"] or "FR").upper()
    found: list[Problem] = []
    if prefix == "bill":
        for name in _REQUIRED_BILL_FIELDS:
            if not values[name]:
                found.append((f"{prefix}_{name}", _("This field is required.")))
    if not re.fullmatch(r"[A-Z]{2}", values["country"]):
        found.append(
            (f"{prefix}_country", _("Enter a two-letter country code, such as FR."))
        )
    try:
        Address(**values).full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name == "country" and any(f == f"{prefix}_country" for f, _m in found):
                continue
            found.extend((f"{prefix}_{name}", str(text)) for text in messages)
    problems.extend(found)
    return values


def _store_address(address_id: int | None, values: dict[str, str]) -> Address:
    # The order keeps its own copy, never the customer's row, so editing the
    # customer later leaves what this order was sent to unchanged.
    if address_id is not None:
        Address.objects.filter(pk=address_id).update(**values)
        return Address(pk=address_id, **values)
    return Address.objects.create(**values)


def _find_or_create_customer(
    *, hub: Enterprise, email: str, bill: dict[str, str], ship: dict[str, str]
) -> Customer:
    found = Customer.objects.filter(hub=hub, email=email.lower()).first()
    if found is not None:
        return found
    return Customer.objects.create(
        hub=hub,
        email=email,
        first_name=bill["first_name"],
        last_name=bill["last_name"],
        phone=bill["phone"],
        bill_address=Address.objects.create(**bill),
        ship_address=Address.objects.create(**ship),
    )


def _details_snapshot(order: Order) -> dict[str, Any]:
    bill, ship = order.bill_address, order.ship_address
    return {
        "email": order.email,
        "customer": order.customer_id,
        "guest": order.is_guest,
        "bill_address": bill.as_dict() if bill else None,
        "ship_address": ship.as_dict() if ship else None,
        "customer_note": order.customer_note,
        "internal_note": order.internal_note,
        "locale": order.locale,
    }


# --------------------------------------------------------------------------
# Lines


@transaction.atomic
def add_variant(
    *, order: Order, actor, expected_version: int, variant_id: int, quantity: int
) -> Line:
    """Add `quantity` of a variant: a new line, or more on its existing line."""
    now = timezone.now()
    amount = parse_quantity(quantity, field="quantity")
    locked = _lock_for_change(
        order,
        expected_version,
        canceled_message=_("This order is canceled: no line can be added to it."),
        canceled_field="variant",
    )
    offer = _distributed_variant(locked, variant_id)
    if offer is None:
        raise OrderError(
            _("This product is not offered by %(distributor)s in this order cycle.")
            % {"distributor": locked.distributor.name},
            field="variant",
        )
    variant, offered = offer
    line = Line.objects.filter(order=locked, variant_id=variant_id).first()
    before = line.quantity if line is not None else 0
    wanted = before + amount
    if wanted > MAX_QUANTITY:
        raise OrderError(
            _(
                "This would make %(quantity)s of %(product)s; a line holds at most "
                "%(max)s."
            )
            % {
                "quantity": wanted,
                "product": variant.product.name,
                "max": _max_quantity(),
            },
            field="quantity",
        )
    problem = _stock_problem(
        product=variant.product.name,
        stock=offered.stock,
        on_demand=offered.on_demand,
        wanted=wanted,
        taken=line.stock_taken if line is not None else 0,
    )
    if problem:
        raise OrderError(problem, field="quantity")
    if line is None:
        line = _new_line(locked, variant, unit_price=offered.price, quantity=wanted)
    else:
        Line.objects.filter(pk=line.pk).update(quantity=wanted)
        line.quantity = wanted
    if locked.state == Order.State.COMPLETE:
        _settle_stock(locked, targets=[(line, wanted)], field=f"line:{line.pk}")
    result = _reprice(order=locked, actor=actor, now=now)
    _record(
        locked,
        actor=actor,
        now=now,
        kind="line_added" if before == 0 else "line_changed",
        data={
            "line": line.pk,
            "product": line.product_name,
            "unit": line.unit_display,
            "before": before,
            "after": wanted,
        },
    )
    _sync(order, locked)
    return next(item for item in result.lines if item.pk == line.pk)


@transaction.atomic
def update_lines(
    *,
    order: Order,
    actor,
    expected_version: int,
    quantities: Mapping[int, Any],
) -> RecalcResult:
    """Set the quantity of several lines at once, then re-price: all or nothing."""
    now = timezone.now()
    locked = _lock_for_change(order, expected_version)
    lines = {line.pk: line for line in Line.objects.filter(order=locked)}
    problems: list[Problem] = []
    wanted: dict[int, int] = {}
    for raw_id, raw_quantity in quantities.items():
        line_id = _as_int(raw_id)
        name = f"line:{raw_id}"
        if line_id is None or line_id not in lines:
            problems.append((name, _("This line is no longer in the order.")))
            continue
        try:
            wanted[line_id] = parse_quantity(raw_quantity, field=name)
        except OrderError as error:
            problems.extend(error.problems)
    changed = [
        (lines[line_id], quantity)
        for line_id, quantity in sorted(wanted.items())
        if lines[line_id].quantity != quantity
    ]
    if not problems:
        problems.extend(_line_stock_problems(locked, changed))
    if problems:
        raise OrderError(problems=problems)

    before = {line.pk: line.quantity for line, _quantity in changed}
    if changed:
        bulk.update_rows(
            Line,
            values={line.pk: [quantity] for line, quantity in changed},
            fields=["quantity"],
        )
        for line, quantity in changed:
            line.quantity = quantity
    result = _reprice(order=locked, actor=actor, now=now)
    if changed:
        _record(
            locked,
            actor=actor,
            now=now,
            kind="lines_updated",
            data={
                "lines": [
                    {
                        "line": line.pk,
                        "product": line.product_name,
                        "unit": line.unit_display,
                        "before": before[line.pk],
                        "after": line.quantity,
                    }
                    for line, _quantity in changed
                ]
            },
        )
    _sync(order, locked)
    return result


@transaction.atomic
def remove_line(
    *, order: Order, actor, expected_version: int, line_id: int
) -> RecalcResult:
    """Take a line off the order; a placed order gives its stock back."""
    now = timezone.now()
    locked = _lock_for_change(order, expected_version)
    name = f"line:{line_id}"
    line = Line.objects.filter(order=locked, pk=_as_int(line_id) or 0).first()
    if line is None:
        raise OrderError(_("This line is no longer in the order."), field=name)
    if (
        locked.state == Order.State.COMPLETE
        and not Line.objects.filter(order=locked).exclude(pk=line.pk).exists()
    ):
        raise OrderError(
            _(
                "A placed order keeps at least one line. To call the whole order "
                "off, cancel it."
            ),
            field=name,
        )
    if line.stock_taken:
        _settle_stock(locked, targets=[(line, 0)], field=name)
    snapshot = {
        "line": line.pk,
        "product": line.product_name,
        "unit": line.unit_display,
        "before": line.quantity,
        "after": 0,
    }
    line.delete()
    result = _reprice(order=locked, actor=actor, now=now)
    _record(locked, actor=actor, now=now, kind="line_removed", data=snapshot)
    _sync(order, locked)
    return result


def parse_quantity(value: Any, *, field: str) -> int:
    """Return `value` as a quantity from 1 to 9,999, or raise an OrderError."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, Decimal | float):
        if value == value and value not in (float("inf"), float("-inf")):
            if int(value) == value:
                number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,9}\s*", value):
        number = int(value)
    if number is None:
        raise OrderError(
            _("Enter the quantity as a whole number, such as 2."), field=field
        )
    if number < 1:
        raise OrderError(
            _(
                "The quantity must be at least 1. To take a product off the order, "
                "remove its line."
            ),
            field=field,
        )
    if number > MAX_QUANTITY:
        raise OrderError(
            _("The quantity cannot be more than %(max)s.") % {"max": _max_quantity()},
            field=field,
        )
    return number


def _max_quantity() -> str:
    return formats.number_format(MAX_QUANTITY, force_grouping=True)


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _distributed_variant(
    order: Order, variant_id: Any
) -> tuple[Variant, Availability] | None:
    """Return (variant, availability at the hub) when the cycle offers it."""
    pk = _as_int(variant_id)
    if pk is None:
        return None
    variant = (
        with_hub_override(
            Variant.objects.filter(
                pk=pk,
                exchange__order_cycle_id=order.order_cycle_id,
                exchange__incoming=False,
                exchange__enterprise_id=order.distributor_id,
            ),
            hub=order.distributor,
        )
        .annotate(
            override_price=F("hub_override__price"),
            override_stock=F("hub_override__stock"),
            override_on_demand=F("hub_override__on_demand"),
        )
        .select_related("product", "producer")
        .first()
    )
    if variant is None:
        return None
    return variant, resolve(
        variant_id=variant.pk,
        price=variant.price,
        stock=variant.stock,
        on_demand=variant.on_demand,
        override_price=variant.override_price,  # type: ignore[attr-defined]
        override_stock=variant.override_stock,  # type: ignore[attr-defined]
        override_on_demand=variant.override_on_demand,  # type: ignore[attr-defined]
    )


def _new_line(order: Order, variant: Variant, *, unit_price: Decimal, quantity: int):
    # What was sold is copied so history stays true if the catalogue changes.
    return Line.objects.create(
        order=order,
        variant=variant,
        quantity=quantity,
        unit_price=unit_price,
        product_name=variant.product.name,
        unit_display=variant.display,
        producer_name=variant.producer.name,
        sku=variant.sku,
        weight_kg=variant.weight_kg,
        tax_category_id=variant.tax_category_id,
    )


# --------------------------------------------------------------------------
# Stock


def _stock_problem(
    *, product: str, stock: int | None, on_demand: bool, wanted: int, taken: int
) -> str | None:
    """Refuse `wanted` units when the stock (plus what the line holds) is short."""
    if on_demand:
        return None
    left = (stock or 0) + taken
    if wanted <= left:
        return None
    return _("Only %(left)s left of %(product)s.") % {
        "left": max(left, 0),
        "product": product,
    }


def _line_stock_problems(
    order: Order, changes: list[tuple[Line, int]]
) -> list[Problem]:
    """Check new quantities against the stock; a placed order takes it now."""
    raising = [(line, quantity) for line, quantity in changes]
    if order.state == Order.State.COMPLETE:
        return _settle_stock(order, targets=raising, field=None, raise_error=False)
    more = [(line, quantity) for line, quantity in raising if quantity > line.quantity]
    found = availability(
        hub=order.distributor, variant_ids=[line.variant_id for line, _q in more]
    )
    problems: list[Problem] = []
    for line, quantity in more:
        offered = found.get(line.variant_id)
        if offered is None:
            continue
        problem = _stock_problem(
            product=line.product_name,
            stock=offered.stock,
            on_demand=offered.on_demand,
            wanted=quantity,
            taken=0,
        )
        if problem:
            problems.append((f"line:{line.pk}", problem))
    return problems


def _settle_stock(
    order: Order,
    *,
    targets: list[tuple[Line, int]],
    field: str | None,
    raise_error: bool = True,
) -> list[Problem]:
    """Bring what each line took from stock to its target quantity.

    The stock rows are locked (see LockedStock); a line on demand holds no
    stock, so its target is 0. Nothing is written when a line is short.
    """
    if not targets:
        return []
    stock = LockedStock(
        hub=order.distributor, variant_ids=[line.variant_id for line, _t in targets]
    )
    problems: list[Problem] = []
    moves: list[tuple[Line, int]] = []
    for line, target in targets:
        offered = stock.get(line.variant_id)
        holds = 0 if offered.on_demand else target
        problem = _stock_problem(
            product=line.product_name,
            stock=offered.stock,
            on_demand=offered.on_demand,
            wanted=holds,
            taken=line.stock_taken,
        )
        if problem:
            problems.append((field or f"line:{line.pk}", problem))
        moves.append((line, holds))
    if problems:
        if raise_error:
            raise OrderError(problems=problems)
        return problems
    for line, holds in moves:
        stock.take(line.variant_id, holds - line.stock_taken)
        line.stock_taken = holds
    stock.save()
    bulk.update_rows(
        Line,
        values={line.pk: [line.stock_taken] for line, _holds in moves if line.pk},
        fields=["stock_taken"],
    )
    return []


# --------------------------------------------------------------------------
# Methods and adjustments


@transaction.atomic
def set_shipping_method(
    *,
    order: Order,
    actor,
    expected_version: int,
    shipping_method: ShippingMethod | None,
) -> RecalcResult:
    """Choose how the order reaches the buyer; re-price (fee, tax address)."""
    now = timezone.now()
    locked = _lock_for_change(order, expected_version)
    if shipping_method is not None:
        problem = _shipping_problem(locked, shipping_method)
        if problem:
            raise OrderError(problem, field="shipping_method")
    before = locked.shipping_method.name if locked.shipping_method else None
    result = _reprice(
        order=locked,
        actor=actor,
        now=now,
        changes={"shipping_method": shipping_method},
    )
    _record(
        locked,
        actor=actor,
        now=now,
        kind="shipping_method",
        data={
            "before": before,
            "after": shipping_method.name if shipping_method else None,
        },
    )
    _sync(order, locked)
    return result


@transaction.atomic
def set_payment_method(
    *,
    order: Order,
    actor,
    expected_version: int,
    payment_method: PaymentMethod | None,
) -> RecalcResult:
    """Choose how the buyer pays; re-price (the method's fee)."""
    now = timezone.now()
    locked = _lock_for_change(order, expected_version)
    if payment_method is not None:
        problem = _payment_problem(locked, payment_method)
        if problem:
            raise OrderError(problem, field="payment_method")
    before = locked.payment_method.name if locked.payment_method else None
    result = _reprice(
        order=locked, actor=actor, now=now, changes={"payment_method": payment_method}
    )
    _record(
        locked,
        actor=actor,
        now=now,
        kind="payment_method",
        data={
            "before": before,
            "after": payment_method.name if payment_method else None,
        },
    )
    _sync(order, locked)
    return result


def _shipping_problem(order: Order, method: ShippingMethod) -> str | None:
    # Back-office-only methods are exactly what a manager may choose here.
    if not method.active or not method.hubs.filter(pk=order.distributor_id).exists():
        return _("%(method)s is not a shipping method of %(distributor)s.") % {
            "method": method.name,
            "distributor": order.distributor.name,
        }
    address = order.ship_address
    if method.delivers and not (address is not None and address.is_complete):
        return _(
            "%(method)s delivers to the buyer: first fill in a complete shipping "
            "address in the customer details."
        ) % {"method": method.name}
    return None


def _payment_problem(order: Order, method: PaymentMethod) -> str | None:
    if not method.active or not method.hubs.filter(pk=order.distributor_id).exists():
        return _("%(method)s is not a payment method of %(distributor)s.") % {
            "method": method.name,
            "distributor": order.distributor.name,
        }
    return None


@transaction.atomic
def add_manual_adjustment(
    *,
    order: Order,
    actor,
    expected_version: int,
    label: str,
    amount: Any,
    tax_category: TaxCategory | None = None,
) -> Adjustment:
    """Add a manual line such as a commission, or a discount (negative)."""
    now = timezone.now()
    locked = _lock_for_change(order, expected_version)
    label, value = _clean_manual(label=label, amount=amount)
    adjustment = Adjustment.objects.create(
        order=locked,
        kind=Adjustment.Kind.MANUAL,
        label=label,
        amount=value,
        tax_category=tax_category,
        created_by=actor,
    )
    _reprice(order=locked, actor=actor, now=now)
    _record(
        locked,
        actor=actor,
        now=now,
        kind="adjustment_added",
        data={"adjustment": adjustment.pk, "label": label, "amount": value},
    )
    _sync(order, locked)
    adjustment.refresh_from_db()
    return adjustment


@transaction.atomic
def update_manual_adjustment(
    *,
    order: Order,
    actor,
    expected_version: int,
    adjustment_id: int,
    label: str,
    amount: Any,
    tax_category: TaxCategory | None = None,
) -> Adjustment:
    """Change a manual adjustment's description, amount or tax category."""
    now = timezone.now()
    locked = _lock_for_change(order, expected_version)
    adjustment = _manual_adjustment(locked, adjustment_id)
    label, value = _clean_manual(label=label, amount=amount)
    before = {"label": adjustment.label, "amount": adjustment.amount}
    Adjustment.objects.filter(pk=adjustment.pk).update(
        label=label, amount=value, tax_category=tax_category
    )
    _reprice(order=locked, actor=actor, now=now)
    _record(
        locked,
        actor=actor,
        now=now,
        kind="adjustment_changed",
        data={
            "adjustment": adjustment.pk,
            "before": before,
            "after": {"label": label, "amount": value},
        },
    )
    _sync(order, locked)
    adjustment.refresh_from_db()
    return adjustment


@transaction.atomic
def remove_manual_adjustment(
    *, order: Order, actor, expected_version: int, adjustment_id: int
) -> RecalcResult:
    """Delete a manual adjustment and re-price."""
    now = timezone.now()
    locked = _lock_for_change(order, expected_version)
    adjustment = _manual_adjustment(locked, adjustment_id)
    snapshot = {
        "adjustment": adjustment.pk,
        "label": adjustment.label,
        "amount": adjustment.amount,
    }
    adjustment.delete()
    result = _reprice(order=locked, actor=actor, now=now)
    _record(locked, actor=actor, now=now, kind="adjustment_removed", data=snapshot)
    _sync(order, locked)
    return result


def _manual_adjustment(order: Order, adjustment_id: Any) -> Adjustment:
    found = Adjustment.objects.filter(
        order=order, kind=Adjustment.Kind.MANUAL, pk=_as_int(adjustment_id) or 0
    ).first()
    if found is None:
        raise OrderError(
            _("This adjustment is no longer on the order."), field="adjustment"
        )
    return found


def _clean_manual(*, label: str, amount: Any) -> tuple[str, Decimal]:
    problems: list[Problem] = []
    label = (label or "").strip()
    if not label:
        problems.append(("label", _("Enter a description, such as Commission.")))
    elif len(label) > 255:
        problems.append(
            (
                "label",
                _("Keep the description under %(max)s characters.") % {"max": 255},
            )
        )
    value = _parse_money(amount)
    if value is None:
        problems.append(("amount", _("Enter an amount, such as 1.50 or -2.00.")))
    elif value == value.quantize(Decimal("0.01")) and abs(value) <= MAX_AMOUNT:
        if not value:
            problems.append(("amount", _("Enter an amount other than zero.")))
    elif abs(value) > MAX_AMOUNT:
        problems.append(("amount", _("This amount is too large.")))
    else:
        problems.append(("amount", _("Enter the amount in euros and cents.")))
    if problems:
        raise OrderError(problems=problems)
    assert value is not None
    return label, value.quantize(Decimal("0.01"))


def _parse_money(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        if isinstance(value, str):
            number = parse_amount(value)
        elif isinstance(value, int | Decimal):
            number = Decimal(value)
        else:
            return None
    except (ValueError, InvalidOperation):
        return None
    return number if number.is_finite() else None


# --------------------------------------------------------------------------
# Recalculation


@transaction.atomic
def recalculate_order(
    *, order: Order, actor=None, record_event: bool = True
) -> RecalcResult:
    """Re-price the order and write its adjustments and totals.

    A fixed number of queries whatever the number of lines and fees: lock,
    seven reads, then one DELETE, one INSERT, one UPDATE of the lines, one of
    the manual adjustments (when there are some), one of the order, and an
    event when the totals changed.
    """
    now = timezone.now()
    locked = _lock(order)
    result = _reprice(order=locked, actor=actor, now=now, record_event=record_event)
    _sync(order, locked)
    return result


def _reprice(
    *,
    order: Order,
    actor,
    now: datetime,
    changes: Mapping[str, Any] | None = None,
    context: PricingContext | None = None,
    record_event: bool = True,
) -> RecalcResult:
    """Price the locked `order` and write the result; bump its version once.

    `changes` are other fields of the order written by the same UPDATE; they
    are applied first, so pricing sees them (a new shipping method, say).
    """
    for name, value in (changes or {}).items():
        setattr(order, name, value)
    context = context or load_pricing_context(order)
    priced = price_order(context.data)
    before = totals_of(order)
    _write_adjustments(
        order=order, context=context, priced=priced, actor=actor, now=now
    )
    totals = priced.totals
    update: dict[str, Any] = {
        "item_total": totals.item_total,
        "fee_total": totals.fee_total,
        "shipping_total": totals.shipping_total,
        "payment_fee_total": totals.payment_fee_total,
        "adjustment_total": totals.manual_total,
        "included_tax_total": totals.included_tax,
        "additional_tax_total": totals.additional_tax,
        "total": totals.total,
        **(changes or {}),
    }
    for name, value in update.items():
        setattr(order, name, value)
    update["payment_state"] = payment_state_for(order)
    _save_order(order, actor=actor, now=now, changes=update)
    after = totals_of(order)
    if record_event and after != before:
        _record(
            order,
            actor=actor,
            now=now,
            kind="recalculated",
            data={"before": before, "after": after},
        )
    return RecalcResult(
        order=order,
        priced=priced,
        undistributed_lines=context.undistributed,
        lines=context.lines,
    )


def _write_adjustments(
    *,
    order: Order,
    context: PricingContext,
    priced: PricedOrder,
    actor,
    now: datetime,
) -> None:
    rows: list[dict[str, Any]] = []
    manual_tax: dict[int, list[Any]] = {}
    actor_id = getattr(actor, "pk", None)
    common = {"order_id": order.pk, "created_by_id": actor_id, "created_at": now}
    for adjustment in priced.adjustments:
        tax = adjustment.included_tax + adjustment.additional_tax
        included = not adjustment.additional_tax
        if adjustment.kind is AdjustmentKind.MANUAL:
            assert isinstance(adjustment.manual_key, int)
            manual_tax[adjustment.manual_key] = [tax, included]
            continue
        rows.append(
            {
                **common,
                "line_id": adjustment.line_key,
                "kind": adjustment.kind.value,
                "label": adjustment.label[:255],
                "amount": adjustment.amount,
                "tax_category_id": adjustment.tax_category_id,
                "included": included,
                "tax_amount": tax,
                "enterprise_id": adjustment.enterprise_id,
                "fee_id": adjustment.fee_id,
                "fee_type": adjustment.fee_type or "",
                "role": adjustment.role.value if adjustment.role else "",
            }
        )
    rows.extend(
        {
            **common,
            "kind": Adjustment.Kind.TAX.value,
            "label": tax.rate_name[:255],
            "amount": tax.amount,
            "tax_category_id": tax.category_id,
            "included": tax.included,
            "tax_amount": ZERO,
        }
        for tax in priced.taxes
    )
    Adjustment.objects.filter(order_id=order.pk).exclude(
        kind=Adjustment.Kind.MANUAL
    ).delete()
    bulk.insert_rows(Adjustment, rows)
    fee_totals = {line.key: line.fee_total for line in priced.lines}
    for line in context.lines:
        line.fee_total = fee_totals[line.pk]
    bulk.update_rows(
        Line,
        values={line.pk: [line.fee_total] for line in context.lines},
        fields=["fee_total"],
    )
    bulk.update_rows(Adjustment, values=manual_tax, fields=["tax_amount", "included"])


def totals_of(order: Order) -> dict[str, str]:
    """Return the stored totals as text, for events and comparisons."""
    return {name: str(getattr(order, name)) for name in _TOTAL_FIELDS}


def payment_state_for(order: Order) -> str:
    """Derive the payment state from the total and the completed payments."""
    paid = order.payment_total
    if order.state == Order.State.CANCELED:
        return Order.PaymentState.VOID if not paid else Order.PaymentState.CREDIT_OWED
    if order.state == Order.State.DRAFT and not paid:
        return Order.PaymentState.BALANCE_DUE
    balance = order.total - paid
    if balance > 0:
        return Order.PaymentState.BALANCE_DUE
    if balance < 0:
        return Order.PaymentState.CREDIT_OWED
    return Order.PaymentState.PAID


# --------------------------------------------------------------------------
# Placing, paying, cancelling


@transaction.atomic
def place_order(
    *,
    order: Order,
    actor,
    expected_version: int,
    payment_method: PaymentMethod,
    amount_received: Any,
    send_confirmation: bool,
    now: datetime | None = None,
) -> Order:
    """Complete the order: final price, stock taken, payment, confirmation.

    Every rule is checked first and all problems are reported at once.
    """
    now = now or timezone.now()
    locked = _lock_for_change(order, expected_version)
    if locked.state != Order.State.DRAFT:
        raise OrderError(_("This order was already placed."), field=None)
    problems = _placement_problems(locked, payment_method)
    received = _parse_money(amount_received)
    if received is None or received != received.quantize(Decimal("0.01")):
        problems.append(("amount", _("Enter the amount received, such as 26.21.")))
    elif received < 0:
        problems.append(("amount", _("The amount received cannot be negative.")))
    elif received > MAX_AMOUNT:
        problems.append(("amount", _("This amount is too large.")))
    locked.payment_method = payment_method
    context = load_pricing_context(locked)
    if not context.lines:
        problems.append(("lines", _("Add at least one product to place the order.")))
    for line in context.undistributed:
        problems.append(
            (
                f"line:{line.pk}",
                _(
                    "%(product)s is no longer offered in this order cycle: remove "
                    "it to place the order."
                )
                % {"product": line.product_name},
            )
        )
    if not problems:
        problems.extend(
            _settle_stock(
                locked,
                targets=[(line, line.quantity) for line in context.lines],
                field=None,
                raise_error=False,
            )
        )
    if problems:
        raise OrderError(problems=problems)

    assert received is not None
    if received > 0:
        _add_payment(
            locked, actor=actor, method=payment_method, amount=received, now=now
        )
    _reprice(
        order=locked,
        actor=actor,
        now=now,
        context=context,
        changes={
            "state": Order.State.COMPLETE,
            "placed_at": locked.placed_at or now,
            "payment_method": payment_method,
            "payment_total": _paid(locked),
        },
    )
    _record(
        locked,
        actor=actor,
        now=now,
        kind="placed",
        data={
            "total": locked.total,
            "amount_received": received,
            "payment_method": payment_method.name,
            "confirmation": bool(send_confirmation),
        },
    )
    if send_confirmation:
        _send_email("send_order_confirmation", order=locked, actor=actor, now=now)
    _sync(order, locked)
    return order


def _placement_problems(order: Order, payment_method: PaymentMethod) -> list[Problem]:
    problems: list[Problem] = []
    if not order.email:
        problems.append(("email", _("Enter the buyer's e-mail address.")))
    if order.shipping_method is None:
        problems.append(("shipping_method", _("Choose a shipping method.")))
    else:
        problem = _shipping_problem(order, order.shipping_method)
        if problem:
            problems.append(("shipping_method", problem))
    problem = _payment_problem(order, payment_method)
    if problem:
        problems.append(("payment_method", problem))
    return problems


@transaction.atomic
def record_payment(
    *,
    order: Order,
    actor,
    payment_method: PaymentMethod,
    amount: Any,
    reference: str = "",
    now: datetime | None = None,
) -> Payment:
    """Record money received (or refunded, when negative) on a placed order."""
    now = now or timezone.now()
    locked = _lock(order)
    problems: list[Problem] = []
    value = _parse_money(amount)
    if locked.state == Order.State.DRAFT:
        problems.append(
            (None, _("Place the order first: its payment is recorded then."))
        )
    if value is None or value != value.quantize(Decimal("0.01")):
        problems.append(("amount", _("Enter an amount, such as 26.21.")))
    elif not value:
        problems.append(("amount", _("Enter an amount other than zero.")))
    elif abs(value) > MAX_AMOUNT:
        problems.append(("amount", _("This amount is too large.")))
    elif value < 0 and -value > locked.payment_total:
        problems.append(
            (
                "amount",
                _("A refund cannot be more than what was paid (%(paid)s).")
                % {"paid": locked.payment_total},
            )
        )
    elif value > 0 and locked.state == Order.State.CANCELED:
        problems.append(
            ("amount", _("This order is canceled: only a refund can be recorded."))
        )
    if len(reference) > 120:
        problems.append(("reference", _("Keep the reference under 120 characters.")))
    problem = _payment_problem(locked, payment_method)
    if problem:
        problems.append(("payment_method", problem))
    if problems:
        raise OrderError(problems=problems)

    assert value is not None
    payment = _add_payment(
        locked,
        actor=actor,
        method=payment_method,
        amount=value,
        now=now,
        reference=reference.strip(),
    )
    locked.payment_total = _paid(locked)
    _save_order(
        locked,
        actor=actor,
        now=now,
        changes={
            "payment_total": locked.payment_total,
            "payment_state": payment_state_for(locked),
        },
    )
    _record(
        locked,
        actor=actor,
        now=now,
        kind="payment_recorded",
        data={
            "payment": payment.pk,
            "method": payment_method.name,
            "amount": value,
            "reference": payment.reference,
        },
    )
    _sync(order, locked)
    return payment


def _add_payment(
    order: Order,
    *,
    actor,
    method: PaymentMethod,
    amount: Decimal,
    now: datetime,
    reference: str = "",
) -> Payment:
    return Payment.objects.create(
        order=order,
        method=method,
        amount=amount,
        state=Payment.State.COMPLETED,
        reference=reference,
        completed_at=now,
        created_by=actor,
    )


def _paid(order: Order) -> Decimal:
    """Sum the completed payments: the source of truth for `payment_total`."""
    total = Payment.objects.filter(
        order=order, state=Payment.State.COMPLETED
    ).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


@transaction.atomic
def cancel_order(
    *,
    order: Order,
    actor,
    expected_version: int,
    send_email: bool = True,
    now: datetime | None = None,
) -> Order:
    """Cancel the order; a placed one gives its stock back."""
    now = now or timezone.now()
    locked = _lock_for_change(
        order,
        expected_version,
        canceled_message=_("This order is already canceled."),
    )
    if locked.shipment_state == Order.ShipmentState.SHIPPED:
        raise OrderError(_("This order was shipped: it can no longer be canceled."))
    was_placed = locked.state == Order.State.COMPLETE
    lines = list(Line.objects.filter(order=locked).order_by("id"))
    _settle_stock(
        locked, targets=[(line, 0) for line in lines if line.stock_taken], field=None
    )
    locked.state = Order.State.CANCELED
    _save_order(
        locked,
        actor=actor,
        now=now,
        changes={"state": locked.state, "payment_state": payment_state_for(locked)},
    )
    _record(
        locked,
        actor=actor,
        now=now,
        kind="canceled",
        data={
            "was_placed": was_placed,
            "total": locked.total,
            "paid": locked.payment_total,
        },
    )
    # A draft's buyer was never told about the order, so there is nothing to
    # call off by e-mail.
    if send_email and was_placed:
        _send_email("send_cancellation", order=locked, actor=actor, now=now)
    _sync(order, locked)
    return order


def _send_email(name: str, *, order: Order, actor, now: datetime) -> None:
    """Queue an e-mail of the emails app; a failure must not undo the order.

    The e-mail is written in a savepoint: if it fails, its rows go and the
    order change stays, with an event saying so, and the manager can send it
    again from the order page.
    """
    from comptoir.emails import services as email_services

    send = getattr(email_services, name)
    try:
        with transaction.atomic():
            send(order=order, actor=actor)
    except Exception:
        logger.exception("Could not queue %s for order %s", name, order.number)
        _record(order, actor=actor, now=now, kind="email_failed", data={"email": name})


# --------------------------------------------------------------------------
# Locking, saving, history


def _lock(order: Order) -> Order:
    """Lock the order's row and read it afresh, with what pricing needs."""
    # "of self": PostgreSQL cannot lock the nullable side of the outer joins.
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related(*ORDER_RELATED)
        .get(pk=order.pk)
    )


def _lock_for_change(
    order: Order,
    expected_version: Any,
    *,
    canceled_message: str | None = None,
    canceled_field: str | None = None,
) -> Order:
    """Lock the order; refuse when it changed since `expected_version` or is
    canceled."""
    locked = _lock(order)
    if _as_int(expected_version) != locked.version:
        updated_by = locked.updated_by
        raise StaleOrderError(
            changed_by=str(updated_by) if updated_by else _("someone else"),
            changed_at=locked.updated_at,
        )
    if locked.state == Order.State.CANCELED:
        raise OrderError(
            canceled_message or _("This order is canceled: it can no longer change."),
            field=canceled_field,
        )
    return locked


def _save_order(
    order: Order, *, actor, now: datetime, changes: Mapping[str, Any]
) -> None:
    """Write `changes` and bump the version, in one UPDATE."""
    Order.objects.filter(pk=order.pk).update(
        **changes,
        version=F("version") + 1,
        updated_by=actor if getattr(actor, "pk", None) else None,
        updated_at=now,
    )
    for name, value in changes.items():
        setattr(order, name, value)
    # The row is locked, so the new version is known without reading it.
    order.version += 1
    order.updated_at = now
    order.updated_by_id = getattr(actor, "pk", None)


def _record(
    order: Order, *, actor, now: datetime, kind: str, data: Mapping[str, Any]
) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        actor=actor if getattr(actor, "pk", None) else None,
        at=now,
        kind=kind,
        data=_jsonable(data),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {
        "before": {key: before.get(key) for key in keys},
        "after": {key: after.get(key) for key in keys},
    }


def _sync(target: Order, source: Order) -> None:
    """Refresh the caller's order object from the locked, updated one."""
    if target is source:
        return
    for model_field in Order._meta.concrete_fields:
        setattr(target, model_field.attname, getattr(source, model_field.attname))
    target._state.fields_cache = dict(source._state.fields_cache)
