"""The JSON API over the orders services, and the CSV import page.

Every API view runs as the user of the bearer token and reads orders through
`orders_for`, the access rule: an order of a hub the user does not manage is
answered 404, exactly like an order that does not exist.
"""

import logging

from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from comptoir.orders.errors import OrderError
from comptoir.orders.models import Order
from comptoir.orders.selectors import get_order_for, orders_for

from . import imports, services
from .auth import error_response, token_required
from .forms import ImportForm
from .payloads import read_external_order
from .serializers import order_detail, order_summary

logger = logging.getLogger(__name__)

ORDERS_PER_PAGE = 50
# About 80 ms an order: 250 orders stay well inside a worker's 30 s timeout.
MAX_ORDERS_PER_UPLOAD = 250


def _refusal(error: OrderError) -> JsonResponse:
    return JsonResponse(
        {
            "errors": [
                {"field": name, "message": message} for name, message in error.problems
            ]
        },
        status=400,
    )


@token_required
@require_http_methods(["GET", "POST"])
def orders(request):
    """List the orders the token's user may see, or record an external one."""
    if request.method == "POST":
        return _record_order(request)
    found = orders_for(request.user).select_related("order_cycle", "distributor")
    distributor = request.GET.get("distributor", "").strip()
    if distributor:
        found = found.filter(distributor__slug=distributor)
    cycle = request.GET.get("cycle", "").strip()
    if cycle:
        if not cycle.isdigit():
            return error_response(
                _("Give the order cycle's number (id)."), status=400, field="cycle"
            )
        found = found.filter(order_cycle_id=int(cycle))
    state = request.GET.get("state", "").strip()
    if state:
        if state not in Order.State.values:
            return error_response(
                _("The state is one of: %(states)s.")
                % {"states": ", ".join(Order.State.values)},
                status=400,
                field="state",
            )
        found = found.filter(state=state)
    paginator = Paginator(found.order_by("-created_at", "-id"), ORDERS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except EmptyPage:
        return error_response(
            _("There is no page %(page)s.") % {"page": request.GET.get("page")},
            status=404,
            field="page",
        )
    except ValueError:
        return error_response(
            _("Give the page as a number, such as 2."), status=400, field="page"
        )
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [order_summary(order) for order in page.object_list],
        }
    )


def _record_order(request) -> JsonResponse:
    try:
        external = read_external_order(request.body)
        result = services.import_order(
            actor=request.user, external=external, source=Order.Source.API
        )
    except OrderError as error:
        return _refusal(error)
    order = get_order_for(request.user, result.order.number)
    response = JsonResponse(order_detail(order), status=201 if result.created else 200)
    response["Location"] = order_summary(order)["url"]
    return response


@token_required
@require_GET
def order(request, number: str):
    """Return one order with its lines, adjustments, payments and balance."""
    try:
        found = get_order_for(request.user, number)
    except Http404:
        return error_response(
            _("There is no order %(number)s among yours.") % {"number": number},
            status=404,
        )
    return JsonResponse(order_detail(found))


@login_required
@require_http_methods(["GET", "POST"])
def import_orders(request):
    """Bring in a CSV file of orders from another platform; show the report."""
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.import_file(
            actor=request.user,
            content=form.cleaned_data["content"],
            distributor=form.cleaned_data["distributor"],
            order_cycle=form.cleaned_data["order_cycle"],
            platform=form.cleaned_data["platform"],
            dry_run=form.cleaned_data["dry_run"],
            max_orders=MAX_ORDERS_PER_UPLOAD,
        )
    return render(
        request,
        "api/order_import.html",
        {
            "form": form,
            "report": report,
            "columns": imports.COLUMNS,
            "nav_section": "orders",
        },
    )
