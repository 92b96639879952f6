"""Time each page and htmx endpoint of the new-order flow; goal: 50 ms median.

Run with `.venv/bin/python bench/flow_bench.py [runs]` (default 50 requests
per endpoint). It builds a throwaway SQLite database in a temporary folder
(migrate, demo data), logs Django's test client in as Le Panier Local's
manager and requests each endpoint on the worked example of the pricing issue
(3 lines, delivery, a commission, card payment). Set BENCH_DATABASE_URL to
measure on another database you can throw away.

Printed per endpoint: median and p95 in ms, and the SQL queries of one request.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Run as a script from anywhere: the package lives at the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_MS = 50
LYON = {
    "first_name": "Marie",
    "last_name": "Dupont",
    "phone": "06 12 34 56 78",
    "address1": "12 rue des Lilas",
    "zipcode": "69003",
    "city": "Lyon",
    "country": "FR",
}


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as folder:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
        os.environ.setdefault("TASK_BACKEND", "immediate")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        os.environ.setdefault(
            "EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
        )
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        # No collectstatic here: plain static URLs instead of the manifest's.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        }
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
        print(f"database: {connection.vendor}, {runs} requests per endpoint")
        bench = Bench(runs)
        print(f"{'endpoint':<32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        slow = []
        for name, median, p95, queries in bench.run_all():
            flag = "" if median < GOAL_MS else "  over goal"
            if flag:
                slow.append(name)
            print(f"{name:<32} {median:>10.2f} {p95:>8.2f} {queries:>8}{flag}")
        print(
            f"goal: median under {GOAL_MS} ms; over goal: {', '.join(slow) or 'none'}"
        )


class Bench:
    """The demo hub's manager, a worked-example order, and a timer."""

    def __init__(self, runs: int) -> None:
        from django.test import Client

        from comptoir.accounts.models import User
        from comptoir.catalogue.models import Variant
        from comptoir.cycles.models import OrderCycle
        from comptoir.enterprises.models import Enterprise
        from comptoir.fees.models import PaymentMethod, ShippingMethod

        self.runs = runs
        self.manager = User.objects.get(email="manager@panier-local.test")
        self.hub = Enterprise.objects.get(slug="le-panier-local")
        self.cycle = OrderCycle.objects.get(name="Semaine en cours")
        self.variants = {v.sku: v for v in Variant.objects.all()}
        self.delivery = ShippingMethod.objects.get(name="Livraison à domicile")
        self.pickup = ShippingMethod.objects.get(name="Retrait au Panier")
        self.card = PaymentMethod.objects.get(name="Carte bancaire (TPE)")
        self.client = Client()
        self.client.force_login(self.manager)
        self.order = self.worked_example()

    def worked_example(self):
        from comptoir.orders import services

        order = services.create_order(
            actor=self.manager, distributor=self.hub, order_cycle=self.cycle
        )
        services.update_customer_details(
            order=order,
            actor=self.manager,
            expected_version=order.version,
            email="marie.dupont@example.fr",
            bill_address=LYON,
            ship_address=None,
        )
        for sku, quantity in (("CAR-1KG", 2), ("COM-250", 1), ("BAG-TRA", 3)):
            services.add_variant(
                order=order,
                actor=self.manager,
                expected_version=order.version,
                variant_id=self.variants[sku].pk,
                quantity=quantity,
            )
        for method, value in (
            (services.set_shipping_method, {"shipping_method": self.delivery}),
            (services.set_payment_method, {"payment_method": self.card}),
        ):
            method(
                order=order, actor=self.manager, expected_version=order.version, **value
            )
        services.add_manual_adjustment(
            order=order,
            actor=self.manager,
            expected_version=order.version,
            label="Commission",
            amount="1.50",
        )
        return order

    def version(self, order=None) -> int:
        order = order or self.order
        order.refresh_from_db(fields=["version"])
        return order.version

    def time(self, request, prepare=None, runs=None):
        """Median and p95 ms of `request()`, and the queries of one call."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        timings = []
        queries = 0
        for index in range(runs or self.runs):
            argument = prepare() if prepare else None
            if index == 0:
                with CaptureQueriesContext(connection) as captured:
                    response = request(argument)
                queries = len(captured)
            else:
                started = time.perf_counter()
                response = request(argument)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code not in (200, 302):
                raise SystemExit(f"unexpected {response.status_code}")
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        return statistics.median(timings), p95, queries

    def run_all(self):
        from django.urls import reverse

        number = self.order.number
        client = self.client
        htmx = {"hx-request": "true"}

        def url(name, **kwargs):
            return reverse(f"orders:{name}", kwargs={"number": number, **kwargs})

        pages = [
            ("GET orders list", lambda _: client.get(reverse("orders:list"))),
            ("GET new order", lambda _: client.get(reverse("orders:new"))),
            (
                "GET new order cycles (htmx)",
                lambda _: client.get(
                    reverse("orders:new_cycles"), {"distributor": self.hub.pk}
                ),
            ),
            ("GET customer details", lambda _: client.get(url("customer"))),
            (
                "GET customer search (htmx)",
                lambda _: client.get(
                    url("customer_search"), {"q": "dup"}, headers=htmx
                ),
            ),
            ("GET order details", lambda _: client.get(url("details"))),
            (
                "GET product search (htmx)",
                lambda _: client.get(url("products"), {"q": "to"}, headers=htmx),
            ),
            ("GET adjustments", lambda _: client.get(url("adjustments"))),
            ("GET payments", lambda _: client.get(url("payments"))),
            ("GET history", lambda _: client.get(url("history"))),
        ]
        for name, request in pages:
            yield (name, *self.time(request))

        lines = list(self.order.lines.all())
        yield (
            "POST customer details",
            *self.time(
                lambda version: client.post(
                    url("customer"),
                    {
                        "version": version,
                        "email": "marie.dupont@example.fr",
                        "same_as_billing": "on",
                        **{f"bill_{k}": v for k, v in LYON.items()},
                    },
                ),
                prepare=self.version,
            ),
        )
        yield (
            "POST update lines (htmx)",
            *self.time(
                lambda version: client.post(
                    url("details"),
                    {"version": version, **{f"qty-{line.pk}": 2 for line in lines}},
                    headers=htmx,
                ),
                prepare=self.version,
            ),
        )
        yield (
            "POST add line (htmx)",
            *self.time(
                lambda version: client.post(
                    url("add_line"),
                    {
                        "version": version,
                        "variant": self.variants["PDT-2K5"].pk,
                        "quantity": 1,
                    },
                    headers=htmx,
                ),
                prepare=self.version,
                runs=min(self.runs, 45),
            ),
        )
        yield ("POST remove line (htmx)", *self.time_remove(url, htmx))
        yield (
            "POST shipping method (htmx)",
            *self.time(
                lambda version: client.post(
                    url("shipping"),
                    {
                        "version": version,
                        "shipping_method": self.delivery.pk,
                        "step": "payments",
                    },
                    headers=htmx,
                ),
                prepare=self.version,
            ),
        )
        yield (
            "POST adjustment (htmx)",
            *self.time(
                lambda version: client.post(
                    url("adjustments"),
                    {"version": version, "label": "Remise", "amount": "-0,01"},
                    headers=htmx,
                ),
                prepare=self.without_discounts,
            ),
        )
        yield (
            "POST payment method (htmx)",
            *self.time(
                lambda version: client.post(
                    url("payment_method"),
                    {"version": version, "payment_method": self.card.pk},
                    headers=htmx,
                ),
                prepare=self.version,
            ),
        )
        yield ("POST place order", *self.time_place())

    def without_discounts(self) -> int:
        """Take off the discount the last request added (untimed): each
        request then adds one to the worked example, as a manager would."""
        from comptoir.orders import services
        from comptoir.orders.models import Adjustment

        for adjustment in Adjustment.objects.filter(order=self.order, label="Remise"):
            services.remove_manual_adjustment(
                order=self.order,
                actor=self.manager,
                expected_version=self.version(),
                adjustment_id=adjustment.pk,
            )
        return self.version()

    def time_remove(self, url, htmx):
        """Add a line before each request (untimed), then time its removal."""
        from comptoir.orders import services

        def prepare():
            line = services.add_variant(
                order=self.order,
                actor=self.manager,
                expected_version=self.version(),
                variant_id=self.variants["PAI-800"].pk,
                quantity=1,
            )
            return line.pk, self.version()

        return self.time(
            lambda found: self.client.post(
                url("remove_line", line_id=found[0]),
                {"version": found[1]},
                headers=htmx,
            ),
            prepare=prepare,
            runs=min(self.runs, 20),
        )

    def time_place(self):
        """Place a fresh worked-example order per request."""
        from django.urls import reverse

        def prepare():
            order = self.worked_example()
            return order.number, self.version(order)

        return self.time(
            lambda found: self.client.post(
                reverse("orders:payments", args=[found[0]]),
                {
                    "version": found[1],
                    "payment_method": self.card.pk,
                    "amount": "26,21",
                    "send_confirmation": "on",
                },
            ),
            prepare=prepare,
            runs=min(self.runs, 15),
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
