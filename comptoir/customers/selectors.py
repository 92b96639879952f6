from django.db.models import Q, QuerySet

from comptoir.core.text import search_key
from comptoir.enterprises.selectors import scope_for

from .models import Customer


def customers_for(user, *, hub=None, query: str = "") -> QuerySet[Customer]:
    """The customers a user may see, optionally of one hub and matching a query."""
    customers = scope_for(user, Customer.objects.select_related("hub"))
    if hub is not None:
        customers = customers.filter(hub=hub)
    for word in search_key(query).split():
        customers = customers.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(code__iexact=word)
        )
    return customers
