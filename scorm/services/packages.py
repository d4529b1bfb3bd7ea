"""Uploading and importing SCORM packages.

An upload only stores the file and queues `scorm.import_package_version`; the import runs
in a worker: it checks the archive (scorm.archive), parses the manifest (scorm.manifest),
extracts the files into a new folder of their own and records the launchable items and a
fingerprint (size, SHA-256) of every file. A failure records every problem for the author and
removes whatever was written.

A version that imported goes live (becomes the package's current version) at once unless a
published lesson shows the package: then it waits for a platform reviewer
(scorm.services.review) and learners keep the version in use. A package only in unpublished
lessons needs no separate review: the lesson's own page workflow reviews it before learners
see it.
"""

import logging
import posixpath
import uuid
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from scorm.archive import (
    ArchiveLimits,
    ExtractedFile,
    archive_open,
    folder_open,
    package_extract,
    package_files_delete,
)
from scorm.manifest import Manifest, manifest_parse
from scorm.models import PackageVersion, ReviewStatus, Sco, ScormPackage
from scorm.problems import PackageRejected, Problem
from scorm.selectors import lessons_using_package

logger = logging.getLogger(__name__)

MANIFEST = "imsmanifest.xml"
MANIFEST_MAX_BYTES = 5 * 1024 * 1024


def _version_next(package: ScormPackage) -> int:
    return (package.versions.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def package_upload(
    *, partner, title: str, uploaded_file, user=None, package: ScormPackage | None = None
) -> PackageVersion:
    """Store an uploaded zip as a new version and queue its import; returns at once.

    Uploading to an existing package makes the next version of it; learners already in an
    attempt keep the version they started on."""
    from scorm.tasks import import_package_version  # here, because the task module imports this one

    if package is None:
        package = ScormPackage.objects.create(partner=partner, title=title, created_by=user)
    else:
        package = ScormPackage.objects.select_for_update().get(pk=package.pk)
    version = PackageVersion(
        package=package,
        number=_version_next(package),
        source_name=Path(getattr(uploaded_file, "name", "") or "package.zip").name[:255],
        uploaded_by=user,
    )
    version.source.save(f"{uuid.uuid4().hex}.zip", uploaded_file, save=False)
    version.save()
    transaction.on_commit(lambda: import_package_version.delay(version.pk))
    return version


def _problem_dicts(problems: list[Problem]) -> list[dict]:
    return [problem.as_dict() for problem in problems]


def _version_update(version: PackageVersion, **fields) -> None:
    for name, value in fields.items():
        setattr(version, name, value)
    PackageVersion.objects.filter(pk=version.pk).update(**fields)


def package_version_import(
    *, version: PackageVersion, folder: Path | None = None, limits: ArchiveLimits | None = None
) -> PackageVersion:
    """Validate, extract and parse one version; it becomes current only if all succeeds, no
    published lesson shows the package (then it waits for review) and no newer version went
    live meanwhile.

    The package is the uploaded zip in storage, or an unpacked `folder` on disk (checked by
    the same rules, and a refusal recorded the same way). Progress is saved as files are
    written so the admin can show it."""
    limits = limits or ArchiveLimits.from_settings()
    prefix = f"scorm/packages/{version.package_id}/v{version.number}-{uuid.uuid4().hex[:8]}/"
    _version_update(version, status=PackageVersion.Status.IMPORTING, progress_percent=0, problems=[])
    opened = None
    try:
        if folder is not None:
            source = folder_open(folder, limits=limits)
        else:
            opened = version.source.open("rb")
            source = archive_open(opened, limits=limits, label=version.source_name)
        if MANIFEST not in source.names:
            raise PackageRejected([manifest_missing_problem(source.names)])
        manifest = manifest_parse(
            source.read(MANIFEST, max_bytes=MANIFEST_MAX_BYTES), package_files=set(source.names)
        )
        if manifest.errors:  # including "nothing can be launched" (scorm.manifest)
            raise PackageRejected(manifest.errors + manifest.warnings)
        total = len(source.names)

        def progress(done: int, _total: int) -> None:
            percent = int(done * 100 / max(total, 1))
            # Every 5 points is enough for the bar, and keeps writes few on big packages.
            if percent - version.progress_percent >= 5 or (
                done == total and percent != version.progress_percent
            ):
                _version_update(version, progress_percent=percent)

        extracted = package_extract(source, storage=default_storage, prefix=prefix, on_progress=progress)
        try:
            _version_go_live(version=version, manifest=manifest, prefix=prefix, files=extracted)
        except Exception:
            package_files_delete(storage=default_storage, prefix=prefix)
            raise
    except PackageRejected as rejected:
        _version_update(
            version,
            status=PackageVersion.Status.FAILED,
            problems=_problem_dicts(rejected.problems),
            progress_percent=0,
        )
    except Exception:
        # Never leave a version "importing" forever: the author sees that it failed.
        logger.exception("SCORM import of version %s failed unexpectedly", version.pk)
        _version_update(
            version,
            status=PackageVersion.Status.FAILED,
            progress_percent=0,
            problems=[
                Problem(
                    code="import-crashed",
                    message=_("The import stopped because of an error on our side."),
                    advice=_("Try the upload again. If it fails again, send the file to the platform team."),
                ).as_dict()
            ],
        )
    finally:
        if opened is not None:
            opened.close()
    return version


def manifest_missing_problem(names: list[str]) -> Problem:
    nested = next((name for name in names if posixpath.basename(name) == MANIFEST), None)
    if nested:
        return Problem(
            code="manifest-not-at-root",
            message=_("imsmanifest.xml is in the folder %(folder)s, not at the top of the zip.")
            % {"folder": posixpath.dirname(nested) + "/"},
            file=nested,
            expected=_("imsmanifest.xml at the root of the zip"),
            advice=_("Zip the contents of that folder, not the folder itself."),
        )
    return Problem(
        code="manifest-missing",
        message=_("The zip has no imsmanifest.xml, so it is not a SCORM package."),
        file=MANIFEST,
        expected=_("imsmanifest.xml at the root of the zip"),
        advice=_("Export the course from your authoring tool as a SCORM 1.2 or SCORM 2004 package."),
    )


@transaction.atomic
def _version_go_live(
    *, version: PackageVersion, manifest: Manifest, prefix: str, files: list[ExtractedFile]
) -> None:
    Sco.objects.bulk_create(
        Sco(
            version=version,
            position=position,
            identifier=item.identifier,
            title=(item.title or item.identifier)[:500],
            launch_url=item.launch_url,
            is_sco=item.scorm_type != "asset",
            is_visible=item.is_visible,
            mastery_score=item.mastery_score,
            completion_threshold=item.completion_threshold,
            scaled_passing_score=item.scaled_passing_score,
            max_time_allowed=item.max_time_allowed or "",
            time_limit_action=item.time_limit_action or "",
            data_from_lms=item.data_from_lms or "",
        )
        for position, item in enumerate(manifest.launchable_items())
    )
    _version_update(
        version,
        status=PackageVersion.Status.READY,
        progress_percent=100,
        problems=_problem_dicts(manifest.warnings),
        scorm_version=manifest.version,
        edition=manifest.edition or "",
        manifest_identifier=manifest.identifier[:255],
        manifest=manifest.as_dict(),
        sequencing=manifest.sequencing_settings(),
        content_prefix=prefix,
        file_count=len(files),
        files={file.name: [file.size, file.sha256] for file in files},
        imported_at=timezone.now(),
    )
    package = ScormPackage.objects.select_for_update().get(pk=version.package_id)
    if lessons_using_package(package):
        _version_update(version, review_status=ReviewStatus.PENDING)
    else:
        _version_update(version, review_status=ReviewStatus.NOT_NEEDED)
        package_version_make_current(version=version)


def package_version_make_current(*, version: PackageVersion) -> bool:
    """Make `version` the one new attempts use, unless a newer version already is: imports
    and reviews finish in any order, and an older version never replaces a newer one.
    Returns whether it became current."""
    return bool(
        ScormPackage.objects.filter(pk=version.package_id)
        .filter(Q(current_version=None) | Q(current_version__number__lt=version.number))
        .update(current_version=version)
    )


def package_import_path(
    *, path: Path, partner, title: str = "", user=None, package: ScormPackage | None = None
) -> PackageVersion:
    """Import a zip file or an unpacked folder from disk, now (the `scorm_import` command)."""
    path = Path(path)
    with transaction.atomic():
        if package is None:
            package = ScormPackage.objects.create(partner=partner, title=title or path.stem, created_by=user)
        version = PackageVersion.objects.create(
            package=package, number=_version_next(package), source_name=path.name, uploaded_by=user
        )
    if path.is_dir():
        return package_version_import(version=version, folder=path)
    with path.open("rb") as handle:
        version.source.save(f"{uuid.uuid4().hex}.zip", File(handle), save=True)
    return package_version_import(version=version)
