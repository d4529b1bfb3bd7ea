"""Partners see what they need about learners of their own courses, a name and an agency, and
not their e-mail addresses; platform administrators still do (PDPA's data minimisation)."""

import csv
import io

import pytest
from django.urls import reverse

from certificates.tests.factories import issued_certificate
from courses.tests.factories import enrolled
from organisations.tests.factories import OrganisationUnitFactory
from people.models import Role, RoleAssignment
from people.services import role_assign
from people.tests.factories import LearnerProfileFactory, UserFactory
from scorm.services.commits import scorm_commit_apply
from scorm.tests.factories import launch, package_ready, scorm_lesson

pytestmark = pytest.mark.django_db

ADDRESS = "kamol.learner@agency-x.go.th"
AGENCY = "สำนักงานสถิติแห่งชาติ"


@pytest.fixture
def learner():
    unit = OrganisationUnitFactory(name_th=AGENCY)
    return LearnerProfileFactory(
        user=UserFactory.create(email=ADDRESS, first_name="กมล", last_name="ใจงาม"), unit=unit
    ).user


@pytest.fixture
def package(learner):
    version = package_ready()
    lesson = scorm_lesson(package=version.package)
    session = launch(enrolled(learner, lesson), lesson).session
    cmi = {"core": {"lesson_status": "passed", "score": {"raw": "80"}}}
    scorm_commit_apply(session_id=session.pk, payload={"runtimeData": {"cmi": cmi}, "commitSequence": 1})
    return version.package


def partner_member(partner, role=Role.PARTNER_AUTHOR):
    member = UserFactory.create()
    RoleAssignment.objects.create(user=member, role=role, partner=partner)
    return member


def platform_admin():
    admin = UserFactory.create()
    role_assign(user=admin, role=Role.PLATFORM_ADMIN)
    return admin


def csv_text(response) -> str:
    return str(response.content.decode("utf-8-sig"))


@pytest.mark.parametrize("role", [Role.PARTNER_AUTHOR, Role.PARTNER_REVIEWER])
def test_a_partner_reads_attempts_by_name_and_agency_without_addresses(client, package, role):
    client.force_login(partner_member(package.partner, role))

    page = client.get(reverse("scorm_admin:attempts", args=[package.pk])).content.decode()
    export = csv_text(client.get(reverse("scorm_admin:attempts", args=[package.pk]), {"format": "csv"}))

    for text in (page, export):
        assert "นายกมล ใจงาม" in text
        assert AGENCY in text
        assert ADDRESS not in text
    assert "@" not in export  # no one's address at all
    header = next(csv.reader(io.StringIO(export)))
    assert "E-mail" not in header
    assert "อีเมล" not in header


def test_a_platform_administrator_still_reads_the_addresses(client, package):
    client.force_login(platform_admin())

    page = client.get(reverse("scorm_admin:attempts", args=[package.pk])).content.decode()
    export = csv_text(client.get(reverse("scorm_admin:attempts", args=[package.pk]), {"format": "csv"}))

    assert ADDRESS in page
    assert ADDRESS in export


def test_a_partner_reads_issued_certificates_without_addresses(client, learner):
    certificate = issued_certificate(user=learner)
    client.force_login(partner_member(certificate.course.partner))

    listing = client.get(reverse("certificates_admin:index")).content.decode()
    detail = client.get(reverse("certificates_admin:detail", args=[certificate.pk])).content.decode()
    by_address = client.get(reverse("certificates_admin:index"), {"q": ADDRESS}).content.decode()

    assert certificate.number in listing
    assert AGENCY in listing
    assert AGENCY in detail
    for html in (listing, detail):
        assert ADDRESS not in html
    assert certificate.number not in by_address  # an address does not find its holder


def test_a_platform_administrator_finds_a_certificate_by_address(client, learner):
    certificate = issued_certificate(user=learner)
    client.force_login(platform_admin())

    by_address = client.get(reverse("certificates_admin:index"), {"q": ADDRESS}).content.decode()
    detail = client.get(reverse("certificates_admin:detail", args=[certificate.pk])).content.decode()

    assert certificate.number in by_address
    assert ADDRESS in by_address
    assert ADDRESS in detail
