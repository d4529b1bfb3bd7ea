"""What authors and admins read about a package: attempts, history, and its questions."""

import csv
import io

import pytest
from django.urls import reverse

from courses.tests.factories import enrolled
from people.models import Role, RoleAssignment
from people.tests.factories import UserFactory
from scorm.services.commits import scorm_commit_apply
from scorm.tests.factories import launch, package_ready, scorm_lesson

pytestmark = pytest.mark.django_db


def answer(lesson, learner, responses: dict[str, tuple[str, str]], *, score: str):
    session = launch(enrolled(learner, lesson), lesson).session
    interactions = {
        str(index): {"id": question, "type": "choice", "student_response": response, "result": result}
        for index, (question, (response, result)) in enumerate(responses.items())
    }
    cmi = {"core": {"lesson_status": "passed", "score": {"raw": score}}, "interactions": interactions}
    scorm_commit_apply(session_id=session.pk, payload={"runtimeData": {"cmi": cmi}, "commitSequence": 1})


@pytest.fixture
def reported(client):
    version = package_ready()
    lesson = scorm_lesson(package=version.package)
    answer(
        lesson,
        UserFactory(first_name="กมล", last_name="ใจงาม"),
        {"Q1": ("a", "correct"), "Q2": ("c", "wrong")},
        score="80",
    )
    answer(
        lesson,
        UserFactory(first_name="ชยุต", last_name="ดีเด่น"),
        {"Q1": ("b", "wrong"), "Q2": ("d", "correct")},
        score="50",
    )
    answer(lesson, UserFactory(first_name="ณัฐ", last_name="สุขใจ"), {"Q1": ("a", "correct")}, score="100")
    author = UserFactory()
    RoleAssignment.objects.create(user=author, role=Role.PARTNER_AUTHOR, partner=version.package.partner)
    client.force_login(author)
    return version.package


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads the Thai
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_questions_report_counts_answers_and_the_correct_rate(client, reported):
    page = client.get(reverse("scorm_admin:interactions", args=[reported.pk])).content.decode()
    assert "Q1" in page
    assert "66.7" in page
    rows = _csv_rows(client.get(reverse("scorm_admin:interactions", args=[reported.pk]), {"format": "csv"}))
    by_response = {(row[0], row[4]): row for row in rows[1:]}
    assert by_response[("Q1", "a")][2:4] == ["3", "66.7"]
    assert by_response[("Q1", "a")][5] == "2"
    assert by_response[("Q1", "b")][5] == "1"
    assert by_response[("Q2", "d")][2:4] == ["2", "50.0"]


def test_the_attempts_report_lists_each_learner_with_status_and_score_and_links_the_history(client, reported):
    rows = _csv_rows(client.get(reverse("scorm_admin:attempts", args=[reported.pk]), {"format": "csv"}))
    scores = {row[0]: row[6] for row in rows[1:]}
    assert scores == {"นายกมล ใจงาม": "80.00", "นายชยุต ดีเด่น": "50.00", "นายณัฐ สุขใจ": "100.00"}
    page = client.get(reverse("scorm_admin:attempts", args=[reported.pk]))
    registration = page.context["rows"][0]["registration"]
    history = client.get(reverse("scorm_admin:history", args=[registration.pk])).content.decode()
    assert "cmi.core.score.raw" in history  # what the commit changed


def test_reports_of_another_partner_are_not_visible(client, reported):
    stranger = UserFactory()
    RoleAssignment.objects.create(
        user=stranger, role=Role.PARTNER_AUTHOR, partner=package_ready().package.partner
    )
    client.force_login(stranger)
    assert client.get(reverse("scorm_admin:attempts", args=[reported.pk])).status_code == 404
    assert client.get(reverse("scorm_admin:interactions", args=[reported.pk])).status_code == 404
