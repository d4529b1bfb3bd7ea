"""One small world for the authorisation matrix (tests/test_authorisation_matrix.py).

Everything the URLs name belongs to *this* partner, *this* unit and *the* learner; every other
role stands beside it: another learner of the same unit, the authors and reviewers of another
partner (and of this one), the HR managers of this unit and of another, a platform reviewer,
a data protection officer and a platform administrator. Built with the apps' factories and
services, once per module.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import wagtail_factories
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction, Site, TaskState, Workflow

from analytics.export_jobs import TABLE_CSV, export_job_start, export_parameters
from analytics.selectors.contract import DashboardFilters
from assessments.services.attempts import quiz_attempt_start
from assessments.tests.factories import QuizBlockFactory, bank_with_every_kind
from assignments.tests.factories import assignment_of
from certificates.models import CertificateTemplate
from certificates.services.issuance import certificate_issue
from competencies.services.evidence import manager_assessment_record
from competencies.tests.factories import MappingFactory, NodeFactory, RoleRequirementFactory
from courses.models import CoursePage, LessonPage, PartnerSectionPage
from courses.services import partner_section_ensure
from courses.services.partners import partner_group_name
from courses.tests.factories import (
    LessonBodyFactory,
    LessonDocumentBlockFactory,
    LessonPageFactory,
    ModulePageFactory,
    TopicFactory,
    complete,
    course_with_lessons,
    enrolled,
)
from lms.thai_calendar import fiscal_year_of
from organisations.tests.factories import ContentPartnerFactory, OrganisationUnitFactory
from people.models import Role
from people.services import role_assign, role_groups_sync
from people.tests.factories import RoleGroupFactory, UserFactory, hr_manager_of, learner_in
from privacy.models import ProcessingActivity
from privacy.services import notice_acknowledge
from privacy.tests.factories import published_notice
from scorm.tests.factories import ScormBlockFactory, launch, package_ready
from scorm.tokens import Grant, commit_token, content_token, launch_grant, navigation_token
from subject_rights.models import DataSubjectRequest

# The roles, in the order the matrix lists them.
ROLES = (
    "anonymous",
    "learner",
    "other_learner",
    "other_partner_author",
    "other_partner_reviewer",
    "partner_author",
    "partner_reviewer",
    "hr_manager",
    "other_hr_manager",
    "platform_reviewer",
    "dpo",
    "platform_admin",
)


@dataclass
class World:
    people: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError as missing:
            raise AttributeError(name) from missing


def world_build() -> World:
    world = World()
    role_groups_sync()
    unit = OrganisationUnitFactory.create(code="AUTH-UNIT")
    other_unit = OrganisationUnitFactory.create(code="AUTH-OTHER")
    partner = ContentPartnerFactory.create(code="auth-partner")
    other_partner = ContentPartnerFactory.create(code="auth-other")
    section = partner_section_ensure(partner=partner)
    partner_section_ensure(partner=other_partner)

    people = world.people
    people["learner"] = learner_in(unit, email="learner@agency.go.th")
    people["other_learner"] = learner_in(unit, email="other.learner@agency.go.th")
    for name, role, whose in (
        ("partner_author", Role.PARTNER_AUTHOR, partner),
        ("partner_reviewer", Role.PARTNER_REVIEWER, partner),
        ("other_partner_author", Role.PARTNER_AUTHOR, other_partner),
        ("other_partner_reviewer", Role.PARTNER_REVIEWER, other_partner),
    ):
        people[name] = UserFactory.create(email=f"{name.replace('_', '.')}@uni.ac.th")
        role_assign(user=people[name], role=role, partner=whose)
    people["hr_manager"] = hr_manager_of(unit, email="hr@agency.go.th")
    people["other_hr_manager"] = hr_manager_of(other_unit, email="hr.other@agency.go.th")
    for name, role in (
        ("platform_reviewer", Role.PLATFORM_REVIEWER),
        ("dpo", Role.DATA_PROTECTION_OFFICER),
        ("platform_admin", Role.PLATFORM_ADMIN),
    ):
        people[name] = UserFactory.create(email=f"{name.replace('_', '.')}@thaksa.go.th")
        role_assign(user=people[name], role=role)
    people["anonymous"] = None

    objects = world.objects
    objects["unit"], objects["partner"], objects["section"] = unit, partner, section
    objects["profile"] = people["learner"].profile
    objects["role_assignment"] = people["partner_author"].role_assignments.first()
    objects["role_group"] = RoleGroupFactory.create(code="AUTH-RG")
    objects["topic"] = TopicFactory.create()

    # Content of this partner: a design, a SCORM package, a bank, a document and an image.
    collection = section.collection
    objects["collection"] = collection
    objects["design"] = CertificateTemplate.objects.create(name="แบบของพันธมิตร", partner=partner)
    version = package_ready(partner=partner, title="แพ็กเกจของพันธมิตร")
    objects["package"], objects["package_version"] = version.package, version
    objects["bank"] = bank_with_every_kind(partner, title="คลังข้อสอบของพันธมิตร")
    objects["question"] = objects["bank"].questions.first()
    objects["document"] = wagtail_factories.DocumentFactory.create(
        collection=collection, title="เอกสารของพันธมิตร"
    )
    objects["image"] = wagtail_factories.ImageFactory.create(collection=collection, title="ภาพของพันธมิตร")
    objects["rendition"] = objects["image"].get_rendition("width-100")

    # A course of this partner whose lesson holds a SCORM package, a quiz and a document.
    course = course_with_lessons(partner=partner, lessons=1, title="หลักสูตรของพันธมิตร")
    lesson = LessonPage.objects.descendant_of(course).live().first()
    lesson.body = LessonBodyFactory.create(
        **{
            "0__scorm": ScormBlockFactory.create(package=objects["package"]),
            "1__quiz": QuizBlockFactory.create(bank=objects["bank"]),
            "2__document": LessonDocumentBlockFactory.create(document=objects["document"]),
        }
    )
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    objects["course"], objects["lesson"] = CoursePage.objects.get(pk=course.pk), lesson
    objects["draft_lesson"] = LessonPageFactory.create(parent=course, title="บทร่าง", slug="draft")
    objects["module"] = ModulePageFactory.create(parent=course, title="หน่วยว่าง", slug="empty-module")
    objects["section"] = PartnerSectionPage.objects.get(pk=section.pk)
    objects["catalogue"] = objects["section"].get_parent().specific
    objects["home"] = objects["catalogue"].get_parent().specific

    # The learner's records: enrolment, a SCORM launch, a quiz attempt, a certificate.
    enrolment = enrolled(people["learner"], lesson)
    objects["enrolment"] = enrolment
    session = launch(enrolment, lesson).session
    objects["registration"], objects["sco_session"] = session.attempt.registration, session
    grant = Grant.for_session(session)
    objects["launch_token"], objects["content_token"] = launch_grant(grant), content_token(grant)
    objects["commit_token"], objects["navigation_token"] = commit_token(grant), navigation_token(grant)
    objects["attempt"] = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="quiz-1")
    certified = course_with_lessons(partner=partner, lessons=1, title="หลักสูตรที่มีใบรับรอง")
    objects["certificate"] = certificate_issue(enrolment_id=complete(people["learner"], certified).pk)

    # What HR managers of this unit made: an assignment, an assessment, a background export.
    node = NodeFactory.create()
    objects["framework"], objects["node"] = node.framework, node
    objects["requirement"] = RoleRequirementFactory.create(node=node)
    objects["mapping"] = MappingFactory.create(source=node)
    objects["assignment"] = assignment_of(unit, created_by=people["hr_manager"], course=course)
    objects["evidence"] = manager_assessment_record(
        person=people["learner"], node=node, level=2, manager=people["hr_manager"]
    )
    objects["export_job"] = export_job_start(
        viewer=people["hr_manager"],
        kind=TABLE_CSV,
        parameters=export_parameters(
            filters=DashboardFilters(fiscal_year=fiscal_year_of(timezone.localdate()).year),
            table_key="people",
        ),
    )

    # Wagtail's own rows: a workflow in progress on the draft lesson, a site, a group.
    draft = objects["draft_lesson"]
    revision = draft.save_revision(user=people["partner_author"])
    objects["revision"] = revision
    workflow = Workflow.objects.filter(workflow_pages__page=section).first()
    workflow_state = workflow.start(draft, people["partner_author"])
    objects["workflow"], objects["workflow_state"] = workflow, workflow_state
    objects["task_state"] = TaskState.objects.filter(workflow_state=workflow_state).first()
    objects["task"] = objects["task_state"].task
    objects["site"] = Site.objects.get(is_default_site=True)
    objects["group"] = Group.objects.get(name=partner_group_name(partner=partner, role=Role.PARTNER_AUTHOR))
    objects["redirect"] = Redirect.objects.create(old_path="/old-course", redirect_page=objects["course"])
    objects["page_restriction"] = PageViewRestriction.objects.create(
        page=draft, restriction_type=PageViewRestriction.PASSWORD, password="lesson-password"
    )
    objects["learner_user"] = people["learner"]

    # The privacy notice in force (acknowledged by everybody, so that pages open) and the
    # learner's data-subject request.
    notice = published_notice()
    objects["notice"], objects["processing"] = notice, ProcessingActivity.objects.first()
    for person in people.values():
        if person is not None:
            notice_acknowledge(user=person, notice=notice)
    objects["subject_request"] = DataSubjectRequest.objects.create(
        person=people["learner"],
        kind=DataSubjectRequest.Kind.EXPORT,
        due_at=timezone.now() + dt.timedelta(days=30),
    )
    # A webhook subscription of an agency's application, and one delivery it received.
    from webhooks.models import Delivery, Subscription
    from webhooks.tests.factories import ApplicationFactory

    objects["api_application"] = ApplicationFactory.create(unit=objects["unit"])
    objects["webhook_subscription"] = Subscription.objects.create(
        application=objects["api_application"],
        target_url="https://hr.example.go.th/thaksa-events",
        event_types=["course.completed"],
    )
    objects["webhook_delivery"] = Delivery.objects.create(
        subscription=objects["webhook_subscription"],
        message_id="msg_matrix",
        event_type="course.completed",
        person=people["learner"],
        payload="{}",
        status=Delivery.Status.DELIVERED,
    )
    return world
