"""Orders built through the real services, shared by the test packages."""

from comptoir.orders import services
from comptoir.orders.models import Order

# Marie Dupont's address in Lyon, as the flow's forms and services take it.
LYON = {
    "first_name": "Marie",
    "last_name": "Dupont",
    "phone": "06 12 34 56 78",
    "address1": "12 rue des Lilas",
    "zipcode": "69003",
    "city": "Lyon",
    "country": "FR",
}

# The worked example of the pricing issue: SKU and quantity of each line.
WORKED_EXAMPLE_LINES = (("CAR-1KG", 2), ("COM-250", 1), ("BAG-TRA", 3))


def fill_worked_example(order: Order, *, actor, demo) -> Order:
    """Add the worked example's lines, home delivery and a 1.50 commission."""
    for sku, quantity in WORKED_EXAMPLE_LINES:
        services.add_variant(
            order=order,
            actor=actor,
            expected_version=order.version,
            variant_id=demo.variants[sku].pk,
            quantity=quantity,
        )
    services.set_shipping_method(
        order=order,
        actor=actor,
        expected_version=order.version,
        shipping_method=demo.shipping["Livraison à domicile"],
    )
    services.add_manual_adjustment(
        order=order,
        actor=actor,
        expected_version=order.version,
        label="Commission",
        amount="1.50",
    )
    return order
