"""Write the demo hub; every row is created only when missing."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comptoir.accounts.models import User
from comptoir.catalogue.models import Product, Variant, VariantOverride
from comptoir.customers.models import Address, Customer
from comptoir.cycles.models import Exchange, OrderCycle
from comptoir.enterprises.models import Enterprise
from comptoir.fees.models import (
    EnterpriseFee,
    PaymentMethod,
    ShippingMethod,
    TaxCategory,
    TaxRate,
    Zone,
)

from . import data


@dataclass
class DemoSummary:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, label: str, created: bool) -> None:
        if created:
            self.created[label] = self.created.get(label, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


@transaction.atomic
def load_demo(*, today=None) -> DemoSummary:
    """Create the demo hub's rows that are missing; never change existing ones.

    Running it twice changes nothing, so stock sold since the first run and
    dates of existing cycles stay as they are.
    """
    today = today or timezone.localdate()
    summary = DemoSummary()
    zone, taxes = _load_taxes(summary)
    enterprises = _load_enterprises(summary)
    _load_users(summary, enterprises)
    variants = _load_catalogue(summary, enterprises, taxes)
    fees = _load_fees(summary, enterprises, taxes)
    for name, opens_in, closes_in in data.CYCLES:
        _load_cycle(
            summary, name, today, opens_in, closes_in, enterprises, variants, fees
        )
    _load_methods(summary, enterprises, taxes)
    _load_customers(summary, enterprises)
    return summary


def _load_taxes(summary):
    zone, created = Zone.objects.get_or_create(
        name="France", defaults={"countries": [settings.COMPTOIR_COUNTRY]}
    )
    summary.count("zones", created)
    taxes = {}
    for name, rate in data.TAX_CATEGORIES:
        category, created = TaxCategory.objects.get_or_create(name=name)
        summary.count("tax categories", created)
        _rate, created = TaxRate.objects.get_or_create(
            category=category,
            zone=zone,
            defaults={"name": name, "amount": rate, "included_in_price": True},
        )
        summary.count("tax rates", created)
        taxes[name] = category
    return zone, taxes


def _load_enterprises(summary):
    enterprises = {}
    for name, slug, kind, email, phone, address, postcode in data.ENTERPRISES:
        enterprise, created = Enterprise.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "email": email,
                "phone": phone,
                "address1": address,
                "zipcode": postcode,
                "city": "Lyon",
                "country": settings.COMPTOIR_COUNTRY,
                "charges_sales_tax": kind == Enterprise.Kind.HUB,
            },
        )
        summary.count("enterprises", created)
        enterprises[name] = enterprise
    return enterprises


def _load_users(summary, enterprises):
    for email, first_name, last_name, is_admin, enterprise_name in data.USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                data.PASSWORD,
                first_name=first_name,
                last_name=last_name,
                is_superuser=is_admin,
                is_staff=True,
            )
            summary.count("users", True)
        if enterprise_name:
            user.enterprises.add(enterprises[enterprise_name])


def _load_catalogue(summary, enterprises, taxes):
    variants = {}
    category = taxes["TVA 5,5 %"]
    for row in data.VARIANTS:
        producer_name, sku, product_name, unit_kind, value, display, price = row[:7]
        stock, weight = row[7], row[8]
        producer = enterprises[producer_name]
        product, created = Product.objects.get_or_create(
            producer=producer, name=product_name, defaults={"unit_kind": unit_kind}
        )
        summary.count("products", created)
        variant = Variant.objects.filter(producer=producer, sku=sku).first()
        if variant is None:
            variant = Variant(
                product=product,
                producer=producer,
                sku=sku,
                unit_value=value,
                display=display,
                price=price,
                on_demand=stock is None,
                stock=stock or 0,
                weight_kg=weight,
                tax_category=category,
            )
            variant.save()
            summary.count("variants", True)
        variants[sku] = variant
    for hub_name, sku, price, stock in data.OVERRIDES:
        _override, created = VariantOverride.objects.get_or_create(
            hub=enterprises[hub_name],
            variant=variants[sku],
            defaults={"price": price, "stock": stock},
        )
        summary.count("variant overrides", created)
    return variants


def _load_fees(summary, enterprises, taxes):
    fees = {}
    for owner, name, fee_type, calculator, preferences, tax in data.FEES:
        fee, created = EnterpriseFee.objects.get_or_create(
            enterprise=enterprises[owner],
            name=name,
            defaults={
                "fee_type": fee_type,
                "calculator": calculator,
                "preferences": preferences,
                "tax_category": taxes.get(tax) if tax else None,
                "inherits_tax_category": tax == "inherit",
            },
        )
        summary.count("enterprise fees", created)
        fees[name] = fee
    return fees


def _load_cycle(summary, name, today, opens_in, closes_in, enterprises, variants, fees):
    tz = timezone.get_current_timezone()
    opens_at = datetime.combine(today + timedelta(days=opens_in), time(8), tz)
    closes_at = datetime.combine(today + timedelta(days=closes_in), time(20), tz)
    cycle, created = OrderCycle.objects.get_or_create(
        name=name,
        coordinator=enterprises[data.COORDINATOR],
        defaults={"opens_at": opens_at, "closes_at": closes_at},
    )
    summary.count("order cycles", created)
    cycle.coordinator_fees.add(*(fees[fee] for fee in data.COORDINATOR_FEES))
    for producer_name, fee_names in data.INCOMING:
        producer = enterprises[producer_name]
        exchange, created = Exchange.objects.get_or_create(
            order_cycle=cycle, enterprise=producer, incoming=True
        )
        summary.count("exchanges", created)
        exchange.variants.add(*(v for v in variants.values() if v.producer == producer))
        exchange.fees.add(*(fees[fee] for fee in fee_names))
    for hub_name, skus, fee_names, pickup_time, instructions in data.OUTGOING:
        exchange, created = Exchange.objects.get_or_create(
            order_cycle=cycle,
            enterprise=enterprises[hub_name],
            incoming=False,
            defaults={"pickup_time": pickup_time, "pickup_instructions": instructions},
        )
        summary.count("exchanges", created)
        exchange.variants.add(*(variants[sku] for sku in skus))
        exchange.fees.add(*(fees[fee] for fee in fee_names))


def _load_methods(summary, enterprises, taxes):
    # Methods are found by name among the hub's own: two hubs may each have
    # an "Espèces" of their own.
    for hub, name, kind, office_only, calculator, prefs, tax in data.SHIPPING_METHODS:
        shipping = ShippingMethod.objects.filter(name=name, hubs=enterprises[hub])
        if not shipping.exists():
            created = ShippingMethod.objects.create(
                name=name,
                kind=kind,
                back_office_only=office_only,
                calculator=calculator,
                preferences=prefs,
                tax_category=taxes.get(tax) if tax else None,
            )
            created.hubs.add(enterprises[hub])
            summary.count("shipping methods", True)
    for hub, name, kind, calculator, prefs in data.PAYMENT_METHODS:
        payment = PaymentMethod.objects.filter(name=name, hubs=enterprises[hub])
        if not payment.exists():
            method = PaymentMethod.objects.create(
                name=name, kind=kind, calculator=calculator, preferences=prefs
            )
            method.hubs.add(enterprises[hub])
            summary.count("payment methods", True)


def _load_customers(summary, enterprises):
    for row in data.CUSTOMERS:
        hub_name, first_name, last_name, email, code, street, postcode, city = row[:8]
        phone, tags = row[8], row[9]
        hub = enterprises[hub_name]
        if Customer.objects.filter(hub=hub, email=email).exists():
            continue
        address = Address.objects.create(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            address1=street,
            zipcode=postcode,
            city=city,
            country=settings.COMPTOIR_COUNTRY,
        )
        Customer.objects.create(
            hub=hub,
            email=email,
            code=code,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            tags=tags,
            bill_address=address,
            ship_address=_copy(address),
        )
        summary.count("customers", True)


def _copy(address: Address) -> Address:
    copy = address.copy()
    copy.save()
    return copy
