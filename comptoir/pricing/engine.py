"""Price an order: which fees apply, their taxes, and the totals."""

from collections.abc import Iterator, Sequence
from decimal import Decimal, localcontext

from comptoir.pricing.calculators import FEE_KINDS, METHOD_KINDS, PER_ORDER_KINDS
from comptoir.pricing.inputs import Exchange, Fee, Line, Method, PricingInput, Role
from comptoir.pricing.labels import fee_label, item_fee_label
from comptoir.pricing.money import PRICING_CONTEXT, ZERO, round2
from comptoir.pricing.results import (
    AdjustmentKind,
    PricedAdjustment,
    PricedLine,
    PricedOrder,
    Totals,
)
from comptoir.pricing.taxes import TaxLedger

# A per-item fee as it applies to one variant, with its label already built.
_ItemFee = tuple[Fee, Role, str]


class PricingError(ValueError):
    """The input contradicts the money rules: a setup or mapping mistake."""


def price_order(data: PricingInput) -> PricedOrder:
    """Price `data`: every fee, shipping, payment fee, tax and the totals."""
    with localcontext(PRICING_CONTEXT):
        return _price(data)


def _price(data: PricingInput) -> PricedOrder:
    _check(data)
    ledger = TaxLedger(
        rates=data.tax_rates, country=data.tax_country, charges_tax=data.charges_tax
    )
    adjustments: list[PricedAdjustment] = []

    item_fees = _ItemFees(data)
    lines = tuple(
        _price_line(
            line=line,
            fees=item_fees.for_variant(line.variant_id) if line.carried else (),
            ledger=ledger,
            into=adjustments,
        )
        for line in data.lines
    )

    adjustments.extend(_order_fees(data=data, ledger=ledger))
    if data.shipping is not None:
        adjustments.extend(
            _method_fee(
                method=data.shipping,
                kind=AdjustmentKind.SHIPPING,
                lines=data.lines,
                ledger=ledger,
            )
        )
    if data.payment is not None:
        # A payment fee carries no tax, so it never reaches the ledger.
        adjustments.extend(
            _method_fee(
                method=data.payment,
                kind=AdjustmentKind.PAYMENT,
                lines=data.lines,
                ledger=None,
            )
        )
    adjustments.extend(_manual(data=data, ledger=ledger))

    return PricedOrder(
        lines=lines,
        adjustments=tuple(adjustments),
        taxes=ledger.summary(),
        totals=_totals(lines=lines, adjustments=adjustments),
    )


def _check(data: PricingInput) -> None:
    # These cannot come from a user's input once the fee forms have validated
    # it; meeting one means the database or its mapping is wrong, and a wrong
    # price is worse than an error.
    for exchange in data.incoming:
        _check_exchange(exchange=exchange, role=Role.SUPPLIER)
    if data.outgoing is not None:
        _check_exchange(exchange=data.outgoing, role=Role.DISTRIBUTOR)
    _check_fees(data.coordinator_fees)
    for method in (data.shipping, data.payment):
        if method is not None and method.calculator.kind not in METHOD_KINDS:
            raise PricingError(
                f"method {method.method_id}: calculator "
                f"{method.calculator.kind.value} is not for methods"
            )


def _check_exchange(*, exchange: Exchange, role: Role) -> None:
    if exchange.role is not role:
        raise PricingError(
            f"exchange {exchange.exchange_id}: role {exchange.role.value} "
            f"where {role.value} was expected"
        )
    _check_fees(exchange.fees)


def _check_fees(fees: Sequence[Fee]) -> None:
    for fee in fees:
        kind = fee.calculator.kind
        if kind not in FEE_KINDS:
            raise PricingError(
                f"fee {fee.fee_id}: calculator {kind.value} is not for fees"
            )
        # An order-level fee has no line to inherit a tax category from.
        if fee.inherits_tax and kind in PER_ORDER_KINDS:
            raise PricingError(
                f"fee {fee.fee_id}: a per-order fee cannot inherit the tax category"
            )


class _ItemFees:
    """The per-item fees of each variant, worked out once per variant."""

    __slots__ = ("_by_variant", "_coordinator", "_exchanges")

    def __init__(self, data: PricingInput) -> None:
        # Labels are built here, once per fee, rather than once per line.
        self._exchanges: list[tuple[frozenset[int], list[_ItemFee]]] = []
        for exchange in _exchanges(data):
            fees = _item_fees(
                fees=exchange.fees, role=exchange.role, locale=data.locale
            )
            if fees:
                self._exchanges.append((exchange.variant_ids, fees))
        self._coordinator = _item_fees(
            fees=data.coordinator_fees, role=Role.COORDINATOR, locale=data.locale
        )
        self._by_variant: dict[int, tuple[_ItemFee, ...]] = {}

    def for_variant(self, variant_id: int) -> tuple[_ItemFee, ...]:
        found = self._by_variant.get(variant_id)
        if found is None:
            gathered: list[_ItemFee] = []
            for variant_ids, fees in self._exchanges:
                if variant_id in variant_ids:
                    gathered.extend(fees)
            gathered.extend(self._coordinator)
            found = self._by_variant[variant_id] = tuple(gathered)
        return found


def _exchanges(data: PricingInput) -> list[Exchange]:
    """Return the supplier exchanges, then the distributor's if there is one."""
    if data.outgoing is None:
        return [*data.incoming]
    return [*data.incoming, data.outgoing]


def _item_fees(*, fees: Sequence[Fee], role: Role, locale: str) -> list[_ItemFee]:
    return [
        (
            fee,
            role,
            fee_label(
                fee_name=fee.name,
                role=role,
                enterprise_name=fee.enterprise_name,
                locale=locale,
            ),
        )
        for fee in fees
        if fee.calculator.kind not in PER_ORDER_KINDS
    ]


def _price_line(
    *,
    line: Line,
    fees: Sequence[_ItemFee],
    ledger: TaxLedger,
    into: list[PricedAdjustment],
) -> PricedLine:
    """Price one line and append its per-item fees to `into`."""
    amount = round2(line.unit_price * line.quantity)
    included, added = ledger.tax(amount=amount, category_id=line.tax_category_id)
    fee_total = ZERO
    for fee, role, label in fees:
        fee_amount = fee.calculator.amount((line,))
        if not fee_amount:
            continue
        fee_total += fee_amount
        category = line.tax_category_id if fee.inherits_tax else fee.tax_category_id
        fee_included, fee_added = ledger.tax(amount=fee_amount, category_id=category)
        into.append(
            PricedAdjustment(
                kind=AdjustmentKind.FEE,
                label=item_fee_label(product_name=line.product_name, fee_label=label),
                amount=fee_amount,
                line_key=line.key,
                tax_category_id=category,
                included_tax=fee_included,
                additional_tax=fee_added,
                fee_id=fee.fee_id,
                enterprise_id=fee.enterprise_id,
                fee_type=fee.fee_type,
                role=role,
            )
        )
    return PricedLine(
        key=line.key,
        amount=amount,
        fee_total=fee_total,
        included_tax=included,
        additional_tax=added,
        total_with_fees=amount + fee_total,
    )


def _order_fees(*, data: PricingInput, ledger: TaxLedger) -> Iterator[PricedAdjustment]:
    """Charge each exchange's per-order fees on the lines it carries."""
    for exchange in _exchanges(data):
        fees = [f for f in exchange.fees if f.calculator.kind in PER_ORDER_KINDS]
        if not fees:
            continue
        carried = [
            line
            for line in data.lines
            if line.carried and line.variant_id in exchange.variant_ids
        ]
        # An exchange none of whose variants were bought takes no part in the
        # order, so its fees do not either.
        if carried:
            yield from _charge_order_fees(
                fees=fees, role=exchange.role, lines=carried, data=data, ledger=ledger
            )
    in_cycle = [line for line in data.lines if line.carried]
    if in_cycle:
        fees = [
            f for f in data.coordinator_fees if f.calculator.kind in PER_ORDER_KINDS
        ]
        yield from _charge_order_fees(
            fees=fees, role=Role.COORDINATOR, lines=in_cycle, data=data, ledger=ledger
        )


def _charge_order_fees(
    *,
    fees: Sequence[Fee],
    role: Role,
    lines: Sequence[Line],
    data: PricingInput,
    ledger: TaxLedger,
) -> Iterator[PricedAdjustment]:
    for fee in fees:
        amount = fee.calculator.amount(lines)
        if not amount:
            continue
        included, added = ledger.tax(amount=amount, category_id=fee.tax_category_id)
        yield PricedAdjustment(
            kind=AdjustmentKind.FEE,
            label=fee_label(
                fee_name=fee.name,
                role=role,
                enterprise_name=fee.enterprise_name,
                locale=data.locale,
            ),
            amount=amount,
            line_key=None,
            tax_category_id=fee.tax_category_id,
            included_tax=included,
            additional_tax=added,
            fee_id=fee.fee_id,
            enterprise_id=fee.enterprise_id,
            fee_type=fee.fee_type,
            role=role,
        )


def _method_fee(
    *,
    method: Method,
    kind: AdjustmentKind,
    lines: Sequence[Line],
    ledger: TaxLedger | None,
) -> Iterator[PricedAdjustment]:
    """Charge a shipping or payment method's fee on the whole order.

    A payment fee is meant to be computed on the item total; computing it on
    all the lines gives the same amount for every calculator a payment method
    may use that reads amounts, and a sensible one for those that count items.
    """
    amount = method.calculator.amount(lines)
    if not amount:
        return
    category = method.tax_category_id if ledger is not None else None
    included = added = ZERO
    if ledger is not None:
        included, added = ledger.tax(amount=amount, category_id=category)
    yield PricedAdjustment(
        kind=kind,
        label=method.name,
        amount=amount,
        line_key=None,
        tax_category_id=category,
        included_tax=included,
        additional_tax=added,
        method_id=method.method_id,
    )


def _manual(*, data: PricingInput, ledger: TaxLedger) -> Iterator[PricedAdjustment]:
    # A manual row is kept even at zero: the manager typed it and expects to
    # see it.
    for manual in data.manual:
        amount = round2(manual.amount)
        included, added = ledger.tax(amount=amount, category_id=manual.tax_category_id)
        yield PricedAdjustment(
            kind=AdjustmentKind.MANUAL,
            label=manual.label,
            amount=amount,
            line_key=None,
            tax_category_id=manual.tax_category_id,
            included_tax=included,
            additional_tax=added,
            manual_key=manual.key,
        )


def _totals(
    *, lines: Sequence[PricedLine], adjustments: Sequence[PricedAdjustment]
) -> Totals:
    by_kind: dict[AdjustmentKind, Decimal] = dict.fromkeys(AdjustmentKind, ZERO)
    included = sum((line.included_tax for line in lines), ZERO)
    added = sum((line.additional_tax for line in lines), ZERO)
    for adjustment in adjustments:
        by_kind[adjustment.kind] += adjustment.amount
        included += adjustment.included_tax
        added += adjustment.additional_tax
    item_total = sum((line.amount for line in lines), ZERO)
    fee_total = by_kind[AdjustmentKind.FEE]
    shipping_total = by_kind[AdjustmentKind.SHIPPING]
    payment_fee_total = by_kind[AdjustmentKind.PAYMENT]
    manual_total = by_kind[AdjustmentKind.MANUAL]
    return Totals(
        item_total=item_total,
        fee_total=fee_total,
        shipping_total=shipping_total,
        payment_fee_total=payment_fee_total,
        manual_total=manual_total,
        included_tax=included,
        additional_tax=added,
        total=item_total
        + fee_total
        + shipping_total
        + payment_fee_total
        + manual_total
        + added,
    )
