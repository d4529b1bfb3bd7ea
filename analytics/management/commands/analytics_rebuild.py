"""manage.py analytics_rebuild: recompute the dashboards' aggregates from the raw rows."""

from django.core.management.base import BaseCommand

from analytics.services import REBUILD_CHUNK, aggregates_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every person's contribution and every aggregate cell from the raw rows. "
        "Safe while the site is in use; an interrupted rebuild resumes where it stopped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--restart",
            action="store_true",
            help="Start from the first unit even if a rebuild was interrupted.",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=REBUILD_CHUNK,
            help="People per transaction (default %(default)s).",
        )

    def handle(self, *args, restart: bool, chunk_size: int, **options) -> None:
        report = aggregates_rebuild(resume=not restart, chunk_size=chunk_size)
        if report.resumed_after_unit:
            self.stdout.write(f"Resumed after unit {report.resumed_after_unit}.")
        self.stdout.write(
            f"People: {report.people}\n"
            f"Contributions corrected: {report.contributions_changed}\n"
            f"Cells: {report.cells} (created {report.cells_created}, updated {report.cells_updated}, "
            f"deleted {report.cells_deleted})\n"
            f"Chunks: {report.chunks}\n"
            f"Time: {report.seconds:.1f} s"
        )
        self.stdout.write(self.style.SUCCESS("Aggregates rebuilt."))
