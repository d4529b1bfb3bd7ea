"""A course declares its outcomes as competencies of a framework, each at a level of that
framework's scale; the code and names certificates print are taken from the competency."""

import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from competencies.models import CompetencyFramework, CompetencyNode, ProficiencyLevel, ProficiencyScale
from courses.models import CourseCompetencyTarget
from courses.tests.factories import course_with_lessons
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def framework_with_scale(*, code: str = "TPQI-DSC", version: str = "2024", levels: int = 4):
    framework = CompetencyFramework.objects.create(
        code=code, version=version, name_th="สมรรถนะดิจิทัลข้าราชการ", name_en="Digital competency"
    )
    scale = ProficiencyScale.objects.create(framework=framework, name_th="ระดับ", name_en="Levels")
    for value, name in enumerate(["Basic", "Intermediate", "Advanced", "Expert"][:levels], start=1):
        ProficiencyLevel.objects.create(scale=scale, value=value, name_th=f"ระดับ {value}", name_en=name)
    return framework


def node(framework, code: str = "DG-1", name_en: str = "Digital governance"):
    return CompetencyNode.objects.create(
        framework=framework, code=code, name_th="ธรรมาภิบาลดิจิทัล", name_en=name_en
    )


def _edit_post(course, targets: list[dict], *, initial: int = 0, action: str = "action-publish") -> dict:
    return {
        **nested_form_data(
            {
                "title": course.title,
                "slug": course.slug,
                "code": course.code,
                "title_en": "",
                "summary_th": course.summary_th,
                "summary_en": "",
                "topic": course.topic_id,
                "level": course.level,
                "language": course.language,
                "estimated_hours": str(course.estimated_hours),
                "learning_outcomes": streamfield([]),
                "competency_targets": inline_formset(targets, initial=initial),
                "prerequisites": inline_formset([]),
                "enrolment_mode": course.enrolment_mode,
                "completion_minimum_minutes": "0",
                "certificate_on_completion": "on",
            }
        ),
        action: "1",
    }


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(is_superuser=True, preferred_language="en"))
    return client


def _edit(editor, course, targets, **kwargs):
    return editor.post(
        reverse("wagtailadmin_pages:edit", args=[course.pk]), _edit_post(course, targets, **kwargs)
    )


def test_choosing_a_competency_fills_the_code_and_names_certificates_print(editor):
    course = course_with_lessons(lessons=1)
    governance = node(framework_with_scale())

    response = _edit(editor, course, [{"competency": governance.pk, "target_level": "3"}])

    assert response.status_code == 302
    target = CourseCompetencyTarget.objects.get(course=course)
    assert (target.competency, target.target_level) == (governance, 3)
    assert (target.competency_code, target.competency_name_th, target.competency_name_en) == (
        "DG-1",
        "ธรรมาภิบาลดิจิทัล",
        "Digital governance",
    )


def test_a_level_beyond_the_frameworks_scale_is_refused_with_the_levels_to_choose(editor):
    course = course_with_lessons(lessons=1)
    governance = node(framework_with_scale(levels=4))

    response = _edit(editor, course, [{"competency": governance.pk, "target_level": "6"}])

    assert response.status_code == 200
    page = response.content.decode()
    assert "Level 6 is not on the scale of Digital competency (2024)" in page
    assert "1 · Basic, 2 · Intermediate, 3 · Advanced, 4 · Expert" in page
    assert not CourseCompetencyTarget.objects.filter(course=course).exists()


def test_a_new_row_needs_a_competency(editor):
    course = course_with_lessons(lessons=1)

    response = _edit(editor, course, [{"competency": "", "target_level": "2"}])

    assert response.status_code == 200
    assert "Choose the competency this course develops." in response.content.decode()
    assert not CourseCompetencyTarget.objects.filter(course=course).exists()


def test_the_same_competency_twice_is_refused_instead_of_failing_on_save(editor):
    course = course_with_lessons(lessons=1)
    governance = node(framework_with_scale())

    response = _edit(
        editor,
        course,
        [
            {"competency": governance.pk, "target_level": "2"},
            {"competency": governance.pk, "target_level": "3"},
        ],
    )

    assert response.status_code == 200
    assert "Another row already has a competency with the code DG-1" in response.content.decode()
    assert not CourseCompetencyTarget.objects.filter(course=course).exists()


def test_a_row_from_before_frameworks_keeps_its_code_and_names(editor):
    course = course_with_lessons(lessons=1)
    legacy = CourseCompetencyTarget.objects.create(
        course=course, competency_code="DL-01", competency_name_th="การรู้ดิจิทัล", target_level=2
    )
    course.save_revision().publish()

    response = _edit(editor, course, [{"id": legacy.pk, "competency": "", "target_level": "3"}], initial=1)

    assert response.status_code == 302
    legacy.refresh_from_db()
    assert (legacy.competency, legacy.competency_code, legacy.competency_name_th, legacy.target_level) == (
        None,
        "DL-01",
        "การรู้ดิจิทัล",
        3,
    )


def test_saving_a_target_refreshes_the_names_from_its_competency():
    course = course_with_lessons(lessons=1)
    governance = node(framework_with_scale())
    target = CourseCompetencyTarget.objects.create(course=course, competency=governance, target_level=2)
    CompetencyNode.objects.filter(pk=governance.pk).update(name_en="Digital governance and law")
    target.refresh_from_db()

    target.save()

    target.refresh_from_db()
    assert target.competency_name_en == "Digital governance and law"
    assert target.competency_code == "DG-1"


def test_the_editor_explains_the_level_and_shows_what_certificates_print(editor):
    course = course_with_lessons(lessons=1)
    CourseCompetencyTarget.objects.create(
        course=course,
        competency=node(framework_with_scale(), name_en="Governance as printed"),
        target_level=2,
    )
    course.save_revision().publish()

    page = editor.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()

    assert "The level a learner reaches by completing the course" in page
    assert "As printed on certificates" in page
    assert re.search(r'aria-readonly="true">\s*Governance as printed\s*<', page)
