"""Time price_order on a 200-line order; the goal is a median under 5 ms.

Run with `.venv/bin/python bench/pricing_bench.py [runs]`. No Django needed.
"""

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

# Run as a script from anywhere: the package lives at the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from comptoir.pricing import (  # noqa: E402
    Calculator,
    CalculatorKind,
    Exchange,
    Fee,
    Line,
    ManualAdjustment,
    Method,
    PricingInput,
    Role,
    TaxRate,
    price_order,
)

GOAL_US = 5_000
LINES = 200
PRODUCERS = 8
FOOD, TRANSPORT, SERVICE = 1, 2, 3


def calculator(kind: CalculatorKind, **preferences: str) -> Calculator:
    values = {key: Decimal(value) for key, value in preferences.items()}
    return Calculator(kind=kind, preferences=values)


def fee(
    fee_id: int,
    *,
    calc: Calculator,
    category: int | None = None,
    inherits: bool = False,
) -> Fee:
    return Fee(
        fee_id=fee_id,
        name=f"Frais {fee_id}",
        enterprise_name=f"Entreprise {fee_id}",
        enterprise_id=fee_id,
        fee_type="admin",
        calculator=calc,
        tax_category_id=category,
        inherits_tax=inherits,
    )


def build_order() -> PricingInput:
    """200 lines from 8 producers, with 6 fees over the three roles."""
    lines = tuple(
        Line(
            key=n,
            variant_id=n % 150,
            product_name=f"Produit {n % 150}",
            unit_price=Decimal(150 + 37 * n % 900) / 100,
            quantity=1 + n % 7,
            weight_kg=Decimal("0.250") * (1 + n % 4) if n % 3 else None,
            tax_category_id=FOOD if n % 5 else SERVICE,
        )
        for n in range(LINES)
    )
    packing = fee(
        1,
        calc=calculator(CalculatorKind.FLAT_RATE_PER_ITEM, amount="0.10"),
        category=TRANSPORT,
    )
    incoming = tuple(
        Exchange(
            exchange_id=producer,
            role=Role.SUPPLIER,
            variant_ids=frozenset(range(producer, 150, PRODUCERS)),
            # Half the producers charge packing per item, one a delivery round.
            fees=(packing,) if producer % 2 else (),
        )
        for producer in range(PRODUCERS)
    )
    round_trip = fee(
        2,
        calc=calculator(
            CalculatorKind.FLEXIBLE_RATE,
            first_item="3",
            additional_item="0.2",
            max_items="20",
        ),
        category=TRANSPORT,
    )
    incoming = (
        *incoming[:-1],
        Exchange(
            exchange_id=PRODUCERS,
            role=Role.SUPPLIER,
            variant_ids=incoming[-1].variant_ids,
            fees=(round_trip,),
        ),
    )
    outgoing = Exchange(
        exchange_id=100,
        role=Role.DISTRIBUTOR,
        variant_ids=frozenset(range(150)),
        fees=(
            fee(
                3,
                calc=calculator(CalculatorKind.FLAT_PERCENT_PER_ITEM, percent="12"),
                inherits=True,
            ),
            fee(
                4,
                calc=calculator(CalculatorKind.FLAT_RATE, amount="2"),
                category=TRANSPORT,
            ),
        ),
    )
    coordinator = (
        fee(
            5,
            calc=calculator(CalculatorKind.FLAT_PERCENT_PER_ITEM, percent="3"),
            inherits=True,
        ),
        fee(6, calc=calculator(CalculatorKind.WEIGHT, per_kg="0.15"), category=SERVICE),
    )
    france = frozenset({"FR"})
    return PricingInput(
        lines=lines,
        incoming=incoming,
        outgoing=outgoing,
        coordinator_fees=coordinator,
        shipping=Method(
            method_id=1,
            name="Livraison",
            calculator=calculator(CalculatorKind.WEIGHT, per_kg="0.40"),
            tax_category_id=TRANSPORT,
        ),
        payment=Method(
            method_id=2,
            name="Carte",
            calculator=calculator(
                CalculatorKind.FLAT_PERCENT_ITEM_TOTAL, percent="1.5"
            ),
            tax_category_id=None,
        ),
        manual=(
            ManualAdjustment(
                key=1, label="Remise", amount=Decimal("-5"), tax_category_id=FOOD
            ),
        ),
        tax_rates=(
            TaxRate(FOOD, "TVA 5,5 %", Decimal("0.055"), True, france),
            TaxRate(TRANSPORT, "TVA 20 %", Decimal("0.2"), True, france),
            # Added on top of prices, to time that branch too.
            TaxRate(SERVICE, "Taxe de service", Decimal("0.021"), False, france),
        ),
        tax_country="FR",
        charges_tax=True,
    )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    data = build_order()
    order = price_order(data)
    for _ in range(20):  # warm-up: caches, allocator
        price_order(data)

    timings = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        price_order(data)
        timings.append((time.perf_counter_ns() - start) / 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]

    print(  # noqa: T201
        f"{len(order.lines)} lines, {len(order.adjustments)} adjustments, "
        f"total {order.totals.total}"
    )
    print(f"runs {runs}  median {median:.0f} µs  p95 {p95:.0f} µs")  # noqa: T201
    verdict = "met" if median < GOAL_US else "NOT met"
    print(f"goal: median < 5 ms for {LINES} lines: {verdict}")  # noqa: T201


if __name__ == "__main__":
    main()
