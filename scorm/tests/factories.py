"""Packages, lessons and launches for SCORM tests.

`package_ready` records a package version as if its import had succeeded (rows and a
launch file in storage) so that run-time tests do not depend on the importer; the import
tests build real zips with scorm.devtools.package_builder."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import LessonPage
from courses.tests.factories import ActivityBlockFactory, LessonBodyFactory, course_with_lessons
from organisations.tests.factories import ContentPartnerFactory
from scorm.blocks import ScormBlock
from scorm.models import PackageVersion, Sco, ScormPackage
from scorm.services.attempts import registration_for_launch, session_start
from scorm.services.packages import package_version_import


def package_ready(
    *,
    partner=None,
    version: str = "1.2",
    scos: list[dict] | None = None,
    package: ScormPackage | None = None,
    title: str = "แพ็กเกจทดสอบ",
) -> PackageVersion:
    """A package (or a new version of `package`) that is ready to launch.

    Each SCO dict may set identifier, title, launch_url, mastery_score,
    completion_threshold, scaled_passing_score, is_sco, is_visible."""
    partner = partner or (package.partner if package else ContentPartnerFactory())
    package = package or ScormPackage.objects.create(partner=partner, title=title)
    number = package.versions.count() + 1
    prefix = f"scorm/packages/{package.pk}/v{number}-{uuid.uuid4().hex[:8]}/"
    version_row = PackageVersion.objects.create(
        package=package,
        number=number,
        status=PackageVersion.Status.READY,
        progress_percent=100,
        scorm_version=version,
        edition="" if version == "1.2" else "4th",
        content_prefix=prefix,
    )
    for position, spec in enumerate(scos or [{}]):
        spec = {"identifier": f"ITEM-{position + 1}", "title": f"ส่วนที่ {position + 1}", **spec}
        spec.setdefault("launch_url", f"sco{position + 1}/index.html")
        Sco.objects.create(version=version_row, position=position, **spec)
        default_storage.save(
            prefix + spec["launch_url"].split("?")[0],
            ContentFile(f"<html lang='th'><p>{spec['title']}</p></html>".encode()),
        )
    ScormPackage.objects.filter(pk=package.pk).update(current_version=version_row)
    return version_row


def package_imported(zip_bytes: bytes, *, partner=None, title: str = "แพ็กเกจทดลอง") -> ScormPackage:
    """A package zip uploaded and imported for real, as an author's would be (the importer's
    checks, the manifest's sequencing, extracted files)."""
    package = ScormPackage.objects.create(partner=partner or ContentPartnerFactory(), title=title)
    version = PackageVersion.objects.create(package=package, number=1)
    version.source.save("package.zip", SimpleUploadedFile("package.zip", zip_bytes), save=True)
    package_version_import(version=version)
    version.refresh_from_db()
    assert version.status == PackageVersion.Status.READY, version.problems
    package.refresh_from_db()
    return package


class ScormBlockFactory(ActivityBlockFactory):
    """A SCORM package in a lesson, with the editor's defaults (completing the package counts;
    opening it again shows the completed attempt for review). Pass `package=`: one of the lesson
    course's partner's packages, as the editor allows (no default could know that partner)."""

    class Meta:
        model = ScormBlock

    is_post_test = False


def scorm_lesson(*, package: ScormPackage, course=None, lessons: int = 1, **block) -> LessonPage:
    """The first lesson of a course (a new one by default), holding only a SCORM block
    (`scorm-1`) with these settings."""
    course = course or course_with_lessons(partner=package.partner, lessons=lessons)
    lesson = LessonPage.objects.child_of(course).first() or LessonPage.objects.descendant_of(course).first()
    lesson.body = LessonBodyFactory(**{"0__scorm": ScormBlockFactory(package=package, **block)})
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def launch(enrolment, lesson: LessonPage, *, sco=None):
    """Launch the lesson's SCORM block as the player would (registration, then a session)."""
    value = {bid: v for bid, _block, v in lesson.activities()}["scorm-1"]
    registration, mode = registration_for_launch(
        enrolment=enrolment,
        lesson=lesson,
        block_id="scorm-1",
        package=value["package"],
        retake=value["retake"],
        required_outcome=value["required_outcome"],
    )
    return session_start(registration=registration, sco=sco, mode=mode)
