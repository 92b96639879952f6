"""Properties that hold for any order, checked on generated ones."""

import math
from dataclasses import replace
from decimal import Decimal
from random import Random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.pricing import (
    FEE_KINDS,
    METHOD_KINDS,
    PER_ORDER_KINDS,
    PREFERENCE_KEYS,
    AdjustmentKind,
    Calculator,
    CalculatorKind,
    Exchange,
    Fee,
    Line,
    ManualAdjustment,
    Method,
    PricedAdjustment,
    PricedLine,
    PricedOrder,
    PricingInput,
    Role,
    TaxRate,
    price_order,
    round2,
)

VARIANTS = (1, 2, 3, 4, 5)
CATEGORIES = (1, 2)
ZERO = Decimal("0.00")

cents = st.decimals(min_value=0, max_value=200, places=2)

# No deadline: a slow CI runner must not turn into a failure.
generated = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def calculators(draw: st.DrawFn, kinds: frozenset[CalculatorKind]) -> Calculator:
    kind = draw(st.sampled_from(sorted(kinds)))
    preferences = {}
    for key in PREFERENCE_KEYS[kind]:
        if key == "max_items":
            preferences[key] = Decimal(draw(st.integers(0, 10)))
        elif key == "percent":
            preferences[key] = draw(st.decimals(0, 50, places=1))
        else:
            preferences[key] = draw(st.decimals(0, 20, places=2))
    return Calculator(kind=kind, preferences=preferences)


@st.composite
def fees(draw: st.DrawFn) -> Fee:
    calculator = draw(calculators(FEE_KINDS))
    inherits = calculator.kind not in PER_ORDER_KINDS and draw(st.booleans())
    return Fee(
        fee_id=draw(st.integers(1, 1000)),
        name=draw(st.sampled_from(["Emballage", "Gestion", "Transport"])),
        enterprise_name="Ferme",
        enterprise_id=draw(st.integers(1, 5)),
        fee_type="admin",
        calculator=calculator,
        tax_category_id=draw(st.sampled_from((None, *CATEGORIES))),
        inherits_tax=inherits,
    )


@st.composite
def lines(draw: st.DrawFn) -> Line:
    weight = draw(st.none() | st.decimals(0, 5, places=3))
    return Line(
        key=draw(st.uuids()),
        variant_id=draw(st.sampled_from(VARIANTS)),
        product_name="Produit",
        unit_price=draw(cents),
        quantity=draw(st.integers(0, 20)),
        weight_kg=weight,
        tax_category_id=draw(st.sampled_from((None, *CATEGORIES))),
    )


@st.composite
def exchanges(draw: st.DrawFn, role: Role) -> Exchange:
    return Exchange(
        exchange_id=draw(st.integers(1, 100)),
        role=role,
        variant_ids=frozenset(draw(st.sets(st.sampled_from(VARIANTS)))),
        fees=tuple(draw(st.lists(fees(), max_size=3))),
    )


@st.composite
def methods(draw: st.DrawFn) -> Method:
    return Method(
        method_id=draw(st.integers(1, 10)),
        name="Méthode",
        calculator=draw(calculators(METHOD_KINDS)),
        tax_category_id=draw(st.sampled_from((None, *CATEGORIES))),
    )


@st.composite
def tax_rates(draw: st.DrawFn) -> tuple[TaxRate, ...]:
    return tuple(
        TaxRate(
            category_id=category,
            name="TVA",
            rate=draw(st.decimals(0, "0.3", places=3)),
            included=draw(st.booleans()),
            countries=frozenset({"FR", "BE"}),
        )
        for category in CATEGORIES
    )


@st.composite
def orders(draw: st.DrawFn) -> PricingInput:
    manual = [
        ManualAdjustment(
            key=n,
            label="Ajustement",
            amount=draw(st.decimals(-50, 50, places=2)),
            tax_category_id=draw(st.sampled_from((None, *CATEGORIES))),
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    return PricingInput(
        lines=tuple(draw(st.lists(lines(), max_size=8))),
        incoming=tuple(draw(st.lists(exchanges(Role.SUPPLIER), max_size=3))),
        outgoing=draw(st.none() | exchanges(Role.DISTRIBUTOR)),
        coordinator_fees=tuple(draw(st.lists(fees(), max_size=3))),
        shipping=draw(st.none() | methods()),
        payment=draw(st.none() | methods()),
        manual=tuple(manual),
        tax_rates=draw(tax_rates()),
        tax_country=draw(st.sampled_from(["FR", "DE", None])),
        charges_tax=draw(st.booleans()),
        locale=draw(st.sampled_from(["fr", "en"])),
    )


def amounts(order: PricedOrder, kind: AdjustmentKind) -> Decimal:
    return sum((a.amount for a in order.adjustments if a.kind is kind), ZERO)


def order_fees(order: PricedOrder) -> list[tuple[int | None, Decimal]]:
    return [
        (a.fee_id, a.amount)
        for a in order.adjustments
        if a.kind is AdjustmentKind.FEE and a.line_key is None
    ]


def item_fee_total(order: PricedOrder) -> Decimal:
    return sum((line.fee_total for line in order.lines), ZERO)


@generated
@given(orders())
def test_totals_are_the_sum_of_their_parts(data: PricingInput) -> None:
    order = price_order(data)
    totals = order.totals
    everything: list[PricedLine | PricedAdjustment] = [
        *order.lines,
        *order.adjustments,
    ]

    assert totals.item_total == sum((line.amount for line in order.lines), ZERO)
    assert totals.fee_total == amounts(order, AdjustmentKind.FEE)
    assert totals.shipping_total == amounts(order, AdjustmentKind.SHIPPING)
    assert totals.payment_fee_total == amounts(order, AdjustmentKind.PAYMENT)
    assert totals.manual_total == amounts(order, AdjustmentKind.MANUAL)
    assert totals.included_tax == sum((x.included_tax for x in everything), ZERO)
    assert totals.additional_tax == sum((x.additional_tax for x in everything), ZERO)
    assert totals.total == (
        totals.item_total + totals.adjustment_total + totals.additional_tax
    )
    assert totals.included_tax == sum(
        (t.amount for t in order.taxes if t.included), ZERO
    )
    assert totals.additional_tax == sum(
        (t.amount for t in order.taxes if not t.included), ZERO
    )
    for line in order.lines:
        fees = [a.amount for a in order.adjustments if a.line_key == line.key]
        assert line.fee_total == sum(fees, ZERO)
        assert line.total_with_fees == line.amount + line.fee_total


@generated
@given(orders())
def test_included_tax_never_changes_the_total(data: PricingInput) -> None:
    included = replace(
        data, tax_rates=tuple(replace(r, included=True) for r in data.tax_rates)
    )
    untaxed = replace(
        data, tax_rates=tuple(replace(r, rate=Decimal(0)) for r in data.tax_rates)
    )

    assert price_order(included).totals.total == price_order(untaxed).totals.total


@generated
@given(orders(), st.randoms(use_true_random=False))
def test_per_order_fees_ignore_how_quantities_are_split(
    data: PricingInput, random: Random
) -> None:
    split: list[Line] = []
    for line in data.lines:
        first = random.randint(0, line.quantity)
        split.append(replace(line, quantity=first))
        split.append(replace(line, key=(line.key, 2), quantity=line.quantity - first))

    whole = price_order(data)
    parts = price_order(replace(data, lines=tuple(split)))

    assert order_fees(parts) == order_fees(whole)


@generated
@given(orders(), lines())
def test_adding_a_line_never_lowers_per_item_fees(
    data: PricingInput, extra: Line
) -> None:
    before = price_order(data)

    after = price_order(replace(data, lines=(*data.lines, extra)))

    assert item_fee_total(after) >= item_fee_total(before)


@generated
@given(orders())
def test_every_amount_is_in_cents(data: PricingInput) -> None:
    order = price_order(data)
    totals = order.totals

    found = [
        *(totals.item_total, totals.fee_total, totals.shipping_total),
        *(totals.payment_fee_total, totals.manual_total, totals.total),
        *(totals.included_tax, totals.additional_tax),
        *(t.amount for t in order.taxes),
    ]
    for line in order.lines:
        found += [line.amount, line.fee_total, line.included_tax]
        found += [line.additional_tax, line.total_with_fees]
    for adjustment in order.adjustments:
        found += [adjustment.amount, adjustment.included_tax]
        found += [adjustment.additional_tax]

    assert {amount.as_tuple().exponent for amount in found} <= {-2}


@settings(generated, max_examples=500)
@given(st.decimals(min_value=-10_000, max_value=10_000, places=4))
def test_round2_is_half_up(value: Decimal) -> None:
    # Halves go away from zero: compare with the integer arithmetic rule.
    hundredths = abs(value) * 100
    expected = Decimal(math.floor(hundredths + Decimal("0.5"))) / 100
    expected = expected.copy_sign(value) if expected else expected

    assert round2(value) == expected
    assert round2(value).as_tuple().exponent == -2
