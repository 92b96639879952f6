"""The one access rule, seen by each persona in views and in the admin."""

import pytest

from comptoir.catalogue.models import Variant, VariantOverride
from comptoir.customers.models import Customer
from comptoir.cycles.models import OrderCycle
from comptoir.enterprises.models import Enterprise
from comptoir.enterprises.selectors import scope_for
from comptoir.fees.models import EnterpriseFee, PaymentMethod, ShippingMethod


def names(queryset, field="name"):
    return sorted(queryset.values_list(field, flat=True))


def test_hub_manager_sees_their_hub_only(hub_manager):
    assert names(scope_for(hub_manager, Enterprise.objects.all())) == [
        "Le Panier Local"
    ]
    assert names(scope_for(hub_manager, Customer.objects.all()), "code") == [
        "C001",
        "C002",
        "C003",
    ]
    assert names(scope_for(hub_manager, ShippingMethod.objects.all())) == [
        "Livraison groupée",
        "Livraison à domicile",
        "Retrait au Panier",
    ]
    assert scope_for(hub_manager, PaymentMethod.objects.all()).count() == 4
    assert scope_for(hub_manager, VariantOverride.objects.all()).count() == 0


def test_hub_manager_sees_cycles_they_coordinate(hub_manager):
    assert scope_for(hub_manager, OrderCycle.objects.all()).count() == 3


def test_other_hub_manager_sees_only_epicerie(other_hub_manager):
    user = other_hub_manager

    assert names(scope_for(user, Customer.objects.all()), "code") == ["E001"]
    assert names(scope_for(user, ShippingMethod.objects.all())) == [
        "Retrait à l'épicerie"
    ]
    assert names(scope_for(user, PaymentMethod.objects.all())) == ["Espèces"]
    assert scope_for(user, VariantOverride.objects.all()).count() == 1
    # Goods go out to the épicerie in all three cycles.
    assert scope_for(user, OrderCycle.objects.all()).count() == 3
    assert names(scope_for(user, EnterpriseFee.objects.all())) == [
        "Commission épicerie"
    ]


def test_producer_sees_their_catalogue_and_no_customer(producer_manager):
    user = producer_manager

    assert scope_for(user, Variant.objects.all()).count() == 4
    assert scope_for(user, Customer.objects.all()).count() == 0
    assert scope_for(user, OrderCycle.objects.all()).count() == 0
    assert names(scope_for(user, EnterpriseFee.objects.all())) == ["Emballage"]


def test_super_admin_sees_everything(super_admin):
    assert scope_for(super_admin, Customer.objects.all()).count() == 4
    assert scope_for(super_admin, Enterprise.objects.all()).count() == 5


def test_anonymous_and_outsider_see_nothing(outsider, demo):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), outsider):
        assert not scope_for(user, Customer.objects.all()).exists()
        assert not scope_for(user, OrderCycle.objects.all()).exists()


# The admin (setup pages) follows the same rule.


def test_admin_customer_list_is_scoped(client, hub_manager):
    client.force_login(hub_manager)

    page = client.get("/setup/customers/customer/").content.decode()

    assert "marie.dupont@example.fr" in page
    assert "paul.bernard@example.fr" not in page


def test_admin_refuses_another_hubs_customer(client, other_hub_manager, demo):
    client.force_login(other_hub_manager)

    response = client.get(f"/setup/customers/customer/{demo.marie.pk}/change/")

    # Django admin answers a row outside the queryset with a redirect and a
    # "does not exist" message, never the row itself.
    assert response.status_code == 302
    assert "marie" not in response.content.decode()


def test_admin_cannot_change_another_hubs_customer(client, other_hub_manager, demo):
    client.force_login(other_hub_manager)

    client.post(
        f"/setup/customers/customer/{demo.marie.pk}/change/",
        {"hub": demo.epicerie.pk, "email": "stolen@example.org"},
    )

    demo.marie.refresh_from_db()
    assert demo.marie.email == "marie.dupont@example.fr"
    assert demo.marie.hub == demo.panier


@pytest.mark.parametrize(
    "path",
    [
        "/setup/fees/shippingmethod/",
        "/setup/fees/paymentmethod/",
        "/setup/catalogue/variantoverride/",
    ],
)
def test_admin_methods_and_overrides_are_scoped(client, hub_manager, path):
    client.force_login(hub_manager)

    page = client.get(path).content.decode()

    assert "Retrait à l&#x27;épicerie" not in page
    assert "BAG-TRA" not in page or "variantoverride" not in path


def test_admin_hub_choice_offers_only_managed_hubs(client, other_hub_manager):
    client.force_login(other_hub_manager)

    page = client.get("/setup/customers/customer/add/").content.decode()

    assert "Épicerie du Marché" in page
    assert "Le Panier Local" not in page


def test_admin_users_page_is_for_super_admins(client, hub_manager, super_admin):
    client.force_login(hub_manager)
    assert client.get("/setup/accounts/user/").status_code == 403

    client.force_login(super_admin)
    assert client.get("/setup/accounts/user/").status_code == 200


def test_admin_tax_categories_read_only_for_managers(client, hub_manager, demo):
    client.force_login(hub_manager)

    assert client.get("/setup/fees/taxcategory/").status_code == 200
    assert client.get("/setup/fees/taxcategory/add/").status_code == 403
