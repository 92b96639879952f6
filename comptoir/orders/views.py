"""The manager's new-order flow, step by step as the guide tells it (DESIGN §1).

Every view fetches the order through `get_order_for`, so anyone who may not
see it gets a 404 on every page and htmx endpoint. Every form carries the
order's version; the services refuse a save drawn from an older one.

htmx requests get the page's `panel` partial back, with the side menu swapped
out of band so the total on screen is never stale.
"""

import json
import logging
import secrets

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.core.money import format_money
from comptoir.customers.models import Customer
from comptoir.cycles.models import Exchange
from comptoir.enterprises.selectors import managed_hubs
from comptoir.fees.models import PaymentMethod, ShippingMethod, TaxCategory

from . import forms, history, services
from .errors import OrderError, StaleOrderError
from .models import Adjustment, Order
from .selectors import availability, get_order_for, orders_for, search_variants

logger = logging.getLogger(__name__)

ORDERS_PER_PAGE = 25
SEARCH_LIMIT = 12
NEW_ORDER_TOKENS = "orders.new_order_tokens"
KEPT_TOKENS = 20

STEPS = ("customer", "details", "adjustments", "payments", "history")


# ---------------------------------------------------------------- helpers


def _render_step(request, template, context, *, status=200):
    """Render a whole step page, or its panel (and side menu) for htmx."""
    if request.htmx:
        context["oob_summary"] = True
        return render(request, f"{template}#panel", context)
    return render(request, template, context, status=status)


def _stale(request, error, *, template, context, step):
    """Refuse a save drawn from an older version: say who changed what, when."""
    reload_url = reverse(f"orders:{step}", args=[context["order"].number])
    if request.htmx:
        response = render(
            request,
            "orders/_stale.html",
            {"error": error, "reload_url": reload_url},
        )
        response["HX-Retarget"] = "#flow-alert"
        response["HX-Reswap"] = "innerHTML"
        return response
    context.update({"stale": error, "reload_url": reload_url})
    return render(request, template, context, status=409)


def _problems(error: OrderError) -> list[tuple[str | None, str]]:
    problems = list(getattr(error, "problems", None) or [])
    if problems:
        return problems
    field = getattr(error, "field", None)
    return [(field, str(message)) for message in error.messages]


def _add_problems(form, error: OrderError) -> list[str]:
    """Put each problem under its field; return those no field shows."""
    unplaced = []
    for field, message in _problems(error):
        if form is not None and field in form.fields:
            form.add_error(field, message)
        else:
            unplaced.append(message)
    return unplaced


def _line_problems(error: OrderError) -> tuple[dict[int, list[str]], list[str]]:
    """Split problems into those of a line ("line:<id>") and the others."""
    per_line: dict[int, list[str]] = {}
    others: list[str] = []
    for field, message in _problems(error):
        if field and field.startswith("line:"):
            try:
                per_line.setdefault(int(field.removeprefix("line:")), []).append(
                    message
                )
                continue
            except ValueError:
                pass
        others.append(message)
    return per_line, others


def _flow_context(order, step: str) -> dict:
    return {"order": order, "step": step, "nav_section": "orders"}


def _language() -> str:
    return (translation.get_language() or "fr")[:2]


# ---------------------------------------------------------------- orders


@login_required
@require_GET
def order_list(request):
    """List the hub's orders, newest first, drafts marked (Commandes)."""
    orders = orders_for(request.user).select_related(
        "distributor", "order_cycle", "customer", "bill_address"
    )
    hubs = list(managed_hubs(request.user).order_by("name"))
    distributor = request.GET.get("distributor", "")
    if distributor.isdigit():
        orders = orders.filter(distributor_id=int(distributor))
    state = request.GET.get("state", "")
    if state in Order.State.values:
        orders = orders.filter(state=state)
    page = Paginator(orders.order_by("-created_at", "-id"), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "orders/order_list.html",
        {
            "page": page,
            "hubs": hubs,
            "distributor": distributor,
            "state": state,
            "states": Order.State.choices,
        },
    )


def _issue_token(request) -> str:
    """A one-time token for the new-order form, kept in the session."""
    token = secrets.token_urlsafe(16)
    tokens = dict(request.session.get(NEW_ORDER_TOKENS, {}))
    tokens[token] = ""
    request.session[NEW_ORDER_TOKENS] = dict(list(tokens.items())[-KEPT_TOKENS:])
    return token


@login_required
def order_new(request):
    """Step 1: choose the distributor and the order cycle; create a draft."""
    now = timezone.now()
    if request.method == "POST":
        form = forms.NewOrderForm(request.POST, user=request.user, now=now)
        if form.is_valid():
            try:
                order, created = _create_once(request, form, now=now)
            except OrderError as error:
                order, created = None, False
                for message in _add_problems(form, error):
                    form.add_error(None, message)
            if order is not None:
                if created and order.is_late:
                    messages.warning(
                        request,
                        _(
                            "Late order: the order cycle %(cycle)s is closed. "
                            "This is recorded in the order's history."
                        )
                        % {"cycle": order.order_cycle.name},
                    )
                return redirect("orders:customer", number=order.number)
            if not form.errors:
                form.add_error(
                    None,
                    _("This form had expired. Check your choices and submit again."),
                )
    else:
        initial = {}
        if request.GET.get("distributor", "").isdigit():
            initial["distributor"] = request.GET["distributor"]
        form = forms.NewOrderForm(initial=initial, user=request.user, now=now)
    if not form.hubs:
        raise Http404("The user manages no hub.")
    token = _issue_token(request)
    return render(
        request,
        "orders/order_new.html",
        {"form": form, "token": token, "now": now, "nav_section": "orders"},
    )


def _create_once(request, form, *, now) -> tuple[Order | None, bool]:
    """Create the order once per form token, however many times it is posted.

    Returns (order, created); (None, False) for an unknown or expired token.
    """
    token = form.cleaned_data["token"]
    session_key = request.session.session_key
    if not token or not session_key:
        return None, False
    with transaction.atomic():
        # A double click sends two requests at once. Locking the user's row
        # makes the second wait for the first to commit, then read the token
        # the first one spent from the stored session, not from its own copy.
        list(
            get_user_model()
            .objects.select_for_update()
            .filter(pk=request.user.pk)
            .values_list("pk", flat=True)
        )
        store = type(request.session)(session_key=session_key)
        tokens = dict(store.get(NEW_ORDER_TOKENS, {}))
        if token not in tokens:
            return None, False
        if tokens[token]:
            order = orders_for(request.user).filter(number=tokens[token]).first()
            return order, False
        order = services.create_order(
            actor=request.user,
            distributor=form.cleaned_data["distributor"],
            order_cycle=form.cleaned_data["order_cycle"],
            now=now,
        )
        tokens[token] = order.number
        store[NEW_ORDER_TOKENS] = tokens
        store.save()
    request.session[NEW_ORDER_TOKENS] = tokens
    return order, True


@login_required
@require_GET
def new_order_cycles(request):
    """htmx: the order cycle field for the chosen distributor."""
    now = timezone.now()
    distributor = request.GET.get("distributor", "")
    if distributor and not managed_hubs(request.user).filter(pk=distributor).exists():
        raise Http404("Not a hub of this user.")
    form = forms.NewOrderForm(request.GET, user=request.user, now=now)
    return render(
        request, "orders/order_new.html#cycle_field", {"form": form, "now": now}
    )


@login_required
@require_GET
def order_detail(request, number):
    """Open an order at the step it needs next."""
    order = get_order_for(request.user, number)
    if not order.is_draft:
        return redirect("orders:payments", number=number)
    if not order.email:
        return redirect("orders:customer", number=number)
    return redirect("orders:details", number=number)


# ---------------------------------------------------------------- step 2


@login_required
def order_customer(request, number):
    """Step 2: customer details (Informations acheteur)."""
    order = get_order_for(request.user, number)
    template = "orders/order_customer.html"
    if request.method == "POST":
        form = forms.CustomerDetailsForm(request.POST, order=order)
        context = {**_flow_context(order, "customer"), "form": form}
        if form.is_valid():
            try:
                _save_customer(request, order, form)
            except StaleOrderError as error:
                return _stale(
                    request, error, template=template, context=context, step="customer"
                )
            except OrderError as error:
                context["errors"] = _add_problems(form, error)
            else:
                messages.success(request, _("Customer details saved."))
                return redirect("orders:customer", number=number)
        return render(request, template, context)
    form = forms.CustomerDetailsForm(initial=forms.customer_initial(order), order=order)
    return render(request, template, {**_flow_context(order, "customer"), "form": form})


def _save_customer(request, order, form) -> None:
    data = form.cleaned_data
    guest = data["guest"]
    services.update_customer_details(
        order=order,
        actor=request.user,
        expected_version=data["version"],
        email=data["email"],
        bill_address=form.address("bill"),
        ship_address=None if data["same_as_billing"] else form.address("ship"),
        customer=None if guest else data["customer"],
        guest=guest,
        customer_note=data["customer_note"],
        internal_note=data["internal_note"],
    )


@login_required
@require_GET
def customer_search(request, number):
    """htmx: the distributor's customers matching what is typed."""
    order = get_order_for(request.user, number)
    query = request.GET.get("q", "").strip()
    customers = []
    if query:
        matches = Customer.objects.filter(hub_id=order.distributor_id)
        for word in query.split()[:4]:
            matches = matches.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(code__istartswith=word)
            )
        customers = list(
            matches.select_related("bill_address", "ship_address")[:SEARCH_LIMIT]
        )
        for customer in customers:
            customer.fill = json.dumps(_fill_values(customer))
    return render(
        request,
        "orders/order_customer.html#customer_results",
        {"customers": customers, "query": query, "order": order},
    )


def _fill_values(customer) -> dict:
    """The step 2 fields a chosen customer fills, by field name."""
    values = {
        "customer": customer.pk,
        "email": customer.email,
        "guest": False,
        "bill_first_name": customer.first_name,
        "bill_last_name": customer.last_name,
        "bill_phone": customer.phone,
    }
    bill, ship = customer.bill_address, customer.ship_address
    if bill is not None:
        values.update(
            {f"bill_{key}": value for key, value in bill.as_dict().items() if value}
        )
    same = ship is None or (bill is not None and ship.as_dict() == bill.as_dict())
    values["same_as_billing"] = same
    if not same:
        values.update({f"ship_{key}": value for key, value in ship.as_dict().items()})
    return values


# ---------------------------------------------------------------- step 3


def _details_context(order, *, add_form=None, lines_form=None, line_errors=None):
    lines = list(order.lines.all())
    distributed = _distributed_variant_ids(order)
    stock = availability(
        hub=order.distributor, variant_ids=[line.variant_id for line in lines]
    )
    posted = lines_form.data if lines_form is not None and lines_form.is_bound else {}
    for line in lines:
        line.qty_value = posted.get(f"qty-{line.pk}", line.quantity)
        line.distributed = line.variant_id in distributed
        line.errors = (line_errors or {}).get(line.pk, [])
        offer = stock.get(line.variant_id)
        line.left = None
        if order.is_draft and offer is not None and not offer.on_demand:
            line.left = offer.stock
    order_fees = [
        adjustment
        for adjustment in order.adjustments.all()
        if adjustment.kind == Adjustment.Kind.FEE and adjustment.line_id is None
    ]
    return {
        **_flow_context(order, "details"),
        "lines": lines,
        "order_fees": order_fees,
        "line_fee_total": sum((line.fee_total for line in lines), start=0),
        "add_form": add_form
        or forms.AddLineForm(initial={"version": order.version, "quantity": 1}),
        "lines_form": lines_form
        or forms.LinesForm(initial={"version": order.version}, lines=lines),
        "undistributed": [line for line in lines if not line.distributed],
    }


def _distributed_variant_ids(order) -> set[int]:
    """The variants the cycle sends to the order's distributor, in one query."""
    through = Exchange.variants.through
    return set(
        through.objects.filter(
            exchange__order_cycle_id=order.order_cycle_id,
            exchange__enterprise_id=order.distributor_id,
            exchange__incoming=False,
        ).values_list("variant_id", flat=True)
    )


@login_required
def order_details(request, number):
    """Step 3: order details; POST saves every quantity at once and re-prices."""
    order = get_order_for(request.user, number)
    template = "orders/order_details.html"
    if request.method != "POST":
        return render(request, template, _details_context(order))
    lines = list(order.lines.all())
    lines_form = forms.LinesForm(request.POST, lines=lines)
    line_errors: dict[int, list[str]] = {}
    errors: list[str] = []
    if lines_form.is_valid():
        try:
            services.update_lines(
                order=order,
                actor=request.user,
                expected_version=lines_form.cleaned_data["version"],
                quantities=lines_form.quantities(),
            )
        except StaleOrderError as error:
            context = _details_context(order, lines_form=lines_form)
            return _stale(
                request, error, template=template, context=context, step="details"
            )
        except OrderError as error:
            line_errors, errors = _line_problems(error)
        else:
            if not request.htmx:
                messages.success(request, _("Lines saved and fees recalculated."))
                return redirect("orders:details", number=number)
            order = get_order_for(request.user, number)
            context = _details_context(order)
            context["saved"] = _("Lines saved and fees recalculated.")
            return _render_step(request, template, context)
    else:
        line_errors = {
            int(name.removeprefix("qty-")): list(field_errors)
            for name, field_errors in lines_form.errors.items()
            if name.startswith("qty-")
        }
        errors = list(lines_form.non_field_errors())
    context = _details_context(order, lines_form=lines_form, line_errors=line_errors)
    context["errors"] = errors
    return _render_step(request, template, context)


@login_required
@require_GET
def product_search(request, number):
    """htmx: the variants this cycle distributes here, matching what is typed."""
    order = get_order_for(request.user, number)
    query = request.GET.get("q", "").strip()
    offers = search_variants(order=order, query=query, limit=20) if query else []
    return render(
        request,
        "orders/order_details.html#product_results",
        {"offers": offers, "query": query, "order": order},
    )


@login_required
@require_POST
def add_line(request, number):
    """Add a variant, or raise the quantity of its line; re-price."""
    order = get_order_for(request.user, number)
    template = "orders/order_details.html"
    form = forms.AddLineForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.add_variant(
                order=order,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                variant_id=form.cleaned_data["variant"],
                quantity=form.cleaned_data["quantity"],
            )
        except StaleOrderError as error:
            context = _details_context(order, add_form=form)
            return _stale(
                request, error, template=template, context=context, step="details"
            )
        except OrderError as error:
            errors = _add_problems(form, error)
        else:
            if not request.htmx:
                return redirect("orders:details", number=number)
            order = get_order_for(request.user, number)
            context = _details_context(order)
            context["focus_search"] = True
            return _render_step(request, template, context)
    context = _details_context(order, add_form=form)
    context["add_errors"] = errors
    return _render_step(request, template, context)


@login_required
@require_POST
def remove_line(request, number, line_id):
    """Remove one line and re-price."""
    order = get_order_for(request.user, number)
    template = "orders/order_details.html"
    version = _posted_version(request)
    errors: list[str] = []
    try:
        services.remove_line(
            order=order,
            actor=request.user,
            expected_version=version,
            line_id=line_id,
        )
    except StaleOrderError as error:
        return _stale(
            request,
            error,
            template=template,
            context=_details_context(order),
            step="details",
        )
    except OrderError as error:
        errors = [message for _field, message in _problems(error)]
    else:
        if not request.htmx:
            messages.success(request, _("Line removed."))
            return redirect("orders:details", number=number)
        order = get_order_for(request.user, number)
    context = _details_context(order)
    context["errors"] = errors
    return _render_step(request, template, context)


def _posted_version(request) -> int:
    """The version a bare button posted; 0 (always stale) when missing."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else 0


# ---------------------------------------------------------------- step 4


def _methods_with_fees(methods, lines):
    """Each method with the fee it would charge on these lines."""
    return [
        {"method": method, "fee": method.get_calculator().amount(lines)}
        for method in methods
    ]


def _shipping_context(order, lines, *, shipping_form=None) -> dict:
    methods = list(
        ShippingMethod.objects.filter(hubs=order.distributor_id, active=True).order_by(
            "name"
        )
    )
    ship = order.ship_address
    exchange = (
        Exchange.objects.filter(
            order_cycle_id=order.order_cycle_id,
            enterprise_id=order.distributor_id,
            incoming=False,
        )
        .only("pickup_time", "pickup_instructions")
        .first()
    )
    return {
        "shipping_choices": _methods_with_fees(methods, lines),
        "shipping_form": shipping_form
        or forms.ShippingMethodForm(
            initial={
                "version": order.version,
                "shipping_method": order.shipping_method_id,
            },
            methods=ShippingMethod.objects.none(),
        ),
        "ship_address_complete": ship is not None and ship.is_complete,
        "exchange": exchange,
    }


@login_required
@require_POST
def set_shipping(request, number):
    """Step 4: choose the shipping method, from Adjustments or Payments."""
    order = get_order_for(request.user, number)
    step = "payments" if request.POST.get("step") == "payments" else "adjustments"
    methods = ShippingMethod.objects.filter(hubs=order.distributor_id, active=True)
    form = forms.ShippingMethodForm(request.POST, methods=methods)
    builder = _payments_context if step == "payments" else _adjustments_context
    template = f"orders/order_{step}.html"
    if form.is_valid():
        try:
            services.set_shipping_method(
                order=order,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                shipping_method=form.cleaned_data["shipping_method"],
            )
        except StaleOrderError as error:
            context = builder(order, shipping_form=form)
            return _stale(request, error, template=template, context=context, step=step)
        except OrderError as error:
            _add_problems(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Shipping method saved."))
                return redirect(f"orders:{step}", number=number)
            order = get_order_for(request.user, number)
            return _render_step(request, template, builder(order))
    return _render_step(request, template, builder(order, shipping_form=form))


# ---------------------------------------------------------------- step 5


def _adjustments_context(order, *, shipping_form=None, adjustment_form=None):
    lines = list(order.lines.all())
    adjustments = list(order.adjustments.select_related("line", "tax_category"))
    categories = list(TaxCategory.objects.all())
    for adjustment in adjustments:
        if adjustment.kind == Adjustment.Kind.MANUAL:
            adjustment.edit_form = forms.AdjustmentForm(
                initial={
                    "label": adjustment.label,
                    "amount": forms.amount_for_input(adjustment.amount, _language()),
                    "tax_category": adjustment.tax_category_id,
                    "version": order.version,
                },
                prefix=f"adj{adjustment.pk}",
                tax_categories=categories,
            )
    return {
        **_flow_context(order, "adjustments"),
        **_shipping_context(order, lines, shipping_form=shipping_form),
        "lines": lines,
        "adjustments": [a for a in adjustments if a.kind != Adjustment.Kind.TAX],
        "tax_rows": [a for a in adjustments if a.kind == Adjustment.Kind.TAX],
        "adjustment_form": adjustment_form
        or forms.AdjustmentForm(
            initial={"version": order.version}, tax_categories=categories
        ),
    }


@login_required
def order_adjustments(request, number):
    """Step 5: adjustments (Ajustements); POST adds a manual one."""
    order = get_order_for(request.user, number)
    template = "orders/order_adjustments.html"
    if request.method != "POST":
        return render(request, template, _adjustments_context(order))
    form = forms.AdjustmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_manual_adjustment(
                order=order,
                actor=request.user,
                expected_version=data["version"],
                label=data["label"],
                amount=data["amount"],
                tax_category=data["tax_category"],
            )
        except StaleOrderError as error:
            context = _adjustments_context(order, adjustment_form=form)
            return _stale(
                request, error, template=template, context=context, step="adjustments"
            )
        except OrderError as error:
            _add_problems(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Adjustment added."))
                return redirect("orders:adjustments", number=number)
            order = get_order_for(request.user, number)
            context = _adjustments_context(order)
            context["saved"] = _("Adjustment added.")
            return _render_step(request, template, context)
    return _render_step(
        request, template, _adjustments_context(order, adjustment_form=form)
    )


@login_required
@require_POST
def adjustment_update(request, number, adjustment_id):
    """Change a manual adjustment's description, amount or tax category."""
    order = get_order_for(request.user, number)
    template = "orders/order_adjustments.html"
    get_object_or_404(order.adjustments, pk=adjustment_id, kind=Adjustment.Kind.MANUAL)
    form = forms.AdjustmentForm(request.POST, prefix=f"adj{adjustment_id}")
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_manual_adjustment(
                order=order,
                actor=request.user,
                expected_version=data["version"],
                adjustment_id=adjustment_id,
                label=data["label"],
                amount=data["amount"],
                tax_category=data["tax_category"],
            )
        except StaleOrderError as error:
            context = _adjustments_context(order)
            return _stale(
                request, error, template=template, context=context, step="adjustments"
            )
        except OrderError as error:
            errors = _add_problems(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Adjustment saved."))
                return redirect("orders:adjustments", number=number)
            order = get_order_for(request.user, number)
            context = _adjustments_context(order)
            context["saved"] = _("Adjustment saved.")
            return _render_step(request, template, context)
    context = _adjustments_context(order)
    for adjustment in context["adjustments"]:
        if adjustment.pk == adjustment_id:
            adjustment.edit_form = form
            adjustment.edit_open = True
    context["errors"] = errors
    return _render_step(request, template, context)


@login_required
@require_POST
def adjustment_remove(request, number, adjustment_id):
    """Remove a manual adjustment and re-price."""
    order = get_order_for(request.user, number)
    template = "orders/order_adjustments.html"
    get_object_or_404(order.adjustments, pk=adjustment_id, kind=Adjustment.Kind.MANUAL)
    errors: list[str] = []
    try:
        services.remove_manual_adjustment(
            order=order,
            actor=request.user,
            expected_version=_posted_version(request),
            adjustment_id=adjustment_id,
        )
    except StaleOrderError as error:
        context = _adjustments_context(order)
        return _stale(
            request, error, template=template, context=context, step="adjustments"
        )
    except OrderError as error:
        errors = [message for _field, message in _problems(error)]
    else:
        if not request.htmx:
            messages.success(request, _("Adjustment removed."))
            return redirect("orders:adjustments", number=number)
        order = get_order_for(request.user, number)
    context = _adjustments_context(order)
    context["errors"] = errors
    return _render_step(request, template, context)


# ---------------------------------------------------------------- step 6


def _payment_methods(order):
    return PaymentMethod.objects.filter(hubs=order.distributor_id, active=True)


def _payments_context(order, *, shipping_form=None, payment_form=None):
    lines = list(order.lines.all())
    methods = list(_payment_methods(order).order_by("name"))
    sends_by_default = order.source == Order.Source.MANAGER
    context = {
        **_flow_context(order, "payments"),
        **_shipping_context(order, lines, shipping_form=shipping_form),
        "lines": lines,
        "payment_choices": _methods_with_fees(methods, lines),
        "payment_form": payment_form
        or forms.PaymentForm(
            initial={
                "payment_method": order.payment_method_id,
                "amount": forms.amount_for_input(max(order.balance, 0), _language()),
                "send_confirmation": sends_by_default,
                "version": order.version,
            },
            methods=PaymentMethod.objects.none(),
        ),
        "payments": list(order.payments.select_related("method")),
    }
    if not order.is_draft:
        context["emails"] = _order_emails(order)
    return context


def _order_emails(order):
    from comptoir.emails.selectors import emails_for_order

    return list(emails_for_order(order))


@login_required
def order_payments(request, number):
    """Step 6: payments (Paiements); POST places the order (Mettre à jour)."""
    order = get_order_for(request.user, number)
    template = "orders/order_payments.html"
    if request.method != "POST":
        return render(request, template, _payments_context(order))
    form = forms.PaymentForm(request.POST, methods=_payment_methods(order))
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            if order.is_draft:
                _place(request, order, data)
            else:
                services.record_payment(
                    order=order,
                    actor=request.user,
                    payment_method=data["payment_method"],
                    amount=data["amount"],
                )
        except StaleOrderError as error:
            context = _payments_context(order, payment_form=form)
            return _stale(
                request, error, template=template, context=context, step="payments"
            )
        except OrderError as error:
            errors = _add_problems(form, error)
        else:
            return redirect("orders:payments", number=number)
    context = _payments_context(order, payment_form=form)
    context["errors"] = errors
    return _render_step(request, template, context)


def _place(request, order, data) -> None:
    placed = services.place_order(
        order=order,
        actor=request.user,
        expected_version=data["version"],
        payment_method=data["payment_method"],
        amount_received=data["amount"],
        send_confirmation=data["send_confirmation"],
    )
    message = _("Order %(number)s placed: %(total)s, %(state)s.") % {
        "number": placed.number,
        "total": format_money(placed.total),
        "state": placed.get_payment_state_display(),
    }
    if data["send_confirmation"]:
        message += " " + _("The confirmation e-mail is on its way to %(email)s.") % {
            "email": placed.email
        }
    messages.success(request, message)


@login_required
@require_POST
def set_payment_method(request, number):
    """Choose a payment method before placing, so its fee shows in the total."""
    order = get_order_for(request.user, number)
    template = "orders/order_payments.html"
    form = forms.PaymentMethodForm(request.POST, methods=_payment_methods(order))
    if form.is_valid():
        try:
            services.set_payment_method(
                order=order,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                payment_method=form.cleaned_data["payment_method"],
            )
        except StaleOrderError as error:
            context = _payments_context(order)
            return _stale(
                request, error, template=template, context=context, step="payments"
            )
        except OrderError as error:
            logger.info("Payment method refused on %s: %s", order.number, error)
        else:
            order = get_order_for(request.user, number)
    if not request.htmx:
        return redirect("orders:payments", number=number)
    return _render_step(request, template, _payments_context(order))


@login_required
@require_POST
def email_resend(request, number):
    """Send the confirmation e-mail again."""
    order = get_order_for(request.user, number)
    from comptoir.emails.services import resend_order_confirmation

    if order.is_draft or not order.email:
        messages.error(
            request, _("Only a placed order with an e-mail can be confirmed.")
        )
        return redirect("orders:payments", number=number)
    try:
        with transaction.atomic():
            resend_order_confirmation(order=order, actor=request.user)
    except OrderError as error:
        # A canceled order, say: the e-mails service says why, in a sentence.
        messages.error(request, " ".join(str(m) for m in error.messages))
        return redirect("orders:payments", number=number)
    messages.success(
        request,
        _("The confirmation e-mail is on its way to %(email)s.")
        % {"email": order.email},
    )
    return redirect("orders:payments", number=number)


@login_required
@require_POST
def email_retry(request, number):
    """Send one of the order's e-mails again (Send again)."""
    order = get_order_for(request.user, number)
    from comptoir.emails.models import OutboundEmail
    from comptoir.emails.services import retry_email

    email_id = request.POST.get("email", "")
    if not email_id.isdigit():
        raise Http404("No such e-mail.")
    email = get_object_or_404(OutboundEmail, pk=int(email_id), order=order)
    try:
        with transaction.atomic():
            retry_email(email=email, actor=request.user)
    except OrderError as error:
        # A second click after the first one delivered it, typically.
        messages.error(request, " ".join(str(m) for m in error.messages))
        return redirect("orders:payments", number=number)
    messages.success(request, _("The e-mail is queued to be sent again."))
    return redirect("orders:payments", number=number)


@login_required
@require_POST
def order_cancel(request, number):
    """Cancel a placed order: stock back, payment state, optional e-mail."""
    order = get_order_for(request.user, number)

    try:
        services.cancel_order(
            order=order,
            actor=request.user,
            expected_version=_posted_version(request),
            send_email=request.POST.get("send_email") == "on",
        )
    except OrderError as error:
        messages.error(request, " ".join(str(m) for m in error.messages))
        return redirect("orders:payments", number=number)

    messages.success(request, _("Order canceled: its stock is back on sale."))
    return redirect("orders:payments", number=number)


# ---------------------------------------------------------------- history


@login_required
@require_GET
def order_history(request, number):
    """Every event of the order: who, when, what changed."""
    order = get_order_for(request.user, number)
    events = list(order.events.select_related("actor").order_by("-at", "-id"))
    entries = [history.describe_event(event) for event in events]
    return render(
        request,
        "orders/order_history.html",
        {**_flow_context(order, "history"), "entries": entries},
    )
