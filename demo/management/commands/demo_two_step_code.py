from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from demo.seeding import refuse_in_production
from demo.two_step import demo_accounts_with_two_step, demo_authenticator_key
from identity.services import authenticator_code_now


class Command(BaseCommand):
    help = "Print the code a demo account's authenticator app shows now (demo only)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("account", help="A demo account's address, e.g. hr@thaksa.test")

    def handle(self, *args: Any, account: str, **options: Any) -> None:
        try:
            refuse_in_production()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if account not in demo_accounts_with_two_step():
            raise CommandError(
                f"{account} has no demo authenticator; these do: {', '.join(demo_accounts_with_two_step())}"
            )
        self.stdout.write(authenticator_code_now(demo_authenticator_key(account)))
