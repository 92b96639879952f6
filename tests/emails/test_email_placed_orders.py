"""E-mails of orders placed and canceled through the orders services.

The worked example of the demo hub: 2 × Carottes, 1 × Comté, 3 × Baguette
delivered, a 1.50 commission, paid by card: 26.21 in all.
"""

import pytest

from comptoir.emails.models import OutboundEmail
from comptoir.emails.services import resend_order_confirmation
from comptoir.orders import services
from comptoir.orders.models import Order, OrderEvent
from tests.builders import LYON, fill_worked_example

from .conftest import body, let_time_pass, run_worker

pytestmark = [pytest.mark.smtp, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"


def worked_example(demo, manager, *, locale: str) -> Order:
    order = services.create_order(
        actor=manager,
        distributor=demo.panier,
        order_cycle=demo.current_cycle,
        locale=locale,
    )
    services.update_customer_details(
        order=order,
        actor=manager,
        expected_version=order.version,
        email="marie.dupont@example.fr",
        bill_address=LYON,
        ship_address=None,
        guest=True,
        customer_note="Merci de sonner deux fois.",
    )
    fill_worked_example(order, actor=manager, demo=demo)
    return order


def place(order: Order, demo, manager, *, send: bool = True) -> Order:
    return services.place_order(
        order=order,
        actor=manager,
        expected_version=order.version,
        payment_method=demo.card,
        amount_received="20.00",
        send_confirmation=send,
    )


def test_placed_worked_example_confirmation_in_french(
    smtp_server, immediate_tasks, demo, hub_manager
):
    # Given the worked example, in French
    order = worked_example(demo, hub_manager, locale="fr")

    # When it is placed with its confirmation, 20.00 received by card
    place(order, demo, hub_manager)

    # Then the buyer's confirmation shows every line, fee and total
    buyer, hub = smtp_server.inbox.messages
    assert buyer["Subject"].strip() == (
        f"Confirmation de commande {order.number} – Le Panier Local"
    )
    assert buyer["Reply-To"] == "contact@panier-local.test"
    text = body(buyer, "plain")
    expected = f"""\
- 2 × Carottes 1 kg (Ferme des Tilleuls)
  2 × 2,85{NBSP}€ = 5,70{NBSP}€
- 1 × Comté 18 mois 250 g (Fromagerie Bel Air)
  1 × 7,48{NBSP}€ = 7,48{NBSP}€
- 3 × Baguette tradition 250 g (Boulangerie du Moulin)
  3 × 1,43{NBSP}€ = 4,29{NBSP}€

Sous-total (marges sur les produits comprises) : 17,47{NBSP}€
Logistique, marge distributeur Le Panier Local : 2,00{NBSP}€
Commission : 1,50{NBSP}€
Carte bancaire (TPE) : 0,24{NBSP}€
Méthode de livraison (Livraison à domicile) : 5,00{NBSP}€
Total : 26,21{NBSP}€
Dont TVA : 2,06{NBSP}€

Adresse de livraison
12 rue des Lilas
69003 Lyon

Paiement
Méthode de paiement : Carte bancaire (TPE)
Déjà payé : 20,00{NBSP}€
Reste à payer : 6,21{NBSP}€

Remarques
Merci de sonner deux fois.
"""
    assert expected in text
    assert "14 rue de la République\n69001 Lyon\n" in text
    # And the hub's copy answers to the buyer
    assert hub["To"] == "contact@panier-local.test"
    assert hub["Reply-To"] == "marie.dupont@example.fr"
    assert f"Total : 26,21{NBSP}€" in body(hub, "plain")
    # And the order's history has the placement and both messages sent
    kinds = list(
        OrderEvent.objects.filter(order=order)
        .filter(kind__startswith="email_")
        .values_list("kind", flat=True)
    )
    assert sorted(kinds) == ["email_queued"] * 2 + ["email_sent"] * 2


def test_placed_worked_example_confirmation_in_english(
    smtp_server, immediate_tasks, demo, hub_manager
):
    # Given the worked example for an English-speaking buyer
    order = worked_example(demo, hub_manager, locale="en")

    # When it is placed
    place(order, demo, hub_manager)

    # Then the confirmation is in English with English amounts
    buyer = smtp_server.inbox.messages[0]
    assert buyer["Subject"].strip() == (
        f"Order confirmation {order.number} – Le Panier Local"
    )
    text = body(buyer, "plain")
    for line in [
        "  2 × €2.85 = €5.70",
        "Subtotal (fees on products included): €17.47",
        "Carte bancaire (TPE): €0.24",
        "Total: €26.21",
        "Including tax: €2.06",
        "Remaining to pay: €6.21",
    ]:
        assert line in text
    assert "€26.21" in body(buyer, "html")


def test_order_placed_without_confirmation_sends_nothing(
    smtp_server, immediate_tasks, demo, hub_manager
):
    # Given an order brought from another platform
    order = worked_example(demo, hub_manager, locale="fr")

    # When it is placed with the confirmation turned off
    place(order, demo, hub_manager, send=False)

    # Then no message is written or sent
    assert OutboundEmail.objects.filter(order=order).count() == 0
    assert smtp_server.inbox.envelopes == []


def test_placed_while_smtp_down_then_delivered_once(
    stopped_smtp_server, database_tasks, demo, hub_manager
):
    # Given a mail server that is down
    order = worked_example(demo, hub_manager, locale="fr")

    # When the order is placed and the worker tries to deliver
    place(order, demo, hub_manager)
    run_worker()

    # Then the order is placed and its confirmation "failed" with the reason
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETE
    confirmation = OutboundEmail.objects.get(order=order, kind="confirmation")
    assert confirmation.state == OutboundEmail.State.FAILED
    assert "Connection refused" in confirmation.last_error

    # When the server is back and the worker's retry comes, twice
    stopped_smtp_server.start()
    let_time_pass(minutes=2)
    run_worker()
    run_worker()

    # Then the buyer and the hub got exactly one message each
    assert sorted(e.rcpt_tos[0] for e in stopped_smtp_server.inbox.envelopes) == [
        "contact@panier-local.test",
        "marie.dupont@example.fr",
    ]
    confirmation.refresh_from_db()
    assert confirmation.state == OutboundEmail.State.SENT


def test_resend_and_cancellation(smtp_server, immediate_tasks, demo, hub_manager):
    # Given a placed order
    order = place(worked_example(demo, hub_manager, locale="fr"), demo, hub_manager)

    # When the manager sends the confirmation again, then cancels the order
    resend_order_confirmation(order=order, actor=hub_manager)
    order.refresh_from_db()
    services.cancel_order(
        order=order, actor=hub_manager, expected_version=order.version
    )

    # Then the buyer got the resend, marked as such, then the cancellation
    resend, cancellation = smtp_server.inbox.messages[2:]
    assert resend["Subject"].strip() == (
        f"[Renvoi] Confirmation de commande {order.number} – Le Panier Local"
    )
    assert "Voici de nouveau la confirmation" in body(resend, "plain")
    assert f"Total : 26,21{NBSP}€" in body(resend, "plain")
    assert cancellation["Subject"].strip() == (
        f"Commande {order.number} annulée – Le Panier Local"
    )
    assert cancellation["Reply-To"] == "contact@panier-local.test"
    text = body(cancellation, "plain")
    assert f"Votre commande {order.number} chez Le Panier Local a été annulée." in text
    assert (
        f"Vous aviez payé 20,00{NBSP}€ ; le distributeur vous contactera pour "
        "le remboursement."
    ) in text
    assert list(
        OutboundEmail.objects.filter(order=order)
        .order_by("id")
        .values_list("kind", "state")
    ) == [
        ("confirmation", "sent"),
        ("hub_copy", "sent"),
        ("resend", "sent"),
        ("cancellation", "sent"),
    ]
