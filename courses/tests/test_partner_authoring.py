"""A partner's people author in their own section only, and nothing is published without
partner review and platform review."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from courses.models import PartnerSectionPage
from courses.tests.factories import course_with_lessons
from organisations.tests.factories import ContentPartnerFactory
from people.models import Role
from people.services import role_assign
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def partner_person(partner, role):
    user = UserFactory()
    role_assign(user=user, role=role, partner=partner)
    return user


def test_new_partner_gets_a_section_groups_and_a_two_step_workflow():
    partner = ContentPartnerFactory(code="chula")

    section = PartnerSectionPage.objects.get(partner=partner)
    assert section.get_parent().url_path.endswith("/courses/")
    workflow = section.get_workflow()
    assert [task.specific.groups.get().name for task in workflow.tasks.all()] == [
        "Partner reviewers · chula",
        "Platform reviewers",
    ]


def test_author_edits_own_section_but_not_another_partners_and_cannot_publish():
    own, other = ContentPartnerFactory(), ContentPartnerFactory()
    author = partner_person(own, Role.PARTNER_AUTHOR)
    own_course, other_course = course_with_lessons(partner=own), course_with_lessons(partner=other)

    own_permissions = own_course.permissions_for_user(author)
    assert own_permissions.can_edit()
    assert not own_permissions.can_publish()
    assert not other_course.permissions_for_user(author).can_edit()


def test_author_is_refused_the_other_partners_edit_page(client):
    own, other = ContentPartnerFactory(), ContentPartnerFactory()
    author = partner_person(own, Role.PARTNER_AUTHOR)
    other_course = course_with_lessons(partner=other)
    client.force_login(author)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[other_course.pk]))

    assert response.status_code in {302, 403}
    assert (
        client.get(reverse("wagtailadmin_pages:edit", args=[course_with_lessons(partner=own).pk])).status_code
        == 200
    )


def test_publishing_needs_partner_review_then_platform_review(client):
    partner = ContentPartnerFactory()
    author = partner_person(partner, Role.PARTNER_AUTHOR)
    partner_reviewer = partner_person(partner, Role.PARTNER_REVIEWER)
    platform_reviewer = UserFactory()
    role_assign(user=platform_reviewer, role=Role.PLATFORM_REVIEWER)
    course = course_with_lessons(partner=partner, title="ชื่อเดิม")
    edit_url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    client.force_login(author)

    # Trying to publish directly only saves a draft: authors have no publish permission.
    client.post(edit_url, _edit_post(course, title="ชื่อใหม่", action="action-publish"))
    course.refresh_from_db()
    assert course.title == "ชื่อเดิม"

    client.post(edit_url, _edit_post(course, title="ชื่อใหม่", action="action-submit"))
    course.refresh_from_db()
    state = course.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    for reviewer in (partner_reviewer, platform_reviewer):
        task_state = state.current_task_state
        assert task_state.task.specific.user_can_access_editor(course, reviewer)
        task_state.task.specific.on_action(task_state, reviewer, "approve")
        state.refresh_from_db()

    course.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert course.title == "ชื่อใหม่"


def _edit_post(course, *, title, action):
    return {
        **nested_form_data(
            {
                "title": title,
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
                "competency_targets": inline_formset([]),
                "prerequisites": inline_formset([]),
                "enrolment_mode": course.enrolment_mode,
                "completion_minimum_minutes": "0",
                "certificate_on_completion": "on",
            }
        ),
        action: "1",
    }
