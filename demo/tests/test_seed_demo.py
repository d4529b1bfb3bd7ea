import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from assessments.models import QuestionBank, QuizAttempt
from courses.models import CoursePage, Enrolment, LessonPage
from demo.assessments import COURSE_CODES
from demo.workforce import STAFF_DOMAIN
from organisations.models import ContentPartner, OrganisationUnit
from people.models import LearnerProfile, RoleAssignment, User
from people.permissions import visible_people
from scorm.models import ScormPackage

pytestmark = pytest.mark.django_db

DEMO_ACCOUNTS = {
    "admin@thaksa.test", "reviewer@thaksa.test", "author@thaksa.test",
    "partner.reviewer@thaksa.test", "hr@thaksa.test", "learner@thaksa.test", "dpo@thaksa.test",
}  # fmt: skip


def table_sizes() -> dict[str, int]:
    return {
        "units": OrganisationUnit.objects.count(),
        "partners": ContentPartner.objects.count(),
        "people": User.objects.count(),
        "profiles": LearnerProfile.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "courses": CoursePage.objects.count(),
        "lessons": LessonPage.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "scorm packages": ScormPackage.objects.count(),
    }


def test_seed_runs_twice_without_errors_or_duplicates(capsys):
    call_command("seed_demo")
    first = table_sizes()
    call_command("seed_demo")

    assert table_sizes() == first
    assert first["partners"] == 3
    assert first["scorm packages"] == 1
    output = capsys.readouterr().out
    for email in DEMO_ACCOUNTS:
        assert email in output
    assert "thaksa-demo-2569" in output


def test_demo_accounts_sign_in_with_the_published_password(client):
    call_command("seed_demo")

    for email in DEMO_ACCOUNTS:
        assert client.login(username=email, password="thaksa-demo-2569"), email
        client.logout()


def test_seeded_public_service_has_the_documented_shape():
    call_command("seed_demo")

    nso = OrganisationUnit.objects.get(code="MDES-NSO")
    assert nso.get_parent().code == "MDES"
    assert {u.name_th for u in nso.get_children()} >= {
        "กองบริหารทรัพยากรบุคคล",
        "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
    }
    assert OrganisationUnit.objects.get(code="DGA").kind == OrganisationUnit.Kind.PUBLIC_ORGANISATION
    assert OrganisationUnit.objects.get(code="DGA").is_root()
    assert OrganisationUnit.objects.filter(kind=OrganisationUnit.Kind.MINISTRY).count() == 6


def test_demo_hr_manager_sees_their_department_and_not_the_others():
    call_command("seed_demo")
    hr = User.objects.get(email="hr@thaksa.test")

    visible = set(visible_people(hr).values_list("email", flat=True))

    assert "learner@thaksa.test" in visible
    assert "pimchanok.t@thaksa.test" not in visible  # Revenue Department
    assert "araya.m@thaksa.test" not in visible  # a sibling department in the same ministry


def test_refuses_production_settings():
    from django.core.management.base import CommandError

    with override_settings(THAKSA_ENVIRONMENT="production"), pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(email="admin@thaksa.test").exists()


def test_demo_has_three_thai_courses_and_a_learner_part_way_through_one():
    call_command("seed_demo")

    courses = CoursePage.objects.live().select_related("partner")
    assert len({course.partner.code for course in courses}) == 3
    for course in courses:
        lessons = LessonPage.objects.live().descendant_of(course)
        assert lessons.count() >= 4
        # The SCORM practice is its package; the tests and the survey are their questions.
        reading = lessons.exclude(slug="pdpa-scorm-practice").exclude(
            slug__regex=r"-(pre-test|post-test|evaluation)$"
        )
        assert all(len(lesson.body.render_as_block()) > 1500 for lesson in reading)
    learner = Enrolment.objects.filter(user__email="learner@thaksa.test")
    assert {e.course.code: e.status for e in learner} == {"CYBER-101": "completed", "PDPA-GOV-101": "active"}
    assert 0 < learner.get(course__code="PDPA-GOV-101").progress_percent < 100
    assert Enrolment.objects.filter(due_date__lt=timezone.localdate(), status="active").exists()


def test_the_demo_pdpa_course_has_a_playable_thai_scorm_lesson():
    call_command("seed_demo")
    lesson = LessonPage.objects.get(slug="pdpa-scorm-practice")
    assert lesson.course.code == "PDPA-GOV-101"
    package = ScormPackage.objects.get()
    assert package.current_version.status == "ready"
    assert package.current_version.scos.get().mastery_score == 60
    version = package.current_version
    launch_file = version.content_prefix + version.scos.get().launch_url.split("?")[0]
    launch = default_storage.open(launch_file).read().decode()
    assert 'lang="th"' in launch
    assert "LMSInitialize" in launch


def test_every_demo_course_has_a_pre_test_a_post_test_and_a_survey_with_attempts():
    call_command("seed_demo")
    for course in CoursePage.objects.filter(code__in=COURSE_CODES):
        lessons = {lesson.slug: lesson for lesson in LessonPage.objects.descendant_of(course)}
        pre, post = lessons[f"{course.slug}-pre-test"], lessons[f"{course.slug}-post-test"]
        assert pre.is_required
        assert post.is_required
        assert f"{course.slug}-evaluation" in lessons
        assert course.completion_minimum_score == 60
        bank = QuestionBank.objects.get(title=f"คลังข้อสอบ {course.code}")
        assert bank.questions.count() == 12
        assert len({q.kind for q in bank.questions.all()}) == 7  # every graded kind
        assert QuizAttempt.objects.filter(lesson=pre, status="submitted").exists()
    # The workforce's bulk history (demo/workforce.py) has no attempts; the demo accounts do.
    completed = Enrolment.objects.filter(status="completed").exclude(user__email__endswith=f"@{STAFF_DOMAIN}")
    for enrolment in completed:
        post_attempts = QuizAttempt.objects.filter(enrolment=enrolment, purpose="post_test")
        assert any(attempt.passed for attempt in post_attempts)
    call_command("seed_demo")  # a second run adds nothing
    assert QuizAttempt.objects.count() == QuizAttempt.objects.filter(status="submitted").count()
    assert QuestionBank.objects.filter(title__startswith="คลังข้อสอบ").count() == 3


def test_demo_learners_who_completed_have_signed_certificates_in_the_demo_designs():
    from certificates.models import Certificate, CertificateTemplate
    from certificates.services.verification import pdf_verify

    call_command("seed_demo")
    completed = Enrolment.objects.filter(status="completed", course__certificate_on_completion=True).exclude(
        user__email__endswith=f"@{STAFF_DOMAIN}"
    )
    assert completed.exists()
    for enrolment in completed:
        certificate = Certificate.objects.get(enrolment=enrolment)
        assert certificate.content["holder_name"]["th"] == enrolment.user.full_name("th")
    sample = Certificate.objects.filter(course__partner__code="chula").first()
    assert sample.content["template_id"] == CertificateTemplate.objects.get(partner__code="chula").pk
    assert pdf_verify(sample.pdf.read()).verdict == "genuine"
    count = Certificate.objects.count()
    call_command("seed_demo")  # a second run issues nothing more
    assert Certificate.objects.count() == count
    assert CertificateTemplate.objects.count() == 2


def test_the_demo_publishes_its_privacy_notice_and_the_learner_reads_it_first(client):
    from privacy.models import PrivacyNotice, ProcessingActivity

    call_command("seed_demo")
    call_command("seed_demo")
    assert PrivacyNotice.objects.published().count() == 1
    assert ProcessingActivity.objects.filter(lawful_basis="consent").count() == 1
    client.force_login(User.objects.get(email="learner@thaksa.test"))
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"].startswith("/privacy/")
    notice = client.get(response["Location"]).content.decode()
    assert "มหาวิทยาลัยและสถาบันผู้สอน" in notice  # partners see learners of their courses


def test_the_demo_dpo_finds_the_privacy_screens_in_the_admin(client):
    call_command("seed_demo")
    client.force_login(User.objects.get(email="dpo@thaksa.test"))
    from privacy.models import PrivacyNotice
    from privacy.services import notice_acknowledge

    notice_acknowledge(user=User.objects.get(email="dpo@thaksa.test"), notice=PrivacyNotice.objects.get())
    assert client.get("/admin/privacy_processing/").status_code == 200
    assert client.get("/admin/privacy_notices/").status_code == 200
    # and nobody's learning records: the DPO is no platform administrator
    assert client.get("/admin/users/").status_code in (302, 403)


def test_the_demo_administrator_hr_manager_and_dpo_sign_in_with_the_printed_key(capsys):
    """They must use a second step (identity.policies): the demo gives them an authenticator
    whose key it prints, and the code command prints what such an app would show."""
    import re

    from django.test import Client

    from identity.tests.totp import authenticator_code

    call_command("seed_demo")
    keys = dict(re.findall(r"^\s+(\S+@thaksa\.test)\s+key ([A-Z2-7]+)$", capsys.readouterr().out, re.M))
    assert set(keys) == {"admin@thaksa.test", "hr@thaksa.test", "dpo@thaksa.test"}
    call_command("demo_two_step_code", "hr@thaksa.test")
    assert capsys.readouterr().out.strip() == authenticator_code(keys["hr@thaksa.test"])

    client = Client()
    asked = client.post("/account/sign-in/", {"username": "hr@thaksa.test", "password": "thaksa-demo-2569"})
    assert asked["Location"] == "/account/two-step/authenticate/"
    signed = client.post(
        "/account/two-step/authenticate/", {"code": authenticator_code(keys["hr@thaksa.test"])}
    )
    assert signed.status_code == 302
    assert "_auth_user_id" in client.session
