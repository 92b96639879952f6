"""Which fees apply to which lines, and the inputs that cannot be priced."""

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from comptoir.pricing import (
    AdjustmentKind,
    CalculatorKind,
    Exchange,
    Fee,
    ManualAdjustment,
    Method,
    PricingError,
    PricingInput,
    Role,
    price_order,
)

from .builders import (
    BAGUETTE,
    BOULANGERIE,
    CARROTS,
    COMTE,
    FROMAGERIE,
    LOGISTICS,
    MANAGEMENT,
    PACKING,
    TVA_5_5,
    TVA_20,
    calculator,
    fee,
    line,
    rates,
    worked_example,
)

FLEXIBLE = calculator(
    CalculatorKind.FLEXIBLE_RATE, first_item="1", additional_item="0.5", max_items="10"
)
CHEESE_DELIVERY = fee(
    10,
    name="Tournée",
    enterprise="Fromagerie",
    enterprise_id=FROMAGERIE,
    fee_type="transport",
    calc=FLEXIBLE,
)


def bare(**changes: Any) -> PricingInput:
    """The worked example without fees, methods, manual rows or taxes."""
    data = replace(
        worked_example(),
        incoming=(),
        outgoing=None,
        coordinator_fees=(),
        shipping=None,
        payment=None,
        manual=(),
        tax_rates=(),
    )
    return replace(data, **changes)


def supplier(
    exchange_id: int, *variant_ids: int, fees: tuple[Fee, ...] = ()
) -> Exchange:
    return Exchange(
        exchange_id=exchange_id,
        role=Role.SUPPLIER,
        variant_ids=frozenset(variant_ids),
        fees=fees,
    )


def fee_rows(data: PricingInput) -> list[tuple[object, int | None, Decimal]]:
    return [
        (a.line_key, a.fee_id, a.amount)
        for a in price_order(data).adjustments
        if a.kind is AdjustmentKind.FEE
    ]


def test_supplier_per_order_fee_counts_only_its_own_lines() -> None:
    # The cheese maker's exchange carries the Comté (1 unit) only, not the
    # 5 other units, unlike OFN which charges it on the whole order.
    data = bare(incoming=(supplier(1, COMTE, fees=(CHEESE_DELIVERY,)),))

    assert fee_rows(data) == [(None, 10, Decimal("1.00"))]


def test_exchange_carrying_none_of_the_lines_charges_nothing() -> None:
    data = bare(
        lines=bare().lines[:1],
        incoming=(supplier(1, COMTE, fees=(CHEESE_DELIVERY,)),),
    )

    assert fee_rows(data) == []


def test_coordinator_per_order_fee_is_charged_on_all_lines() -> None:
    coordinator_fee = replace(CHEESE_DELIVERY, fee_id=11)

    # 6 units: 1 + 5 × 0.5.
    assert fee_rows(bare(coordinator_fees=(coordinator_fee,))) == [
        (None, 11, Decimal("3.50"))
    ]


def test_empty_order_takes_no_coordinator_fee() -> None:
    data = bare(lines=(), coordinator_fees=(LOGISTICS,))

    assert fee_rows(data) == []


def test_distributor_per_item_fee_only_on_carried_variants() -> None:
    per_item = replace(PACKING, fee_id=12, enterprise_name="Le Panier Local")
    outgoing = Exchange(
        exchange_id=4,
        role=Role.DISTRIBUTOR,
        variant_ids=frozenset({COMTE, BAGUETTE}),
        fees=(per_item,),
    )

    assert fee_rows(bare(outgoing=outgoing)) == [
        (2, 12, Decimal("0.10")),
        (3, 12, Decimal("0.30")),
    ]


def test_a_variant_coming_through_two_suppliers_takes_both_fees() -> None:
    second = replace(PACKING, fee_id=13, enterprise_id=BOULANGERIE)
    data = bare(
        incoming=(
            supplier(1, CARROTS, fees=(PACKING,)),
            supplier(2, CARROTS, fees=(second,)),
        )
    )

    assert fee_rows(data) == [(1, 2, Decimal("0.20")), (1, 13, Decimal("0.20"))]


def test_zero_fees_are_not_shown() -> None:
    free = replace(PACKING, calculator=calculator(CalculatorKind.NONE))
    free_shipping = Method(
        method_id=1,
        name="Retrait",
        calculator=calculator(CalculatorKind.FLAT_RATE, amount="0"),
        tax_category_id=TVA_20,
    )
    data = bare(coordinator_fees=(free,), shipping=free_shipping)

    order = price_order(data)

    assert order.adjustments == ()
    assert order.totals.total == Decimal("15.70")


def test_a_negative_fee_is_a_discount() -> None:
    discount = replace(
        PACKING,
        calculator=calculator(CalculatorKind.FLAT_PERCENT_PER_ITEM, percent="-10"),
    )

    order = price_order(bare(coordinator_fees=(discount,)))

    assert order.totals.fee_total == Decimal("-1.57")
    assert order.totals.total == Decimal("14.13")


def test_inheriting_fee_on_an_untaxed_line_is_untaxed() -> None:
    data = bare(
        lines=(
            line(
                1,
                variant_id=CARROTS,
                name="Carottes",
                price="2.50",
                quantity=2,
                tax_category_id=None,
            ),
        ),
        coordinator_fees=(MANAGEMENT,),
        tax_rates=rates(),
    )

    (adjustment,) = price_order(data).adjustments

    assert adjustment.tax_category_id is None
    assert adjustment.included_tax == Decimal("0.00")


def test_payment_fee_is_never_taxed() -> None:
    payment = Method(
        method_id=2,
        name="Chèque",
        calculator=calculator(CalculatorKind.FLAT_RATE, amount="1.00"),
        tax_category_id=TVA_20,
    )

    order = price_order(bare(payment=payment, tax_rates=rates(included=False)))

    (adjustment,) = order.adjustments
    assert (adjustment.amount, adjustment.additional_tax) == (
        Decimal("1.00"),
        Decimal("0.00"),
    )
    assert adjustment.tax_category_id is None
    assert order.totals.additional_tax == Decimal("0.86")


def test_manual_discount_lowers_the_tax() -> None:
    discount = ManualAdjustment(
        key=7, label="Remise", amount=Decimal("-1.00"), tax_category_id=TVA_20
    )

    order = price_order(bare(manual=(discount,), tax_rates=rates(included=False)))

    (adjustment,) = order.adjustments
    assert (adjustment.manual_key, adjustment.additional_tax) == (7, Decimal("-0.20"))
    assert order.totals.total == Decimal("15.70") + Decimal("-1.00") + Decimal("0.66")


def test_manual_row_at_zero_is_kept() -> None:
    nothing = ManualAdjustment(
        key=8, label="Geste", amount=Decimal("0"), tax_category_id=None
    )

    (adjustment,) = price_order(bare(manual=(nothing,))).adjustments

    assert adjustment.amount == Decimal("0.00")


def test_two_rates_in_one_category_both_apply() -> None:
    extra = replace(
        rates()[0], name="Taxe locale", rate=Decimal("0.01"), included=False
    )

    order = price_order(bare(tax_rates=(*rates(), extra)))

    assert order.totals.included_tax == Decimal("0.81")
    # 1 % of 5.00, 6.80 and 3.90, each rounded.
    assert order.totals.additional_tax == Decimal("0.16")
    assert [t.rate_name for t in order.taxes] == ["TVA 5,5 %", "Taxe locale"]
    assert order.taxes[0].category_id == TVA_5_5


def test_unknown_locale_falls_back_to_french() -> None:
    data = bare(coordinator_fees=(LOGISTICS,), locale="de-DE")

    (adjustment,) = price_order(data).adjustments

    assert adjustment.label == "Logistique, marge coordinateur Le Panier Local"


def test_per_order_fee_inheriting_tax_is_refused() -> None:
    inheriting = replace(LOGISTICS, inherits_tax=True)

    with pytest.raises(PricingError, match="inherit"):
        price_order(bare(coordinator_fees=(inheriting,)))


def test_fee_with_a_method_only_calculator_is_refused() -> None:
    wrong = replace(
        PACKING,
        calculator=calculator(CalculatorKind.FLAT_PERCENT_ITEM_TOTAL, percent="5"),
    )

    with pytest.raises(PricingError):
        price_order(bare(incoming=(supplier(1, CARROTS, fees=(wrong,)),)))


def test_method_with_a_fee_only_calculator_is_refused() -> None:
    shipping = Method(
        method_id=1,
        name="Livraison",
        calculator=calculator(CalculatorKind.FLAT_PERCENT_PER_ITEM, percent="5"),
        tax_category_id=None,
    )

    with pytest.raises(PricingError):
        price_order(bare(shipping=shipping))


def test_exchange_in_the_wrong_place_is_refused() -> None:
    outgoing = replace(supplier(1, CARROTS), role=Role.SUPPLIER)

    with pytest.raises(PricingError, match="role"):
        price_order(bare(outgoing=outgoing))


def test_negative_quantity_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        line(1, variant_id=CARROTS, name="Carottes", price="2.50", quantity=-1)
