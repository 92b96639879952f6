"""Import a CSV file of orders: the page, the command, the report."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from comptoir.api.imports import Outcome, import_file
from comptoir.catalogue.models import Variant
from comptoir.orders.models import Order
from comptoir.reports.selectors import sales_by_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Read the report's messages in English (the instance speaks French)."""
    with translation.override("en"):
        yield


HEADER = (
    "external_reference;placed_at;email;first_name;last_name;phone;address1;"
    "zipcode;city;sku;quantity;shipping_method;payment_method;amount_paid"
)
# The worked example as a French spreadsheet writes it, then a pickup order
# for Jean, then an order asking for more brioche than there is.
ROWS = [
    "CG-1;03/05/2024 14:30;marie.dupont@example.fr;Marie;Dupont;0612345678;"
    "12 rue des Lilas;69003;Lyon;CAR-1KG;2;Livraison à domicile;"
    "Carte bancaire (TPE);24,71",
    "CG-1;;;;;;;;;COM-250;1;;;",
    "CG-1;;;;;;;;;BAG-TRA;3;;;",
    "CG-2;2024-05-03T18:00;jean.martin@example.fr;Jean;Martin;;5 place Bellecour;"
    "69002;Lyon;PAI-800;1;Retrait au Panier;Espèces;4,60",
    "CG-3;2024-05-04;amandine.leroy@example.fr;Amandine;Leroy;;;;;BRI-400;11;"
    "Retrait au Panier;Espèces;0",
]


def csv_bytes(rows=ROWS, *, bom=True, delimiter=";") -> bytes:
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    if delimiter != ";":
        text = text.replace(";", delimiter)
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def run(demo, actor, content, *, dry_run=False):
    return import_file(
        actor=actor,
        content=content,
        distributor=demo.panier,
        order_cycle=demo.current_cycle,
        platform="Cagette",
        dry_run=dry_run,
    )


def by_reference(report) -> dict[str, Outcome]:
    return {outcome.reference: outcome for outcome in report.outcomes}


def stock(sku: str) -> int:
    return Variant.objects.get(sku=sku).stock


def test_a_french_file_imports_each_order_and_refuses_the_bad_one(demo, hub_manager):
    # Given a ";" file with a BOM and three orders, the last beyond stock
    carrots = stock("CAR-1KG")

    # When it is imported
    report = run(demo, hub_manager, csv_bytes())

    # Then the two good orders are recorded and the third refused, with its row
    outcomes = by_reference(report)
    assert [outcome.status for outcome in report.outcomes] == [
        "created",
        "created",
        "refused",
    ]
    worked = Order.objects.get(number=outcomes["CG-1"].number)
    assert worked.source == Order.Source.IMPORT
    assert worked.external_platform == "Cagette"
    assert worked.total == Decimal("24.71") == outcomes["CG-1"].total
    assert worked.payment_total == Decimal("24.71")
    assert worked.lines.count() == 3
    assert worked.placed_at.isoformat() == "2024-05-03T12:30:00+00:00"
    assert stock("CAR-1KG") == carrots - 2
    pickup = Order.objects.get(number=outcomes["CG-2"].number)
    assert pickup.total == Decimal("4.60") + pickup.fee_total
    [problem] = outcomes["CG-3"].problems
    assert (problem.row, problem.column, problem.message) == (
        6,
        "quantity",
        "Only 10 left of Brioche.",
    )
    assert not Order.objects.filter(external_reference="CG-3").exists()


def test_a_dry_run_writes_nothing_but_reports_the_same(demo, hub_manager):
    # Given the stock and orders before
    orders = Order.objects.count()
    carrots = stock("CAR-1KG")

    # When the file is checked in a dry run
    report = run(demo, hub_manager, csv_bytes(), dry_run=True)

    # Then the report says what would happen, and nothing changed
    assert [outcome.status for outcome in report.outcomes] == [
        "would_create",
        "would_create",
        "refused",
    ]
    assert by_reference(report)["CG-1"].total == Decimal("24.71")
    assert by_reference(report)["CG-1"].number == ""
    assert Order.objects.count() == orders
    assert stock("CAR-1KG") == carrots


def test_a_dry_run_counts_the_stock_the_orders_before_take(demo, hub_manager):
    # Given two orders that each fit the brioche stock (10) but not together
    rows = [
        f"B-{n};;b{n}@example.fr;B;{n};;;;;BRI-400;6;Retrait au Panier;Espèces;0"
        for n in (1, 2)
    ]

    # When the file is checked, then imported
    dry = run(demo, hub_manager, csv_bytes(rows), dry_run=True)
    real = run(demo, hub_manager, csv_bytes(rows))

    # Then the dry run foresaw the real run's refusal
    assert [o.status for o in dry.outcomes] == ["would_create", "refused"]
    assert [o.status for o in real.outcomes] == ["created", "refused"]


def test_importing_the_file_again_recognises_every_order(demo, hub_manager):
    # Given the file imported once
    first = run(demo, hub_manager, csv_bytes())
    orders = Order.objects.count()
    carrots = stock("CAR-1KG")

    # When it is imported again
    second = run(demo, hub_manager, csv_bytes())

    # Then the orders are found, not doubled, and stock is not taken twice
    assert [o.status for o in second.outcomes] == ["existing", "existing", "refused"]
    assert [o.number for o in second.outcomes][:2] == [
        o.number for o in first.outcomes
    ][:2]
    assert Order.objects.count() == orders
    assert stock("CAR-1KG") == carrots


def test_a_comma_file_without_bom_is_read_too(demo, hub_manager):
    rows = [
        "C-1,2024-05-03 10:00,jean.martin@example.fr,Jean,Martin,,,,,PAI-800,2,"
        "Retrait au Panier,Espèces,9.20"
    ]

    report = run(demo, hub_manager, csv_bytes(rows, bom=False, delimiter=","))

    assert [o.status for o in report.outcomes] == ["created"]


def test_a_windows_1252_file_is_read(demo, hub_manager):
    text = "\r\n".join([HEADER, ROWS[3]]).encode("cp1252")

    report = run(demo, hub_manager, text)

    assert [o.status for o in report.outcomes] == ["created"]
    order = Order.objects.get(number=report.outcomes[0].number)
    assert order.payment_method.name == "Espèces"


def test_rows_of_one_order_that_disagree_are_refused(demo, hub_manager):
    rows = [ROWS[0], "CG-1;;other@example.fr;;;;;;;COM-250;1;;;"]

    report = run(demo, hub_manager, csv_bytes(rows))

    [outcome] = report.outcomes
    assert outcome.status == "refused"
    [problem] = outcome.problems
    assert (problem.row, problem.column) == (3, "email")
    assert not Order.objects.filter(external_reference="CG-1").exists()


def test_a_file_missing_columns_is_refused_whole(demo, hub_manager):
    content = b"external_reference;sku\nCG-1;CAR-1KG\n"

    report = run(demo, hub_manager, content)

    assert report.outcomes == []
    assert report.problems == [
        "The file has no column placed_at, email, first_name, last_name, phone, "
        "address1, zipcode, city, quantity, shipping_method, payment_method, "
        "amount_paid. Its first row must name them."
    ]


def test_imported_orders_count_in_the_sales_report(demo, hub_manager):
    def panier_sales():
        rows = sales_by_cycle(hub_manager, cycle_id=demo.current_cycle.pk)
        row = next((r for r in rows if r["distributor__name"] == "Le Panier Local"), {})
        return row.get("orders", 0), row.get("total") or Decimal("0")

    orders, total = panier_sales()

    report = run(demo, hub_manager, csv_bytes())

    imported = Order.objects.filter(
        number__in=[o.number for o in report.outcomes if o.number]
    )
    assert panier_sales() == (
        orders + 2,
        total + sum(order.total for order in imported),
    )


# ------------------------------------------------------------------ the page


def upload(client, demo, content, **fields):
    data = {
        "file": SimpleUploadedFile("orders.csv", content, content_type="text/csv"),
        "distributor": demo.panier.pk,
        "order_cycle": demo.current_cycle.pk,
        "platform": "Cagette",
        **fields,
    }
    return client.post(reverse("api:import"), data, HTTP_ACCEPT_LANGUAGE="en")


def test_the_page_imports_and_shows_the_report(client, demo, hub_manager):
    client.force_login(hub_manager)

    response = upload(client, demo, csv_bytes())

    html = response.content.decode()
    assert response.status_code == 200
    assert "2 orders created" in html and "1 refused" in html
    assert "Row 6, quantity:" in html and "Only 10 left of Brioche." in html
    assert Order.objects.filter(external_platform="Cagette").count() == 2


def test_the_page_dry_run_writes_nothing(client, demo, hub_manager):
    client.force_login(hub_manager)
    orders = Order.objects.count()

    response = upload(client, demo, csv_bytes(), dry_run="on")

    assert "2 orders would be created" in response.content.decode()
    assert Order.objects.count() == orders


def test_the_page_offers_only_the_managers_hubs(client, demo, other_hub_manager):
    # Given Épicerie du Marché's manager
    client.force_login(other_hub_manager)
    orders = Order.objects.count()

    # When they try to import into Le Panier Local
    response = upload(client, demo, csv_bytes())

    # Then the distributor is refused and nothing is written
    assert response.status_code == 200
    assert "distributor" in response.context["form"].errors
    assert Order.objects.count() == orders


def test_the_page_refuses_a_cycle_that_does_not_supply_the_hub(
    client, demo, hub_manager
):
    # Given a cycle with no outgoing exchange to Le Panier Local
    demo.current_cycle.exchanges.filter(incoming=False, enterprise=demo.panier).delete()
    client.force_login(hub_manager)

    response = upload(client, demo, csv_bytes())

    assert response.context["form"].errors["order_cycle"] == [
        "Semaine en cours does not supply Le Panier Local."
    ]


def test_the_page_needs_a_login(client, demo):
    response = client.get(reverse("api:import"))

    assert response.status_code == 302


# ------------------------------------------------------------------ the command


def test_the_command_imports_and_reports(tmp_path, demo, hub_manager):
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes(ROWS[:3]))
    out = io.StringIO()

    call_command(
        "import_orders",
        str(path),
        "--distributor",
        "le-panier-local",
        "--cycle",
        "Semaine en cours",
        "--platform",
        "Cagette",
        stdout=out,
    )

    order = Order.objects.get(external_reference="CG-1")
    assert f"CG-1 (rows 2, 3, 4): created {order.number}, total 24.71" in (
        out.getvalue()
    )
    assert order.created_by == hub_manager


def test_the_command_dry_run_writes_nothing_and_fails_on_refusals(tmp_path, demo):
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_bytes())
    orders = Order.objects.count()

    with pytest.raises(CommandError, match="Some orders were refused"):
        call_command(
            "import_orders",
            str(path),
            "--distributor=le-panier-local",
            "--cycle=Semaine en cours",
            "--platform=Cagette",
            "--dry-run",
            stdout=io.StringIO(),
        )

    assert Order.objects.count() == orders


def test_the_page_reads_in_french_with_the_guides_words(client, demo, hub_manager):
    client.force_login(hub_manager)

    with translation.override("fr"):
        response = client.get(reverse("api:import"), HTTP_ACCEPT_LANGUAGE="fr")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Importer des commandes" in html
    assert "Distributeur" in html and "Cycle de vente" in html
    assert "Le Panier Local" in html and "Épicerie du Marché" not in html


def test_the_page_refuses_a_file_longer_than_one_request_takes(
    client, demo, hub_manager, monkeypatch
):
    # Given a page that takes two orders at once, and a file of three
    monkeypatch.setattr("comptoir.api.views.MAX_ORDERS_PER_UPLOAD", 2)
    client.force_login(hub_manager)
    orders = Order.objects.count()

    response = upload(client, demo, csv_bytes())

    # Then the whole file is refused, pointing at the command
    assert "The file has 3 orders; this page takes at most 2" in (
        response.content.decode()
    )
    assert Order.objects.count() == orders
