"""Deliver every queued or failed e-mail whose attempt is due.

Run it from cron (every few minutes) beside `db_worker`, or alone when the
task backend is "immediate": it is the safety net for lost tasks and the only
retry path when the backend cannot schedule a delayed task.
"""

from django.core.management.base import BaseCommand

from comptoir.emails.services import send_due_emails


class Command(BaseCommand):
    help = "Deliver queued and failed e-mails whose next attempt is due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=500,
            help="Deliver at most this many messages in one run (default: 500).",
        )

    def handle(self, *args, limit: int, **options):
        outcomes = send_due_emails(limit=limit)
        self.stdout.write(
            "sent={sent} failed={failed} skipped={skipped}".format(
                sent=outcomes.get("sent", 0),
                failed=outcomes.get("failed", 0),
                skipped=sum(
                    count
                    for outcome, count in outcomes.items()
                    if outcome not in ("sent", "failed")
                ),
            )
        )
