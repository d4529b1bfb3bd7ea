"""Evidence from completions and post-tests is written after commit by a retried task, and
`manage.py competencies_evidence_missing` writes whatever is still missing."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from assessments.models import QuestionBank
from assessments.services.attempts import quiz_attempt_start, quiz_attempt_submit
from assessments.tests.factories import full_marks, question, quiz_lesson
from competencies.models import CompetencyEvidence
from competencies.tasks import record_evidence
from competencies.tests import builders
from courses import competency_evidence
from courses.models import CourseCompetencyTarget, Enrolment
from courses.tests.factories import complete, enrolled
from organisations.tests.factories import ContentPartnerFactory
from people.tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def browsing():
    framework = builders.framework(levels=4)
    return builders.node(framework, "1.1", "Browsing and searching")


def _run_command() -> str:
    out = StringIO()
    call_command("competencies_evidence_missing", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def failures_go_back_to_celery(monkeypatch):
    """As on a worker: a failed task goes back to Celery, which runs it again. (Tests run tasks
    in-process, and otherwise re-raise a task's first failure at once.)"""
    monkeypatch.setitem(record_evidence.app.conf, "task_eager_propagates", False)


def _evidence() -> set[tuple[int, str, str]]:
    return set(CompetencyEvidence.objects.values_list("user_id", "source", "reference"))


def test_a_failed_first_write_is_repaired_by_the_retry(
    browsing, monkeypatch, django_capture_on_commit_callbacks
):
    course = builders.course_targeting((browsing, 3))
    real_record = competency_evidence.evidence_record
    calls = []

    def fails_once(**fields):
        calls.append(fields["reference"])
        if len(calls) == 1:
            raise DatabaseError("connection lost")
        return real_record(**fields)

    monkeypatch.setattr(competency_evidence, "evidence_record", fails_once)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete(learner(), course)

    assert len(calls) == 2
    assert _evidence() == {(enrolment.user_id, "course", f"enrolment:{enrolment.pk}")}


def test_a_write_that_keeps_failing_leaves_the_completion_and_the_command_repairs_it(
    browsing, monkeypatch, django_capture_on_commit_callbacks
):
    course = builders.course_targeting((browsing, 3))
    real_record = competency_evidence.evidence_record
    calls = []

    def broken(**fields):
        calls.append(fields["reference"])
        raise DatabaseError("database went away")

    monkeypatch.setattr(competency_evidence, "evidence_record", broken)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete(learner(), course)

    assert len(calls) == 1 + record_evidence.max_retries  # then the task gives up
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert not CompetencyEvidence.objects.exists()

    monkeypatch.setattr(competency_evidence, "evidence_record", real_record)
    _run_command()

    assert _evidence() == {(enrolment.user_id, "course", f"enrolment:{enrolment.pk}")}


def _post_test(browsing):
    """A post-test of two questions measuring `browsing`, in a course that develops it to 3."""
    bank = QuestionBank.objects.create(partner=ContentPartnerFactory(), title="คลัง")
    for text in ("a1", "a2"):
        question(bank, "true_false", text, true_false_answer=True).competencies.add(browsing)
    lesson = quiz_lesson(bank=bank)
    CourseCompetencyTarget.objects.create(course=lesson.course, competency=browsing, target_level=3)
    return lesson


def _submitted(lesson, *, right: int | None):
    attempt = quiz_attempt_start(enrolment=enrolled(UserFactory(), lesson), lesson=lesson, block_id="quiz-1")
    return quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt, right=right))


def test_the_command_records_exactly_the_missing_evidence_and_a_second_run_changes_nothing(
    browsing, django_capture_on_commit_callbacks
):
    course = builders.course_targeting((browsing, 3))
    untargeted = builders.course_targeting(title="No competencies")
    with django_capture_on_commit_callbacks(execute=True):
        recorded = complete(learner(email="recorded@example.test"), course)
    # Completions and submissions whose after-commit write never ran (callbacks not executed).
    lost = complete(learner(email="lost@example.test"), course)
    owed_nothing = complete(learner(email="nothing@example.test"), untargeted)
    lesson = _post_test(browsing)
    passed = _submitted(lesson, right=None)
    failed = _submitted(lesson, right=0)  # below the minimum score: owed no evidence
    # Passing the quiz completes its course, which targets the competency too: that
    # completion's evidence was lost in the same way.
    quiz_completions = list(Enrolment.objects.filter(course=lesson.course, status=Enrolment.Status.COMPLETED))
    before = set(CompetencyEvidence.objects.values_list("pk", "user_id", "reference"))

    output = _run_command()

    expected = {
        (recorded.user_id, "course", f"enrolment:{recorded.pk}"),
        (lost.user_id, "course", f"enrolment:{lost.pk}"),
        (passed.user_id, "test", f"attempt:{passed.pk}"),
        *((enrolment.user_id, "course", f"enrolment:{enrolment.pk}") for enrolment in quiz_completions),
    }
    assert _evidence() == expected
    assert before <= set(CompetencyEvidence.objects.values_list("pk", "user_id", "reference"))
    assert f"course: recorded the evidence of {1 + len(quiz_completions)} event(s)." in output
    assert "post_test: recorded the evidence of 1 event(s)." in output
    assert not CompetencyEvidence.objects.filter(user=owed_nothing.user).exists()
    assert not CompetencyEvidence.objects.filter(user=failed.user, source="test").exists()

    rows = list(CompetencyEvidence.objects.order_by("pk").values())
    again = _run_command()

    assert list(CompetencyEvidence.objects.order_by("pk").values()) == rows
    assert "course: recorded the evidence of 0 event(s)." in again
    assert "post_test: recorded the evidence of 0 event(s)." in again


def test_the_command_looks_back_a_week_and_at_every_event_with_days_0(browsing):
    course = builders.course_targeting((browsing, 3))
    old = complete(learner(email="old@example.test"), course)  # its after-commit write never ran
    Enrolment.objects.filter(pk=old.pk).update(completed_at=timezone.now() - dt.timedelta(days=30))

    assert "course: recorded the evidence of 0 event(s)." in _run_command()
    assert not CompetencyEvidence.objects.filter(user=old.user).exists()

    out = StringIO()
    call_command("competencies_evidence_missing", "--days", "0", stdout=out)
    assert "course: recorded the evidence of 1 event(s)." in out.getvalue()
    assert CompetencyEvidence.objects.filter(user=old.user, reference=f"enrolment:{old.pk}").exists()


def test_an_event_that_fails_leaves_the_others_recorded_and_the_command_says_so(browsing, monkeypatch):
    course = builders.course_targeting((browsing, 3))
    broken = complete(learner(email="broken@example.test"), course)
    fine = complete(learner(email="fine@example.test"), course)
    record = competency_evidence.CourseCompletionEvidence.record

    def record_or_fail(self, *, object_id):
        if object_id == broken.pk:
            raise DatabaseError("the connection was lost")
        return record(self, object_id=object_id)

    monkeypatch.setattr(competency_evidence.CourseCompletionEvidence, "record", record_or_fail)
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("competencies_evidence_missing", stdout=out)

    assert exited.value.code == 1
    assert "course: recorded the evidence of 1 event(s). 1 failed (see the log)" in out.getvalue()
    assert CompetencyEvidence.objects.filter(user=fine.user).exists()
    assert not CompetencyEvidence.objects.filter(user=broken.user).exists()


def test_a_completion_undone_before_its_task_ran_shows_nothing(browsing):
    course = builders.course_targeting((browsing, 3))
    enrolment = complete(learner(email="undone@example.test"), course)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.ACTIVE, completed_at=None)

    record_evidence.delay("course", enrolment.pk)

    assert not CompetencyEvidence.objects.filter(user=enrolment.user).exists()
