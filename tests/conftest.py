"""Fixtures shared by the whole suite: the demo hub and named personas."""

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from comptoir.accounts.models import User
from comptoir.catalogue.models import Variant
from comptoir.customers.models import Customer
from comptoir.cycles.models import OrderCycle
from comptoir.enterprises.models import Enterprise
from comptoir.fees.models import PaymentMethod, ShippingMethod, TaxCategory


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files without the manifest that collectstatic writes."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo hub once per test database; each test rolls back to it."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def demo(db):
    """Hand the demo hub's main objects to the test by name."""
    # A transactional test (live server, on_commit) empties every table when
    # it ends; the tests after it get the demo back here.
    if not Enterprise.objects.filter(slug="le-panier-local").exists():
        call_command("load_demo", stdout=io.StringIO())
    hubs = {e.slug: e for e in Enterprise.objects.all()}
    return SimpleNamespace(
        panier=hubs["le-panier-local"],
        epicerie=hubs["epicerie-du-marche"],
        tilleuls=hubs["ferme-des-tilleuls"],
        belair=hubs["fromagerie-bel-air"],
        moulin=hubs["boulangerie-du-moulin"],
        current_cycle=OrderCycle.objects.get(name="Semaine en cours"),
        past_cycle=OrderCycle.objects.get(name="Semaine dernière"),
        next_cycle=OrderCycle.objects.get(name="Semaine prochaine"),
        variants={v.sku: v for v in Variant.objects.select_related("product")},
        shipping={m.name: m for m in ShippingMethod.objects.all()},
        payment={
            (m.name, hub.slug): m
            for m in PaymentMethod.objects.prefetch_related("hubs")
            for hub in m.hubs.all()
        },
        card=PaymentMethod.objects.get(name="Carte bancaire (TPE)"),
        marie=Customer.objects.get(email="marie.dupont@example.fr"),
        tva55=TaxCategory.objects.get(name="TVA 5,5 %"),
        tva20=TaxCategory.objects.get(name="TVA 20 %"),
        users={u.email: u for u in User.objects.all()},
    )


@pytest.fixture
def hub_manager(demo):
    """Claire, who manages Le Panier Local."""
    return demo.users["manager@panier-local.test"]


@pytest.fixture
def other_hub_manager(demo):
    """Hugo, who manages Épicerie du Marché and must not see Le Panier Local's."""
    return demo.users["manager@epicerie.test"]


@pytest.fixture
def producer_manager(demo):
    """Louis, who manages Ferme des Tilleuls, a producer."""
    return demo.users["producteur@tilleuls.test"]


@pytest.fixture
def super_admin(demo):
    return demo.users["admin@comptoir.test"]


@pytest.fixture
def outsider(db):
    """A user who manages nothing."""
    return User.objects.create_user("outsider@example.org", "outsider-pass-1")
