"""Write the competency evidence that completed courses and passed post-tests are owed and do
not have (after an outage, or a task that gave up retrying)."""

from typing import Any

from django.core.management.base import BaseCommand

from competencies.evidence_sources import evidence_sources


class Command(BaseCommand):
    help = "Record the competency evidence that completions and post-tests are owed."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, source in evidence_sources().items():
            repaired = sum(1 for object_id in source.missing() if source.record(object_id=object_id))
            self.stdout.write(f"{name}: recorded the evidence of {repaired} event(s).")
