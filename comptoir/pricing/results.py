"""What pricing returns: every adjustment, tax and total of an order."""

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from comptoir.pricing.inputs import Role
from comptoir.pricing.taxes import TaxSummary


class AdjustmentKind(StrEnum):
    """The type of a money row on an order; the values are stored."""

    FEE = "enterprise_fee"
    SHIPPING = "shipping"
    PAYMENT = "payment_fee"
    MANUAL = "manual"
    TAX = "tax"


@dataclass(frozen=True, slots=True)
class PricedAdjustment:
    """A fee, shipping, payment fee or manual row, with the tax on it.

    `line_key` is set for per-item fees only. `tax_category_id` is the
    category that taxed the row (the line's when a fee inherits it). The fee
    fields are set for fees only, `method_id` for shipping and payment, and
    `manual_key` for manual rows.
    """

    kind: AdjustmentKind
    label: str
    amount: Decimal
    line_key: Hashable | None
    tax_category_id: int | None
    included_tax: Decimal
    additional_tax: Decimal
    fee_id: int | None = None
    enterprise_id: int | None = None
    fee_type: str | None = None
    role: Role | None = None
    method_id: int | None = None
    manual_key: Hashable | None = None


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A line's amount, its per-item fees, and the tax on the line itself.

    The tax on the line's fees is on their adjustments, not here.
    """

    key: Hashable
    amount: Decimal
    fee_total: Decimal
    included_tax: Decimal
    additional_tax: Decimal
    total_with_fees: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    """The order's totals; included tax is shown, not added."""

    item_total: Decimal
    fee_total: Decimal
    shipping_total: Decimal
    payment_fee_total: Decimal
    manual_total: Decimal
    included_tax: Decimal
    additional_tax: Decimal
    total: Decimal

    @property
    def adjustment_total(self) -> Decimal:
        """Return everything but the items and the added tax."""
        return (
            self.fee_total
            + self.shipping_total
            + self.payment_fee_total
            + self.manual_total
        )


@dataclass(frozen=True, slots=True)
class PricedOrder:
    """A priced order. `taxes` has one row per rate charged."""

    lines: tuple[PricedLine, ...]
    adjustments: tuple[PricedAdjustment, ...]
    taxes: tuple[TaxSummary, ...]
    totals: Totals
