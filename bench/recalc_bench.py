"""Time the recalculation service on orders of 1, 20 and 200 lines.

Run with `.venv/bin/python bench/recalc_bench.py [runs]` (default 50 runs per
order). It builds a throwaway SQLite database in a temporary folder: migrate,
demo data, then 200 extra variants distributed by "Semaine en cours". Set
BENCH_DATABASE_URL to measure on another database instead; it must be a
database you can throw away, as the benchmark writes into it.

Printed per order: median and p95 in ms, and the SQL queries of one
recalculation (the goal: the same count for 1 and 200 lines).
"""

import io
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

# Run as a script from anywhere: the package lives at the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = (1, 20, 200)


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as folder:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
        os.environ.setdefault("TASK_BACKEND", "immediate")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
        print(f"database: {connection.vendor}, {runs} runs per order")
        orders = build_orders(max(SIZES))
        print(f"{'lines':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for size in SIZES:
            median, p95, queries = measure(orders[size], runs)
            print(f"{size:>6} {median:>10.2f} {p95:>8.2f} {queries:>8}")


def build_orders(most: int) -> dict:
    """One order per size, delivered and paid by card, with a commission."""
    from comptoir.accounts.models import User
    from comptoir.catalogue.models import Product, Variant
    from comptoir.cycles.models import OrderCycle
    from comptoir.enterprises.models import Enterprise
    from comptoir.fees.models import PaymentMethod, ShippingMethod, TaxCategory
    from comptoir.orders import services
    from comptoir.orders.models import Line

    manager = User.objects.get(email="manager@panier-local.test")
    hub = Enterprise.objects.get(slug="le-panier-local")
    farm = Enterprise.objects.get(slug="ferme-des-tilleuls")
    cycle = OrderCycle.objects.get(name="Semaine en cours")
    tax = TaxCategory.objects.get(name="TVA 5,5 %")
    product = Product.objects.create(
        producer=farm, name="Légume d'essai", unit_kind=Product.UnitKind.WEIGHT
    )
    variants = [
        Variant.objects.create(
            product=product,
            producer=farm,
            sku=f"ESSAI-{index:03d}",
            unit_value=Decimal(1000),
            display="1 kg",
            price=Decimal("1.10") + Decimal(index) / 100,
            stock=10_000,
            weight_kg=Decimal("1.000"),
            tax_category=tax,
        )
        for index in range(most)
    ]
    for exchange in cycle.exchanges.filter(enterprise__in=[farm, hub]):
        exchange.variants.add(*variants)
    address = {
        "first_name": "Marie",
        "last_name": "Dupont",
        "address1": "12 rue des Lilas",
        "zipcode": "69003",
        "city": "Lyon",
        "country": "FR",
    }
    orders = {}
    for size in SIZES:
        order = services.create_order(actor=manager, distributor=hub, order_cycle=cycle)
        services.update_customer_details(
            order=order,
            actor=manager,
            expected_version=order.version,
            email="marie.dupont@example.fr",
            bill_address=address,
            ship_address=None,
        )
        # Lines are written directly: the benchmark is about re-pricing them.
        Line.objects.bulk_create(
            Line(
                order=order,
                variant=variant,
                quantity=1 + index % 4,
                unit_price=variant.price,
                product_name=product.name,
                unit_display=variant.display,
                producer_name=farm.name,
                sku=variant.sku,
                weight_kg=variant.weight_kg,
                tax_category=tax,
            )
            for index, variant in enumerate(variants[:size])
        )
        services.set_shipping_method(
            order=order,
            actor=manager,
            expected_version=order.version,
            shipping_method=ShippingMethod.objects.get(name="Livraison à domicile"),
        )
        services.set_payment_method(
            order=order,
            actor=manager,
            expected_version=order.version,
            payment_method=PaymentMethod.objects.get(name="Carte bancaire (TPE)"),
        )
        services.add_manual_adjustment(
            order=order,
            actor=manager,
            expected_version=order.version,
            label="Commission",
            amount=Decimal("1.50"),
        )
        orders[size] = order
    return orders


def measure(order, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from comptoir.orders.services import recalculate_order

    with CaptureQueriesContext(connection) as captured:
        recalculate_order(order=order)
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        recalculate_order(order=order)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, len(captured.captured_queries)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
