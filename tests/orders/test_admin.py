"""The orders' setup page: read-only and scoped by the access rule."""

from django.urls import reverse

from comptoir.orders import services


def test_orders_admin_is_read_only_and_scoped(
    client, demo, hub_manager, other_hub_manager, worked_example
):
    # Given an order of Épicerie du Marché and one of Le Panier Local
    theirs = services.create_order(
        actor=other_hub_manager,
        distributor=demo.epicerie,
        order_cycle=demo.current_cycle,
    )
    client.force_login(other_hub_manager)

    # When Épicerie's manager opens the orders setup pages
    listing = client.get(reverse("admin:orders_order_changelist"))
    page = client.get(reverse("admin:orders_order_change", args=[theirs.pk]))
    hidden = client.get(reverse("admin:orders_order_change", args=[worked_example.pk]))

    # Then only Épicerie's order shows, read-only; Le Panier Local's stays hidden
    assert listing.status_code == 200
    assert theirs.number in listing.text
    assert worked_example.number not in listing.text
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert hidden.status_code in (302, 403, 404)


def test_coordinator_reads_the_order_with_its_adjustments(
    client, hub_manager, worked_example
):
    client.force_login(hub_manager)

    page = client.get(reverse("admin:orders_order_change", args=[worked_example.pk]))

    assert page.status_code == 200
    assert "Commission" in page.text
    assert "Livraison à domicile" in page.text
