"""Import a SCORM package from disk for a content partner (operators; authors use the admin)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisations.models import ContentPartner
from scorm.models import PackageVersion, ScormPackage
from scorm.services.packages import package_import_path


class Command(BaseCommand):
    help = "Import a SCORM package (a .zip or an unpacked folder) as a new package or a new version of one."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--partner", required=True, help="the content partner's code")
        parser.add_argument("--title", default="", help="title of a new package (default: the file name)")
        parser.add_argument("--package", type=int, help="id of an existing package to add a version to")

    def handle(self, *args, path, partner, title, package, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{source} does not exist.")
        owner = ContentPartner.objects.filter(code=partner).first()
        if owner is None:
            raise CommandError(f"No content partner has the code {partner!r}.")
        existing = None
        if package is not None:
            existing = ScormPackage.objects.filter(pk=package, partner=owner).first()
            if existing is None:
                raise CommandError(f"Package {package} does not exist for partner {partner!r}.")
        version = package_import_path(path=source, partner=owner, title=title, package=existing)
        if version.status != PackageVersion.Status.READY:
            for problem in version.problems:
                self.stderr.write(f"{problem['severity'].upper()} {problem['code']}: {problem['message']}")
                if problem.get("advice"):
                    self.stderr.write(f"    {problem['advice']}")
            raise CommandError(
                f"Version {version.number} of {version.package} was not imported; nothing of it is live."
            )
        self.stdout.write(
            f"Imported {version.package} v{version.number} (package {version.package_id}): "
            f"SCORM {version.scorm_version} {version.edition}, {version.scos.count()} launchable items, "
            f"{version.file_count} files."
        )
