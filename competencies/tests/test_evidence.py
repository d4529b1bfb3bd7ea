"""Evidence from completed courses, and the best valid level a person holds."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from competencies.models import CompetencyEvidence
from competencies.selectors import best_levels, competency_profile
from competencies.tests import builders
from courses.competency_evidence import course_evidence_record
from courses.events import course_completed
from courses.models import CourseCompetencyTarget, Enrolment
from courses.tests.factories import complete
from people.tests.factories import learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def digcomp():
    framework = builders.framework(levels=8)
    area = builders.node(framework, "1", "Information and data literacy")
    return {
        "framework": framework,
        "browsing": builders.node(framework, "1.1", "Browsing and searching", parent=area),
        "evaluating": builders.node(framework, "1.2", "Evaluating data", parent=area),
    }


def completed(user, course, django_capture_on_commit_callbacks) -> Enrolment:
    """Complete the course as the learner would; the completion event runs after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return complete(user, course)


def test_completing_a_course_records_each_competency_it_targets(digcomp, django_capture_on_commit_callbacks):
    course = builders.course_targeting((digcomp["browsing"], 3), (digcomp["evaluating"], 2))
    # A target typed in by hand without a framework competency records nothing.
    CourseCompetencyTarget.objects.create(
        course=course, competency_code="X-1", competency_name_th="สมรรถนะอื่น", target_level=2
    )
    user = learner()

    enrolment = completed(user, course, django_capture_on_commit_callbacks)

    rows = {row.node.code: row for row in CompetencyEvidence.objects.filter(user=user)}
    assert set(rows) == {"1.1", "1.2"}
    assert rows["1.1"].level == 3
    assert rows["1.2"].level == 2
    completed_day = timezone.localtime(enrolment.completed_at).date()
    for row in rows.values():
        assert row.source == CompetencyEvidence.Source.COURSE
        assert row.reference == f"enrolment:{enrolment.pk}"
        assert row.course_id == course.pk
        assert row.achieved_on == completed_day
        assert row.valid_until is None
    assert best_levels(user_ids=[user.pk], on=completed_day)[user.pk] == {
        digcomp["browsing"].pk: 3,
        digcomp["evaluating"].pk: 2,
    }


def test_the_completion_event_sent_twice_records_the_evidence_once(
    digcomp, django_capture_on_commit_callbacks
):
    course = builders.course_targeting((digcomp["browsing"], 3))
    user = learner()
    enrolment = completed(user, course, django_capture_on_commit_callbacks)

    course_completed.send(sender=Enrolment, enrolment=enrolment)

    assert CompetencyEvidence.objects.filter(user=user).count() == 1


def test_evidence_from_a_course_that_expires_is_valid_for_its_months_from_the_bangkok_day(digcomp):
    course = builders.course_targeting((digcomp["browsing"], 3), validity_months=1)
    user = learner()
    # 18:30 UTC on 31 January is already 1 February in Bangkok.
    enrolment = Enrolment.objects.create(
        user=user,
        course=course,
        status=Enrolment.Status.COMPLETED,
        completed_at=dt.datetime(2026, 1, 31, 18, 30, tzinfo=dt.UTC),
    )

    (row,) = course_evidence_record(enrolment=enrolment)

    assert row.achieved_on == dt.date(2026, 2, 1)
    assert row.valid_until == dt.date(2026, 3, 1)
    assert best_levels(user_ids=[user.pk], on=dt.date(2026, 3, 1)) == {user.pk: {digcomp["browsing"].pk: 3}}
    assert best_levels(user_ids=[user.pk], on=dt.date(2026, 3, 2)) == {}


def test_the_best_valid_evidence_counts_expired_and_withdrawn_do_not(digcomp):
    user = learner()
    browsing = digcomp["browsing"]
    on = dt.date(2026, 6, 1)
    builders.evidence(user, browsing, 2, reference="a", achieved_on=dt.date(2025, 1, 1))
    builders.evidence(user, browsing, 3, reference="b", achieved_on=dt.date(2026, 5, 1), valid_until=on)
    builders.evidence(
        user, browsing, 6, reference="c", achieved_on=dt.date(2024, 1, 1), valid_until=dt.date(2026, 5, 31)
    )
    withdrawn = builders.evidence(user, browsing, 7, reference="d", achieved_on=dt.date(2026, 1, 1))
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    builders.evidence(user, browsing, 8, reference="e", achieved_on=dt.date(2026, 6, 2))  # not yet achieved

    with translation.override("en"):
        profile = competency_profile(user=user, on=on)

    held = profile[browsing.pk]
    assert held.level == 3
    assert held.level_name == "Advanced"
    assert [row.level for row in held.evidence] == [3, 2]
    assert [row.level for row in held.expired] == [6]
    assert best_levels(user_ids=[user.pk], on=on)[user.pk][browsing.pk] == 3


def test_a_competency_whose_evidence_all_expired_has_no_level_but_keeps_its_history(digcomp):
    user = learner()
    builders.evidence(
        user, digcomp["evaluating"], 4, achieved_on=dt.date(2020, 1, 1), valid_until=dt.date(2022, 1, 1)
    )

    held = competency_profile(user=user, on=dt.date(2026, 1, 1))[digcomp["evaluating"].pk]

    assert held.level is None
    assert held.evidence == []
    assert [row.level for row in held.expired] == [4]
