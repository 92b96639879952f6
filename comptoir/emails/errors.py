from comptoir.orders.errors import OrderError


class EmailError(OrderError):
    """A refusal about an order's e-mail, such as sending with no address.

    It is an `OrderError`, so the order pages show it like their other
    refusals: one translated sentence next to the button or field concerned.
    """
