from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from comptoir.accounts.models import User
from comptoir.api.imports import Outcome, import_file
from comptoir.cycles.selectors import cycles_for_distributor
from comptoir.enterprises.models import Enterprise
from comptoir.enterprises.selectors import managed_hubs


class Command(BaseCommand):
    help = (
        "Import a CSV file of orders taken on another platform (one row per "
        "line; see the README for the columns). Each order is recorded on its "
        "own; an order already imported is recognised and left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--distributor", required=True, help="distributor code")
        parser.add_argument("--cycle", required=True, help="order cycle name or id")
        parser.add_argument("--platform", required=True, help="where it was sold")
        parser.add_argument(
            "--user",
            help="e-mail of the manager recorded as author "
            "(default: the distributor's only manager)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything, write nothing"
        )

    def handle(self, *args, file, distributor, cycle, platform, user, **options):
        hub = Enterprise.objects.filter(slug=distributor).first()
        if hub is None:
            raise CommandError(f"No distributor has the code {distributor}.")
        actor = self._actor(hub, user)
        if not managed_hubs(actor).filter(pk=hub.pk).exists():
            raise CommandError(f"{actor.email} does not manage {hub.name}.")
        cycles = cycles_for_distributor(actor, distributor=hub, now=timezone.now())
        found = list(
            cycles.filter(pk=int(cycle))
            if cycle.isdigit()
            else cycles.filter(name__iexact=cycle.strip())
        )
        if len(found) != 1:
            raise CommandError(
                f"{len(found)} order cycles named {cycle!r} supply {hub.name}; "
                "give one by its id."
            )
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        report = import_file(
            actor=actor,
            content=content,
            distributor=hub,
            order_cycle=found[0],
            platform=platform.strip(),
            dry_run=options["dry_run"],
        )
        for problem in report.problems:
            self.stderr.write(problem)
        for outcome in report.outcomes:
            self._write(outcome)
        counts = report.counts
        done = counts[Outcome.WOULD_CREATE if report.dry_run else Outcome.CREATED]
        self.stdout.write(
            f"{'Dry run: would create' if report.dry_run else 'Created'} {done}, "
            f"already imported {counts[Outcome.EXISTING]}, "
            f"refused {counts[Outcome.REFUSED]}."
        )
        if report.problems or counts[Outcome.REFUSED]:
            raise CommandError("Some orders were refused; see above.", returncode=2)

    def _actor(self, hub: Enterprise, email: str | None) -> User:
        if email:
            actor = User.objects.filter(email__iexact=email.strip()).first()
            if actor is None or not actor.is_active:
                raise CommandError(f"No active user has the e-mail {email}.")
            return actor
        managers = list(hub.managers.filter(is_active=True)[:2])
        if len(managers) != 1:
            raise CommandError(
                f"{hub.name} has {len(managers)} active managers: name one with --user."
            )
        return managers[0]

    def _write(self, outcome: Outcome) -> None:
        rows = ", ".join(str(row) for row in outcome.rows)
        head = f"{outcome.reference or '-'} (rows {rows}): {outcome.label}"
        if outcome.number:
            head += f" {outcome.number}"
        if outcome.total is not None:
            head += f", total {outcome.total}"
        self.stdout.write(head)
        for problem in outcome.problems:
            where = f"row {problem.row}" if problem.row else "file"
            if problem.column:
                where += f", {problem.column}"
            self.stdout.write(f"  {where}: {problem.message}")
