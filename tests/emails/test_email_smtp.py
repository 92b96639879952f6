"""Order e-mails delivered through a real SMTP server started by the test."""

import pytest
from django.db import transaction

from comptoir.emails.models import OutboundEmail
from comptoir.emails.services import send_order_confirmation
from comptoir.orders.models import OrderEvent

from .conftest import body

pytestmark = [pytest.mark.smtp, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"


def place(make_order, world, **kwargs):
    """Write an order and its confirmation in one transaction, as placing does."""
    with transaction.atomic():
        order = make_order(**kwargs)
        emails = send_order_confirmation(order=order, actor=world.manager)
    return order, emails


def test_french_order_sends_french_confirmation_and_hub_copy(
    smtp_server, immediate_tasks, make_order, world
):
    # Given a running SMTP server and an order in French
    # When the order is placed with its confirmation
    order, emails = place(make_order, world, locale="fr")

    # Then the buyer and the hub each receive one message
    envelopes = smtp_server.inbox.envelopes
    assert [e.rcpt_tos for e in envelopes] == [
        ["marie.dupont@example.fr"],
        ["contact@ruche-du-quai.test"],
    ]
    buyer, hub = smtp_server.inbox.messages
    assert buyer["To"] == "marie.dupont@example.fr"
    assert buyer["Reply-To"] == "contact@ruche-du-quai.test"
    assert buyer["From"] == "La Ruche du Quai <noreply@comptoir.test>"
    assert buyer["Subject"].strip() == (
        "Confirmation de commande R900000001 – La Ruche du Quai"
    )
    # And the buyer's text body is in French, amounts written the French way
    text = body(buyer, "plain")
    for expected in [
        "Bonjour Marie Dupont,",
        "- 3 × Carottes 1 kg (Ferme des Saules)",
        f"  3 × 2,60{NBSP}€ = 7,80{NBSP}€",
        f"  2 × 4,20{NBSP}€ = 8,40{NBSP}€",
        f"Sous-total (marges sur les produits comprises) : 16,20{NBSP}€",
        f"Logistique, marge distributeur La Ruche du Quai : 2,00{NBSP}€",
        f"Commission : 3,01{NBSP}€",
        f"Méthode de livraison (Retrait à la Ruche) : 5,00{NBSP}€",
        f"Total : 26,21{NBSP}€",
        f"Dont TVA : 0,87{NBSP}€",
        "Heure de retrait : jeudi 17 h – 19 h",
        "Sonnez à la porte verte.",
        "Méthode de paiement : Espèces",
        f"Déjà payé : 10,00{NBSP}€",
        f"Reste à payer : 16,21{NBSP}€",
        "Téléphone : 04 78 00 00 00",
        "E-mail : contact@ruche-du-quai.test",
    ]:
        assert expected in text
    # And its HTML body says the same, in French
    html = body(buyer, "html")
    assert '<html lang="fr">' in html
    assert f"26,21{NBSP}€" in html
    assert "Heure de retrait : jeudi 17 h – 19 h" in html
    assert "€26.21" not in html
    # And the hub's copy names the buyer and answers to them
    assert hub["Reply-To"] == "marie.dupont@example.fr"
    assert hub["Subject"].strip() == "Nouvelle commande R900000001 de Marie Dupont"
    hub_text = body(hub, "plain")
    assert "E-mail : marie.dupont@example.fr" in hub_text
    assert "Téléphone : 06 12 34 56 78" in hub_text
    assert "12 rue des Lilas" in hub_text
    assert f"Total : 26,21{NBSP}€" in hub_text
    # And both messages are recorded as sent, once, on the order's history
    stored = list(OutboundEmail.objects.order_by("id"))
    assert [(e.kind, e.state, e.attempts) for e in stored] == [
        ("confirmation", "sent", 1),
        ("hub_copy", "sent", 1),
    ]
    assert all(e.sent_at is not None and e.language == "fr" for e in stored)
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert sorted(kinds) == [
        "email_queued",
        "email_queued",
        "email_sent",
        "email_sent",
    ]


def test_english_order_sends_english_confirmation(
    smtp_server, immediate_tasks, make_order, world
):
    # Given an order in English, for a hub whose names are French
    # When it is placed
    place(make_order, world, locale="en")

    # Then the confirmation is in English, amounts written the English way
    buyer, hub = smtp_server.inbox.messages
    assert buyer["Subject"].strip() == (
        "Order confirmation R900000001 – La Ruche du Quai"
    )
    text = body(buyer, "plain")
    for expected in [
        "Hello Marie Dupont,",
        "  3 × €2.60 = €7.80",
        "Subtotal (fees on products included): €16.20",
        "Shipping method (Retrait à la Ruche): €5.00",
        "Total: €26.21",
        "Including tax: €0.87",
        "Pickup time: jeudi 17 h – 19 h",
        "Payment method: Espèces",
        "Remaining to pay: €16.21",
    ]:
        assert expected in text
    html = body(buyer, "html")
    assert '<html lang="en">' in html
    assert "€26.21" in html
    assert "26,21" not in html
    assert hub["Subject"].strip() == "New order R900000001 from Marie Dupont"
    assert "Reply to this e-mail to write to the buyer." in body(hub, "plain")


def test_delivery_order_shows_the_delivery_address(
    smtp_server, immediate_tasks, make_order, world
):
    # Given an order delivered to the buyer's address
    # When it is placed
    place(make_order, world, locale="fr", delivers=True, address1="8 quai Perrache")

    # Then the confirmation gives the address, not the pickup time
    text = body(smtp_server.inbox.messages[0], "plain")
    assert "Adresse de livraison\n8 quai Perrache\n69003 Lyon\n" in text
    assert "Heure de retrait" not in text


def test_buyer_supplied_text_is_escaped_in_html(
    smtp_server, immediate_tasks, make_order, world
):
    # Given a buyer whose name is markup and whose address has quotes
    # When the order is placed
    place(
        make_order,
        world,
        first_name="<script>alert(1)</script>",
        last_name="O'Hara",
        address1='12 "rue" de l\'Arc <b>',
        customer_note="<img src=x onerror=alert(2)>",
    )

    # Then no HTML body carries the markup, only its escaped text
    buyer, hub = smtp_server.inbox.messages
    for message in (buyer, hub):
        html = body(message, "html")
        assert "<script>" not in html
        assert "<img" not in html
        assert "<b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Hara" in html
        assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "12 &quot;rue&quot; de l&#x27;Arc &lt;b&gt;" in body(hub, "html")
    # And the text bodies show what the buyer typed, as plain text
    assert "Bonjour <script>alert(1)</script> O'Hara," in body(buyer, "plain")
    assert '12 "rue" de l\'Arc <b>' in body(hub, "plain")


def test_nothing_is_written_or_sent_when_the_action_rolls_back(
    smtp_server, immediate_tasks, make_order, world
):
    # Given an action that queues the confirmation, then fails
    with pytest.raises(RuntimeError), transaction.atomic():
        order = make_order()
        send_order_confirmation(order=order, actor=world.manager)
        raise RuntimeError("the order could not be placed")

    # Then no message is stored and none is sent
    assert OutboundEmail.objects.count() == 0
    assert smtp_server.inbox.envelopes == []
