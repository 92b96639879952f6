"""Fixtures for the outbox: a real SMTP server and complete orders."""

import asyncio
import io
import logging
import socket
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from comptoir.cycles.models import Exchange
from comptoir.emails.models import OutboundEmail
from comptoir.orders.models import Adjustment, Line, Order, Payment
from tests.factories import (
    AddressFactory,
    EnterpriseFactory,
    OrderCycleFactory,
    PaymentMethodFactory,
    ProducerFactory,
    ShippingMethodFactory,
    UserFactory,
    VariantFactory,
)

IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# aiosmtpd logs every SMTP command at INFO; keep test output readable.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Inbox:
    """What the SMTP server received: one entry per SMTP transaction."""

    envelopes: list = field(default_factory=list)
    delay: float = 0.0  # seconds to wait before accepting, like a slow server

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(envelope.content, policy=policy.default)
            for envelope in self.envelopes
        ]


class SmtpServer:
    """A real SMTP server on 127.0.0.1 that a test can stop and start."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_settings(settings):
    """Point Django's SMTP backend at a free local port; return the port."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Comptoir <noreply@comptoir.test>"
    return port


@pytest.fixture
def smtp_server(smtp_settings):
    """A running SMTP server that Django sends to."""
    server = SmtpServer(smtp_settings)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server(smtp_settings):
    """The same, not started yet: its port refuses connections."""
    server = SmtpServer(smtp_settings)
    yield server
    server.stop()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


@dataclass
class OrderWorld:
    hub: object
    producer: object
    cycle: object
    exchange: object
    pickup: object
    delivery: object
    cash: object
    manager: object


@pytest.fixture
def world(db):
    """A hub with a producer, an open cycle, methods and a manager."""
    manager = UserFactory(email="claire@ruche-du-quai.test", first_name="Claire")
    hub = EnterpriseFactory(
        name="La Ruche du Quai",
        slug="ruche-du-quai",
        email="contact@ruche-du-quai.test",
        phone="04 78 00 00 00",
        address1="3 place du Marché",
        zipcode="69004",
        city="Lyon",
    )
    hub.managers.add(manager)
    producer = ProducerFactory(name="Ferme des Saules", slug="ferme-des-saules")
    cycle = OrderCycleFactory(name="Semaine en cours", coordinator=hub)
    exchange = Exchange.objects.create(
        order_cycle=cycle,
        enterprise=hub,
        incoming=False,
        pickup_time="jeudi 17 h – 19 h",
        pickup_instructions="Sonnez à la porte verte.",
    )
    pickup = ShippingMethodFactory(name="Retrait à la Ruche", kind="pickup")
    delivery = ShippingMethodFactory(name="Livraison à domicile", kind="delivery")
    cash = PaymentMethodFactory(name="Espèces", kind="cash")
    for method in (pickup, delivery, cash):
        method.hubs.add(hub)
    return OrderWorld(hub, producer, cycle, exchange, pickup, delivery, cash, manager)


@pytest.fixture
def make_order(world):
    """Build a placed order whose stored totals add up to 26.21.

    3 × carrots at 2.50 with a 0.10 per-item fee (7.80), 2 × tomatoes at 4.20
    (8.40): subtotal 16.20; a 2.00 distributor fee, a 3.01 commission and
    5.00 shipping make 26.21, of which 10.00 is paid.
    """

    def build(
        *,
        locale: str = "fr",
        first_name: str = "Marie",
        last_name: str = "Dupont",
        email: str = "marie.dupont@example.fr",
        address1: str = "12 rue des Lilas",
        delivers: bool = False,
        customer_note: str = "",
        number: str = "R900000001",
    ) -> Order:
        address = AddressFactory(
            first_name=first_name,
            last_name=last_name,
            address1=address1,
            phone="06 12 34 56 78",
        )
        order = Order.objects.create(
            number=number,
            distributor=world.hub,
            order_cycle=world.cycle,
            email=email,
            bill_address=address,
            ship_address=address,
            shipping_method=world.delivery if delivers else world.pickup,
            payment_method=world.cash,
            state=Order.State.COMPLETE,
            placed_at=timezone.now() - timedelta(minutes=1),
            locale=locale,
            created_by=world.manager,
            customer_note=customer_note,
            item_total=Decimal("15.90"),
            fee_total=Decimal("2.30"),
            shipping_total=Decimal("5.00"),
            adjustment_total=Decimal("3.01"),
            included_tax_total=Decimal("0.87"),
            total=Decimal("26.21"),
            payment_total=Decimal("10.00"),
        )
        carrots = add_line(order, world, "Carottes", "1 kg", "2.50", 3, "0.30")
        add_line(order, world, "Tomates", "500 g", "4.20", 2, "0.00")
        Adjustment.objects.bulk_create(
            [
                Adjustment(
                    order=order,
                    line=carrots,
                    kind=Adjustment.Kind.FEE,
                    label="Carottes – Emballage, marge fournisseur",
                    amount=Decimal("0.30"),
                ),
                Adjustment(
                    order=order,
                    kind=Adjustment.Kind.FEE,
                    label="Logistique, marge distributeur La Ruche du Quai",
                    amount=Decimal("2.00"),
                ),
                Adjustment(
                    order=order,
                    kind=Adjustment.Kind.MANUAL,
                    label="Commission",
                    amount=Decimal("3.01"),
                ),
                Adjustment(
                    order=order,
                    kind=Adjustment.Kind.SHIPPING,
                    label=order.shipping_method.name,
                    amount=Decimal("5.00"),
                ),
                Adjustment(
                    order=order,
                    kind=Adjustment.Kind.TAX,
                    label="TVA 5,5 %",
                    amount=Decimal("0.87"),
                ),
            ]
        )
        Payment.objects.create(
            order=order,
            method=world.cash,
            amount=Decimal("10.00"),
            state=Payment.State.COMPLETED,
            completed_at=timezone.now(),
        )
        return order

    return build


def add_line(order, world, name, display, price, quantity, fees) -> Line:
    variant = VariantFactory(
        product__name=name,
        product__producer=world.producer,
        display=display,
        price=Decimal(price),
    )
    return Line.objects.create(
        order=order,
        variant=variant,
        quantity=quantity,
        unit_price=Decimal(price),
        product_name=name,
        unit_display=display,
        producer_name=world.producer.name,
        sku=variant.sku,
        fee_total=Decimal(fees),
    )


def body(message: EmailMessage, subtype: str) -> str:
    """Return a received message's text ("plain") or HTML ("html") body."""
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n")


def run_worker() -> None:
    """Run the real task worker until no task is due, as `db_worker` does."""
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--interval=0",
        verbosity=0,
        stdout=io.StringIO(),
    )


def let_time_pass(minutes: int) -> None:
    """Move every due date back, as if `minutes` had gone by."""
    delta = timedelta(minutes=minutes)
    deferred = DBTaskResult.objects.filter(status="READY").exclude(
        run_after=get_date_max()
    )
    for result in deferred:
        DBTaskResult.objects.filter(pk=result.pk).update(
            run_after=result.run_after - delta
        )
    for email in OutboundEmail.objects.exclude(next_attempt_at=None):
        OutboundEmail.objects.filter(pk=email.pk).update(
            next_attempt_at=email.next_attempt_at - delta
        )
