"""Reads: who sees which order, variant search and availability at a hub."""

from decimal import Decimal

import pytest
from django.http import Http404

from comptoir.orders import selectors, services


def _order(demo, actor, hub):
    return services.create_order(
        actor=actor, distributor=hub, order_cycle=demo.current_cycle
    )


def test_each_manager_sees_only_their_hub_orders(
    demo, hub_manager, other_hub_manager, super_admin
):
    mine = _order(demo, hub_manager, demo.panier)
    theirs = _order(demo, other_hub_manager, demo.epicerie)

    assert list(selectors.orders_for(other_hub_manager)) == [theirs]
    assert selectors.get_order_for(super_admin, mine.number) == mine
    with pytest.raises(Http404):
        selectors.get_order_for(other_hub_manager, mine.number)


def test_search_folds_accents_and_case(demo, hub_manager):
    order = _order(demo, hub_manager, demo.panier)

    [offer] = selectors.search_variants(order=order, query="COMTE")

    assert (offer.product_name, offer.producer_name, offer.sku) == (
        "Comté 18 mois",
        "Fromagerie Bel Air",
        "COM-250",
    )
    assert (offer.price, offer.stock, offer.available) == (Decimal("6.80"), 40, True)


def test_search_by_producer_word_start_and_sku(demo, hub_manager):
    order = _order(demo, hub_manager, demo.panier)

    by_producer = selectors.search_variants(order=order, query="tilleul")
    by_sku = selectors.search_variants(order=order, query="1kg")
    mid_word = selectors.search_variants(order=order, query="arott")

    assert sorted(o.sku for o in by_producer) == [
        "CAR-1KG",
        "PDT-2K5",
        "POI-BOT",
        "TOM-1KG",
    ]
    assert sorted(o.sku for o in by_sku) == ["CAR-1KG", "TOM-1KG"]
    assert mid_word == []


def test_search_shows_stock_and_on_demand(demo, hub_manager):
    order = _order(demo, hub_manager, demo.panier)

    offers = {o.sku: o for o in selectors.search_variants(order=order, query="p")}

    assert (offers["POI-BOT"].stock, offers["POI-BOT"].available) == (0, False)
    tomatoes = selectors.search_variants(order=order, query="tomates")[0]
    assert (tomatoes.stock, tomatoes.on_demand, tomatoes.available) == (
        None,
        True,
        True,
    )


def test_search_offers_only_what_the_cycle_sends_to_the_hub(demo, other_hub_manager):
    order = _order(demo, other_hub_manager, demo.epicerie)

    assert selectors.search_variants(order=order, query="carottes") == []
    [bread] = selectors.search_variants(order=order, query="baguette")
    assert (bread.price, bread.stock) == (Decimal("1.40"), 15)


def test_empty_query_finds_nothing(demo, hub_manager):
    order = _order(demo, hub_manager, demo.panier)

    assert selectors.search_variants(order=order, query="  ") == []


def test_availability_at_a_hub_in_one_query(demo, django_assert_num_queries):
    ids = [demo.variants[sku].pk for sku in ("BAG-TRA", "TOM-1KG", "CAR-1KG")]

    with django_assert_num_queries(1):
        found = selectors.availability(hub=demo.epicerie, variant_ids=ids)

    bread = found[demo.variants["BAG-TRA"].pk]
    assert (bread.price, bread.stock, bread.on_demand) == (Decimal("1.40"), 15, False)
    assert found[demo.variants["TOM-1KG"].pk].stock is None
    assert found[demo.variants["CAR-1KG"].pk].stock == 100


def test_totals_context_adds_up(demo, hub_manager, worked_example):
    context = selectors.order_totals_context(worked_example)

    assert sum(amount for _name, _label, amount in context["rows"]) == context["total"]
    assert context["included_tax"] == Decimal("2.06")
