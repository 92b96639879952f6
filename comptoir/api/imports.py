"""Import a CSV file of orders taken on another platform.

One row per line; the rows that share an external reference form one order.
French spreadsheets export `;` separators and a byte-order mark, English ones
`,`: both are read. Each order is recorded in its own transaction, so a
refused order does not stop the others; a dry run checks every order exactly
as the import would (stock taken by the orders before it included) and then
rolls everything back.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.cycles.models import OrderCycle
from comptoir.enterprises.models import Enterprise
from comptoir.orders.errors import OrderError
from comptoir.orders.models import Order

from .services import ExternalLine, ExternalOrder, import_order

COLUMNS = (
    "external_reference",
    "placed_at",
    "email",
    "first_name",
    "last_name",
    "phone",
    "address1",
    "zipcode",
    "city",
    "sku",
    "quantity",
    "shipping_method",
    "payment_method",
    "amount_paid",
)
OPTIONAL_COLUMNS = ("producer", "address2", "country", "customer_note")
LINE_COLUMNS = ("sku", "quantity", "producer")
ORDER_COLUMNS = tuple(
    name for name in COLUMNS + OPTIONAL_COLUMNS if name not in LINE_COLUMNS
)
MAX_ROWS = 5000
HEADER_ROW = 1


@dataclass
class RowProblem:
    row: int | None
    column: str | None
    message: str


@dataclass
class Outcome:
    """What became of one order of the file."""

    CREATED = "created"
    WOULD_CREATE = "would_create"
    EXISTING = "existing"
    REFUSED = "refused"

    reference: str
    rows: list[int]
    status: str = REFUSED
    number: str = ""
    total: Decimal | None = None
    problems: list[RowProblem] = field(default_factory=list)

    LABELS = {
        CREATED: gettext_lazy("created"),
        WOULD_CREATE: gettext_lazy("would be created"),
        EXISTING: gettext_lazy("already imported"),
        REFUSED: gettext_lazy("refused"),
    }

    @property
    def label(self) -> str:
        return str(self.LABELS[self.status])


@dataclass
class ImportReport:
    dry_run: bool
    problems: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {
            status: self.count(status)
            for status in (
                Outcome.CREATED,
                Outcome.WOULD_CREATE,
                Outcome.EXISTING,
                Outcome.REFUSED,
            )
        }


@dataclass
class _Group:
    reference: str
    rows: list[int] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    value_rows: dict[str, int] = field(default_factory=dict)
    lines: list[dict[str, str]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def decode(content: bytes) -> str:
    """Return the file's text: UTF-8 (with or without BOM), else Windows-1252.

    Excel on Windows still saves "CSV (point-virgule)" in Windows-1252; that
    encoding reads any byte, so it is the fallback rather than an error.
    """
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Return the header and the (row number, values) of each non-blank row."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        rows.append((reader.line_num, values))
    return header, rows


def _group(rows: list[tuple[int, dict[str, str]]]) -> list[_Group]:
    """Gather rows into orders by reference, in the file's order."""
    groups: dict[str, _Group] = {}
    unnamed: list[_Group] = []
    for number, values in rows:
        reference = values.get("external_reference", "")
        if not reference:
            group = _Group(reference="", rows=[number])
            group.problems.append(
                RowProblem(
                    number,
                    "external_reference",
                    _("Give the order's reference on the other platform."),
                )
            )
            unnamed.append(group)
            continue
        group = groups.setdefault(reference, _Group(reference=reference))
        group.rows.append(number)
        group.lines.append({name: values.get(name, "") for name in LINE_COLUMNS})
        for name in ORDER_COLUMNS:
            value = values.get(name, "")
            if not value:
                continue
            if name not in group.values:
                group.values[name] = value
                group.value_rows[name] = number
            elif group.values[name] != value:
                group.problems.append(
                    RowProblem(
                        number,
                        name,
                        _(
                            "This row gives another %(column)s than row %(row)s "
                            "of the same order."
                        )
                        % {"column": name, "row": group.value_rows[name]},
                    )
                )
    return [*groups.values(), *unnamed]


def _external(
    group: _Group, *, distributor: Enterprise, order_cycle: OrderCycle, platform: str
) -> ExternalOrder:
    values = group.values
    return ExternalOrder(
        distributor=distributor.slug,
        order_cycle=order_cycle.pk,
        platform=platform,
        external_reference=group.reference,
        placed_at=values.get("placed_at"),
        email=values.get("email", ""),
        customer={
            "first_name": values.get("first_name", ""),
            "last_name": values.get("last_name", ""),
            "phone": values.get("phone", ""),
        },
        bill_address={
            name: values.get(name, "")
            for name in ("address1", "address2", "zipcode", "city", "country")
        },
        ship_address=None,
        lines=[
            ExternalLine(
                sku=line["sku"], quantity=line["quantity"], producer=line["producer"]
            )
            for line in group.lines
        ],
        shipping_method=values.get("shipping_method", ""),
        payment_method=values.get("payment_method", ""),
        amount_paid=values.get("amount_paid") or "0",
        customer_note=values.get("customer_note", ""),
    )


def _locate(group: _Group, name: str | None) -> tuple[int | None, str | None]:
    """Return the row and column a problem of the API's field `name` is about."""
    first = group.rows[0] if group.rows else None
    if name is None or name in ("distributor", "order_cycle", "platform"):
        return first, None
    if name.startswith("lines["):
        index_text, _sep, rest = name.removeprefix("lines[").partition("]")
        row = group.rows[int(index_text)] if index_text.isdigit() else first
        return row, rest.removeprefix(".") or None
    if name == "lines":
        return first, None
    column = name.rsplit(".", 1)[-1]
    return group.value_rows.get(column, first), column


def _import_group(
    group: _Group,
    *,
    actor,
    distributor: Enterprise,
    order_cycle: OrderCycle,
    platform: str,
    now: datetime,
    dry_run: bool,
) -> Outcome:
    outcome = Outcome(reference=group.reference, rows=group.rows)
    if group.problems:
        outcome.problems = group.problems
        return outcome
    external = _external(
        group, distributor=distributor, order_cycle=order_cycle, platform=platform
    )
    try:
        result = import_order(
            actor=actor, external=external, source=Order.Source.IMPORT, now=now
        )
    except OrderError as error:
        for name, message in error.problems:
            row, column = _locate(group, name)
            outcome.problems.append(RowProblem(row, column, message))
        return outcome
    if not result.created:
        outcome.status = Outcome.EXISTING
    else:
        outcome.status = Outcome.WOULD_CREATE if dry_run else Outcome.CREATED
    outcome.number = "" if dry_run and result.created else result.order.number
    outcome.total = result.order.total
    return outcome


def import_file(
    *,
    actor,
    content: bytes,
    distributor: Enterprise,
    order_cycle: OrderCycle,
    platform: str,
    dry_run: bool = False,
    max_orders: int | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import every order of a CSV file; return what became of each one.

    `max_orders` bounds what one web request may take on (about 80 ms an
    order): a longer file is refused whole, before anything is written.
    """
    now = now or timezone.now()
    report = ImportReport(dry_run=dry_run)
    header, rows = read_rows(decode(content))
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        report.problems.append(
            _("The file has no column %(columns)s. Its first row must name them.")
            % {"columns": ", ".join(missing)}
        )
    if not rows and not missing:
        report.problems.append(_("The file has no order in it."))
    if len(rows) > MAX_ROWS:
        report.problems.append(
            _("The file has %(count)s rows; split it into files of %(max)s rows.")
            % {"count": len(rows), "max": MAX_ROWS}
        )
    if report.problems:
        return report

    options = {
        "actor": actor,
        "distributor": distributor,
        "order_cycle": order_cycle,
        "platform": platform,
        "now": now,
        "dry_run": dry_run,
    }
    groups = _group(rows)
    if max_orders is not None and len(groups) > max_orders:
        # TODO: import long files in a background task — a hub with more
        # orders than this must split its file or use the import_orders command.
        report.problems.append(
            _(
                "The file has %(count)s orders; this page takes at most %(max)s at "
                "once. Split the file, or ask your administrator to run the "
                "import_orders command."
            )
            % {"count": len(groups), "max": max_orders}
        )
        return report
    if not dry_run:
        report.outcomes = [_import_group(group, **options) for group in groups]
        return report
    # One transaction around the whole dry run, each order in a savepoint:
    # the orders see the stock the ones before them took, as in a real run.
    with transaction.atomic():
        report.outcomes = [_import_group(group, **options) for group in groups]
        transaction.set_rollback(True)
    return report
