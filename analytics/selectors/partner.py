"""The partner dashboard (content partners' authors and reviewers, platform staff): a
partner's courses over every agency, with no people."""

from collections import Counter

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from analytics.models import AggregateCell, Measure
from analytics.selectors.cells import Totals, course_totals, share
from analytics.selectors.contract import Column, Dashboard, DashboardFilters, Figure, Table
from assessments.models import QuizPurpose
from assessments.selectors import course_quizzes, course_survey_results
from courses.models import CoursePage
from people.models import User
from people.permissions import (
    content_partners_visible,
)


def can_view_partner_dashboard(user: User | AnonymousUser) -> bool:
    """Partner authors and reviewers (their partners' courses) and platform staff (all)."""
    return content_partners_visible(user).exists()


_COURSE_MEASURES = [
    Measure.ENROLMENTS_COURSE,
    Measure.COMPLETIONS_COURSE,
    Measure.SCORE_COURSE,
    Measure.SCORED_COURSE,
]


def _average_score(totals: Totals) -> float | None:
    scored = totals[Measure.SCORED_COURSE]
    return round(totals[Measure.SCORE_COURSE] / 100 / scored, 1) if scored else None


def partner_dashboard(*, viewer: User, partner_id: int | None = None, fiscal_year: int) -> Dashboard:
    """How a content partner's courses do across the whole public service in a fiscal year:
    enrolments, completions, average final score (all from the aggregate cells, summed over
    every unit: no person is visible), the evaluation surveys' results and links to each
    quiz's item analysis. Only partners in `content_partners_visible(viewer)`; any other
    partner is not found."""
    partners = list(content_partners_visible(viewer).order_by("code"))
    if partner_id is None:
        partner = partners[0] if partners else None
    else:
        partner = next((p for p in partners if p.pk == partner_id), None)
        if partner is None:
            raise Http404
    filters = DashboardFilters(fiscal_year=fiscal_year, partner_id=partner.pk if partner else None)
    courses = list(CoursePage.objects.filter(partner=partner).order_by("path")) if partner else []
    per_course = course_totals(
        AggregateCell.objects.filter(
            fiscal_year=fiscal_year, measure__in=_COURSE_MEASURES, item__in=[course.pk for course in courses]
        )
    )
    course_rows, quiz_rows, quiz_links, survey_rows, survey_links = [], [], [], [], []
    total: Totals = Counter()
    for course in courses:
        totals = per_course.get(course.pk, Counter())
        total.update(totals)
        enrolments, completions = totals[Measure.ENROLMENTS_COURSE], totals[Measure.COMPLETIONS_COURSE]
        course_rows.append(
            [
                course.display_title,
                course.code,
                enrolments,
                completions,
                share(completions, enrolments),
                _average_score(totals),
            ]
        )
        for quiz in course_quizzes(course=course):
            if quiz.purpose == QuizPurpose.SURVEY:
                continue
            quiz_rows.append([course.display_title, quiz.title, str(quiz.purpose_label)])
            quiz_links.append(reverse("assessments_admin:quiz_report", args=[quiz.lesson.pk, quiz.block_id]))
        survey_link = reverse("assessments_admin:course_survey", args=[course.pk])
        for survey in course_survey_results(course=course):
            for question in survey.questions:
                rating = question.rating
                survey_rows.append(
                    [
                        course.display_title,
                        survey.quiz.title,
                        question.text,
                        rating.responses if rating else len(question.answers),
                        round(rating.mean, 2) if rating and rating.mean is not None else None,
                    ]
                )
                survey_links.append(survey_link)
    enrolments, completions = total[Measure.ENROLMENTS_COURSE], total[Measure.COMPLETIONS_COURSE]
    figures = [
        Figure("courses", _("Courses"), len(courses), _("courses")),
        Figure("enrolments", _("Enrolments"), enrolments, _("enrolments")),
        Figure("completions", _("Completions"), completions, _("courses")),
        Figure("completion_rate", _("Completion rate"), share(completions, enrolments), "%"),
        Figure("average_score", _("Average final score"), _average_score(total), "%"),
    ]
    tables = {
        "courses": Table(
            key="courses",
            title=_("Courses"),
            columns=[
                Column("course", _("Course")),
                Column("code", _("Code")),
                Column("enrolments", _("Enrolments"), "int"),
                Column("completions", _("Completions"), "int"),
                Column("completion_rate", _("Completion rate (%)"), "percent"),
                Column("average_score", _("Average final score (%)"), "decimal"),
            ],
            rows=course_rows if total else [],
            note=_(
                "Enrolments started and completions in the fiscal year, across every agency; the "
                "average score is over completions with a final score."
            ),
        ),
        "quizzes": Table(
            key="quizzes",
            title=_("Item analysis of the quizzes"),
            columns=[
                Column("course", _("Course")),
                Column("quiz", _("Quiz")),
                Column("purpose", _("Purpose")),
            ],
            rows=quiz_rows,
            links=quiz_links,
            note=_(
                "Open a quiz for its item analysis: difficulty, discrimination and how often each "
                "option was chosen."
            ),
        ),
        "surveys": Table(
            key="surveys",
            title=_("Evaluation surveys"),
            columns=[
                Column("course", _("Course")),
                Column("survey", _("Survey")),
                Column("question", _("Question")),
                Column("responses", _("Responses"), "int"),
                Column("mean", _("Average rating"), "decimal"),
            ],
            rows=survey_rows,
            links=survey_links,
            note=_(
                "Each learner's latest answers count once, whenever they answered. Open a row for the "
                "full results."
            ),
        ),
    }
    return Dashboard(
        title=_("Course dashboard"),
        filters=filters,
        scope_label=partner.name if partner else _("No content partner"),
        breadcrumbs=[],
        figures=figures,
        tables=tables,
    )
