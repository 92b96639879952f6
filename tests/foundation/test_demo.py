import io
from decimal import Decimal

from django.apps import apps
from django.core.management import call_command

from comptoir.catalogue.models import Variant, VariantOverride
from comptoir.cycles.models import OrderCycle


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label.startswith(
            ("accounts", "enterprises", "catalogue", "fees", "cycles", "customers")
        )
    }


def test_demo_loads_the_catalogue_exactly(demo):
    variants = {v.sku: v for v in Variant.objects.all()}

    assert len(variants) == 10
    assert variants["CAR-1KG"].price == Decimal("2.50")
    assert variants["CAR-1KG"].stock == 100
    assert variants["TOM-1KG"].on_demand is True
    assert variants["POI-BOT"].stock == 0
    assert variants["COM-250"].producer.name == "Fromagerie Bel Air"
    override = VariantOverride.objects.get(variant__sku="BAG-TRA")
    assert (override.hub.name, override.price, override.stock) == (
        "Épicerie du Marché",
        Decimal("1.40"),
        15,
    )


def test_demo_cycles_are_relative_to_today(demo):
    statuses = {cycle.name: cycle.status for cycle in OrderCycle.objects.all()}

    assert statuses == {
        "Semaine dernière": "closed",
        "Semaine en cours": "open",
        "Semaine prochaine": "upcoming",
    }


def test_demo_outgoing_exchanges(demo):
    cycle = demo.current_cycle
    outgoing = {
        exchange.enterprise.name: sorted(v.sku for v in exchange.variants.all())
        for exchange in cycle.exchanges.filter(incoming=False)
    }

    assert len(outgoing["Le Panier Local"]) == 10
    assert outgoing["Épicerie du Marché"] == [
        "BAG-TRA",
        "COM-250",
        "PAI-800",
        "TOM-500",
    ]


def test_loading_the_demo_twice_changes_nothing(demo):
    before = _row_counts()
    stock_before = list(Variant.objects.order_by("pk").values_list("stock", "price"))

    call_command("load_demo", stdout=io.StringIO())

    assert _row_counts() == before
    assert list(Variant.objects.order_by("pk").values_list("stock", "price")) == (
        stock_before
    )
