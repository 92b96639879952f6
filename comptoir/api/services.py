"""Writes of the api app: API tokens, and orders brought from other platforms.

An external order is recorded through the orders services, step by step as a
manager would (create, buyer, lines, methods, place), in one transaction: a
refusal anywhere leaves nothing behind. Problems are named after the fields
of the API's JSON body ("lines[0].sku", "bill_address.city", ...) so the API
and the CSV import can each point at what the sender must fix.
"""

import functools
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from comptoir.catalogue.models import Variant
from comptoir.cycles.models import OrderCycle
from comptoir.cycles.selectors import cycles_for_distributor
from comptoir.enterprises.models import Enterprise
from comptoir.enterprises.selectors import managed_hubs
from comptoir.fees.models import PaymentMethod, ShippingMethod
from comptoir.orders import services as orders
from comptoir.orders.errors import OrderError, Problem
from comptoir.orders.models import Line, Order, OrderEvent
from comptoir.pricing.money import to_decimal

from .models import ApiToken, hash_token

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "cpt_"
MAX_QUANTITY = orders.MAX_QUANTITY
MAX_PLATFORM = Order._meta.get_field("external_platform").max_length or 80
MAX_REFERENCE = Order._meta.get_field("external_reference").max_length or 120

# --------------------------------------------------------------------------
# API tokens


def issue_secret(token: ApiToken) -> str:
    """Give an unsaved token a fresh secret; return it (only its hash is kept)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token.prefix = secret[: len(TOKEN_PREFIX) + 6]
    token.token_hash = hash_token(secret)
    return secret


def create_api_token(*, user, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`; return it with its secret, shown only once."""
    name = name.strip()
    if not name:
        raise ValueError("An API token needs a name.")
    token = ApiToken(user=user, name=name[:100])
    secret = issue_secret(token)
    token.save()
    return token, secret


def revoke_api_token(*, token: ApiToken, now: datetime | None = None) -> ApiToken:
    """Stop `token` from working; it stays listed, with when it was revoked."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# --------------------------------------------------------------------------
# Orders from other platforms


@dataclass
class ExternalLine:
    """One line as the other platform sent it: a SKU and a quantity."""

    sku: Any
    quantity: Any
    producer: Any = ""


@dataclass
class ExternalOrder:
    """An order taken on another platform, as sent: names, not database keys."""

    distributor: Any
    order_cycle: Any
    platform: Any
    external_reference: Any
    email: Any
    lines: list[ExternalLine]
    shipping_method: Any
    payment_method: Any
    placed_at: Any = None
    customer: Mapping[str, Any] = field(default_factory=dict)
    bill_address: Mapping[str, Any] = field(default_factory=dict)
    ship_address: Mapping[str, Any] | None = None
    amount_paid: Any = "0"
    send_confirmation: bool = False
    customer_note: Any = ""
    guest: bool = False


@dataclass
class ImportResult:
    """The order recorded, or found already recorded (`created` False)."""

    order: Order
    created: bool


@dataclass
class _Resolved:
    distributor: Enterprise
    order_cycle: OrderCycle
    platform: str
    reference: str
    placed_at: datetime | None
    variants: list[Variant]
    shipping_method: ShippingMethod
    payment_method: PaymentMethod
    amount_paid: Decimal


def import_order(
    *,
    actor,
    external: ExternalOrder,
    source: str = Order.Source.API,
    now: datetime | None = None,
) -> ImportResult:
    """Record an order taken on another platform, placed, with its payment.

    The same (distributor, platform, reference) brought in twice gives back
    the order recorded the first time: sending again is always safe. Raises
    OrderError, with every problem found, and writes nothing when refused.
    """
    now = now or timezone.now()
    distributor, platform, reference = _resolve_identity(actor, external)
    existing = _existing(distributor, platform, reference)
    if existing is not None:
        return ImportResult(order=existing, created=False)
    resolved = _resolve(actor, external, distributor, platform, reference, now)
    try:
        order = _record(
            actor=actor, external=external, resolved=resolved, source=source, now=now
        )
    except OrderError as error:
        # Someone brought the same order in while this one was being checked.
        existing = _existing(distributor, platform, reference)
        if error.field == "external_reference" and existing is not None:
            return ImportResult(order=existing, created=False)
        raise
    # Logged on commit only: a dry run rolls its orders back and logs nothing.
    transaction.on_commit(
        functools.partial(
            logger.info,
            "Order %s imported from %s by user %s",
            order.number,
            platform,
            actor.pk,
        )
    )
    return ImportResult(order=order, created=True)


def _existing(distributor: Enterprise, platform: str, reference: str) -> Order | None:
    return Order.objects.filter(
        distributor=distributor,
        external_platform=platform,
        external_reference=reference,
    ).first()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return ""


def _resolve_identity(actor, external: ExternalOrder) -> tuple[Enterprise, str, str]:
    """Return the distributor, platform and reference that identify the order."""
    problems: list[Problem] = []
    slug = _text(external.distributor)
    distributor = None
    if not slug:
        problems.append(
            (
                "distributor",
                _("Give the distributor's code, such as le-panier-local."),
            )
        )
    else:
        distributor = managed_hubs(actor).filter(slug=slug).first()
        if distributor is None:
            problems.append(
                (
                    "distributor",
                    _("You manage no distributor with the code %(code)s.")
                    % {"code": slug},
                )
            )
    platform = _text(external.platform)
    if not platform:
        problems.append(
            ("platform", _("Give the name of the platform the order comes from."))
        )
    elif len(platform) > MAX_PLATFORM:
        problems.append(
            (
                "platform",
                _("Keep the platform's name under %(max)s characters.")
                % {"max": MAX_PLATFORM},
            )
        )
    reference = _text(external.external_reference)
    if not reference:
        problems.append(
            (
                "external_reference",
                _("Give the order's reference on the other platform."),
            )
        )
    elif len(reference) > MAX_REFERENCE:
        problems.append(
            (
                "external_reference",
                _("Keep the reference under %(max)s characters.")
                % {"max": MAX_REFERENCE},
            )
        )
    if problems:
        raise OrderError(problems=problems)
    assert distributor is not None
    return distributor, platform, reference


def _resolve(
    actor,
    external: ExternalOrder,
    distributor: Enterprise,
    platform: str,
    reference: str,
    now: datetime,
) -> _Resolved:
    """Turn the names the platform sent into rows; report every problem."""
    problems: list[Problem] = []
    cycle = _find_cycle(actor, distributor, external.order_cycle, now, problems)
    placed_at = _placed_at(external.placed_at, now, problems)
    variants = _find_variants(distributor, cycle, external.lines, problems)
    shipping = _find_method(
        ShippingMethod, distributor, external.shipping_method, "shipping_method"
    )
    payment = _find_method(
        PaymentMethod, distributor, external.payment_method, "payment_method"
    )
    for found in (shipping, payment):
        if isinstance(found, tuple):
            problems.append(found)
    amount = _amount_paid(external.amount_paid, problems)
    if problems:
        raise OrderError(problems=problems)
    assert cycle is not None and amount is not None
    assert isinstance(shipping, ShippingMethod) and isinstance(payment, PaymentMethod)
    return _Resolved(
        distributor=distributor,
        order_cycle=cycle,
        platform=platform,
        reference=reference,
        placed_at=placed_at,
        variants=variants,
        shipping_method=shipping,
        payment_method=payment,
        amount_paid=amount,
    )


def _find_cycle(
    actor, distributor: Enterprise, raw: Any, now: datetime, problems: list[Problem]
) -> OrderCycle | None:
    cycles = cycles_for_distributor(actor, distributor=distributor, now=now)
    name = _text(raw)
    if not name:
        problems.append(
            ("order_cycle", _("Give the order cycle's name or number (id)."))
        )
        return None
    if isinstance(raw, int) or name.isdigit():
        found = list(cycles.filter(pk=int(name)))
        if not found:
            found = list(cycles.filter(name__iexact=name))
    else:
        found = list(cycles.filter(name__iexact=name)[:2])
    if len(found) == 1:
        return found[0]
    if found:
        problems.append(
            (
                "order_cycle",
                _("Several order cycles are named %(name)s: give its number (id).")
                % {"name": name},
            )
        )
    else:
        problems.append(
            (
                "order_cycle",
                _("No order cycle %(name)s supplies %(distributor)s.")
                % {"name": name, "distributor": distributor.name},
            )
        )
    return None


def parse_placed_at(value: Any) -> datetime | None:
    """Read a sale date: ISO 8601, or 03/05/2024 14:30 as French files write it.

    A date or time without a zone is taken in the instance's time zone; a
    date alone means midnight. Returns None when unreadable.
    """
    text = _text(value)
    if not text:
        return None
    french = re.fullmatch(
        r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?)?",
        text,
    )
    try:
        if french:
            day, month, year, hour, minute, second = french.groups()
            moment = datetime(  # noqa: DTZ001 - made aware just below
                int(year),
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
            )
        else:
            parsed = parse_datetime(text.replace(" ", "T", 1))
            day_only = parse_date(text) if parsed is None else None
            if parsed is not None:
                moment = parsed
            elif day_only is not None:
                moment = datetime.combine(day_only, time())
            else:
                return None
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _placed_at(raw: Any, now: datetime, problems: list[Problem]) -> datetime | None:
    if not _text(raw):
        return None
    moment = parse_placed_at(raw)
    if moment is None:
        problems.append(
            (
                "placed_at",
                _(
                    "Give the sale date as 2024-05-03T14:30:00+02:00 (ISO 8601) "
                    "or 03/05/2024 14:30."
                ),
            )
        )
        return None
    if moment > now:
        problems.append(
            (
                "placed_at",
                _("The sale date %(date)s is in the future.")
                % {
                    "date": formats.date_format(
                        timezone.localtime(moment), "SHORT_DATETIME_FORMAT"
                    )
                },
            )
        )
    return moment


def _quantity_problem(raw: Any) -> str | None:
    quantity = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        quantity = raw
    elif isinstance(raw, str) and re.fullmatch(r"\s*\d{1,9}\s*", raw):
        quantity = int(raw)
    if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
        return _("The quantity must be a whole number from 1 to %(max)s.") % {
            "max": formats.number_format(MAX_QUANTITY, force_grouping=True)
        }
    return None


def _find_variants(
    distributor: Enterprise,
    cycle: OrderCycle | None,
    lines: list[ExternalLine],
    problems: list[Problem],
) -> list[Variant]:
    if not lines:
        problems.append(("lines", _("Give at least one line (SKU and quantity).")))
        return []
    variants = []
    for index, line in enumerate(lines):
        name = f"lines[{index}]"
        problem = _quantity_problem(line.quantity)
        if problem:
            problems.append((f"{name}.quantity", problem))
        sku = _text(line.sku)
        if not sku:
            problems.append((f"{name}.sku", _("Give the product's SKU.")))
            continue
        if cycle is None:
            continue
        found = _find_variant(distributor, cycle, sku, _text(line.producer))
        if isinstance(found, Variant):
            variants.append(found)
        else:
            problems.append((f"{name}.{found[0]}", found[1]))
    return variants


def _find_variant(
    distributor: Enterprise, cycle: OrderCycle, sku: str, producer: str
) -> Variant | tuple[str, str]:
    """Return the variant with this SKU that the cycle offers the distributor."""
    by_sku = Variant.objects.filter(sku__iexact=sku)
    if producer:
        by_sku = by_sku.filter(
            Q(producer__slug__iexact=producer) | Q(producer__name__iexact=producer)
        )
    offered = list(
        by_sku.filter(
            exchange__order_cycle=cycle,
            exchange__incoming=False,
            exchange__enterprise=distributor,
        ).distinct()[:2]
    )
    if len(offered) == 1:
        return offered[0]
    if offered:
        return (
            "producer",
            _("Several producers use the SKU %(sku)s: give the producer's code.")
            % {"sku": sku},
        )
    if by_sku.exists():
        return (
            "sku",
            _("%(sku)s is not offered by %(distributor)s in %(cycle)s.")
            % {"sku": sku, "distributor": distributor.name, "cycle": cycle.name},
        )
    if producer:
        return (
            "sku",
            _("The producer %(producer)s has no product with the SKU %(sku)s.")
            % {"producer": producer, "sku": sku},
        )
    return ("sku", _("No product has the SKU %(sku)s.") % {"sku": sku})


def _find_method(
    model: type[ShippingMethod] | type[PaymentMethod],
    distributor: Enterprise,
    raw: Any,
    name: str,
) -> ShippingMethod | PaymentMethod | Problem:
    """Return the distributor's active method named `raw`, or a problem."""
    wanted = _text(raw)
    methods = model.objects.filter(hubs=distributor, active=True).order_by("name")
    found = methods.filter(name__iexact=wanted).first() if wanted else None
    if found is not None:
        return found
    known = ", ".join(method.name for method in methods)
    if model is ShippingMethod:
        message = (
            _("%(distributor)s has no shipping method named %(name)s.")
            if wanted
            else _("Give the shipping method's name.")
        )
    else:
        message = (
            _("%(distributor)s has no payment method named %(name)s.")
            if wanted
            else _("Give the payment method's name.")
        )
    message = message % {"distributor": distributor.name, "name": wanted}
    if known:
        message += " " + _("Its methods: %(names)s.") % {"names": known}
    return (name, message)


def _amount_paid(raw: Any, problems: list[Problem]) -> Decimal | None:
    if raw is None or raw == "":
        return Decimal("0.00")
    try:
        amount = to_decimal(raw)
    except ValueError:
        amount = None
    if amount is None or amount != amount.quantize(Decimal("0.01")):
        problems.append(
            (
                "amount_paid",
                _('Give the amount paid in euros and cents, such as "24.71".'),
            )
        )
        return None
    if amount < 0:
        problems.append(("amount_paid", _("The amount paid cannot be negative.")))
        return None
    return amount.quantize(Decimal("0.01"))


# --------------------------------------------------------------------------
# Recording


@transaction.atomic
def _record(
    *,
    actor,
    external: ExternalOrder,
    resolved: _Resolved,
    source: str,
    now: datetime,
) -> Order:
    """Record the order through the orders services; all or nothing."""
    order = orders.create_order(
        actor=actor,
        distributor=resolved.distributor,
        order_cycle=resolved.order_cycle,
        now=now,
        source=source,
        external_platform=resolved.platform,
        external_reference=resolved.reference,
        placed_at=resolved.placed_at,
    )
    problems: list[Problem] = []
    details_ok = _attempt(
        problems,
        _details_field,
        lambda: orders.update_customer_details(
            order=order,
            actor=actor,
            expected_version=order.version,
            email=_text(external.email),
            bill_address=_bill_address(external),
            ship_address=external.ship_address,
            guest=bool(external.guest),
            customer_note=_text(external.customer_note),
        ),
    )
    line_index: dict[int, int] = {}
    for index, (variant, line) in enumerate(
        zip(resolved.variants, external.lines, strict=True)
    ):
        _attempt(
            problems,
            functools.partial(_line_field, index=index),
            functools.partial(
                _add_line, order=order, actor=actor, variant=variant, line=line
            ),
        )
        line_index.setdefault(variant.pk, index)
    if details_ok:
        _attempt(
            problems,
            _same_field,
            lambda: orders.set_shipping_method(
                order=order,
                actor=actor,
                expected_version=order.version,
                shipping_method=resolved.shipping_method,
            ),
        )
    _attempt(
        problems,
        _same_field,
        lambda: orders.set_payment_method(
            order=order,
            actor=actor,
            expected_version=order.version,
            payment_method=resolved.payment_method,
        ),
    )
    if problems:
        raise OrderError(problems=problems)

    lines = dict(Line.objects.filter(order=order).values_list("pk", "variant_id"))
    _attempt(
        problems,
        lambda name: _placement_field(name, lines, line_index),
        lambda: orders.place_order(
            order=order,
            actor=actor,
            expected_version=order.version,
            payment_method=resolved.payment_method,
            amount_received=resolved.amount_paid,
            send_confirmation=bool(external.send_confirmation),
            now=now,
        ),
    )
    if problems:
        raise OrderError(problems=problems)
    OrderEvent.objects.create(
        order=order,
        actor=actor,
        at=now,
        kind="imported",
        data={
            "platform": resolved.platform,
            "reference": resolved.reference,
            "placed_at": order.placed_at.isoformat() if order.placed_at else None,
        },
    )
    return order


def _attempt(
    problems: list[Problem],
    rename: Callable[[str | None], str | None],
    step: Callable[[], Any],
) -> bool:
    """Run one orders service; on refusal keep its problems, renamed.

    Each service is atomic, hence a savepoint here: a refused step leaves the
    transaction usable, so the following steps still report their problems.
    """
    try:
        step()
    except OrderError as error:
        problems.extend((rename(name), message) for name, message in error.problems)
        return False
    return True


def _same_field(name: str | None) -> str | None:
    return name


_CUSTOMER_FIELDS = ("first_name", "last_name", "phone")


def _details_field(name: str | None) -> str | None:
    """Name a customer-details problem after the API body's field."""
    if name is None or name in ("email", "customer"):
        return name
    prefix, _sep, rest = name.partition("_")
    if prefix == "bill":
        return (
            f"customer.{rest}" if rest in _CUSTOMER_FIELDS else f"bill_address.{rest}"
        )
    if prefix == "ship":
        return f"ship_address.{rest}"
    return name


def _add_line(*, order: Order, actor, variant: Variant, line: ExternalLine) -> None:
    orders.add_variant(
        order=order,
        actor=actor,
        expected_version=order.version,
        variant_id=variant.pk,
        quantity=int(line.quantity),
    )


def _line_field(name: str | None, *, index: int) -> str:
    if name == "variant":
        return f"lines[{index}].sku"
    if name == "quantity":
        return f"lines[{index}].quantity"
    return f"lines[{index}]"


def _placement_field(
    name: str | None, lines: dict[int, int], line_index: dict[int, int]
) -> str | None:
    if name == "amount":
        return "amount_paid"
    if name and name.startswith("line:"):
        variant_id = lines.get(int(name.removeprefix("line:")))
        index = line_index.get(variant_id) if variant_id is not None else None
        return f"lines[{index}]" if index is not None else "lines"
    return name


def _bill_address(external: ExternalOrder) -> dict[str, Any]:
    """The buyer's names and phone, then the billing address over them."""
    address = {key: external.customer.get(key) for key in _CUSTOMER_FIELDS}
    for key, value in external.bill_address.items():
        if value not in (None, ""):
            address[key] = value
    return address
