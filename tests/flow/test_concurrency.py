"""Item 11: a save drawn from an older version is refused, naming who changed
the order and when, with a reload link; nothing is overwritten."""

import pytest
from django.urls import reverse

from comptoir.orders import services
from tests.orders.helpers import snapshot

from .conftest import LYON

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed_meanwhile(demo, super_admin, draft):
    """The order as Claire loaded it, then changed by the admin."""
    seen = draft.version
    services.add_variant(
        order=draft,
        actor=super_admin,
        expected_version=draft.version,
        variant_id=demo.variants["PAI-800"].pk,
        quantity=1,
    )
    return seen


def test_stale_customer_details_are_refused(manager, draft, changed_meanwhile):
    before = snapshot(draft)
    data = {
        "version": changed_meanwhile,
        "email": "someone.else@example.fr",
        "same_as_billing": "on",
        **{f"bill_{key}": value for key, value in LYON.items()},
    }

    response = manager.post(reverse("orders:customer", args=[draft.number]), data)

    assert response.status_code == 409
    html = response.content.decode()
    assert "This order was changed by" in html
    assert reverse("orders:customer", args=[draft.number]) in html
    assert snapshot(draft) == before


def test_stale_htmx_add_is_refused_in_the_alert_area(
    manager, demo, draft, changed_meanwhile
):
    before = snapshot(draft)

    response = manager.post(
        reverse("orders:add_line", args=[draft.number]),
        {
            "version": changed_meanwhile,
            "variant": demo.variants["CAR-1KG"].pk,
            "quantity": 1,
        },
        headers={"hx-request": "true"},
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#flow-alert"
    assert "This order was changed by" in response.content.decode()
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("details", {}),
        ("shipping", {"step": "adjustments"}),
        ("adjustments", {"label": "Commission", "amount": "1.50"}),
        ("payment_method", {}),
        ("payments", {"amount": "0"}),
    ],
)
def test_every_form_refuses_a_stale_version(
    manager, demo, draft, changed_meanwhile, name, data
):
    extra = {
        "shipping": {"shipping_method": demo.shipping["Retrait au Panier"].pk},
        "payment_method": {"payment_method": demo.card.pk},
        "payments": {"payment_method": demo.card.pk},
        "details": {f"qty-{draft.lines.get().pk}": 2},
    }.get(name, {})
    before = snapshot(draft)

    response = manager.post(
        reverse(f"orders:{name}", args=[draft.number]),
        {"version": changed_meanwhile, **data, **extra},
    )

    assert "This order was changed by" in response.content.decode()
    assert snapshot(draft) == before
