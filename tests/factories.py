"""factory_boy factories for tests that need data beyond the demo hub."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from comptoir.accounts.models import User
from comptoir.catalogue.models import Product, Variant
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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"
    password = factory.django.Password("pass-word-42")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Enterprise {n}")
    slug = factory.Sequence(lambda n: f"enterprise-{n}")
    kind = Enterprise.Kind.HUB
    city = "Lyon"
    zipcode = "69001"
    address1 = "1 rue de test"
    email = factory.Sequence(lambda n: f"hub{n}@example.org")


class ProducerFactory(EnterpriseFactory):
    kind = Enterprise.Kind.PRODUCER


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ("name",)

    name = "France"
    countries = ["FR"]


class TaxCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tax {n}")


class TaxRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxRate

    category = factory.SubFactory(TaxCategoryFactory)
    zone = factory.SubFactory(ZoneFactory)
    name = factory.SelfAttribute("category.name")
    amount = Decimal("0.055")
    included_in_price = True


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    producer = factory.SubFactory(ProducerFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    unit_kind = Product.UnitKind.WEIGHT


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    producer = factory.SelfAttribute("product.producer")
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    unit_value = Decimal("1000")
    display = "1 kg"
    price = Decimal("2.50")
    stock = 100
    weight_kg = Decimal("1")


class EnterpriseFeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseFee

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"Fee {n}")
    fee_type = EnterpriseFee.FeeType.ADMIN
    calculator = "flat_rate"
    preferences = {"amount": "1.00"}


class OrderCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderCycle

    name = factory.Sequence(lambda n: f"Cycle {n}")
    coordinator = factory.SubFactory(EnterpriseFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=6))


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    order_cycle = factory.SubFactory(OrderCycleFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    incoming = False


class ShippingMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingMethod

    name = factory.Sequence(lambda n: f"Shipping {n}")
    kind = ShippingMethod.Kind.PICKUP


class PaymentMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentMethod

    name = factory.Sequence(lambda n: f"Payment {n}")
    kind = PaymentMethod.Kind.CASH


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    first_name = "Marie"
    last_name = "Dupont"
    address1 = "12 rue des Lilas"
    zipcode = "69003"
    city = "Lyon"
    country = "FR"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    hub = factory.SubFactory(EnterpriseFactory)
    email = factory.Sequence(lambda n: f"buyer{n}@example.org")
    first_name = "Marie"
    last_name = "Dupont"
    bill_address = factory.SubFactory(AddressFactory)
