"""The course dashboard for content partners (/dashboard/partner/): a partner's people see
their own courses' enrolments, completions, scores, survey results and item analysis links,
totalled over every agency, and nothing of another partner's courses."""

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from analytics.models import Measure
from analytics.selectors.partner import partner_dashboard
from analytics.tests.test_dashboards import FY, cell, english, figures_of
from assessments.services.attempts import quiz_attempt_start, quiz_attempt_submit
from assessments.tests.factories import bank_with_every_kind, full_marks, quiz_lesson
from courses.tests.factories import course_with_lessons, enrolled
from organisations.tests.factories import ContentPartnerFactory
from people.models import Role, RoleAssignment
from people.tests.factories import UserFactory, learner_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def partners(public_service):
    """Partner A with a course taught in two agencies, partner B with one course."""
    alpha = ContentPartnerFactory(code="alpha", name_en="Alpha University")
    bravo = ContentPartnerFactory(code="bravo", name_en="Bravo Institute")
    alpha_course = course_with_lessons(
        partner=alpha, lessons=1, title="ข้อมูลเปิดภาครัฐ", title_en="Open government data"
    )
    bravo_course = course_with_lessons(
        partner=bravo, lessons=1, title="ความลับทางราชการ", title_en="Official secrets"
    )
    for unit, enrolments, completions, scores in (
        (public_service["DIV-A1-HR"], 6, 3, 24_000),  # 3 completions scoring 80% on average
        (public_service["DEPT-B1"], 4, 1, 9_000),  # 1 completion scoring 90%
    ):
        cell(unit, Measure.ENROLMENTS_COURSE, enrolments, item=alpha_course.pk)
        cell(unit, Measure.COMPLETIONS_COURSE, completions, item=alpha_course.pk)
        cell(unit, Measure.SCORE_COURSE, scores, item=alpha_course.pk)
        cell(unit, Measure.SCORED_COURSE, completions, item=alpha_course.pk)
    cell(public_service["DEPT-B1"], Measure.ENROLMENTS_COURSE, 4321, item=bravo_course.pk)
    cell(public_service["DEPT-B1"], Measure.ENROLMENTS_COURSE, 50, item=alpha_course.pk, fy=FY - 1)
    return {"alpha": alpha, "bravo": bravo, "alpha_course": alpha_course, "bravo_course": bravo_course}


def member_of(partner, role=Role.PARTNER_AUTHOR):
    user = UserFactory(**english())
    RoleAssignment.objects.create(user=user, role=role, partner=partner)
    return user


def test_a_partner_author_sees_their_courses_totalled_over_every_agency(client, partners):
    author = member_of(partners["alpha"])
    board = partner_dashboard(viewer=author, fiscal_year=FY)
    assert board.scope_label == "Alpha University"
    assert board.tables["courses"].rows == [
        ["Open government data", partners["alpha_course"].code, 10, 4, 40.0, 82.5]
    ]
    assert figures_of(board) == {
        "courses": 1,
        "enrolments": 10,
        "completions": 4,
        "completion_rate": 40.0,
        "average_score": 82.5,  # (240.00 + 90.00) ÷ 4 scored completions
    }
    assert partner_dashboard(viewer=author, fiscal_year=FY - 1).tables["courses"].rows[0][2] == 50

    client.force_login(author)
    html = client.get(reverse("analytics:partner-dashboard")).content.decode()
    assert "Open government data" in html
    assert "Official secrets" not in html
    assert "4,321" not in html
    assert 'data-figure="average_score"' in html


def test_another_partners_courses_stay_hidden_even_when_asked_for(client, partners):
    author = member_of(partners["alpha"], role=Role.PARTNER_REVIEWER)
    with pytest.raises(Http404):
        partner_dashboard(viewer=author, partner_id=partners["bravo"].pk, fiscal_year=FY)
    client.force_login(author)
    response = client.get(reverse("analytics:partner-dashboard"), {"partner": partners["bravo"].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Official secrets" not in html
    assert "Bravo Institute" not in html
    assert "Open government data" in html  # their own partner instead


def test_a_platform_administrator_chooses_any_partner(client, partners):
    admin = UserFactory(**english())
    RoleAssignment.objects.create(user=admin, role=Role.PLATFORM_ADMIN)
    client.force_login(admin)
    html = client.get(
        reverse("analytics:partner-dashboard"), {"partner": partners["bravo"].pk}
    ).content.decode()
    assert "Official secrets" in html
    assert "4,321" in html
    assert '<option value="{}" selected>Bravo Institute</option>'.format(partners["bravo"].pk) in html
    # An administrator may open the agency dashboard too: it links here and back.
    assert reverse("analytics:dashboard") in html


def test_people_without_a_partner_role_are_refused(client, partners, public_service):
    client.force_login(learner_in(public_service["DIV-A1-HR"], **english()))
    response = client.get(reverse("analytics:partner-dashboard"))
    assert response.status_code == 403
    assert "Authors and reviewers of a content partner" in response.content.decode()


def test_survey_results_and_item_analysis_links(client):
    bank = bank_with_every_kind()
    lesson = quiz_lesson(
        bank=bank,
        quizzes={
            "post": {"title": "Post-test", "purpose": "post_test"},
            "survey": {"title": "Course evaluation", "purpose": "survey", "required_outcome": "submitted"},
        },
    )
    for rating in ("4", "5"):
        enrolment = enrolled(UserFactory(), lesson)
        attempt = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="survey")
        answers = full_marks(attempt)
        likert = next(item for item in attempt.items.all() if item.spec["kind"] == "likert")
        answers[likert.position] = rating
        quiz_attempt_submit(attempt=attempt, answers=answers)
    author = member_of(bank.partner)
    board = partner_dashboard(viewer=author, fiscal_year=FY)

    quizzes = board.tables["quizzes"]
    assert quizzes.rows == [[lesson.course.display_title, "Post-test", "Post-test"]]
    assert quizzes.links == [reverse("assessments_admin:quiz_report", args=[lesson.pk, "post"])]
    surveys = {row[2]: row for row in board.tables["surveys"].rows}
    assert surveys["เนื้อหาเข้าใจง่าย"][3:] == [2, 4.5]
    assert surveys["ข้อเสนอแนะ"][3:] == [2, None]
    assert set(board.tables["surveys"].links) == {
        reverse("assessments_admin:course_survey", args=[lesson.course.pk])
    }

    client.force_login(author)
    html = client.get(reverse("analytics:partner-dashboard")).content.decode()
    assert reverse("assessments_admin:quiz_report", args=[lesson.pk, "post"]) in html
    assert "4.5" in html
