"""Pure pricing: calculators, fee selection, taxes and totals (DESIGN §3).

Nothing here imports Django: the orders service maps the database to a
`PricingInput`, calls `price_order` and writes the result back.
"""

from comptoir.pricing.calculators import (
    FEE_KINDS,
    METHOD_KINDS,
    PER_ORDER_KINDS,
    PREFERENCE_KEYS,
    Calculator,
    CalculatorKind,
    Item,
    PreferenceError,
    validate_preferences,
)
from comptoir.pricing.engine import PricingError, price_order
from comptoir.pricing.inputs import (
    Exchange,
    Fee,
    Line,
    ManualAdjustment,
    Method,
    PricingInput,
    Role,
)
from comptoir.pricing.labels import fee_label, item_fee_label, role_word
from comptoir.pricing.money import round2, to_decimal
from comptoir.pricing.results import (
    AdjustmentKind,
    PricedAdjustment,
    PricedLine,
    PricedOrder,
    Totals,
)
from comptoir.pricing.taxes import TaxRate, TaxSummary, added_tax, included_tax

__all__ = [
    "FEE_KINDS",
    "METHOD_KINDS",
    "PER_ORDER_KINDS",
    "PREFERENCE_KEYS",
    "AdjustmentKind",
    "Calculator",
    "CalculatorKind",
    "Exchange",
    "Fee",
    "Item",
    "Line",
    "ManualAdjustment",
    "Method",
    "PreferenceError",
    "PricedAdjustment",
    "PricedLine",
    "PricedOrder",
    "PricingError",
    "PricingInput",
    "Role",
    "TaxRate",
    "TaxSummary",
    "Totals",
    "added_tax",
    "fee_label",
    "included_tax",
    "item_fee_label",
    "price_order",
    "role_word",
    "round2",
    "to_decimal",
    "validate_preferences",
]
