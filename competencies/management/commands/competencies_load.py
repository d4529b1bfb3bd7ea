"""manage.py competencies_load [FILE ...] [--dry-run]: import competency framework files.

Without files, the frameworks Thaksa ships (competencies/data/frameworks/*.json). All files
are imported together or not at all: on any problem, every problem is printed with its file,
row (or JSON path) and column, nothing is changed, and the exit status is 1."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competencies.services.frameworks import (
    FrameworkChanges,
    framework_files_read,
    frameworks_import,
    frameworks_preview,
    shipped_framework_files,
)


class Command(BaseCommand):
    help = "Import competency framework files (JSON or CSV); without files, the frameworks Thaksa ships."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="Framework files (.json or .csv).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show what would change; change nothing."
        )

    def handle(self, *args, files: list[Path], dry_run: bool, **options):
        paths = files or shipped_framework_files()
        try:
            documents = framework_files_read(paths)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": error.filename, "error": error.strerror}
            ) from error
        preview = frameworks_preview(documents=documents)
        if preview.problems:
            for problem in preview.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                ngettext(
                    "%(count)s problem; nothing was changed. Fix the files and run the command again.",
                    "%(count)s problems; nothing was changed. Fix the files and run the command again.",
                    len(preview.problems),
                )
                % {"count": len(preview.problems)}
            )
        if not dry_run:
            frameworks_import(documents=documents)
        for change in preview.changes:
            self.stdout.write(framework_summary(change))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))


def framework_summary(change: FrameworkChanges) -> str:
    """Two lines per framework: its code, version and names in Thai and English, then what it holds."""
    document = change.document
    info = document.framework
    counts = document.counts()
    nodes = counts["areas"] + counts["competences"] + counts["skills"]
    if change.is_new:
        state = _("new")
    elif change.changes_anything:
        state = _("updated")
    else:
        state = _("unchanged")
    names = " / ".join(name for name in (info.name_th, info.name_en) if name)
    holds = ", ".join(
        [
            ngettext("%(count)s competency", "%(count)s competencies", nodes) % {"count": nodes},
            ngettext("%(count)s level", "%(count)s levels", counts["levels"]) % {"count": counts["levels"]},
            ngettext("%(count)s descriptor", "%(count)s descriptors", counts["descriptors"])
            % {"count": counts["descriptors"]},
            ngettext("%(count)s role group", "%(count)s role groups", counts["role_groups"])
            % {"count": counts["role_groups"]},
            ngettext("%(count)s requirement", "%(count)s requirements", counts["requirements"])
            % {"count": counts["requirements"]},
            ngettext("%(count)s mapping", "%(count)s mappings", counts["mappings"])
            % {"count": counts["mappings"]},
        ]
    )
    return f"{document.label} · {names} ({state})\n    {holds}"
