"""Steps 2 to 6 and History, through the views."""

from decimal import Decimal

import pytest
from django.urls import reverse

from comptoir.customers.models import Customer
from comptoir.cycles.models import Exchange
from comptoir.emails.models import OutboundEmail
from comptoir.orders import services
from comptoir.orders.models import Adjustment, Order
from tests.orders.helpers import snapshot

from .conftest import LYON, add, client_for

pytestmark = pytest.mark.django_db
HTMX = {"hx-request": "true"}


def customer_data(order, **changes):
    order.refresh_from_db()
    data = {
        "version": order.version,
        "email": "camille@example.fr",
        "same_as_billing": "on",
        **{f"bill_{key}": value for key, value in LYON.items()},
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# Step 2


def test_customer_search_finds_by_name_or_code_and_fills(manager, draft):
    url = reverse("orders:customer_search", args=[draft.number])

    by_name = manager.get(url, {"q": "dupo"}, headers=HTMX)
    by_code = manager.get(url, {"q": "C002"}, headers=HTMX)

    assert 'role="option"' in by_name.content.decode()
    assert "marie.dupont@example.fr" in by_name.content.decode()
    assert "&quot;bill_city&quot;: &quot;Lyon&quot;" in by_name.content.decode()
    assert "jean.martin@example.fr" in by_code.content.decode()


def test_guest_order_makes_no_customer(manager, demo, draft):
    customers = Customer.objects.count()

    response = manager.post(
        reverse("orders:customer", args=[draft.number]),
        customer_data(draft, guest="on"),
    )

    assert response.status_code == 302
    order = Order.objects.get(pk=draft.pk)
    assert order.is_guest and order.customer is None
    assert order.email == "camille@example.fr"
    assert Customer.objects.count() == customers
    page = manager.get(response["Location"])
    assert "Customer details saved." in page.content.decode()


def test_new_buyer_becomes_a_customer_of_the_hub(manager, demo, draft):
    manager.post(reverse("orders:customer", args=[draft.number]), customer_data(draft))

    customer = Customer.objects.get(email="camille@example.fr")
    assert customer.hub == demo.panier
    assert Order.objects.get(pk=draft.pk).customer == customer


def test_bad_fields_are_refused_in_french(hub_manager, draft):
    before = snapshot(draft)
    client = client_for(hub_manager, "fr")

    response = client.post(
        reverse("orders:customer", args=[draft.number]),
        customer_data(draft, email="pas-un-email", bill_zipcode="690"),
    )

    errors = response.context["form"].errors
    assert errors["email"] == [
        "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
    ]
    assert errors["bill_zipcode"] == [
        "Un code postal français a cinq chiffres, par exemple 69003."
    ]
    assert snapshot(draft) == before


def test_delivery_needs_the_shipping_address_fields(manager, demo, ready):
    before = snapshot(ready)

    response = manager.post(
        reverse("orders:customer", args=[ready.number]),
        customer_data(ready, same_as_billing=None, ship_first_name="Marie"),
    )

    errors = response.context["form"].errors
    assert "ship_address1" in errors and "ship_city" in errors
    assert snapshot(ready) == before


# Step 3


def search(manager, order, query):
    return manager.get(
        reverse("orders:products", args=[order.number]), {"q": query}, headers=HTMX
    ).content.decode()


def test_product_search_ignores_accents_and_case(manager, draft):
    assert "COM-250" in search(manager, draft, "comte")
    assert "CAR-1KG" in search(manager, draft, "TILLEULS")
    assert "CAR-1KG" in search(manager, draft, "car-1")


def test_product_search_shows_stock_on_demand_and_out_of_stock(manager, draft):
    html = search(manager, draft, "to")
    assert "on demand" in html  # Tomates anciennes
    assert "20 in stock" in html  # Tomme de Savoie
    leeks = search(manager, draft, "poireaux")
    assert 'aria-disabled="true"' in leeks
    assert "out of stock" in leeks


def post_add(manager, order, variant, quantity):
    order.refresh_from_db()
    return manager.post(
        reverse("orders:add_line", args=[order.number]),
        {"version": order.version, "variant": variant.pk, "quantity": quantity},
        headers=HTMX,
    )


def test_adding_a_variant_twice_raises_its_line(manager, demo, draft):
    post_add(manager, draft, demo.variants["CAR-1KG"], 1)
    response = post_add(manager, draft, demo.variants["CAR-1KG"], 2)

    line = draft.lines.get()
    assert line.quantity == 3
    html = response.content.decode()
    assert 'id="order-summary"' in html and 'hx-swap-oob="true"' in html
    assert "€7.50" in html


def test_out_of_stock_variant_cannot_be_added(manager, demo, draft):
    before = snapshot(draft)

    response = post_add(manager, draft, demo.variants["POI-BOT"], 1)

    assert "Only 0 left of Poireaux." in response.content.decode()
    assert snapshot(draft) == before


def test_quantity_beyond_stock_is_refused_on_its_line(manager, demo, draft):
    add(draft, draft.created_by, demo.variants["BRI-400"], 1)
    add(draft, draft.created_by, demo.variants["CAR-1KG"], 1)
    brioche, carrots = draft.lines.order_by("id")
    draft.refresh_from_db()
    before = snapshot(draft)

    response = manager.post(
        reverse("orders:details", args=[draft.number]),
        {"version": draft.version, f"qty-{brioche.pk}": 11, f"qty-{carrots.pk}": 5},
        headers=HTMX,
    )

    lines = {line.pk: line for line in response.context["lines"]}
    assert lines[brioche.pk].errors == ["Only 10 left of Brioche."]
    assert lines[carrots.pk].errors == []
    assert snapshot(draft) == before


def test_bad_quantity_is_refused_on_its_line(manager, demo, draft):
    add(draft, draft.created_by, demo.variants["CAR-1KG"], 1)
    line = draft.lines.get()
    draft.refresh_from_db()
    before = snapshot(draft)

    response = manager.post(
        reverse("orders:details", args=[draft.number]),
        {"version": draft.version, f"qty-{line.pk}": "0"},
        headers=HTMX,
    )

    assert response.context["lines"][0].errors == [
        "Enter a whole number from 1 to 9,999."
    ]
    assert snapshot(draft) == before


def test_line_no_longer_distributed_is_flagged(manager, demo, ready):
    Exchange.objects.get(
        order_cycle=demo.current_cycle, enterprise=demo.panier, incoming=False
    ).variants.remove(demo.variants["COM-250"])

    response = manager.get(reverse("orders:details", args=[ready.number]))

    flagged = [line.product_name for line in response.context["undistributed"]]
    assert flagged == ["Comté 18 mois"]
    assert "no longer distributed" in response.content.decode()


# Steps 4 and 5


def test_pickup_shows_the_cycles_pickup_time(manager, demo, draft):
    manager.post(
        reverse("orders:shipping", args=[draft.number]),
        {
            "version": draft.version,
            "shipping_method": demo.shipping["Retrait au Panier"].pk,
            "step": "adjustments",
        },
        headers=HTMX,
    )

    page = manager.get(reverse("orders:adjustments", args=[draft.number]))

    assert "Vendredi 17 h – 19 h" in page.content.decode()


def test_back_office_only_method_is_offered_with_its_fee(manager, ready):
    page = manager.get(reverse("orders:payments", args=[ready.number]))

    choices = {c["method"].name: c["fee"] for c in page.context["shipping_choices"]}
    assert choices["Livraison groupée"] == Decimal("6.00")
    assert choices["Livraison à domicile"] == Decimal("5.00")
    assert choices["Retrait au Panier"] == Decimal("0.00")


def test_adjustment_accepts_a_french_comma_and_shows_its_tax(hub_manager, demo, draft):
    client = client_for(hub_manager, "fr")

    response = client.post(
        reverse("orders:adjustments", args=[draft.number]),
        {
            "version": draft.version,
            "label": "Remise fidélité",
            "amount": "-2,50",
            "tax_category": demo.tva20.pk,
        },
        headers=HTMX,
    )

    adjustment = Adjustment.objects.get(order=draft, kind=Adjustment.Kind.MANUAL)
    assert adjustment.amount == Decimal("-2.50")
    assert adjustment.tax_amount == Decimal("-0.42")
    assert "-0,42\u00a0€" in response.content.decode()


def test_manual_adjustment_can_be_changed_and_removed(manager, ready):
    adjustment = Adjustment.objects.get(order=ready, kind=Adjustment.Kind.MANUAL)
    prefix = f"adj{adjustment.pk}"

    manager.post(
        reverse("orders:adjustment_update", args=[ready.number, adjustment.pk]),
        {
            f"{prefix}-version": ready.version,
            f"{prefix}-label": "Commission",
            f"{prefix}-amount": "2.00",
        },
        headers=HTMX,
    )
    ready.refresh_from_db()
    assert ready.total == Decimal("26.47")

    manager.post(
        reverse("orders:adjustment_remove", args=[ready.number, adjustment.pk]),
        {"version": ready.version},
        headers=HTMX,
    )
    ready.refresh_from_db()
    assert not Adjustment.objects.filter(pk=adjustment.pk).exists()
    assert ready.total == Decimal("24.47")


def test_fee_rows_cannot_be_removed(manager, ready):
    fee = Adjustment.objects.filter(order=ready, kind=Adjustment.Kind.FEE).first()

    response = manager.post(
        reverse("orders:adjustment_remove", args=[ready.number, fee.pk]),
        {"version": ready.version},
    )

    assert response.status_code == 404
    assert Adjustment.objects.filter(pk=fee.pk).exists()


# Step 6 and History


@pytest.fixture
def placed(demo, hub_manager, ready):
    services.place_order(
        order=ready,
        actor=hub_manager,
        expected_version=ready.version,
        payment_method=demo.card,
        amount_received=Decimal("10.00"),
        send_confirmation=True,
    )
    return ready


def test_placed_order_shows_balance_and_emails(manager, placed):
    page = manager.get(reverse("orders:payments", args=[placed.number]))

    html = page.content.decode()
    assert "is placed" in html
    assert "€16.21" in html  # balance
    assert "Resend confirmation" in html
    assert "marie.dupont@example.fr" in html


def test_resend_confirmation_queues_an_email(manager, placed):
    count = OutboundEmail.objects.filter(order=placed).count()

    response = manager.post(reverse("orders:email_resend", args=[placed.number]))

    assert response.status_code == 302
    assert OutboundEmail.objects.filter(order=placed).count() == count + 1


def test_send_again_retries_a_failed_email(manager, placed):
    email = OutboundEmail.objects.filter(order=placed).first()
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=OutboundEmail.State.FAILED, last_error="SMTP down"
    )

    response = manager.post(
        reverse("orders:email_retry", args=[placed.number]), {"email": email.pk}
    )

    assert response.status_code == 302
    email.refresh_from_db()
    assert email.state != OutboundEmail.State.FAILED


def test_history_says_who_did_what(manager, placed):
    page = manager.get(reverse("orders:history", args=[placed.number]))

    html = page.content.decode()
    for title in ("Order created", "Customer details changed", "Product added"):
        assert title in html
    assert "Shipping method chosen" in html and "Livraison à domicile" in html
    assert "Order placed" in html and "€26.21" in html
    assert str(placed.created_by) in html
