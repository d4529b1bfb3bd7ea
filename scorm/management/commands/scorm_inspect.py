"""Parse and check a SCORM package without storing anything, and say what is in it."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scorm.archive import ArchiveLimits, archive_open, folder_open
from scorm.manifest import manifest_parse, manifest_summary_lines
from scorm.problems import PackageRejected
from scorm.services.packages import MANIFEST, MANIFEST_MAX_BYTES, manifest_missing_problem


class Command(BaseCommand):
    help = "Check a SCORM package (a .zip or an unpacked folder) and print its structure and every problem."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the package: a .zip file or an unpacked folder")
        parser.add_argument("--json", action="store_true", help="print the parsed package as JSON")

    def handle(self, *args, path, **options):
        package = Path(path)
        if not package.exists():
            raise CommandError(f"{package} does not exist.")
        opened = None
        try:
            if package.is_dir():
                source = folder_open(package, limits=ArchiveLimits.from_settings())
            else:
                opened = package.open("rb")
                source = archive_open(opened, limits=ArchiveLimits.from_settings(), label=package.name)
            if MANIFEST not in source.names:
                raise PackageRejected([manifest_missing_problem(source.names)])
            manifest = manifest_parse(
                source.read(MANIFEST, max_bytes=MANIFEST_MAX_BYTES), package_files=set(source.names)
            )
        except PackageRejected as rejected:
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {"errors": [p.as_dict() for p in rejected.problems]}, ensure_ascii=False, indent=2
                    )
                )
            else:
                for problem in rejected.problems:
                    self.stdout.write(f"ERROR {problem.code}: {problem.message}")
                    for label, value in (
                        ("file", problem.file),
                        ("expected", problem.expected),
                        ("advice", problem.advice),
                    ):
                        if value:
                            self.stdout.write(f"    {label}: {value}")
            raise CommandError("The package cannot be imported.") from None
        finally:
            if opened is not None:
                opened.close()
        if options["json"]:
            data = manifest.as_dict()
            data["sequencing_settings"] = manifest.sequencing_settings()
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(manifest_summary_lines(manifest)))
        if manifest.errors:
            raise CommandError("The package cannot be imported.")
