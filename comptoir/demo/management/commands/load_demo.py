from django.core.management.base import BaseCommand

from comptoir.demo.services import load_demo


class Command(BaseCommand):
    help = "Load the demo hub (Le Panier Local and friends). Safe to run again."

    def handle(self, *args, **options):
        summary = load_demo()
        if not summary.total:
            self.stdout.write("Demo hub already loaded: nothing changed.")
            return
        created = ", ".join(
            f"{count} {label}" for label, count in summary.created.items()
        )
        self.stdout.write(self.style.SUCCESS(f"Demo hub loaded: {created}."))
