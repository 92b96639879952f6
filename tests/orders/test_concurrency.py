"""Two managers at once: row locks in a stable order, no stock sold twice."""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from comptoir.catalogue.models import Variant
from comptoir.orders import services
from comptoir.orders.errors import OrderError
from comptoir.orders.models import Order

from .conftest import LYON, add


def _ready_draft(demo, actor, wants: dict[str, int]) -> Order:
    order = services.create_order(
        actor=actor, distributor=demo.panier, order_cycle=demo.current_cycle
    )
    services.update_customer_details(
        order=order,
        actor=actor,
        expected_version=order.version,
        email="jean.martin@example.fr",
        bill_address=LYON,
        ship_address=None,
    )
    for sku, quantity in wants.items():
        add(order, actor, sku, quantity, demo)
    services.set_shipping_method(
        order=order,
        actor=actor,
        expected_version=order.version,
        shipping_method=demo.shipping["Retrait au Panier"],
    )
    return order


def _place(order: Order, actor, demo) -> Order:
    return services.place_order(
        order=order,
        actor=actor,
        expected_version=order.version,
        payment_method=demo.card,
        amount_received="0",
        send_confirmation=False,
    )


def test_placement_locks_order_then_stock_rows_in_key_order(demo, hub_manager):
    # Given an order whose lines were added in the reverse order of their keys
    order = _ready_draft(demo, hub_manager, {"BRI-400": 1, "COM-250": 1, "CAR-1KG": 1})

    with CaptureQueriesContext(connection) as captured:
        _place(order, hub_manager, demo)

    # Then the order row is read (and locked) first, then the variants, then
    # the hub's overrides, each in primary-key order
    sql = [query["sql"] for query in captured.captured_queries]
    order_lock = next(i for i, q in enumerate(sql) if 'FROM "orders_order"' in q)
    variant_lock = next(
        i for i, q in enumerate(sql) if q.startswith('SELECT "catalogue_variant"')
    )
    override_lock = next(
        i
        for i, q in enumerate(sql)
        if q.startswith('SELECT "catalogue_variantoverride"')
    )
    assert order_lock < variant_lock < override_lock
    for index in (variant_lock, override_lock):
        assert 'ORDER BY "catalogue_variant' in sql[index]
        assert (
            sql[index]
            .rstrip()
            .split("ORDER BY")[1]
            .strip()
            .startswith(
                ('"catalogue_variant"."id" ASC', '"catalogue_variantoverride"."id" ASC')
            )
        )
        if connection.vendor == "postgresql":
            assert sql[index].rstrip().endswith("FOR UPDATE")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a server that locks rows; SQLite serialises whole writes",
)
def test_two_placements_racing_for_the_last_units(transactional_db, demo, hub_manager):
    # Given two drafts that each want 6 of the 10 brioches left
    first = _ready_draft(demo, hub_manager, {"BRI-400": 6, "PAI-800": 1})
    second = _ready_draft(demo, hub_manager, {"PAI-800": 1, "BRI-400": 6})
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def run(name: str, order: Order) -> None:
        try:
            start.wait()
            _place(order, hub_manager, demo)
            outcomes[name] = "placed"
        except OrderError as error:
            outcomes[name] = " ".join(error.messages)
        finally:
            connections.close_all()

    # When both managers place at the same moment
    threads = [
        threading.Thread(target=run, args=("first", first)),
        threading.Thread(target=run, args=("second", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Then exactly one is placed, the other is told what is left
    assert list(outcomes.values()).count("placed") == 1
    refused = [text for text in outcomes.values() if text != "placed"]
    assert len(refused) == 1
    assert "4" in refused[0]
    assert Variant.objects.get(sku="BRI-400").stock == 4
    assert Variant.objects.get(sku="PAI-800").stock == 24
    states = sorted(
        Order.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "state", flat=True
        )
    )
    assert states == [Order.State.COMPLETE, Order.State.DRAFT]
