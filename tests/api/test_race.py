"""The same external order sent twice at once is recorded once."""

import threading

import pytest
from django.db import connection, connections

from comptoir.api.services import ExternalLine, ExternalOrder, import_order
from comptoir.catalogue.models import Variant
from comptoir.orders.models import Order


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers; SQLite serialises whole transactions",
)
def test_two_identical_posts_at_once_record_one_order(
    transactional_db, demo, hub_manager
):
    # Given one order from Cagette, about to be sent twice at the same moment
    external = ExternalOrder(
        distributor="le-panier-local",
        order_cycle="Semaine en cours",
        platform="Cagette",
        external_reference="CG-RACE",
        email="jean.martin@example.fr",
        customer={"first_name": "Jean", "last_name": "Martin"},
        lines=[ExternalLine(sku="BRI-400", quantity=4)],
        shipping_method="Retrait au Panier",
        payment_method="Espèces",
    )
    start = threading.Barrier(2)
    results = []

    def send() -> None:
        try:
            start.wait()
            results.append(import_order(actor=hub_manager, external=external))
        finally:
            connections.close_all()

    # When both requests run together
    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Then one order exists, both callers got it, and the stock moved once
    assert sorted(result.created for result in results) == [False, True]
    assert len({result.order.number for result in results}) == 1
    assert Order.objects.filter(external_reference="CG-RACE").count() == 1
    assert Variant.objects.get(sku="BRI-400").stock == 6
