"""`manage.py subject_rights_retention [--dry-run]`: apply the retention rules now, or say
per rule what they would anonymise, reduce or delete (subject_rights.retention)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from subject_rights.retention import retention_run


class Command(BaseCommand):
    help = "Apply the personal-data retention rules (or, with --dry-run, report what they would do)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        verb = "would be" if dry_run else "done"
        for report in retention_run(dry_run=dry_run):
            self.stdout.write(f"{report.rule}: {report.title} — {report.summary} ({verb})")
