"""A learner with something in every part of the platform, for the export and erasure tests:
a profile with an employee number, a completed course with a certificate, a SCORM lesson with
commits (their name typed into the content), a submitted quiz (a free-text answer naming
them), competency evidence with a note, an assignment, a dashboard export, a session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.test import Client

from analytics.models import ExportJob
from assessments.question_kinds import QuestionKind
from assessments.services.attempts import quiz_attempt_start, quiz_attempt_submit
from assessments.tests.factories import bank_with_every_kind, full_marks, quiz_lesson
from assignments.models import Assignment
from assignments.tests.factories import assignment_of
from certificates.models import Certificate
from certificates.tests.factories import issued_certificate
from competencies.tests.factories import EvidenceFactory
from courses.tests.factories import course_with_lessons, enrolled
from organisations.models import OrganisationUnit
from organisations.tests.factories import OrganisationUnitFactory
from people.models import LearnerProfile, User
from people.tests.factories import LearnerProfileFactory, UserFactory, hr_manager_of
from scorm.services.commits import scorm_commit_apply
from scorm.tests.factories import launch, package_ready, scorm_lesson

EMAIL = "wanwisa.srisuk@moph.go.th"
GIVEN_TH, FAMILY_TH = "วรรณวิสาข์", "ศรีสุขสวัสดิ์"
GIVEN_EN, FAMILY_EN = "Wanwisakha", "Srisuksawat"
EMPLOYEE_NUMBER = "EMP-778812"
# What must appear nowhere after erasure.
IDENTIFYING = (EMAIL, GIVEN_TH, FAMILY_TH, GIVEN_EN, FAMILY_EN, EMPLOYEE_NUMBER)


@dataclass
class Scenario:
    unit: OrganisationUnit
    person: User
    colleague: User
    hr_manager: User
    certificate: Certificate
    assignment: Assignment


def new_person(**fields: Any) -> User:
    """A person from people's UserFactory, typed as the User it is."""
    person = UserFactory(**fields)
    assert isinstance(person, User)
    return person


def learner_with_everything() -> Scenario:
    unit = OrganisationUnitFactory()
    person = new_person(
        email=EMAIL,
        title="mrs",
        first_name=GIVEN_TH,
        last_name=FAMILY_TH,
        first_name_en=GIVEN_EN,
        last_name_en=FAMILY_EN,
    )
    LearnerProfileFactory(
        user=person, unit=unit, employee_number=EMPLOYEE_NUMBER, position_title="นักวิชาการสาธารณสุข"
    )
    colleague = new_person()
    LearnerProfileFactory(unit=unit, user=colleague)
    hr_manager = hr_manager_of(unit)

    # A completed course and its certificate; the colleague completes it too.
    course = course_with_lessons(lessons=1)
    certificate = issued_certificate(user=person, course=course)
    issued_certificate(user=colleague, course=course)

    # SCORM: the content stores the learner's name and what they typed.
    lesson = scorm_lesson(package=package_ready(version="2004").package)
    session = launch(enrolled(person, lesson), lesson).session
    scorm_commit_apply(
        session_id=session.pk,
        payload={
            "commitSequence": 1,
            "runtimeData": {
                "cmi": {
                    "learner_name": f"{FAMILY_EN}, {GIVEN_EN}",
                    "suspend_data": f"name={GIVEN_TH}",
                    "location": "page-3",
                    "comments_from_learner": {"0": {"comment": f"ฉันชื่อ{GIVEN_TH}"}},
                    "interactions": {
                        "0": {
                            "id": "Q1",
                            "type": "fill-in",
                            "learner_response": FAMILY_TH,
                            "result": "neutral",
                        },
                        "1": {"id": "Q2", "type": "choice", "learner_response": "b", "result": "correct"},
                    },
                    "score": {"scaled": "0.8"},
                }
            },
        },
    )

    # A submitted quiz with a free-text answer naming the learner.
    quiz = quiz_lesson(bank=bank_with_every_kind())
    attempt = quiz_attempt_start(enrolment=enrolled(person, quiz), lesson=quiz, block_id="quiz-1")
    answers = full_marks(attempt)
    for item in attempt.items.all():
        if item.spec["kind"] == QuestionKind.FREE_TEXT:
            answers[item.position] = f"ติดต่อ{GIVEN_TH} {EMPLOYEE_NUMBER}"
    quiz_attempt_submit(attempt=attempt, answers=answers)

    EvidenceFactory(user=person, note=f"ประเมินโดยหัวหน้า: {GIVEN_TH} ทำได้ดี", recorded_by=hr_manager)
    with transaction.atomic():
        assignment = assignment_of(unit, created_by=hr_manager)
    ExportJob.objects.create(
        requested_by=person, kind="table_csv", parameters={}, filename=f"{FAMILY_EN}.csv"
    )
    assert LearnerProfile.objects.filter(user=person).exists()
    return Scenario(unit, person, colleague, hr_manager, certificate, assignment)


def signed_in(person: User) -> Client:
    """A signed-in browser: a session row in the database that names the person."""
    client = Client()
    client.force_login(person)
    return client
