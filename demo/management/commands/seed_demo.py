from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import DEMO_PASSWORD, DEMO_PEOPLE
from demo.seeding import seed_demo
from demo.two_step import demo_accounts_with_two_step, demo_authenticator_key


class Command(BaseCommand):
    help = "Create or refresh the Thai demo (idempotent). Refuses to run under production settings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="Where the site runs, for the summary."
        )

    def handle(self, *args, url: str, **options):
        try:
            counts = seed_demo()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                "Thaksa demo is ready: " + ", ".join(f"{n} {what}" for what, n in counts.items())
            )
        )
        self.stdout.write("")
        self.stdout.write(f"Open {url}/ and sign in with one of these accounts (password: {DEMO_PASSWORD}):")
        for person in DEMO_PEOPLE:
            if person.description:
                self.stdout.write(f"  {person.email:<32} {person.description}")
        self.stdout.write(f"Administration (Wagtail): {url}/admin/")
        self.stdout.write("")
        self.stdout.write(
            "These accounts also ask for a code from an authenticator app (add the key to yours, or "
            "print the current code with `.venv/bin/python manage.py demo_two_step_code <account>`):"
        )
        for email in demo_accounts_with_two_step():
            self.stdout.write(f"  {email:<32} key {demo_authenticator_key(email)}")
