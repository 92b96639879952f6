from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from comptoir.enterprises.selectors import managed_hubs

from .selectors import customers_for


@login_required
def customer_list(request):
    """List the customers of the hubs the user manages, with a search."""
    query = request.GET.get("q", "").strip()
    hubs = list(managed_hubs(request.user))
    hub = next((h for h in hubs if str(h.pk) == request.GET.get("hub")), None)
    customers = customers_for(request.user, hub=hub, query=query).select_related(
        "bill_address"
    )
    page = Paginator(customers, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/customer_list.html",
        {"page": page, "query": query, "hubs": hubs, "hub": hub},
    )
