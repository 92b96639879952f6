"""Setup data refuses what must never be stored, with a clear message."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from comptoir.customers.models import Customer
from comptoir.fees.models import EnterpriseFee, ShippingMethod


@pytest.fixture(autouse=True)
def english():
    """Messages are lazy: they are read in the language active at the time."""
    with translation.override("en"):
        yield


def messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def test_flat_percent_without_percent_is_refused(demo):
    fee = EnterpriseFee(
        enterprise=demo.panier,
        name="Sans pourcentage",
        fee_type="admin",
        calculator="flat_percent_per_item",
        preferences={},
    )

    with pytest.raises(ValidationError) as caught:
        fee.full_clean()

    assert messages_of(caught.value) == ["Percent is required for this calculator."]
    assert not EnterpriseFee.objects.filter(name="Sans pourcentage").exists()


def test_preference_that_is_not_a_number_is_refused_in_french(demo):
    method = ShippingMethod(
        name="Coursier", kind="delivery", calculator="flat_rate", preferences={}
    )
    method.preferences = {"amount": "cinq"}

    with translation.override("fr"):
        with pytest.raises(ValidationError) as caught:
            method.full_clean()
        assert messages_of(caught.value) == ["Montant doit être un nombre."]


def test_french_decimal_comma_is_accepted(demo):
    method = ShippingMethod(
        name="Coursier", kind="delivery", calculator="flat_rate", preferences={}
    )
    method.preferences = {"amount": "4,50"}

    method.full_clean()

    assert method.preferences == {"amount": "4.50"}


def test_inherit_tax_needs_a_per_item_calculator(demo):
    fee = EnterpriseFee(
        enterprise=demo.panier,
        name="Forfait",
        fee_type="admin",
        calculator="flat_rate",
        preferences={"amount": "2"},
        inherits_tax_category=True,
    )

    with pytest.raises(ValidationError) as caught:
        fee.full_clean()

    assert (
        "Only a per-item calculator can inherit the product's tax category."
        in messages_of(caught.value)
    )


def test_negative_price_is_refused(demo):
    variant = demo.variants["CAR-1KG"]
    variant.price = Decimal("-1.00")

    with pytest.raises(ValidationError) as caught:
        variant.full_clean()

    assert "A price cannot be negative." in messages_of(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        variant.save()
    variant.refresh_from_db()
    assert variant.price == Decimal("2.50")


def test_negative_stock_is_refused_unless_on_demand(demo):
    variant = demo.variants["CAR-1KG"]
    variant.stock = -3

    with pytest.raises(IntegrityError), transaction.atomic():
        variant.save()

    variant.on_demand = True
    variant.save()
    variant.refresh_from_db()
    assert variant.stock == -3


def test_duplicate_customer_email_in_one_hub_is_refused(demo):
    duplicate = Customer(hub=demo.panier, email="marie.dupont@example.fr")

    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()

    assert messages_of(caught.value) == [
        "This hub already has a customer with this e-mail."
    ]
    assert Customer.objects.filter(email="marie.dupont@example.fr").count() == 1


def test_same_customer_email_is_fine_in_another_hub(demo):
    other = Customer(hub=demo.epicerie, email="marie.dupont@example.fr")

    other.full_clean()
    other.save()

    assert Customer.objects.filter(email="marie.dupont@example.fr").count() == 2


def test_duplicate_customer_code_in_one_hub_is_refused(demo):
    duplicate = Customer(hub=demo.panier, email="new@example.fr", code="C001")

    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()

    assert messages_of(caught.value) == [
        "This hub already has a customer with this code."
    ]


def test_admin_form_shows_the_preference_error(client, hub_manager):
    client.force_login(hub_manager)

    response = client.post(
        "/setup/fees/enterprisefee/add/",
        {
            "enterprise": hub_manager.enterprises.get().pk,
            "name": "Marge",
            "fee_type": "admin",
            "calculator": "flat_percent_per_item",
            "preferences": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "Percent is required for this calculator." in response.content.decode()
    assert not EnterpriseFee.objects.filter(name="Marge").exists()
