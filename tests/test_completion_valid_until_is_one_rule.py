""" "Valid until" of a completion means one thing wherever it is asked.

A course valid for 12 months, completed by three people: one just after midnight in Bangkok
on the 31st of a month (the UTC date is the day before), one whose completion lasts exactly
until today, one whose completion ended yesterday. The certificate's date, the competency
evidence's date and `CoursePage.completion_valid_until` must be the same day; "expired" must
be the same on the certificate (`is_expired`, `public_status`), in the admin's search
(`expired_q`), on the evidence (`is_valid_on`, the level held) and for an assignment due
today (a completion counts while it is valid on the due date, its last day included).
"""

import datetime as dt
import zoneinfo

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from assignments.models import AssignmentMember
from assignments.services.assignments import assignment_create
from certificates.models import Certificate, expired_q
from certificates.selectors import certificates_search
from certificates.services.issuance import certificate_issue
from competencies.models import CompetencyEvidence
from competencies.selectors import best_levels
from competencies.tests import builders
from courses.competency_evidence import course_evidence_record
from courses.models import Enrolment
from courses.tests.factories import complete
from people.tests.factories import hr_manager_of, learner_in

pytestmark = pytest.mark.django_db

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
VALID_MONTHS = 12


def completion_day_lasting_until(last_day: dt.date) -> dt.date:
    """A day whose completion is valid through `last_day` (or as close before it as the
    calendar allows: 29 February has no day a year before it)."""
    day: dt.date = last_day - relativedelta(months=VALID_MONTHS)
    while day + relativedelta(months=VALID_MONTHS) < last_day:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def completions(public_service, monkeypatch):
    unit = public_service["DEPT-A1"]
    framework = builders.framework(levels=4)
    competency = builders.node(framework, "1.1", "Browsing", parent=builders.node(framework, "1", "Data"))
    course = builders.course_targeting(
        (competency, 2), certificate_on_completion=True, validity_months=VALID_MONTHS
    )
    today = timezone.localdate()
    completed_on = {
        "just_after_midnight": dt.datetime(today.year - 1, 8, 31, 0, 30, tzinfo=BANGKOK),
        "until_today": dt.datetime.combine(completion_day_lasting_until(today), dt.time(15), tzinfo=BANGKOK),
        "until_yesterday": dt.datetime.combine(
            completion_day_lasting_until(today - dt.timedelta(days=1)), dt.time(15), tzinfo=BANGKOK
        ),
    }
    people, certificates = {}, {}
    for label, when in completed_on.items():
        person = people[label] = learner_in(unit, first_name=label, last_name="Tester")
        enrolment = complete(person, course)
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=when)
        enrolment.refresh_from_db()
        # Issued when completed, as the completion event does (a credential cannot be issued
        # already expired).
        with monkeypatch.context() as at_completion:
            at_completion.setattr(timezone, "now", lambda when=when: when + dt.timedelta(minutes=1))
            certificates[label] = certificate_issue(enrolment_id=enrolment.pk)
        course_evidence_record(enrolment=enrolment)
    return {
        "course": course,
        "competency": competency,
        "people": people,
        "certificates": certificates,
        "manager": hr_manager_of(unit),
        "unit": unit,
        "today": today,
    }


def test_certificates_evidence_and_assignments_agree_on_the_last_valid_day(completions):
    course, today = completions["course"], completions["today"]
    people, certificates = completions["people"], completions["certificates"]

    # The day after midnight in Bangkok is the day of completion, not the UTC day before it.
    midnight = certificates["just_after_midnight"]
    assert midnight.valid_until == dt.date(today.year, 8, 31)
    assert certificates["until_today"].valid_until == today
    assert certificates["until_yesterday"].valid_until < today

    assignment = assignment_create(
        created_by=completions["manager"],
        course=course,
        unit=completions["unit"],
        due_date=today,
        people=list(people.values()),
    )
    expired_in_search = set(certificates_search(Certificate.objects.all(), status="expired"))
    expired_by_rule = set(Certificate.objects.filter(expired_q(on=today)))
    levels = best_levels(user_ids=[person.pk for person in people.values()], on=today)

    for label, person in people.items():
        certificate = certificates[label]
        enrolment = certificate.enrolment
        # One date: the course's rule, the certificate and the evidence.
        valid_until = course.completion_valid_until(enrolment.completed_at)
        assert certificate.valid_until == valid_until, label
        [evidence] = CompetencyEvidence.objects.filter(user=person)
        assert evidence.valid_until == valid_until, label

        # One meaning of "expired": the certificate, the admin's search, the evidence, the level.
        expired = valid_until < today
        assert certificate.is_expired == expired, label
        assert (certificate.public_status == "expired") == expired, label
        assert (certificate in expired_in_search) == expired, label
        assert (certificate in expired_by_rule) == expired, label
        assert evidence.is_valid_on(today) == (not expired), label
        assert (completions["competency"].pk in levels.get(person.pk, {})) == (not expired), label

        # An assignment due today counts the completion exactly while it is valid.
        member = AssignmentMember.objects.get(assignment=assignment, user=person)
        assert (member.enrolment_id == enrolment.pk) == (not expired), label
