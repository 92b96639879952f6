"""The guide, followed in a real browser: from login to the confirmation e-mail.

Each test places the worked example of the pricing issue (2 × CAR-1KG,
1 × COM-250, 3 × BAG-TRA, "Livraison à domicile" to Lyon, a "Commission" of
1.50 without tax, paid by "Carte bancaire (TPE)"): 26.21 in total.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from comptoir.emails.models import OutboundEmail
from comptoir.orders.models import Order

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"
WORDS = {
    "fr": {
        "locale": "fr-FR",
        "orders": "Commandes",
        "new_order": "Nouvelle commande",
        "distributor": "Distributeur",
        "cycle": "Cycle de vente",
        "create": "Créer la commande",
        "customer_details": "Informations acheteur",
        "find_customer": "Chercher un client de Le Panier Local",
        "guest": "Commande invité",
        "update": "Mettre à jour",
        "customer_saved": "Informations acheteur enregistrées.",
        "order_details": "Détails de la commande",
        "add_product": "Ajouter un produit",
        "quantity_of": "Quantité de Carottes",
        "recalculate": "Mettre à jour et recalculer les frais",
        "lines_saved": "Lignes enregistrées et frais recalculés.",
        "adjustments": "Ajustements",
        "description": "Description",
        "amount": "Montant",
        "add_adjustment": "Ajouter l'ajustement",
        "continue": "Continuer",
        "payments": "Paiements",
        "send_email": "Envoyer un e-mail de confirmation à l'acheteur",
        "amount_received": "Montant reçu",
        "placed": "est passée",
        "paid": "Payée",
        "history": "Historique",
        "commission": "1,50",
        "items": f"15,70{NBSP}€",
        "total": f"26,21{NBSP}€",
        "received": "26,21",
        "zero": f"0,00{NBSP}€",
    },
    "en": {
        "locale": "en-GB",
        "orders": "Orders",
        "new_order": "New order",
        "distributor": "Distributor",
        "cycle": "Order cycle",
        "create": "Create the order",
        "customer_details": "Customer details",
        "find_customer": "Find a customer of Le Panier Local",
        "guest": "Guest order",
        "update": "Update",
        "customer_saved": "Customer details saved.",
        "order_details": "Order details",
        "add_product": "Add a product",
        "quantity_of": "Quantity of Carottes",
        "recalculate": "Update and recalculate fees",
        "lines_saved": "Lines saved and fees recalculated.",
        "adjustments": "Adjustments",
        "description": "Description",
        "amount": "Amount",
        "add_adjustment": "Add the adjustment",
        "continue": "Continue",
        "payments": "Payments",
        "send_email": "Send a confirmation e-mail to the buyer",
        "amount_received": "Amount received",
        "placed": "is placed",
        "paid": "Paid",
        "history": "History",
        "commission": "1.50",
        "items": "€15.70",
        "total": "€26.21",
        "received": "26.21",
        "zero": "€0.00",
    },
}


@pytest.fixture
def flow(request, chromium, live_server, demo, browser_settings, screenshots):
    """A logged-in hub manager's browser tab, in the language asked for."""
    contexts = []
    pages = []

    def start(language: str):
        words = WORDS[language]
        context = chromium.new_context(
            locale=words["locale"],
            viewport={"width": 1280, "height": 800},
            extra_http_headers={"Accept-Language": f"{language};q=1"},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "manager@panier-local.test")
        page.fill("#id_password", "demo")
        page.locator("form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/$"))
        return page, words

    yield start
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for page in pages:
            screenshots(page, f"failed-{request.node.name}")
            (SCREENSHOTS / f"failed-{request.node.name}.html").write_text(
                page.content()
            )
    for context in contexts:
        context.close()


def side(page, name):
    return page.locator("#order-summary").get_by_role("link", name=name, exact=True)


def create_draft(page, words, demo, shoot=None):
    """Orders → New order → distributor and order cycle."""
    page.get_by_role("navigation", name=re.compile(".")).first.get_by_role(
        "link", name=words["orders"], exact=True
    ).click()
    page.get_by_role("link", name=words["new_order"]).first.click()
    # One hub: it is chosen already and its cycles are listed.
    assert page.get_by_label(words["distributor"]).input_value() == str(demo.panier.pk)
    page.get_by_label(words["cycle"]).select_option(str(demo.current_cycle.pk))
    page.wait_for_load_state("networkidle")
    if shoot:
        shoot("01-new-order")
    page.get_by_role("button", name=words["create"]).click()
    page.wait_for_url(re.compile(r"/orders/R\d+/customer/$"))
    return re.search(r"/orders/(R\d+)/", page.url).group(1)


def pick_marie(page, words):
    search = page.get_by_role("combobox", name=words["find_customer"])
    search.fill("dup")
    page.get_by_role("option", name=re.compile("Marie Dupont")).wait_for()
    search.press("Enter")
    assert page.locator("#id_email").input_value() == "marie.dupont@example.fr"
    assert page.locator("#id_bill_city").input_value() == "Lyon"


def type_guest(page, words):
    page.locator("#id_email").fill("camille.invitee@example.fr")
    page.get_by_label(words["guest"]).check()
    page.locator("#id_bill_first_name").fill("Camille")
    page.locator("#id_bill_last_name").fill("Invitée")
    page.locator("#id_bill_address1").fill("3 rue Mercière")
    page.locator("#id_bill_zipcode").fill("69002")
    page.locator("#id_bill_city").fill("Lyon")


def wait_for_htmx(page):
    """Wait until no htmx request, swap or settle is under way.

    A value typed while a swap is pending lands in the field about to be
    replaced; a person sees the new field and types again, a test must wait.
    """
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def add_product(page, words, query, quantity, row_name):
    search = page.get_by_role("combobox", name=words["add_product"])
    options = page.locator("#product-results [role=option]")
    # The panel was just swapped in: htmx may still be wiring the new field,
    # and a value typed in that instant sends no search. Type it again then.
    for _attempt in range(3):
        search.fill(query)
        try:
            options.first.wait_for(timeout=2_000)
            break
        except PlaywrightTimeout:
            search.fill("")
    options.first.wait_for()
    search.press("Enter")
    quantity_field = page.locator("#add-quantity")
    assert quantity_field.evaluate("node => node === document.activeElement")
    quantity_field.fill(str(quantity))
    quantity_field.press("Enter")
    page.locator("table.lines tbody tr", has_text=row_name).wait_for()
    wait_for_htmx(page)


def follow_the_guide(page, words, demo, *, guest: bool, shoot=None):
    """Every step of the guide page; returns the placed order's number."""
    number = create_draft(page, words, demo, shoot)

    if guest:
        type_guest(page, words)
    else:
        pick_marie(page, words)
    if shoot:
        shoot("02-customer-details")
    page.get_by_role("button", name=words["update"], exact=True).click()
    page.get_by_text(words["customer_saved"]).wait_for()

    side(page, words["order_details"]).click()
    add_product(page, words, "car", 1, "Carottes")
    add_product(page, words, "COM", 1, "Comté")
    add_product(page, words, "bag", 3, "Baguette")
    page.wait_for_load_state("networkidle")
    wait_for_htmx(page)
    carrots = page.get_by_label(words["quantity_of"])
    carrots.fill("2")
    expect(carrots).to_have_value("2")
    page.get_by_role("button", name=words["recalculate"]).click()
    page.get_by_text(words["lines_saved"]).wait_for()
    expect(page.locator(".totals-table tbody tr").first).to_contain_text(words["items"])
    if shoot:
        shoot("03-order-details")

    side(page, words["adjustments"]).click()
    page.get_by_text("Livraison à domicile").click()
    page.locator(".choice.selected", has_text="Livraison à domicile").wait_for()
    page.get_by_label(words["description"]).fill("Commission")
    page.get_by_label(words["amount"]).fill(words["commission"])
    page.get_by_role("button", name=words["add_adjustment"]).click()
    page.locator("table.adjustments tr", has_text="Commission").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    if shoot:
        shoot("04-adjustments")
    page.get_by_role("link", name=words["continue"]).click()
    page.wait_for_url(re.compile(r"/payments/$"))

    page.get_by_text("Carte bancaire (TPE)").click()
    page.locator(".choice.selected", has_text="Carte bancaire").wait_for()
    assert page.locator("#order-total").inner_text() == words["total"]
    assert page.get_by_test_id("order-total").inner_text() == words["total"]
    assert (
        page.get_by_label(words["amount_received"]).input_value() == (words["received"])
    )
    assert page.get_by_label(words["send_email"]).is_checked()
    if shoot:
        shoot("05-payments")
    page.get_by_role("button", name=words["update"], exact=True).click()
    page.get_by_role("heading", name=re.compile(words["placed"])).wait_for()
    assert page.get_by_test_id("balance").inner_text() == words["zero"]
    assert page.locator(".placed .badge.paid").inner_text() == words["paid"]
    if shoot:
        shoot("06-placed")
    side(page, words["history"]).click()
    page.wait_for_url(re.compile(r"/history/$"))
    if shoot:
        shoot("07-history")
    return number


def assert_confirmation_stored(number, words, to):
    order = Order.objects.get(number=number)
    assert order.state == Order.State.COMPLETE
    assert str(order.total) == "26.21"
    confirmation = OutboundEmail.objects.get(
        order=order, kind=OutboundEmail.Kind.CONFIRMATION
    )
    assert confirmation.to == [to]
    assert words["total"] in confirmation.body_text
    assert confirmation.state == OutboundEmail.State.SENT
    sent = [message for message in mail.outbox if to in message.to]
    assert sent and words["total"] in sent[0].body


@pytest.mark.parametrize("language", ["fr", "en"])
def test_marie_dupont_order_follows_the_guide(flow, demo, screenshots, language):
    page, words = flow(language)

    number = follow_the_guide(
        page,
        words,
        demo,
        guest=False,
        shoot=lambda name: screenshots(page, f"{language}-{name}"),
    )

    assert_confirmation_stored(number, words, "marie.dupont@example.fr")
    assert Order.objects.get(number=number).customer == demo.marie


@pytest.mark.parametrize("language", ["fr", "en"])
def test_guest_order_follows_the_guide(flow, demo, language):
    page, words = flow(language)

    number = follow_the_guide(page, words, demo, guest=True)

    order = Order.objects.get(number=number)
    assert order.is_guest and order.customer is None
    assert not demo.panier.customers.filter(email="camille.invitee@example.fr").exists()
    assert_confirmation_stored(number, words, "camille.invitee@example.fr")
