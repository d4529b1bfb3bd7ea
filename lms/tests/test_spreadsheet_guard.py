"""No spreadsheet the platform hands out runs a formula someone typed (OWASP CSV injection).

Three layers: the guard itself (lms.spreadsheets); a scan of the source tree that fails when a
module writes CSV or builds a workbook without it, or exports without a test here; and every
real report, produced through its view with hostile names and answers, read back the way a
spreadsheet would get it (the csv module, openpyxl).
"""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from analytics.models import SNAPSHOT, AggregateCell, Measure, PersonContribution
from assessments.models import QuestionBank
from assessments.question_kinds import QuestionKind
from assessments.services.attempts import quiz_attempt_start, quiz_attempt_submit
from assessments.tests.factories import full_marks, question, quiz_lesson
from courses.selectors import course_lessons
from courses.services import enrolment_request, lesson_progress_record
from courses.tests.factories import course_with_lessons, enrolled
from lms.spreadsheets import (
    FORMULA_TRIGGERS,
    csv_bytes,
    formula_guard,
    formula_unguard,
    xlsx_cell,
    xlsx_workbook,
)
from lms.thai_calendar import current_fiscal_year
from organisations.tests.factories import ContentPartnerFactory, OrganisationUnitFactory
from people.models import Role, RoleAssignment
from people.services import role_assign
from people.tests.factories import UserFactory, hr_manager_of, learner_in
from scorm.services.commits import scorm_commit_apply
from scorm.tests.factories import launch, package_ready, scorm_lesson

HOSTILE_NAME = '=HYPERLINK("http://x","y")'
HOSTILE_RESPONSE = "+cmd|' /C calc'!A0"
HOSTILE = [HOSTILE_NAME, HOSTILE_RESPONSE, "@SUM(1)", "-2+3", "\t=1+1", "\r=1+1"]
NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:\.[0-9]+)?")


def hostile_person(**fields):
    """Someone whose whole displayed name, in Thai and English, is a formula."""
    return UserFactory(
        title="", first_name=HOSTILE_NAME, last_name="", first_name_en="", last_name_en="", **fields
    )


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads the Thai
    return [cell for row in csv.reader(io.StringIO(text[1:], newline="")) for cell in row]


def assert_csv_neutralised(content: bytes, hostile: list[str]) -> None:
    """No cell a spreadsheet would run as a formula; each hostile text is there, behind an apostrophe."""
    cells = csv_cells(content)
    live = [
        cell for cell in cells if cell.startswith(FORMULA_TRIGGERS) and not NEGATIVE_NUMBER.fullmatch(cell)
    ]
    assert live == []
    missing = [text for text in hostile if "'" + text not in cells]
    assert missing == []


def assert_xlsx_neutralised(content: bytes, hostile: list[str]) -> None:
    """No formula cell in any sheet; formula-like text is a quote-prefixed string, shown as written."""
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    unmarked = [
        cell.value
        for cell in cells
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS) and not cell.quotePrefix
    ]
    assert unmarked == []
    values = {cell.value for cell in cells}
    assert [text for text in hostile if text not in values] == []


# --------------------------------------------------------------------------------------------
# The guard
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_text_that_starts_like_a_formula_is_written_behind_an_apostrophe(text):
    assert csv_cells(csv_bytes([["name"], [text]])) == ["name", "'" + text]


def test_csv_numbers_and_negative_numbers_as_text_stay_numbers():
    row = [-5, Decimal("-2.50"), 3.0, "-5", "-0.25", None, "+66", "-"]
    assert csv_cells(csv_bytes([row])) == ["-5", "-2.50", "3.0", "-5", "-0.25", "", "'+66", "'-"]


@pytest.mark.parametrize("text", [*HOSTILE, "'=A1", "''", "'", "'ข้อความ", "-5", "ข้อความ", "", "=", "'\t"])
def test_unguard_gives_back_exactly_what_was_guarded(text):
    assert formula_unguard(formula_guard(text)) == text


def test_an_apostrophe_typed_before_a_formula_means_the_text():
    assert formula_unguard("'=สูตร") == "=สูตร"
    assert formula_unguard("'ทั่วไป") == "'ทั่วไป"


@pytest.mark.parametrize("write_only", [False, True])
def test_xlsx_text_is_a_string_cell_never_a_formula(write_only):
    workbook = xlsx_workbook(write_only=write_only)
    sheet = workbook.active if not write_only else workbook.create_sheet("report")
    for text in [*HOSTILE, "'=A1"]:
        sheet.append([xlsx_cell(sheet, text), xlsx_cell(sheet, -5), xlsx_cell(sheet, "ปกติ")])
    buffer = io.BytesIO()
    workbook.save(buffer)

    read = load_workbook(buffer).worksheets[0]
    first = [row[0] for row in read.iter_rows()]
    # Shown as written; text already behind an apostrophe keeps it, with one more (see formula_unguard).
    assert [cell.value for cell in first] == [*HOSTILE, "''=A1"]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in first[: len(HOSTILE)])
    assert [row[1].value for row in read.iter_rows()] == [-5] * len(first)
    assert not read["C1"].quotePrefix


def test_xlsx_drops_characters_that_would_make_the_workbook_unreadable():
    workbook = xlsx_workbook()
    sheet = workbook.active
    sheet.append([xlsx_cell(sheet, "ชื่อ\x00\x07ผู้เรียน")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert load_workbook(buffer).active["A1"].value == "ชื่อผู้เรียน"


# --------------------------------------------------------------------------------------------
# Every export goes through the guard, and has a test below
# --------------------------------------------------------------------------------------------

BYPASS = re.compile(
    r"\bcsv\.(?:writer|DictWriter)\(|\bWorkbook\(|WriteOnlyCell\(|\.to_csv\(|\.to_excel\(|\bxlsxwriter\b"
    r"|\.cell\([^)]*value="
)
EXPORT_CALL = re.compile(r"(?<!def )\b(?:csv_response|csv_bytes|xlsx_workbook)\(")
# Every module that produces a spreadsheet, and the tests below that feed it hostile values.
EXPORTS = {
    "lms/downloads.py": ["test_scorm_attempts_report", "test_quiz_item_analysis"],
    "scorm/views/admin.py": ["test_scorm_attempts_report", "test_scorm_questions_report"],
    "assessments/views/admin.py": ["test_quiz_item_analysis"],
    "courses/views/my_learning.py": ["test_transcript_csv"],
    "audit/views.py": ["test_audit_log_csv"],
    "subject_rights/export.py": ["test_personal_data_export_csv"],
    "privacy/views.py": ["test_record_of_processing_csv"],
    "assessments/bank_format/writing.py": [
        "test_question_bank_export_neutralises_and_imports_back_unchanged"
    ],
    "analytics/exports.py": [
        "test_dashboard_table_exports",
        "test_whole_dashboard_workbook",
        "test_people_list_export",
    ],
}


def project_sources():
    root = Path(settings.BASE_DIR)
    skipped = {".venv", "node_modules", "var", "migrations", "tests", ".git"}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if skipped.isdisjoint(relative.parts) and relative.as_posix() != "lms/spreadsheets/writing.py":
            yield relative.as_posix(), path.read_text(encoding="utf-8")


def test_no_module_writes_a_spreadsheet_around_the_guard():
    bypasses = [
        f"{name}:{number}: {line.strip()}"
        for name, source in project_sources()
        for number, line in enumerate(source.splitlines(), 1)
        if BYPASS.search(line)
    ]
    assert bypasses == [], "write CSV and XLSX through lms.spreadsheets (csv_bytes, xlsx_workbook, xlsx_cell)"


def test_every_export_has_a_hostile_value_test_here():
    exporting = {name for name, source in project_sources() if EXPORT_CALL.search(source)}
    assert exporting == set(EXPORTS), (
        "list the new export in EXPORTS with a test that feeds it hostile values"
    )
    tests = {name for names in EXPORTS.values() for name in names}
    assert [name for name in sorted(tests) if not callable(globals().get(name))] == []


# --------------------------------------------------------------------------------------------
# Each report, through its view
# --------------------------------------------------------------------------------------------


def partner_author(client, partner):
    author = UserFactory()
    RoleAssignment.objects.create(user=author, role=Role.PARTNER_AUTHOR, partner=partner)
    client.force_login(author)
    return author


@pytest.fixture
def scorm_package_answered(db):
    """A learner with a formula for a name, in a course with a formula for a title, who typed
    formulas as answers."""
    version = package_ready()
    course = course_with_lessons(partner=version.package.partner, lessons=1, title="@SUM(1)")
    lesson = scorm_lesson(package=version.package, course=course)
    session = launch(enrolled(hostile_person(), lesson), lesson).session
    interactions = {
        "0": {"id": "Q1", "type": "fill-in", "student_response": HOSTILE_RESPONSE, "result": "wrong"},
        "1": {"id": "Q2", "type": "fill-in", "student_response": "-2+3", "result": "wrong"},
    }
    cmi = {"core": {"lesson_status": "failed", "score": {"raw": "0"}}, "interactions": interactions}
    scorm_commit_apply(session_id=session.pk, payload={"runtimeData": {"cmi": cmi}, "commitSequence": 1})
    return version.package


def test_scorm_attempts_report(client, scorm_package_answered):
    partner_author(client, scorm_package_answered.partner)
    url = reverse("scorm_admin:attempts", args=[scorm_package_answered.pk])
    assert_csv_neutralised(client.get(url, {"format": "csv"}).content, [HOSTILE_NAME, "@SUM(1)"])


@pytest.mark.django_db
def test_audit_log_csv(client):
    from audit.models import Action
    from audit.services import audit_record

    audit_record(action=Action.SIGN_IN_FAILED, attempted=HOSTILE_NAME, what=HOSTILE_RESPONSE)
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("audit_log"), {"action": Action.SIGN_IN_FAILED, "format": "csv"})
    assert_csv_neutralised(response.content, [HOSTILE_NAME.lower(), HOSTILE_RESPONSE])


@pytest.mark.django_db
def test_record_of_processing_csv(client):
    from privacy.models import ProcessingActivity

    ProcessingActivity.objects.create(
        name_th=HOSTILE_NAME,
        purpose_th=HOSTILE_RESPONSE,
        lawful_basis="public_task",
        data_subjects="ข้าราชการ",
        data_categories="ชื่อ",
        recipients_th="ฝ่ายบุคคล",
        retention_th="5 ปี",
    )
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("privacy_admin:processing_csv"))
    assert_csv_neutralised(response.content, [HOSTILE_NAME, HOSTILE_RESPONSE])


@pytest.mark.django_db
def test_personal_data_export_csv():
    import zipfile

    from subject_rights.export import person_export_zip

    person = UserFactory(first_name=HOSTILE_NAME, last_name=HOSTILE_RESPONSE)
    archive = zipfile.ZipFile(io.BytesIO(person_export_zip(person=person)))
    assert_csv_neutralised(archive.read("csv/account.csv"), [HOSTILE_NAME, HOSTILE_RESPONSE])


def test_scorm_questions_report(client, scorm_package_answered):
    partner_author(client, scorm_package_answered.partner)
    url = reverse("scorm_admin:interactions", args=[scorm_package_answered.pk])
    assert_csv_neutralised(client.get(url, {"format": "csv"}).content, [HOSTILE_RESPONSE, "-2+3"])


@pytest.mark.django_db
def test_quiz_item_analysis(client):
    bank = QuestionBank.objects.create(partner=ContentPartnerFactory(), title="คลัง")
    question(bank, QuestionKind.SINGLE, HOSTILE_NAME, options=[("-2+3", True), ("@SUM(1)", False)])
    lesson = quiz_lesson(bank=bank)
    attempt = quiz_attempt_start(enrolment=enrolled(UserFactory(), lesson), lesson=lesson, block_id="quiz-1")
    quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt))
    partner_author(client, bank.partner)
    url = reverse("assessments_admin:quiz_report", args=[lesson.pk, "quiz-1"])
    assert_csv_neutralised(client.get(url, {"format": "csv"}).content, [HOSTILE_NAME, "-2+3", "@SUM(1)"])


@pytest.mark.django_db
def test_transcript_csv(client):
    partner = ContentPartnerFactory(name_th="@SUM(1)", name_en="@SUM(1)")
    course = course_with_lessons(partner=partner, lessons=1, title=HOSTILE_NAME, title_en=HOSTILE_NAME)
    learner = UserFactory()
    enrolment = enrolment_request(user=learner, course=course)
    lesson_progress_record(enrolment=enrolment, lesson=course_lessons(course=course)[0], reached_end=True)
    client.force_login(learner)
    content = client.get("/my/transcript/", {"format": "csv"}).content
    assert_csv_neutralised(content, [HOSTILE_NAME, "@SUM(1)"])


BANK_TEXTS = ["=1+1", "-", "-5", HOSTILE_RESPONSE, "@SUM(1)", "'=A1", "+66 คือรหัสประเทศไทย"]


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_question_bank_export_neutralises_and_imports_back_unchanged(client, file_format):
    bank = QuestionBank.objects.create(partner=ContentPartnerFactory(), title="คลังสูตร")
    for text in BANK_TEXTS:
        question(bank, QuestionKind.FREE_TEXT, text, explanation=HOSTILE_NAME)
    question(bank, QuestionKind.SINGLE, "-2+3 = ?", options=[("=1", True), ("-1", False)])
    question(bank, QuestionKind.NUMERIC, "2 - 7 = ?", numeric_answer=Decimal("-5"))
    partner_author(client, bank.partner)

    exported = client.get(reverse("assessments_admin:bank_export", args=[bank.pk, file_format])).content

    hostile = ["=1+1", HOSTILE_RESPONSE, "@SUM(1)", HOSTILE_NAME, "-2+3 = ?"]
    if file_format == "csv":
        assert_csv_neutralised(exported, hostile)
        assert "-5" in csv_cells(exported)  # the numeric answer is a number, not guarded text
    else:
        assert_xlsx_neutralised(exported, hostile)
        numeric = load_workbook(io.BytesIO(exported)).active
        assert -5 in [cell.value for cell in numeric["G"]]

    copy = QuestionBank.objects.create(partner=bank.partner, title="สำเนา")
    upload = io.BytesIO(exported)
    upload.name = f"bank.{file_format}"
    client.post(reverse("assessments_admin:bank_import", args=[copy.pk]), {"file": upload})

    def described(questions):
        return [
            (
                q.kind,
                q.text,
                q.explanation,
                q.numeric_answer,
                [(o.text, o.is_correct) for o in q.options.all()],
            )
            for q in questions.order_by("pk")
        ]

    assert described(copy.questions) == described(bank.questions)
    assert [q.text for q in copy.questions.order_by("pk")][: len(BANK_TEXTS)] == BANK_TEXTS


@pytest.fixture
def hostile_unit(db):
    """A division named with a formula, with figures, under the HR manager's department."""
    department = OrganisationUnitFactory(code="DEP-A", name_th="กรมเอ", name_en="Department A")
    division = OrganisationUnitFactory(
        parent=department, code="DIV-A1", name_th=HOSTILE_NAME, name_en=HOSTILE_NAME
    )
    AggregateCell.objects.create(fiscal_year=SNAPSHOT, unit=division, measure=Measure.STAFF, value=7)
    AggregateCell.objects.create(
        fiscal_year=current_fiscal_year().year, unit=division, measure=Measure.COMPLETIONS, value=11
    )
    return {"division": division, "manager": hr_manager_of(department, preferred_language="en")}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_dashboard_table_exports(client, hostile_unit, file_format):
    client.force_login(hostile_unit["manager"])
    content = client.get(f"/dashboard/export/by_unit.{file_format}?fy={current_fiscal_year().year}").content
    if file_format == "csv":
        assert_csv_neutralised(content, [HOSTILE_NAME])
    else:
        assert_xlsx_neutralised(content, [HOSTILE_NAME])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def job_download(client, url: str, capture) -> bytes:
    """The file of an export that runs as a background job (Celery runs eagerly in tests)."""
    with capture(execute=True):
        started = client.get(url)
    download = client.get(started["Location"] + "download/")
    return b"".join(download.streaming_content)


def test_whole_dashboard_workbook(client, hostile_unit, media, django_capture_on_commit_callbacks):
    client.force_login(hostile_unit["manager"])
    content = job_download(client, "/dashboard/export/all.xlsx", django_capture_on_commit_callbacks)
    assert_xlsx_neutralised(content, [HOSTILE_NAME])


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_people_list_export(client, hostile_unit, media, django_capture_on_commit_callbacks, file_format):
    division = hostile_unit["division"]
    person = learner_in(
        division, title="", first_name_en=HOSTILE_NAME, last_name_en="", preferred_language="en"
    )
    PersonContribution.objects.create(
        user=person, unit=division, values={f"{current_fiscal_year().year}:{Measure.COMPLETIONS}:0": 1}
    )
    role_assign(user=hostile_unit["manager"], role="hr_manager", unit=division)
    client.force_login(hostile_unit["manager"])
    content = job_download(
        client,
        f"/dashboard/export/people.{file_format}?unit={division.pk}",
        django_capture_on_commit_callbacks,
    )
    if file_format == "csv":
        assert_csv_neutralised(content, [HOSTILE_NAME])
    else:
        assert_xlsx_neutralised(content, [HOSTILE_NAME])
