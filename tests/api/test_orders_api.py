"""POST /api/orders/ records an order from another platform; GET reads them."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import transaction

from comptoir.catalogue.models import Variant
from comptoir.customers.models import Address, Customer
from comptoir.emails.models import OutboundEmail
from comptoir.orders import services
from comptoir.orders.models import Line, Order, OrderEvent, Payment
from comptoir.reports.selectors import sales_by_cycle

pytestmark = pytest.mark.django_db

ORDERS = "/api/orders/"
SKUS = ("CAR-1KG", "COM-250", "BAG-TRA", "BRI-400")


def expected_total(demo, manager) -> Decimal:
    """Price the worked example through the orders services, then undo it."""
    with transaction.atomic():
        order = services.create_order(
            actor=manager, distributor=demo.panier, order_cycle=demo.current_cycle
        )
        services.update_customer_details(
            order=order,
            actor=manager,
            expected_version=order.version,
            email="marie.dupont@example.fr",
            bill_address={
                "first_name": "Marie",
                "last_name": "Dupont",
                "address1": "12 rue des Lilas",
                "zipcode": "69003",
                "city": "Lyon",
            },
            ship_address=None,
        )
        for sku, quantity in (("CAR-1KG", 2), ("COM-250", 1), ("BAG-TRA", 3)):
            services.add_variant(
                order=order,
                actor=manager,
                expected_version=order.version,
                variant_id=demo.variants[sku].pk,
                quantity=quantity,
            )
        services.set_shipping_method(
            order=order,
            actor=manager,
            expected_version=order.version,
            shipping_method=demo.shipping["Livraison à domicile"],
        )
        services.set_payment_method(
            order=order,
            actor=manager,
            expected_version=order.version,
            payment_method=demo.card,
        )
        total = order.total
        transaction.set_rollback(True)
    return total


def snapshot():
    """Everything a refused order must leave as it was."""
    return {
        "orders": Order.objects.count(),
        "lines": Line.objects.count(),
        "events": OrderEvent.objects.count(),
        "payments": Payment.objects.count(),
        "customers": Customer.objects.count(),
        "addresses": Address.objects.count(),
        "emails": OutboundEmail.objects.count(),
        "stock": dict(Variant.objects.filter(sku__in=SKUS).values_list("sku", "stock")),
    }


def stock(sku: str) -> int:
    return Variant.objects.get(sku=sku).stock


# ------------------------------------------------------------------ creating


def test_posting_the_worked_example_records_a_placed_order(
    api, demo, token, payload, hub_manager
):
    # Given the worked example as priced by the services (no commission)
    total = expected_total(demo, hub_manager)
    assert total == Decimal("24.71")

    # When the other platform posts it
    response = api.post(ORDERS, payload, token)

    # Then the order is recorded, placed and paid, from its platform, at its date
    assert response.status_code == 201
    body = response.json()
    order = Order.objects.get(number=body["number"])
    assert response["Location"] == f"/api/orders/{order.number}/"
    assert order.state == Order.State.COMPLETE
    assert order.source == Order.Source.API
    assert (order.external_platform, order.external_reference) == ("Cagette", "CG-1042")
    assert order.placed_at == datetime(2024, 5, 3, 12, 30, tzinfo=UTC)
    assert order.total == total
    assert order.payment_total == Decimal("24.71")
    assert order.payment_state == Order.PaymentState.PAID
    assert order.shipping_method == demo.shipping["Livraison à domicile"]
    assert order.ship_address.city == "Lyon"
    assert order.customer == demo.marie
    assert order.customer_note == "Sonner deux fois."
    assert body["totals"]["total"] == "24.71"
    assert body["totals"]["balance"] == "0.00"
    assert [(line["sku"], line["quantity"]) for line in body["lines"]] == [
        ("CAR-1KG", 2),
        ("COM-250", 1),
        ("BAG-TRA", 3),
    ]
    assert body["payments"] == [
        {
            "method": "Carte bancaire (TPE)",
            "amount": "24.71",
            "state": "completed",
            "reference": "",
            "completed_at": body["payments"][0]["completed_at"],
        }
    ]
    assert OrderEvent.objects.filter(order=order, kind="imported").get().data == {
        "platform": "Cagette",
        "reference": "CG-1042",
        "placed_at": "2024-05-03T12:30:00+00:00",
    }


def test_posting_takes_the_stock_and_sends_no_email_by_default(
    api, demo, token, payload
):
    # Given the stock before
    before = {sku: stock(sku) for sku in ("CAR-1KG", "COM-250", "BAG-TRA")}

    # When the order is posted without send_confirmation
    api.post(ORDERS, payload, token)

    # Then its stock is taken and the buyer gets no e-mail
    assert {sku: stock(sku) for sku in before} == {
        "CAR-1KG": before["CAR-1KG"] - 2,
        "COM-250": before["COM-250"] - 1,
        "BAG-TRA": before["BAG-TRA"] - 3,
    }
    assert OutboundEmail.objects.count() == 0


def test_send_confirmation_true_queues_the_confirmation(api, demo, token, payload):
    payload["send_confirmation"] = True

    response = api.post(ORDERS, payload, token)

    order = Order.objects.get(number=response.json()["number"])
    assert OutboundEmail.objects.filter(order=order).count() >= 1


def test_posting_the_same_order_twice_returns_the_first(api, demo, token, payload):
    # Given the order posted once
    first = api.post(ORDERS, payload, token)
    after_first = snapshot()

    # When the platform sends it again (a retry after a timeout, say)
    second = api.post(ORDERS, payload, token)

    # Then the same order comes back, with 200, and nothing is taken twice
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["number"] == first.json()["number"]
    assert snapshot() == after_first


def test_the_same_reference_from_another_platform_is_another_order(
    api, demo, token, payload
):
    first = api.post(ORDERS, payload, token)
    payload["platform"] = "Shopify"

    second = api.post(ORDERS, payload, token)

    assert second.status_code == 201
    assert second.json()["number"] != first.json()["number"]


def test_the_cycle_may_be_given_by_id_and_the_date_left_out(api, demo, token, payload):
    payload["order_cycle"] = demo.current_cycle.pk
    del payload["placed_at"]

    response = api.post(ORDERS, payload, token)

    assert response.status_code == 201
    order = Order.objects.get(number=response.json()["number"])
    assert order.order_cycle == demo.current_cycle
    assert order.placed_at is not None


def test_imported_orders_count_in_the_sales_report(
    api, demo, token, payload, hub_manager
):
    # Given the sales of the current cycle before
    def sales():
        rows = sales_by_cycle(hub_manager, cycle_id=demo.current_cycle.pk)
        row = next((r for r in rows if r["distributor__name"] == "Le Panier Local"), {})
        return row.get("orders", 0), row.get("total") or Decimal("0")

    orders_before, total_before = sales()

    # When an order comes in through the API
    api.post(ORDERS, payload, token)

    # Then the report counts it
    assert sales() == (orders_before + 1, total_before + Decimal("24.71"))


# ------------------------------------------------------------------ refusals


def refused(api, token, payload, **headers):
    before = snapshot()
    response = api.post(ORDERS, payload, token, **headers)
    assert response.status_code == 400, response.content
    assert snapshot() == before
    return response.json()["errors"]


def test_an_unknown_sku_is_refused_and_nothing_written(api, demo, token, payload):
    payload["lines"][1]["sku"] = "NOPE-1"
    payload["lines"][1]["producer"] = ""

    errors = refused(api, token, payload)

    assert errors == [
        {"field": "lines[1].sku", "message": "No product has the SKU NOPE-1."}
    ]


def test_a_quantity_of_zero_is_refused(api, demo, token, payload):
    payload["lines"][0]["quantity"] = 0

    errors = refused(api, token, payload)

    assert errors == [
        {
            "field": "lines[0].quantity",
            "message": "The quantity must be a whole number from 1 to 9,999.",
        }
    ]


def test_an_unknown_shipping_method_is_refused(api, demo, token, payload):
    payload["shipping_method"] = "Drone"

    errors = refused(api, token, payload)

    assert errors == [
        {
            "field": "shipping_method",
            "message": "Le Panier Local has no shipping method named Drone. Its "
            "methods: Livraison groupée, Livraison à domicile, Retrait au Panier.",
        }
    ]


def test_a_variant_the_cycle_does_not_bring_to_the_hub_is_refused(
    api, demo, other_token, payload
):
    # Given Épicerie du Marché, whose cycle carries no carrots
    payload.update(
        distributor="epicerie-du-marche",
        shipping_method="Retrait à l'épicerie",
        payment_method="Espèces",
        amount_paid="0",
    )

    errors = refused(api, other_token, payload)

    assert errors == [
        {
            "field": "lines[0].sku",
            "message": "CAR-1KG is not offered by Épicerie du Marché in "
            "Semaine en cours.",
        }
    ]


def test_more_than_the_stock_is_refused(api, demo, token, payload):
    payload["lines"].append({"sku": "BRI-400", "quantity": 11})

    errors = refused(api, token, payload)

    assert errors == [
        {"field": "lines[3].quantity", "message": "Only 10 left of Brioche."}
    ]


def test_several_problems_are_reported_together(api, demo, token, payload):
    payload.update(email="", payment_method="Bitcoin", amount_paid="abc")
    payload["lines"][2]["quantity"] = "trois"

    errors = refused(api, token, payload)

    assert {error["field"] for error in errors} == {
        "lines[2].quantity",
        "payment_method",
        "amount_paid",
    }


def test_a_missing_email_is_refused_by_the_orders_service(api, demo, token, payload):
    payload["email"] = ""

    errors = refused(api, token, payload)

    assert errors == [
        {"field": "email", "message": "Enter the buyer's e-mail address."}
    ]


def test_a_delivery_without_an_address_is_refused(api, demo, token, payload):
    payload["bill_address"] = {}

    errors = refused(api, token, payload)

    assert [error["field"] for error in errors] == ["shipping_method"]


def test_a_sale_date_in_the_future_or_unreadable_is_refused(api, demo, token, payload):
    payload["placed_at"] = "2999-01-01T10:00:00+01:00"
    assert refused(api, token, payload)[0]["field"] == "placed_at"

    payload["placed_at"] = "yesterday"
    assert refused(api, token, payload)[0]["field"] == "placed_at"


def test_a_missing_reference_is_refused(api, demo, token, payload):
    del payload["external_reference"]

    errors = refused(api, token, payload)

    assert errors == [
        {
            "field": "external_reference",
            "message": "Give the order's reference on the other platform.",
        }
    ]


@pytest.mark.parametrize(
    "body", [b"not json", b"[1, 2]", b"\xff\xfe", b'{"lines": "CAR-1KG"}']
)
def test_a_malformed_body_is_refused(api, demo, token, body):
    before = snapshot()

    response = api.post(ORDERS, body, token)

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]
    assert snapshot() == before


def test_refusals_are_in_french_for_a_french_client(api, demo, token, payload):
    payload["lines"][0]["sku"] = "NOPE-1"

    errors = refused(api, token, payload, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert errors == [
        {"field": "lines[0].sku", "message": "Aucun produit n’a la référence NOPE-1."}
    ]


# ------------------------------------------------------------------ scoping


def test_another_hubs_manager_cannot_record_for_le_panier_local(
    api, demo, other_token, payload
):
    errors = refused(api, other_token, payload)

    assert errors == [
        {
            "field": "distributor",
            "message": "You manage no distributor with the code le-panier-local.",
        }
    ]


def test_another_hubs_manager_gets_404_on_the_order(
    api, demo, token, other_token, payload
):
    # Given an order of Le Panier Local
    number = api.post(ORDERS, payload, token).json()["number"]

    # When Épicerie du Marché's manager reads it, or lists orders
    detail = api.get(f"{ORDERS}{number}/", other_token)
    listed = api.get(ORDERS, other_token)

    # Then it does not exist for them
    assert detail.status_code == 404
    assert number not in [order["number"] for order in listed.json()["results"]]


def test_a_reposted_order_of_another_hub_is_not_revealed(
    api, demo, token, other_token, payload
):
    # Given an order recorded by Le Panier Local
    api.post(ORDERS, payload, token)

    # When the other hub's manager replays its body
    response = api.post(ORDERS, payload, other_token)

    # Then they are refused on the distributor, not handed the order
    assert response.status_code == 400
    assert "number" not in response.json()


# ------------------------------------------------------------------ reading


def test_the_order_reads_back_with_lines_adjustments_and_payments(
    api, demo, token, payload
):
    number = api.post(ORDERS, payload, token).json()["number"]

    body = api.get(f"{ORDERS}{number}/", token).json()

    assert body["number"] == number
    assert body["payment_state"] == "paid"
    assert body["distributor"] == {"code": "le-panier-local", "name": "Le Panier Local"}
    kinds = {adjustment["kind"] for adjustment in body["adjustments"]}
    assert {"shipping", "payment_fee", "tax"} <= kinds
    assert body["totals"]["shipping_total"] == "5.00"
    assert all(isinstance(value, str) for value in body["totals"].values())


def test_the_list_is_paginated_and_filtered(api, demo, token, payload):
    number = api.post(ORDERS, payload, token).json()["number"]

    everything = api.get(ORDERS, token).json()
    complete = api.get(
        f"{ORDERS}?distributor=le-panier-local&cycle={demo.current_cycle.pk}"
        "&state=complete",
        token,
    ).json()
    drafts = api.get(f"{ORDERS}?state=draft", token).json()

    assert everything["page"] == 1 and everything["count"] >= 1
    assert number in [order["number"] for order in complete["results"]]
    assert number not in [order["number"] for order in drafts["results"]]
    assert complete["results"][0]["totals"]["total"] == "24.71" or any(
        order["totals"]["total"] == "24.71" for order in complete["results"]
    )


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("state=lost", 400, "state"),
        ("cycle=abc", 400, "cycle"),
        ("page=99", 404, "page"),
    ],
)
def test_bad_list_filters_are_refused(api, demo, token, query, status, field):
    response = api.get(f"{ORDERS}?{query}", token)

    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field
