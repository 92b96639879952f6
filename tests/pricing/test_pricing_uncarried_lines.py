"""A line the cycle no longer carries keeps its price but takes no fee."""

from dataclasses import replace
from decimal import Decimal

from comptoir.pricing import AdjustmentKind, CalculatorKind, PricingInput, price_order

from .builders import COMTE, calculator, fee, worked_example


def _without_comte_carried() -> PricingInput:
    data = worked_example()
    lines = tuple(
        replace(line, carried=line.variant_id != COMTE) for line in data.lines
    )
    return replace(data, lines=lines)


def test_uncarried_line_keeps_price_and_tax_but_takes_no_fee() -> None:
    # Given the worked example where the cycle stopped distributing the Comté
    data = _without_comte_carried()

    # When it is priced
    order = price_order(data)

    # Then the Comté line is still sold at its price, with its tax...
    comte = next(line for line in order.lines if line.key == 2)
    assert comte.amount == Decimal("6.80")
    assert comte.included_tax == Decimal("0.35")
    # ...but no fee is charged on it, the coordinator's included
    assert comte.fee_total == Decimal("0.00")
    assert [a for a in order.adjustments if a.line_key == 2] == []
    # The management fee of the two other lines stays: 0.50 + 0.39
    assert order.totals.fee_total == Decimal("0.20") + Decimal("0.89") + Decimal("2.00")
    assert order.totals.item_total == Decimal("15.70")


def test_coordinator_per_order_fee_counts_only_carried_lines() -> None:
    # Given a coordinator fee per order counting items (flexible rate 1 + 1)
    per_order = fee(
        9,
        name="Tri",
        enterprise="Le Panier Local",
        enterprise_id=10,
        fee_type="admin",
        calc=calculator(
            CalculatorKind.FLEXIBLE_RATE,
            first_item="1",
            additional_item="1",
            max_items="100",
        ),
    )
    data = replace(_without_comte_carried(), coordinator_fees=(per_order,))

    # When it is priced
    order = price_order(data)

    # Then the fee counts the 2 carrots and 3 baguettes, not the Comté
    [row] = [a for a in order.adjustments if a.fee_id == 9]
    assert row.kind is AdjustmentKind.FEE
    assert row.amount == Decimal("5.00")


def test_no_carried_line_means_no_coordinator_per_order_fee() -> None:
    per_order = fee(
        9,
        name="Tri",
        enterprise="Le Panier Local",
        enterprise_id=10,
        fee_type="admin",
        calc=calculator(CalculatorKind.FLAT_RATE, amount="3"),
    )
    data = worked_example()
    data = replace(
        data,
        lines=tuple(replace(line, carried=False) for line in data.lines),
        coordinator_fees=(per_order,),
    )

    order = price_order(data)

    assert order.totals.fee_total == Decimal("0.00")
    assert order.totals.item_total == Decimal("15.70")
