from django.core.management.base import BaseCommand, CommandError

from comptoir.accounts.models import User
from comptoir.api.services import create_api_token


class Command(BaseCommand):
    help = "Make an API token for a user and print it, once: only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("email", help="e-mail of the user the token acts as")
        parser.add_argument(
            "--name", required=True, help="what uses the token, such as 'shop sync'"
        )

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail {email}.")
        if not user.is_active:
            raise CommandError(f"{email} can no longer log in: activate them first.")
        if not name.strip():
            raise CommandError("Give the token a name with --name.")
        token, secret = create_api_token(user=user, name=name)
        self.stderr.write(
            f"Token {token.name!r} for {user.email}; copy it now, it is not kept:"
        )
        self.stdout.write(secret)
