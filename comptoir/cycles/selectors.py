from django.db.models import Case, IntegerField, Value, When

from comptoir.enterprises.selectors import scope_for

from .models import OrderCycle


def open_cycles_for(user, *, now):
    """Return the cycles open at `now` that the user may see."""
    return scope_for(
        user,
        OrderCycle.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("coordinator")
        .order_by("closes_at"),
    )


def cycles_for_distributor(user, *, distributor, now):
    """Cycles with goods going out to `distributor`: open first, soonest closing."""
    rank = Case(
        When(opens_at__lte=now, closes_at__gt=now, then=Value(0)),
        When(opens_at__gt=now, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    cycles = OrderCycle.objects.filter(
        exchanges__incoming=False, exchanges__enterprise=distributor
    )
    return (
        scope_for(user, cycles)
        .annotate(rank=rank)
        .select_related("coordinator")
        .order_by("rank", "closes_at", "name")
    )
