"""The worked example of DESIGN §3, built as plain pricing input."""

from dataclasses import replace
from decimal import Decimal

from comptoir.pricing import (
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
)

TVA_5_5 = 1
TVA_20 = 2

CARROTS, CARROTS_BUNCH, COMTE, BAGUETTE = 101, 102, 201, 301
PANIER_LOCAL, TILLEULS, FROMAGERIE, BOULANGERIE = 10, 20, 30, 40


def calculator(kind: CalculatorKind, **preferences: str) -> Calculator:
    """Build a calculator from preferences typed as strings."""
    return Calculator(
        kind=kind,
        preferences={key: Decimal(value) for key, value in preferences.items()},
    )


def line(
    key: int,
    *,
    variant_id: int,
    name: str,
    price: str,
    quantity: int,
    weight_kg: str | None = None,
    tax_category_id: int | None = TVA_5_5,
) -> Line:
    return Line(
        key=key,
        variant_id=variant_id,
        product_name=name,
        unit_price=Decimal(price),
        quantity=quantity,
        weight_kg=None if weight_kg is None else Decimal(weight_kg),
        tax_category_id=tax_category_id,
    )


def fee(
    fee_id: int,
    *,
    name: str,
    enterprise: str,
    enterprise_id: int,
    fee_type: str,
    calc: Calculator,
    tax_category_id: int | None = None,
    inherits_tax: bool = False,
) -> Fee:
    return Fee(
        fee_id=fee_id,
        name=name,
        enterprise_name=enterprise,
        enterprise_id=enterprise_id,
        fee_type=fee_type,
        calculator=calc,
        tax_category_id=tax_category_id,
        inherits_tax=inherits_tax,
    )


def rates(*, included: bool = True) -> tuple[TaxRate, ...]:
    """The two French VAT rates, included in prices unless told otherwise."""
    france = frozenset({"FR"})
    return (
        TaxRate(
            category_id=TVA_5_5,
            name="TVA 5,5 %",
            rate=Decimal("0.055"),
            included=included,
            countries=france,
        ),
        TaxRate(
            category_id=TVA_20,
            name="TVA 20 %",
            rate=Decimal("0.2"),
            included=included,
            countries=france,
        ),
    )


MANAGEMENT = fee(
    1,
    name="Frais de gestion",
    enterprise="Le Panier Local",
    enterprise_id=PANIER_LOCAL,
    fee_type="admin",
    calc=calculator(CalculatorKind.FLAT_PERCENT_PER_ITEM, percent="10"),
    inherits_tax=True,
)
PACKING = fee(
    2,
    name="Emballage",
    enterprise="Ferme des Tilleuls",
    enterprise_id=TILLEULS,
    fee_type="packing",
    calc=calculator(CalculatorKind.FLAT_RATE_PER_ITEM, amount="0.10"),
)
LOGISTICS = fee(
    3,
    name="Logistique",
    enterprise="Le Panier Local",
    enterprise_id=PANIER_LOCAL,
    fee_type="transport",
    calc=calculator(CalculatorKind.FLAT_RATE, amount="2.00"),
    tax_category_id=TVA_20,
)


def worked_example() -> PricingInput:
    """Carrots, Comté and baguettes from the Ferme des Tilleuls' cycle."""
    lines = (
        line(1, variant_id=CARROTS, name="Carottes", price="2.50", quantity=2),
        line(2, variant_id=COMTE, name="Comté", price="6.80", quantity=1),
        line(3, variant_id=BAGUETTE, name="Baguette", price="1.30", quantity=3),
    )
    incoming = (
        Exchange(
            exchange_id=1,
            role=Role.SUPPLIER,
            variant_ids=frozenset({CARROTS, CARROTS_BUNCH}),
            fees=(PACKING,),
        ),
        Exchange(
            exchange_id=2,
            role=Role.SUPPLIER,
            variant_ids=frozenset({COMTE}),
            fees=(),
        ),
        Exchange(
            exchange_id=3,
            role=Role.SUPPLIER,
            variant_ids=frozenset({BAGUETTE}),
            fees=(),
        ),
    )
    outgoing = Exchange(
        exchange_id=4,
        role=Role.DISTRIBUTOR,
        variant_ids=frozenset({CARROTS, CARROTS_BUNCH, COMTE, BAGUETTE}),
        fees=(LOGISTICS,),
    )
    return PricingInput(
        lines=lines,
        incoming=incoming,
        outgoing=outgoing,
        coordinator_fees=(MANAGEMENT,),
        shipping=Method(
            method_id=1,
            name="Livraison à domicile",
            calculator=calculator(CalculatorKind.FLAT_RATE, amount="5.00"),
            tax_category_id=TVA_20,
        ),
        payment=Method(
            method_id=2,
            name="Carte bancaire (TPE)",
            calculator=calculator(
                CalculatorKind.FLAT_PERCENT_ITEM_TOTAL, percent="1.5"
            ),
            tax_category_id=None,
        ),
        manual=(
            ManualAdjustment(
                key="commission",
                label="Commission",
                amount=Decimal("1.50"),
                tax_category_id=None,
            ),
        ),
        tax_rates=rates(),
        tax_country="FR",
        charges_tax=True,
    )


def with_added_tax(data: PricingInput) -> PricingInput:
    """Return `data` with its rates added to prices instead of included."""
    return replace(data, tax_rates=rates(included=False))
