"""Uploading and importing packages: good ones go live, broken ones say why and leave nothing."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from organisations.tests.factories import ContentPartnerFactory
from people.models import Role, RoleAssignment
from people.tests.factories import UserFactory
from scorm.archive import ArchiveLimits
from scorm.devtools.package_builder import ScoSpec, package_build
from scorm.models import PackageVersion, ScormPackage
from scorm.services.packages import package_upload, package_version_import
from scorm.tests.factories import package_ready

pytestmark = pytest.mark.django_db


def upload(zip_bytes: bytes, *, partner=None, package=None, name="course.zip") -> PackageVersion:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the import is queued on commit
        version = package_upload(
            partner=partner or (package.partner if package else ContentPartnerFactory()),
            title="ความรู้เบื้องต้น PDPA",
            uploaded_file=SimpleUploadedFile(name, zip_bytes, content_type="application/zip"),
            package=package,
        )
    version.refresh_from_db()
    return version


def _files_under(prefix: str) -> list[str]:
    if not prefix or not default_storage.exists(prefix.rstrip("/")):
        return []
    directories, files = default_storage.listdir(prefix)
    return files + directories


def test_a_multi_sco_2004_package_is_imported_and_goes_live():
    zip_bytes = package_build(
        version="2004",
        edition="4th",
        scos=[
            ScoSpec(identifier="INTRO", title="บทนำ", href="intro/index.html", completion_threshold=0.8),
            ScoSpec(
                identifier="MOD",
                title="หน่วยที่ 1",
                href="",
                children=[
                    ScoSpec(
                        identifier="QUIZ", title="แบบทดสอบ", href="quiz/index.html", scaled_passing_score=0.6
                    ),
                    ScoSpec(
                        identifier="NOTES",
                        title="เอกสาร",
                        href="notes.html",
                        scorm_type="asset",
                        is_visible=False,
                    ),
                ],
            ),
        ],
    )
    version = upload(zip_bytes)
    assert version.status == PackageVersion.Status.READY, version.problems
    assert version.progress_percent == 100
    assert (version.scorm_version, version.edition) == ("2004", "4th")
    scos = list(
        version.scos.values_list(
            "identifier", "is_sco", "is_visible", "completion_threshold", "scaled_passing_score"
        )
    )
    assert scos == [
        ("INTRO", True, True, 0.8, None),
        ("QUIZ", True, True, None, 0.6),
        ("NOTES", False, False, None, None),
    ]
    assert version.sequencing["activityTree"]["children"][1]["id"] == "MOD"
    assert default_storage.exists(version.content_prefix + "quiz/index.html")
    assert ScormPackage.objects.get().current_version == version


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: package_build(manifest_path=None), "manifest-missing"),
        (lambda: package_build(manifest_path="course/imsmanifest.xml"), "manifest-not-at-root"),
        (lambda: package_build(manifest_xml="<manifest><organizations"), "manifest-malformed"),
        (
            lambda: package_build(scos=[ScoSpec(identifier="A", title="ก", write_file=False)]),
            "launch-file-missing",
        ),
        (lambda: package_build(default_organisation="NOPE"), "default-organization-unknown"),
        (lambda: b"this is not a zip", "not-a-zip"),
    ],
)
def test_a_broken_package_fails_with_a_specific_problem_and_nothing_goes_live(build, code):
    version = upload(build())
    assert version.status == PackageVersion.Status.FAILED
    codes = [problem["code"] for problem in version.errors]
    assert code in codes, codes
    problem = next(problem for problem in version.errors if problem["code"] == code)
    assert problem["message"]
    assert problem["advice"]
    assert ScormPackage.objects.get().current_version is None
    assert not version.scos.exists()
    assert not version.content_prefix


def _hostile_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_slip_is_refused_before_anything_is_written():
    good = zipfile.ZipFile(io.BytesIO(package_build()))
    entries = {name: good.read(name) for name in good.namelist()}
    version = upload(_hostile_zip({**entries, "../../evil.html": b"<script>"}))
    assert version.status == PackageVersion.Status.FAILED
    assert "zip-slip" in [problem["code"] for problem in version.errors]
    assert not default_storage.exists("evil.html")


def test_a_failed_new_version_keeps_the_working_one_live():
    first = upload(package_build())
    second = upload(package_build(manifest_xml="<broken"), package=first.package)
    assert second.number == 2
    assert second.status == PackageVersion.Status.FAILED
    first.package.refresh_from_db()
    assert first.package.current_version == first


def test_a_zip_bomb_is_refused():
    entries = {"imsmanifest.xml": b"<manifest/>", "bomb.bin": b"\0" * (5 * 1024 * 1024)}
    version = PackageVersion.objects.create(
        package=ScormPackage.objects.create(partner=ContentPartnerFactory(), title="bomb"), number=1
    )
    version.source.save("bomb.zip", SimpleUploadedFile("bomb.zip", _hostile_zip(entries)), save=True)
    package_version_import(
        version=version, limits=ArchiveLimits(max_compression_ratio=50, ratio_min_bytes=1024)
    )
    version.refresh_from_db()
    assert version.status == PackageVersion.Status.FAILED
    assert "zip-bomb" in [problem["code"] for problem in version.errors]


def test_an_author_uploads_in_the_admin_and_sees_the_structure(client):
    partner = ContentPartnerFactory()
    author = UserFactory()
    RoleAssignment.objects.create(user=author, role=Role.PARTNER_AUTHOR, partner=partner)
    client.force_login(author)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("scorm_admin:add"),
            {
                "title": "การคุ้มครองข้อมูลส่วนบุคคล",
                "partner": partner.pk,
                "file": SimpleUploadedFile(
                    "pdpa.zip", package_build(title="PDPA", scos=[ScoSpec(identifier="S1", title="บทที่ 1")])
                ),
            },
        )
    assert response.status_code == 302
    detail = client.get(response["Location"])
    page = detail.content.decode()
    assert "บทที่ 1" in page
    assert "S1" in page
    version = PackageVersion.objects.get()
    status = client.get(reverse("scorm_admin:status", args=[version.pk])).json()
    assert status["status"] == "ready"
    assert status["progress"] == 100
    other_author = UserFactory()
    RoleAssignment.objects.create(
        user=other_author, role=Role.PARTNER_AUTHOR, partner=ContentPartnerFactory()
    )
    client.force_login(other_author)
    assert client.get(response["Location"]).status_code == 404


def test_a_file_that_is_not_a_zip_is_refused_at_upload(client):
    partner = ContentPartnerFactory()
    author = UserFactory()
    RoleAssignment.objects.create(user=author, role=Role.PARTNER_AUTHOR, partner=partner)
    client.force_login(author)
    response = client.post(
        reverse("scorm_admin:add"),
        {"title": "x", "partner": partner.pk, "file": SimpleUploadedFile("slides.pptx", b"PK..")},
    )
    assert response.status_code == 200
    assert not ScormPackage.objects.exists()


def test_scorm_inspect_prints_the_structure_and_json(tmp_path, capsys):
    path = tmp_path / "pkg.zip"
    path.write_bytes(
        package_build(version="1.2", scos=[ScoSpec(identifier="S1", title="บทนำ", mastery_score=80)])
    )
    call_command("scorm_inspect", str(path))
    out = capsys.readouterr().out
    assert "1.2" in out
    assert "S1" in out
    assert "80" in out
    call_command("scorm_inspect", str(path), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == "1.2"
    assert ScormPackage.objects.count() == 0  # inspecting stores nothing


def test_scorm_inspect_fails_with_the_problems_of_a_broken_package(tmp_path, capsys):
    path = tmp_path / "broken.zip"
    path.write_bytes(package_build(manifest_path="x/imsmanifest.xml"))
    with pytest.raises(CommandError):
        call_command("scorm_inspect", str(path))
    assert "manifest-not-at-root" in capsys.readouterr().out


def test_scorm_import_takes_a_zip_or_an_unpacked_folder(tmp_path):
    partner = ContentPartnerFactory(code="chula")
    zip_path = tmp_path / "pkg.zip"
    zip_path.write_bytes(package_build(version="2004", edition="3rd"))
    call_command("scorm_import", str(zip_path), "--partner", "chula", "--title", "จากไฟล์")
    folder = tmp_path / "unpacked"
    zipfile.ZipFile(zip_path).extractall(folder)
    package = ScormPackage.objects.get(partner=partner)
    call_command("scorm_import", str(folder), "--partner", "chula", "--package", str(package.pk))
    package.refresh_from_db()
    assert package.current_version.number == 2
    assert package.current_version.status == PackageVersion.Status.READY


def test_scorm_import_of_a_folder_with_a_link_fails_with_the_problem_and_keeps_nothing_live(tmp_path, capsys):
    partner = ContentPartnerFactory(code="chula")
    folder = tmp_path / "unpacked"
    zipfile.ZipFile(io.BytesIO(package_build(version="1.2"))).extractall(folder)
    (folder / "link.html").symlink_to(tmp_path)
    with pytest.raises(CommandError):
        call_command("scorm_import", str(folder), "--partner", "chula")
    version = PackageVersion.objects.get(package__partner=partner)
    assert version.status == PackageVersion.Status.FAILED  # never left "queued"
    assert version.problems
    assert version.package.current_version is None
    assert "link.html" in capsys.readouterr().err


def test_an_older_version_finishing_late_never_replaces_a_newer_one():
    package = package_ready().package
    newer = PackageVersion.objects.create(package=package, number=3, source_name="v3.zip")
    newer.source.save("v3.zip", ContentFile(package_build(version="1.2")), save=True)
    package_version_import(version=newer)
    older = PackageVersion.objects.create(package=package, number=2, source_name="late.zip")
    older.source.save("late.zip", ContentFile(package_build(version="1.2")), save=True)
    package_version_import(version=older)
    package.refresh_from_db()
    assert package.current_version == newer
