"""Questions measure competencies: tagged in the editor and in bank files, remembered in each
attempt's questions, scored per competency on the result page, and a good enough post-test
score on a competency the course develops is recorded as evidence."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.bank_format import bank_file_read, bank_file_write_csv
from assessments.competency_evidence import post_test_evidence_record
from assessments.models import Question, QuestionBank
from assessments.selectors import attempt_result
from assessments.services.attempts import quiz_attempt_start, quiz_attempt_submit
from assessments.services.banks import BankFileRejected, bank_export, bank_import
from assessments.tests.factories import question, quiz_lesson
from competencies.models import CompetencyEvidence, CompetencyFramework, CompetencyNode
from courses.models import CourseCompetencyTarget, CoursePage
from courses.tests.factories import enrolled
from organisations.tests.factories import ContentPartnerFactory
from people.models import Role
from people.services import role_assign
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BANGKOK = dt.timezone(dt.timedelta(hours=7))


def framework(code="DIGCOMP", version="2.2", status=CompetencyFramework.Status.CURRENT, **fields):
    return CompetencyFramework.objects.create(
        code=code,
        version=version,
        status=status,
        name_th=f"กรอบ {code}",
        name_en=f"{code} framework",
        **fields,
    )


def competency(framework, code, name_en):
    return CompetencyNode.objects.create(
        framework=framework, code=code, name_th=f"สมรรถนะ {code}", name_en=name_en
    )


@pytest.fixture
def digcomp():
    current = framework()
    old = framework(version="2.1", status=CompetencyFramework.Status.SUPERSEDED)
    return {
        "1.1": competency(current, "1.1", "Browsing and searching data"),
        "4.2": competency(current, "4.2", "Protecting personal data"),
        "old 1.1": competency(old, "1.1", "Browsing (2.1)"),
    }


# ---------------------------------------------------------------------------
# Bank files
# ---------------------------------------------------------------------------

TAGGED_CSV = (
    "kind,text,options,correct,competencies\n"
    "single,ข้อใดคือข้อมูลส่วนบุคคล,เลขบัตรประชาชน|สีของอาคาร,1,DIGCOMP:1.1; digcomp:4.2\n"
    "true_false,ข้อมูลสุขภาพเป็นข้อมูลอ่อนไหว,,จริง,\n"
)


def _bank():
    return QuestionBank.objects.create(partner=ContentPartnerFactory(), title="คลัง PDPA")


def test_the_competencies_column_tags_questions_with_the_current_framework_version(digcomp):
    bank = _bank()

    bank_import(bank=bank, name="bank.csv", data=TAGGED_CSV.encode())

    tagged = bank.questions.get(text="ข้อใดคือข้อมูลส่วนบุคคล")
    assert set(tagged.competencies.all()) == {digcomp["1.1"], digcomp["4.2"]}  # not the 2.1 version's 1.1
    assert not bank.questions.get(text="ข้อมูลสุขภาพเป็นข้อมูลอ่อนไหว").competencies.exists()


def test_a_framework_with_no_current_version_is_read_at_its_latest():
    framework(code="OCSC", version="2017", status=CompetencyFramework.Status.SUPERSEDED)
    latest = framework(code="OCSC", version="2018", status=CompetencyFramework.Status.SUPERSEDED)
    literacy = competency(latest, "DL", "Digital literacy")
    competency(CompetencyFramework.objects.get(code="OCSC", version="2017"), "DL", "Digital literacy 2017")
    bank = _bank()

    bank_import(
        bank=bank, name="bank.csv", data=b"kind,text,correct,competencies\ntrue_false,T,true,OCSC:DL\n"
    )

    assert list(bank.questions.get().competencies.all()) == [literacy]


def test_unknown_references_are_reported_by_row_and_column_and_nothing_is_imported(digcomp):
    bank = _bank()
    data = (
        "kind,text,correct,competencies\n"
        "true_false,ข้อแรก,true,DIGCOMP:9.9\n"
        "true_false,ข้อสอง,true,DIGCOMP:1.1\n"
        "true_false,ข้อสาม,true,NOPE:1.1\n"
    ).encode()

    with pytest.raises(BankFileRejected) as rejected:
        bank_import(bank=bank, name="bank.csv", data=data)

    problems = rejected.value.problems
    assert [(p.row, p.column) for p in problems] == [(2, "competencies"), (4, "competencies")]
    assert "9.9" in problems[0].message
    assert "NOPE" in problems[1].message
    assert "DIGCOMP" in problems[1].message  # the codes that would work
    assert not bank.questions.exists()


def test_a_reference_without_a_colon_is_explained():
    rows, problems = bank_file_read(
        "bank.csv", b"kind,text,correct,competencies\ntrue_false,T,true,DIGCOMP 1.1\n"
    )

    assert rows == []
    assert [(p.row, p.column) for p in problems] == [(2, "competencies")]
    assert "DIGCOMP:1.1" in problems[0].message


def test_an_old_file_without_the_competencies_column_still_imports():
    bank = _bank()

    bank_import(bank=bank, name="bank.csv", data=b"kind,text,correct\ntrue_false,T,true\n")

    question = bank.questions.get()
    assert question.true_false_answer is True
    assert not question.competencies.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exported_tags_import_back_onto_the_same_competencies(digcomp, file_format):
    bank = _bank()
    bank_import(bank=bank, name="bank.csv", data=TAGGED_CSV.encode())
    exported = bank_export(bank=bank, file_format=file_format)
    copy = QuestionBank.objects.create(partner=bank.partner, title="สำเนา")

    bank_import(bank=copy, name=f"copy.{file_format}", data=exported)

    def tags(bank):
        return [(q.text, sorted(n.pk for n in q.competencies.all())) for q in bank.questions.order_by("pk")]

    assert tags(copy) == tags(bank)
    if file_format == "csv":
        assert "DIGCOMP:1.1; DIGCOMP:4.2" in exported.decode("utf-8-sig")


def test_the_written_cell_reads_back_unchanged():
    rows, problems = bank_file_read("bank.csv", TAGGED_CSV.encode())
    assert problems == []
    assert rows[0].competencies == ["DIGCOMP:1.1", "digcomp:4.2"]
    again, _ = bank_file_read("bank.csv", bank_file_write_csv(rows))
    assert [row.competencies for row in again] == [["DIGCOMP:1.1", "digcomp:4.2"], []]


# ---------------------------------------------------------------------------
# The question editor
# ---------------------------------------------------------------------------


def test_the_question_editor_offers_current_competencies_and_saves_the_ticked_ones(client, digcomp):
    bank = _bank()
    author = UserFactory()
    role_assign(user=author, role=Role.PARTNER_AUTHOR, partner=bank.partner)
    client.force_login(author)

    page = client.get(reverse("assessments_question:add") + f"?bank={bank.pk}").content.decode()
    assert f'value="{digcomp["4.2"].pk}"' in page
    assert f'value="{digcomp["old 1.1"].pk}"' not in page  # a superseded version is not offered

    response = client.post(
        reverse("assessments_question:add"),
        {
            "bank": bank.pk, "kind": "true_false", "text": "ต้องแจ้งเหตุภายใน 72 ชั่วโมง", "difficulty": "medium",
            "points": "1", "partial_credit": "all_or_nothing", "true_false_answer": "true",
            "numeric_tolerance": "0", "is_active": "on", "competencies": [digcomp["4.2"].pk],
            "options-TOTAL_FORMS": "0", "options-INITIAL_FORMS": "0", "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
        },
    )  # fmt: skip

    assert response.status_code == 302
    saved = Question.objects.get(text="ต้องแจ้งเหตุภายใน 72 ชั่วโมง")
    assert list(saved.competencies.all()) == [digcomp["4.2"]]


# ---------------------------------------------------------------------------
# Attempts, results and evidence
# ---------------------------------------------------------------------------


@pytest.fixture
def post_test(digcomp):
    """A post-test of four true-or-false questions: two measure 1.1, two measure 4.2. The
    course develops both, 1.1 to level 3 and 4.2 to level 2."""
    bank = QuestionBank.objects.create(partner=ContentPartnerFactory(), title="คลัง")
    for text, node in (("a1", "1.1"), ("a2", "1.1"), ("b1", "4.2"), ("b2", "4.2")):
        question(bank, "true_false", text, true_false_answer=True).competencies.add(digcomp[node])
    question(bank, "true_false", "untagged", true_false_answer=True)
    lesson = quiz_lesson(bank=bank)
    course = lesson.course
    CourseCompetencyTarget.objects.create(course=course, competency=digcomp["1.1"], target_level=3)
    CourseCompetencyTarget.objects.create(course=course, competency=digcomp["4.2"], target_level=2)
    return lesson


def _course(lesson, **fields):
    CoursePage.objects.filter(pk=lesson.course.pk).update(**fields)


def _answers(attempt, right: set[str]) -> dict[int, str]:
    """True (right) for the questions named, False (wrong) for the others."""
    return {
        item.position: next(
            o["key"] for o in item.spec["options"] if o["value"] is (item.spec["text"] in right)
        )
        for item in attempt.items.all()
    }


def _take(lesson, right: set[str], *, user=None, now=None, capture):
    enrolment = enrolled(user or UserFactory(), lesson)
    attempt = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="quiz-1", now=now)
    with capture(execute=True):
        return quiz_attempt_submit(attempt=attempt, answers=_answers(attempt, right), now=now)


def _evidence(user=None):
    """Evidence from post-tests (completing the course records its own, source "course")."""
    rows = CompetencyEvidence.objects.filter(source=CompetencyEvidence.Source.TEST).order_by("node__code")
    return list(rows.filter(user=user) if user else rows)


def test_each_question_as_drawn_records_its_competencies(
    post_test, digcomp, django_capture_on_commit_callbacks
):
    attempt = _take(post_test, set(), capture=django_capture_on_commit_callbacks)

    specs = {item.spec["text"]: item.spec for item in attempt.items.all()}
    assert specs["a1"]["competencies"] == [digcomp["1.1"].pk]
    assert specs["b2"]["competencies"] == [digcomp["4.2"].pk]
    assert specs["untagged"]["competencies"] == []


def test_the_result_page_shows_the_score_per_competency(
    client, post_test, django_capture_on_commit_callbacks
):
    learner = UserFactory(preferred_language="en")
    attempt = _take(post_test, {"a1", "a2", "b1"}, user=learner, capture=django_capture_on_commit_callbacks)
    client.force_login(learner)

    page = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()

    assert "By competency" in page
    assert "<td>Browsing and searching data</td><td>100%</td>" in page
    assert "<td>Protecting personal data</td><td>50%</td>" in page


def test_a_spec_from_before_competencies_scores_without_them(post_test, django_capture_on_commit_callbacks):
    attempt = _take(post_test, {"a1", "a2"}, capture=django_capture_on_commit_callbacks)
    for item in attempt.items.all():
        del item.spec["competencies"]
        item.save(update_fields=["spec"])

    result = attempt_result(attempt=attempt)

    assert result.competencies == []
    assert result.attempt.score_percent == Decimal("40.00")


def test_a_good_post_test_score_on_a_competency_is_recorded_as_evidence(
    post_test, digcomp, django_capture_on_commit_callbacks
):
    _course(post_test, completion_minimum_score=80, validity_months=12)
    learner = UserFactory()
    # 20:00 on 31 March in UTC is already 1 April in Bangkok.
    submitted = dt.datetime(2025, 3, 31, 20, 0, tzinfo=dt.UTC)

    attempt = _take(
        post_test, {"a1", "a2", "b1"}, user=learner, now=submitted, capture=django_capture_on_commit_callbacks
    )

    [evidence] = _evidence(learner)  # 4.2 at 50% is below the course's 80%
    assert evidence.node == digcomp["1.1"]
    assert (evidence.source, evidence.reference) == (CompetencyEvidence.Source.TEST, f"attempt:{attempt.pk}")
    assert evidence.level == 3
    assert evidence.achieved_on == dt.date(2025, 4, 1)
    assert evidence.valid_until == dt.date(2026, 4, 1)
    assert evidence.course_id == post_test.course.pk
    assert "100%" in evidence.note


def test_without_a_course_minimum_60_percent_is_needed(post_test, django_capture_on_commit_callbacks):
    learner = UserFactory()

    _take(post_test, {"a1", "b1"}, user=learner, capture=django_capture_on_commit_callbacks)  # 50% each

    assert _evidence(learner) == []


def test_competencies_the_course_does_not_develop_give_no_evidence(
    post_test, digcomp, django_capture_on_commit_callbacks
):
    CourseCompetencyTarget.objects.filter(competency=digcomp["4.2"]).delete()
    learner = UserFactory()

    _take(post_test, {"a1", "a2", "b1", "b2"}, user=learner, capture=django_capture_on_commit_callbacks)

    assert [e.node for e in _evidence(learner)] == [digcomp["1.1"]]
    assert _evidence(learner)[0].valid_until is None  # the course never expires


def test_a_practice_quiz_gives_no_evidence(digcomp, django_capture_on_commit_callbacks):
    bank = QuestionBank.objects.create(partner=ContentPartnerFactory(), title="คลัง")
    question(bank, "true_false", "a1", true_false_answer=True).competencies.add(digcomp["1.1"])
    lesson = quiz_lesson(bank=bank, purpose="practice", required_outcome="submitted")
    CourseCompetencyTarget.objects.create(course=lesson.course, competency=digcomp["1.1"], target_level=3)

    _take(lesson, {"a1"}, capture=django_capture_on_commit_callbacks)

    assert _evidence() == []


def test_submitting_or_recording_again_updates_the_one_row(
    post_test, digcomp, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    attempt = _take(post_test, {"a1", "a2"}, user=learner, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        quiz_attempt_submit(attempt=attempt, answers={})
    CourseCompetencyTarget.objects.filter(competency=digcomp["1.1"]).update(target_level=4)

    post_test_evidence_record(attempt=attempt)

    [evidence] = _evidence(learner)
    assert evidence.level == 4


def test_an_attempt_without_its_course_takes_it_from_the_enrolment(
    post_test, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    attempt = _take(post_test, {"a1", "a2"}, user=learner, capture=django_capture_on_commit_callbacks)
    CompetencyEvidence.objects.filter(source=CompetencyEvidence.Source.TEST).delete()
    attempt.course = None
    attempt.save(update_fields=["course"])

    post_test_evidence_record(attempt=attempt)

    [evidence] = _evidence(learner)
    assert evidence.course_id == post_test.course.pk


def test_evidence_is_recorded_only_once_the_submission_is_committed(
    post_test, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    attempt = quiz_attempt_start(enrolment=enrolled(learner, post_test), lesson=post_test, block_id="quiz-1")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        quiz_attempt_submit(attempt=attempt, answers=_answers(attempt, {"a1", "a2"}))
        assert _evidence(learner) == []

    for callback in callbacks:
        callback()
    assert len(_evidence(learner)) == 1


def _upload(client, bank, content: bytes):
    upload = io.BytesIO(content)
    upload.name = "bank.csv"
    return client.post(reverse("assessments_admin:bank_import", args=[bank.pk]), {"file": upload})


def test_the_import_page_lists_an_unknown_reference_with_its_row(client, digcomp):
    bank = _bank()
    author = UserFactory(preferred_language="en")
    role_assign(user=author, role=Role.PARTNER_AUTHOR, partner=bank.partner)
    client.force_login(author)

    response = _upload(client, bank, b"kind,text,correct,competencies\ntrue_false,T,true,DIGCOMP:7.7\n")

    page = response.content.decode()
    assert "<td>2</td><td>competencies</td>" in page
    assert "has no competency with the code 7.7" in page
    assert not bank.questions.exists()
