"""Placing, paying and cancelling: stock, payment state and e-mails."""

from decimal import Decimal

import pytest
from django.utils import translation

from comptoir.catalogue.models import Variant, VariantOverride
from comptoir.emails.models import OutboundEmail
from comptoir.orders import services
from comptoir.orders.errors import OrderError
from comptoir.orders.models import Order, OrderEvent, Payment

from .conftest import LYON, add
from .helpers import snapshot


def _stock(sku: str) -> int:
    return Variant.objects.get(sku=sku).stock


def place(order, actor, demo, amount="26.21", send=False):
    return services.place_order(
        order=order,
        actor=actor,
        expected_version=order.version,
        payment_method=demo.card,
        amount_received=amount,
        send_confirmation=send,
    )


def test_placing_takes_stock_and_records_the_payment(demo, hub_manager, worked_example):
    # Given the worked example, a draft, with nothing taken from stock yet
    assert (_stock("CAR-1KG"), _stock("COM-250"), _stock("BAG-TRA")) == (100, 40, 60)

    # When it is placed with the full amount received by card
    order = place(worked_example, hub_manager, demo, amount="26.21")

    # Then it is complete, paid, and its stock is taken
    order = Order.objects.get(pk=order.pk)
    assert order.state == Order.State.COMPLETE
    assert order.placed_at is not None
    assert order.total == Decimal("26.21")
    assert order.payment_total == Decimal("26.21")
    assert order.payment_state == Order.PaymentState.PAID
    assert order.balance == Decimal("0.00")
    assert (_stock("CAR-1KG"), _stock("COM-250"), _stock("BAG-TRA")) == (98, 39, 57)
    [payment] = Payment.objects.filter(order=order)
    assert (payment.method, payment.amount, payment.state) == (
        demo.card,
        Decimal("26.21"),
        Payment.State.COMPLETED,
    )
    assert OrderEvent.objects.filter(order=order, kind="placed").count() == 1


def test_cancel_gives_the_stock_back_and_owes_the_payment(
    demo, hub_manager, worked_example
):
    place(worked_example, hub_manager, demo, amount="26.21")

    order = services.cancel_order(
        order=worked_example,
        actor=hub_manager,
        expected_version=worked_example.version,
        send_email=False,
    )

    assert order.state == Order.State.CANCELED
    assert order.payment_state == Order.PaymentState.CREDIT_OWED
    assert (_stock("CAR-1KG"), _stock("COM-250"), _stock("BAG-TRA")) == (100, 40, 60)
    assert sorted(order.lines.values_list("stock_taken", flat=True)) == [0, 0, 0]


def test_cancel_of_an_unpaid_order_is_void(demo, hub_manager, worked_example):
    place(worked_example, hub_manager, demo, amount="0")
    assert worked_example.payment_state == Order.PaymentState.BALANCE_DUE

    services.cancel_order(
        order=worked_example,
        actor=hub_manager,
        expected_version=worked_example.version,
        send_email=False,
    )

    assert worked_example.payment_state == Order.PaymentState.VOID
    assert _stock("BAG-TRA") == 60


def test_paying_more_than_the_total_owes_credit_and_a_refund_settles_it(
    demo, hub_manager, worked_example
):
    place(worked_example, hub_manager, demo, amount="30.00")
    assert worked_example.payment_state == Order.PaymentState.CREDIT_OWED
    assert worked_example.balance == Decimal("-3.79")

    services.record_payment(
        order=worked_example,
        actor=hub_manager,
        payment_method=demo.card,
        amount="-3.79",
        reference="rendu",
    )

    order = Order.objects.get(pk=worked_example.pk)
    assert order.payment_total == Decimal("26.21")
    assert order.payment_state == Order.PaymentState.PAID


def test_a_later_payment_settles_the_balance(demo, hub_manager, worked_example):
    place(worked_example, hub_manager, demo, amount="20,00")
    assert worked_example.balance == Decimal("6.21")

    services.record_payment(
        order=worked_example,
        actor=hub_manager,
        payment_method=demo.payment[("Espèces", "le-panier-local")],
        amount=Decimal("6.21"),
    )

    assert worked_example.payment_state == Order.PaymentState.PAID
    assert worked_example.payment_total == Decimal("26.21")


def test_placement_lists_every_missing_piece_and_changes_nothing(demo, hub_manager):
    order = services.create_order(
        actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
    )
    before = snapshot(order)

    with translation.override("en"), pytest.raises(OrderError) as refused:
        place(order, hub_manager, demo, amount="-1")

    assert [field for field, _message in refused.value.problems] == [
        "email",
        "shipping_method",
        "amount",
        "lines",
    ]
    assert snapshot(order) == before


def test_placement_beyond_stock_is_refused_and_takes_nothing(demo, hub_manager, draft):
    # Given a draft for the 10 brioches left, then 4 sold at the counter
    line = add(draft, hub_manager, "BRI-400", 10, demo)
    Variant.objects.filter(sku="BRI-400").update(stock=6)
    services.set_shipping_method(
        order=draft,
        actor=hub_manager,
        expected_version=draft.version,
        shipping_method=demo.shipping["Retrait au Panier"],
    )
    before = snapshot(draft)

    with translation.override("en"), pytest.raises(OrderError) as refused:
        place(draft, hub_manager, demo, amount="0")

    assert refused.value.problems == [(f"line:{line.pk}", "Only 6 left of Brioche.")]
    assert snapshot(draft) == before


def test_two_placements_for_the_last_units_one_is_refused(demo, hub_manager):
    # Given two drafts that each want 6 of the 10 brioches
    orders = []
    for _ in range(2):
        order = services.create_order(
            actor=hub_manager, distributor=demo.panier, order_cycle=demo.current_cycle
        )
        services.update_customer_details(
            order=order,
            actor=hub_manager,
            expected_version=order.version,
            email="jean.martin@example.fr",
            bill_address=LYON,
            ship_address=None,
        )
        add(order, hub_manager, "BRI-400", 6, demo)
        services.set_shipping_method(
            order=order,
            actor=hub_manager,
            expected_version=order.version,
            shipping_method=demo.shipping["Retrait au Panier"],
        )
        orders.append(order)

    # When both are placed, one after the other
    place(orders[0], hub_manager, demo, amount="0")
    with translation.override("en"), pytest.raises(OrderError) as refused:
        place(orders[1], hub_manager, demo, amount="0")

    # Then the second is told what is left, and stock never goes negative
    assert refused.value.messages == ["Only 4 left of Brioche."]
    assert _stock("BRI-400") == 4
    assert Order.objects.get(pk=orders[1].pk).state == Order.State.DRAFT


def test_the_hub_override_holds_the_stock(demo, other_hub_manager):
    # Épicerie du Marché sells baguettes from its own stock of 15
    order = services.create_order(
        actor=other_hub_manager,
        distributor=demo.epicerie,
        order_cycle=demo.current_cycle,
    )
    services.update_customer_details(
        order=order,
        actor=other_hub_manager,
        expected_version=order.version,
        email="paul.bernard@example.fr",
        bill_address=LYON,
        ship_address=None,
    )
    line = add(order, other_hub_manager, "BAG-TRA", 5, demo)
    services.set_shipping_method(
        order=order,
        actor=other_hub_manager,
        expected_version=order.version,
        shipping_method=demo.shipping["Retrait à l'épicerie"],
    )

    services.place_order(
        order=order,
        actor=other_hub_manager,
        expected_version=order.version,
        payment_method=demo.payment[("Espèces", "epicerie-du-marche")],
        amount_received=order.total,
        send_confirmation=False,
    )

    assert line.unit_price == Decimal("1.40")
    assert VariantOverride.objects.get(hub=demo.epicerie).stock == 10
    assert _stock("BAG-TRA") == 60
    assert order.payment_state == Order.PaymentState.PAID


def test_on_demand_stock_never_moves(demo, hub_manager, draft):
    add(draft, hub_manager, "TOM-1KG", 40, demo)
    services.set_shipping_method(
        order=draft,
        actor=hub_manager,
        expected_version=draft.version,
        shipping_method=demo.shipping["Retrait au Panier"],
    )
    stock = _stock("TOM-1KG")

    place(draft, hub_manager, demo, amount="0")

    assert _stock("TOM-1KG") == stock
    assert draft.lines.get().stock_taken == 0


def test_changes_after_placement_move_stock_by_the_difference(
    demo, hub_manager, worked_example
):
    place(worked_example, hub_manager, demo)
    carrots = worked_example.lines.get(sku="CAR-1KG")
    bread = worked_example.lines.get(sku="BAG-TRA")

    services.update_lines(
        order=worked_example,
        actor=hub_manager,
        expected_version=worked_example.version,
        quantities={carrots.pk: 5, bread.pk: 1},
    )
    assert (_stock("CAR-1KG"), _stock("BAG-TRA")) == (95, 59)

    services.remove_line(
        order=worked_example,
        actor=hub_manager,
        expected_version=worked_example.version,
        line_id=bread.pk,
    )
    add(worked_example, hub_manager, "PDT-2K5", 2, demo)

    assert (_stock("CAR-1KG"), _stock("BAG-TRA"), _stock("PDT-2K5")) == (95, 60, 48)
    # and the balance follows the new total
    order = Order.objects.get(pk=worked_example.pk)
    assert order.payment_state == Order.PaymentState.BALANCE_DUE
    assert order.balance == order.total - Decimal("26.21")


def test_confirmation_is_queued_when_asked(demo, hub_manager, worked_example):
    place(worked_example, hub_manager, demo, send=True)

    emails = OutboundEmail.objects.filter(order=worked_example).order_by("id")
    assert ["marie.dupont@example.fr"] in [email.to for email in emails]
    assert OrderEvent.objects.filter(order=worked_example, kind="placed").exists()
    assert not OrderEvent.objects.filter(
        order=worked_example, kind="email_failed"
    ).exists()


def test_no_confirmation_when_not_asked(demo, hub_manager, worked_example):
    place(worked_example, hub_manager, demo, send=False)

    assert not OutboundEmail.objects.filter(order=worked_example).exists()


def test_placing_twice_is_refused(demo, hub_manager, worked_example):
    place(worked_example, hub_manager, demo)
    before = snapshot(worked_example)

    with pytest.raises(OrderError):
        place(worked_example, hub_manager, demo)

    assert snapshot(worked_example) == before


def test_payment_on_a_draft_is_refused(demo, hub_manager, worked_example):
    before = snapshot(worked_example)

    with pytest.raises(OrderError):
        services.record_payment(
            order=worked_example,
            actor=hub_manager,
            payment_method=demo.card,
            amount="5",
        )

    assert snapshot(worked_example) == before


def test_imported_order_keeps_its_sale_date(demo, hub_manager, worked_example):
    sold = worked_example.created_at.replace(year=2020)
    Order.objects.filter(pk=worked_example.pk).update(placed_at=sold)
    worked_example.refresh_from_db()

    place(worked_example, hub_manager, demo)

    assert Order.objects.get(pk=worked_example.pk).placed_at == sold
