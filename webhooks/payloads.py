"""What each event says: the least that lets a receiver act (PDPA data minimisation).

A person appears as their Thaksa id and employee number only, never a name or an e-mail
address: the receiving application, which may read people through the API, looks the rest up
there if its scopes allow. A course appears as its id, code and titles. Each event is a
`PendingEvent` (who it is about, whose course, and its `data`); webhooks.services wraps the
data as Standard Webhooks say: `{"type": ..., "timestamp": ..., "data": ...}`.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from certificates.models import Certificate
from courses.models import CoursePage, Enrolment, LessonProgress
from people.models import LearnerProfile
from webhooks.models import EventType


@dataclass(frozen=True)
class PendingEvent:
    type: EventType
    person_id: int
    course_partner_id: int | None  # a partner's application hears only of its own courses
    data: dict[str, Any]


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _course(course: CoursePage) -> dict[str, Any]:
    return {"id": course.pk, "code": course.code, "title": course.title, "title_en": course.title_en}


def _employee_numbers(person_ids: list[int]) -> dict[int, str]:
    return dict(
        LearnerProfile.objects.filter(user_id__in=person_ids).values_list("user_id", "employee_number")
    )


def _person(person_id: int, employee_numbers: dict[int, str]) -> dict[str, Any]:
    return {"id": person_id, "employee_number": employee_numbers.get(person_id) or None}


def _enrolment_events(
    type_: EventType, enrolments: list[Enrolment], extra: dict[str, str]
) -> list[PendingEvent]:
    """`extra`: the enrolment fields this event adds to its id (name in the payload → attribute)."""
    numbers = _employee_numbers([enrolment.user_id for enrolment in enrolments])
    courses = {
        course.pk: course for course in CoursePage.objects.filter(pk__in={e.course_id for e in enrolments})
    }
    events = []
    for enrolment in enrolments:
        course = courses[enrolment.course_id]
        described: dict[str, Any] = {"id": enrolment.pk}
        for name, attribute in extra.items():
            value = getattr(enrolment, attribute)
            described[name] = _when(value) if isinstance(value, dt.date) else value
        events.append(
            PendingEvent(
                type=type_,
                person_id=enrolment.user_id,
                course_partner_id=course.partner_id,
                data={
                    "enrolment": described,
                    "course": _course(course),
                    "person": _person(enrolment.user_id, numbers),
                },
            )
        )
    return events


def enrolments_created_events(enrolments: list[Enrolment]) -> list[PendingEvent]:
    return _enrolment_events(
        EventType.ENROLMENT_CREATED,
        enrolments,
        {"status": "status", "source": "source", "enrolled_at": "enrolled_at", "due_date": "due_date"},
    )


def course_completed_events(enrolment: Enrolment) -> list[PendingEvent]:
    return _enrolment_events(EventType.COURSE_COMPLETED, [enrolment], {"completed_at": "completed_at"})


def assignment_overdue_events(enrolments: list[Enrolment]) -> list[PendingEvent]:
    return _enrolment_events(EventType.ASSIGNMENT_OVERDUE, enrolments, {"due_date": "due_date"})


def lesson_completed_events(progress: LessonProgress) -> list[PendingEvent]:
    progress = LessonProgress.objects.select_related("enrolment__course", "lesson").get(pk=progress.pk)
    enrolment = progress.enrolment
    lesson = progress.lesson
    return [
        PendingEvent(
            type=EventType.LESSON_COMPLETED,
            person_id=enrolment.user_id,
            course_partner_id=enrolment.course.partner_id,
            data={
                "lesson": {
                    "id": progress.lesson_id,
                    "title": lesson.title if lesson else None,
                    "completed_at": _when(progress.completed_at),
                },
                "enrolment": {"id": enrolment.pk},
                "course": _course(enrolment.course),
                "person": _person(enrolment.user_id, _employee_numbers([enrolment.user_id])),
            },
        )
    ]


def certificate_events(type_: EventType, certificate: Certificate) -> list[PendingEvent]:
    certificate = Certificate.objects.select_related("course").get(pk=certificate.pk)
    described: dict[str, Any] = {
        "id": certificate.public_id,
        "number": certificate.number,
        "status": certificate.status,
        "issued_at": _when(certificate.issued_at),
        "valid_until": _when(certificate.valid_until),
    }
    if type_ == EventType.CERTIFICATE_REVOKED:
        described["revoked_at"] = _when(certificate.status_changed_at)
        described["reason"] = certificate.status_reason
    return [
        PendingEvent(
            type=type_,
            person_id=certificate.learner_id,
            course_partner_id=certificate.course.partner_id,
            data={
                "certificate": described,
                "enrolment": {"id": certificate.enrolment_id},
                "course": _course(certificate.course),
                "person": _person(certificate.learner_id, _employee_numbers([certificate.learner_id])),
            },
        )
    ]
