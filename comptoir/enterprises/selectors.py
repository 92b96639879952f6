"""The one access rule: what a user may see and change.

Every view, admin page, search and report scopes its queryset through
`scope_for(user, queryset)`. A super admin sees everything; a manager sees
their enterprises' data, the order cycles their enterprises coordinate or
distribute in, and their hubs' customers, methods, overrides and orders.
"""

from django.db.models import Model, Q, QuerySet

from .models import Enterprise


def managed_enterprise_ids(user) -> list[int]:
    """Return the ids of the enterprises a user manages (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_managed_enterprise_ids", None)
    if cached is None:
        cached = list(user.enterprises.values_list("id", flat=True))
        user._managed_enterprise_ids = cached
    return cached


def is_super_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def managed_enterprises(user) -> QuerySet[Enterprise]:
    if is_super_admin(user):
        return Enterprise.objects.all()
    return Enterprise.objects.filter(id__in=managed_enterprise_ids(user))


def managed_hubs(user) -> QuerySet[Enterprise]:
    return managed_enterprises(user).filter(
        kind__in=[Enterprise.Kind.HUB, Enterprise.Kind.BOTH]
    )


def _rule_for(model: type[Model], ids: list[int]) -> Q:
    """Return the filter that keeps what a manager of `ids` may see."""
    label = model._meta.label
    cycle_rule = Q(coordinator__in=ids) | Q(
        exchanges__incoming=False, exchanges__enterprise__in=ids
    )
    rules = {
        "enterprises.Enterprise": lambda: Q(id__in=ids),
        "catalogue.Product": lambda: Q(producer__in=ids),
        "catalogue.Variant": lambda: Q(producer__in=ids),
        "catalogue.VariantOverride": lambda: Q(hub__in=ids),
        "cycles.OrderCycle": lambda: cycle_rule,
        "cycles.Exchange": lambda: Q(order_cycle__coordinator__in=ids),
        "fees.EnterpriseFee": lambda: Q(enterprise__in=ids),
        "fees.ShippingMethod": lambda: Q(hubs__in=ids),
        "fees.PaymentMethod": lambda: Q(hubs__in=ids),
        "customers.Customer": lambda: Q(hub__in=ids),
        "orders.Order": lambda: (
            Q(distributor__in=ids) | Q(order_cycle__coordinator__in=ids)
        ),
        "emails.OutboundEmail": lambda: (
            Q(order__distributor__in=ids) | Q(order__order_cycle__coordinator__in=ids)
        ),
    }
    if label not in rules:
        raise LookupError(f"No access rule for {label}")
    return rules[label]()


# Models whose rule joins a many-to-many table and may repeat rows.
_NEEDS_DISTINCT = {"cycles.OrderCycle", "fees.ShippingMethod", "fees.PaymentMethod"}


def scope_for(user, queryset: QuerySet) -> QuerySet:
    """Restrict `queryset` to the rows `user` may see and change."""
    if is_super_admin(user):
        return queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    model = queryset.model
    ids = managed_enterprise_ids(user)
    scoped = queryset.filter(_rule_for(model, ids))
    if model._meta.label in _NEEDS_DISTINCT:
        # Filter through a subquery rather than .distinct(), so callers can
        # still order, annotate and lock the result freely.
        return queryset.filter(pk__in=scoped.values("pk"))
    return scoped


def shared_reference_data_editable(user) -> bool:
    """Tax categories, rates and zones are the instance's: super admins edit."""
    return is_super_admin(user)
