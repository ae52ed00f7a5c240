"""Create or update an LRS client non-interactively (scripts, CI, the conformance run)."""
from django.core.management.base import BaseCommand, CommandError

from lms.xapi.clients import create_client
from lms.xapi.models import Scope


class Command(BaseCommand):
    help = "Create (or update, keyed by --key) an LRS client with HTTP Basic credentials and scopes."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--key", required=True)
        parser.add_argument("--secret", required=True)
        parser.add_argument("--scope", action="append", choices=Scope.values,
                            help="repeatable; default: write and read_all")
        parser.add_argument("--institution", help="code of the owning institution")

    def handle(self, *args, name, key, secret, scope, institution, **options):
        try:
            client, created = create_client(name=name, key=key, secret=secret,
                                             scopes=scope or [Scope.WRITE, Scope.READ_ALL],
                                             institution_code=institution)
        except ValueError as error:
            raise CommandError(str(error))
        self.stdout.write(f"{'created' if created else 'updated'} LRS client {client.key} ({', '.join(client.scopes)})")
