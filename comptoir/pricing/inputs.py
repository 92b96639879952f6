"""What an order is priced from: plain values mapped from the database."""

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from comptoir.pricing.calculators import Calculator
from comptoir.pricing.taxes import TaxRate


class Role(StrEnum):
    """Who takes a fee in an order cycle."""

    SUPPLIER = "supplier"
    DISTRIBUTOR = "distributor"
    COORDINATOR = "coordinator"


@dataclass(frozen=True, slots=True)
class Line:
    """An order line; prices and names are the ones copied onto the line.

    `carried` is False when the cycle no longer distributes the line's variant
    to the order's distributor: the line keeps its price and tax but takes no
    enterprise fee at all, not even the coordinator's.
    """

    key: Hashable
    variant_id: int
    product_name: str
    unit_price: Decimal
    quantity: int
    weight_kg: Decimal | None
    tax_category_id: int | None
    carried: bool = True

    def __post_init__(self) -> None:
        # A negative quantity would turn every fee on the line into a refund.
        if self.quantity < 0:
            raise ValueError(f"line {self.key!r}: negative quantity")


@dataclass(frozen=True, slots=True)
class Fee:
    """An enterprise fee as attached to an exchange or to the coordinator."""

    fee_id: int
    name: str
    enterprise_name: str
    enterprise_id: int
    fee_type: str
    calculator: Calculator
    tax_category_id: int | None
    inherits_tax: bool


@dataclass(frozen=True, slots=True)
class Exchange:
    """An order cycle exchange: the variants it carries and its fees."""

    exchange_id: int
    role: Role
    variant_ids: frozenset[int]
    fees: tuple[Fee, ...]


@dataclass(frozen=True, slots=True)
class Method:
    """A shipping or payment method with its fee calculator."""

    method_id: int
    name: str
    calculator: Calculator
    tax_category_id: int | None


@dataclass(frozen=True, slots=True)
class ManualAdjustment:
    """A line a manager typed: a commission, a discount (negative)."""

    key: Hashable
    label: str
    amount: Decimal
    tax_category_id: int | None


@dataclass(frozen=True, slots=True)
class PricingInput:
    """Everything that decides an order's price.

    `incoming` are the cycle's supplier exchanges; `outgoing` is the exchange
    to the order's distributor (None when the cycle has none). `tax_rates`
    holds every rate of the categories involved; `tax_country` is the country
    of the tax address, None when there is none (then nothing is taxed).
    """

    lines: tuple[Line, ...]
    incoming: tuple[Exchange, ...]
    outgoing: Exchange | None
    coordinator_fees: tuple[Fee, ...]
    shipping: Method | None
    payment: Method | None
    manual: tuple[ManualAdjustment, ...]
    tax_rates: tuple[TaxRate, ...]
    tax_country: str | None
    charges_tax: bool
    locale: str = "fr"
