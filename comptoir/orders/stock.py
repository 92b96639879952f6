"""Stock of a variant at a hub: what is left, and taking or giving it back.

A hub's override wins over the producer's figures: its price, its stock
(when it keeps one) and its on-demand flag (when set). A variant on demand is
always available and its stock never moves.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import FilteredRelation, Q

from comptoir.catalogue.models import Variant, VariantOverride
from comptoir.enterprises.models import Enterprise


@dataclass(frozen=True, slots=True)
class Availability:
    """A variant as one hub sells it. `stock` is None when on demand."""

    variant_id: int
    price: Decimal
    stock: int | None
    on_demand: bool

    @property
    def available(self) -> bool:
        return self.on_demand or (self.stock or 0) > 0

    def can_supply(self, quantity: int) -> bool:
        return self.on_demand or quantity <= (self.stock or 0)


def resolve(
    *,
    variant_id: int,
    price: Decimal,
    stock: int,
    on_demand: bool,
    override_price: Decimal | None,
    override_stock: int | None,
    override_on_demand: bool | None,
) -> Availability:
    """Combine a variant's own figures with the hub's override, if any."""
    if override_on_demand is not None:
        on_demand = override_on_demand
    if override_stock is not None:
        stock = override_stock
    return Availability(
        variant_id=variant_id,
        price=override_price if override_price is not None else price,
        stock=None if on_demand else stock,
        on_demand=on_demand,
    )


def with_hub_override(queryset, *, hub: Enterprise):
    """Join each variant to `hub`'s override (at most one) as "hub_override"."""
    return queryset.annotate(
        hub_override=FilteredRelation("overrides", condition=Q(overrides__hub=hub))
    )


AVAILABILITY_FIELDS = (
    "id",
    "price",
    "stock",
    "on_demand",
    "hub_override__price",
    "hub_override__stock",
    "hub_override__on_demand",
)


def from_values(row: Mapping) -> Availability:
    """Build an Availability from a row of `AVAILABILITY_FIELDS`."""
    return resolve(
        variant_id=row["id"],
        price=row["price"],
        stock=row["stock"],
        on_demand=row["on_demand"],
        override_price=row["hub_override__price"],
        override_stock=row["hub_override__stock"],
        override_on_demand=row["hub_override__on_demand"],
    )


def availability(
    *, hub: Enterprise, variant_ids: Iterable[int]
) -> dict[int, Availability]:
    """Return price, stock and on-demand of each variant at `hub`, in one query."""
    ids = set(variant_ids)
    if not ids:
        return {}
    rows = with_hub_override(Variant.objects.filter(id__in=ids), hub=hub).values(
        *AVAILABILITY_FIELDS
    )
    return {row["id"]: from_values(row) for row in rows}


class LockedStock:
    """Stock rows of some variants at one hub, locked until the transaction ends.

    Rows are locked in primary-key order, variants first and then overrides,
    the same order in every transaction: two placements that need the same
    variants queue up instead of deadlocking, and the second one sees what the
    first took.
    """

    def __init__(self, *, hub: Enterprise, variant_ids: Iterable[int]) -> None:
        ids = sorted(set(variant_ids))
        self._variants: dict[int, Variant] = {
            variant.id: variant
            for variant in Variant.objects.select_for_update()
            .filter(id__in=ids)
            .order_by("id")
        }
        self._overrides: dict[int, VariantOverride] = {
            override.variant_id: override
            for override in VariantOverride.objects.select_for_update()
            .filter(hub=hub, variant_id__in=ids)
            .order_by("id")
        }
        self._moved: set[int] = set()

    def get(self, variant_id: int) -> Availability:
        variant = self._variants[variant_id]
        override = self._overrides.get(variant_id)
        return resolve(
            variant_id=variant_id,
            price=variant.price,
            stock=variant.stock,
            on_demand=variant.on_demand,
            override_price=override.price if override else None,
            override_stock=override.stock if override else None,
            override_on_demand=override.on_demand if override else None,
        )

    def take(self, variant_id: int, quantity: int) -> None:
        """Take `quantity` units (give back when negative); checked by the caller."""
        if not quantity:
            return
        override = self._overrides.get(variant_id)
        if override is not None and override.stock is not None:
            override.stock -= quantity
        else:
            variant = self._variants[variant_id]
            variant.stock -= quantity
        self._moved.add(variant_id)

    def save(self) -> None:
        """Write the stock that moved: one UPDATE per table at most."""
        variants = []
        overrides = []
        for variant_id in sorted(self._moved):
            override = self._overrides.get(variant_id)
            if override is not None and override.stock is not None:
                overrides.append(override)
            else:
                variants.append(self._variants[variant_id])
        if variants:
            Variant.objects.bulk_update(variants, ["stock"])
        if overrides:
            VariantOverride.objects.bulk_update(overrides, ["stock"])
        self._moved.clear()
