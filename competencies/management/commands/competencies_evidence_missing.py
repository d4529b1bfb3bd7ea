"""Write the competency evidence that completed courses and passed post-tests are owed and do
not have (after an outage, or a task that gave up retrying).

It looks back `--days` days (7 by default: the task's own retries end within hours), or over
every event ever recorded with `--days 0` (after a long outage). A post-test scored below the
minimum is owed nothing and is looked at again on each run, so the window keeps a run short."""

import datetime as dt
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from competencies.evidence_sources import evidence_sources

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Record the competency evidence that completions and post-tests of the last --days days "
        "(7; 0 for all) are owed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=7, help="How many days to look back; 0 looks at every event."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        since = timezone.now() - dt.timedelta(days=days) if days > 0 else None
        failed_total = 0
        for name, source in evidence_sources().items():
            repaired = failed = 0
            for object_id in source.missing(since=since):
                try:
                    repaired += bool(source.record(object_id=object_id))
                except Exception:  # one bad event must not stop the others
                    failed += 1
                    logger.exception("Recording the competency evidence of %s %s failed", name, object_id)
            failed_total += failed
            line = f"{name}: recorded the evidence of {repaired} event(s)."
            if failed:
                line += f" {failed} failed (see the log); run the command again once the cause is fixed."
            self.stdout.write(line)
        if failed_total:
            raise SystemExit(1)
