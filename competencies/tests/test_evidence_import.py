"""Importing evidence files: every problem by row and column, nothing recorded on a problem,
a preview that records nothing, a confirmation that does, and a second import that adds nothing."""

import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from competencies.evidence_import import RowState, evidence_import_check
from competencies.models import CompetencyEvidence, CompetencyFramework
from competencies.tests import builders
from lms.import_preview import CACHE_KEY_PREFIX, SESSION_KEY_PREFIX
from lms.spreadsheets import reading
from people.models import LearnerProfile
from people.services import role_assign
from people.tests.factories import UserFactory, hr_manager_of, learner_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def messages_in_english():
    """These tests read the messages' wording in English (the Thai catalogue has the same
    messages; pages are checked in the language of the person who asks)."""
    with translation.override("en"):
        yield


URL = "/competencies/evidence/import/"
SESSION_KEY = SESSION_KEY_PREFIX + "competencies.evidence_import"
HEADER = "email,framework,competency,level,achieved,valid_until,note"


@pytest.fixture
def world(public_service):
    framework = builders.framework(code="TPQI", version="2024", levels=4)
    area = builders.node(framework, "A", "Digital literacy")
    return {
        "framework": framework,
        "A1": builders.node(framework, "A1", "Using devices", parent=area),
        "A2": builders.node(framework, "A2", "Searching", parent=area),
        "hr": hr_manager_of(public_service["DEPT-A1"], preferred_language="en"),
        "malee": learner_in(public_service["DIV-A1-HR"], email="malee@agency.go.th"),
        "somchai": learner_in(public_service["DIV-A1-ICT"], email="somchai@agency.go.th"),
        "outsider": learner_in(public_service["DEPT-B1"], email="outsider@agency.go.th"),
        "units": public_service,
    }


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


GOOD = csv_file(
    "malee@agency.go.th,TPQI,A1,3,2569-03-31,2571-03-31,Tested by the ministry",
    "Somchai@Agency.go.th,tpqi,a2,2,2026-01-15,,",
)


def problems_of(data: bytes, importer, name: str = "evidence.csv") -> list[tuple[int, str]]:
    check = evidence_import_check(name=name, data=data, importer=importer)
    assert check.rows == [] or not check.problems
    return [(problem.row, problem.column) for problem in check.problems]


def upload(client, data: bytes, name: str = "evidence.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def confirm_digest(response) -> str:
    return re.search(r'name="confirm" value="([0-9a-f]+)"', response.content.decode()).group(1)


# Checking a file -----------------------------------------------------------------------------


def test_a_good_file_is_read_with_buddhist_and_common_era_dates(world):
    check = evidence_import_check(name="evidence.csv", data=GOOD, importer=world["hr"])

    assert check.problems == []
    first, second = check.rows
    assert (first.row, first.person, first.node, first.level) == (2, world["malee"], world["A1"], 3)
    assert (first.achieved_on, first.valid_until, first.note) == (
        dt.date(2026, 3, 31),
        dt.date(2028, 3, 31),
        "Tested by the ministry",
    )
    assert (second.person, second.node, second.achieved_on, second.valid_until) == (
        world["somchai"],
        world["A2"],
        dt.date(2026, 1, 15),
        None,
    )
    assert re.fullmatch(r"import:[0-9a-f]{16}", first.reference)
    assert {row.state for row in check.rows} == {RowState.NEW}


def test_every_problem_is_reported_by_row_and_column(world):
    data = csv_file(
        "nobody@agency.go.th,TPQI,A1,3,2026-01-01,,",  # 2: unknown address
        "outsider@agency.go.th,TPQI,A1,3,2026-01-01,,",  # 3: someone outside the HR's units
        "malee@agency.go.th,NOPE,A1,3,2026-01-01,,",  # 4: unknown framework
        "malee@agency.go.th,TPQI,Z9,3,2026-01-01,,",  # 5: unknown competency
        "malee@agency.go.th,TPQI,A1,5,2026-01-01,,",  # 6: level beyond the scale of 4
        "",  # a blank row keeps its number
        "malee@agency.go.th,TPQI,A1,2,31.03.2569,,",  # 8: neither 31/03/2569 nor 2569-03-31
        "malee@agency.go.th,TPQI,A2,2,2026-03-01,2026-02-01,",  # 9: valid until before achieved
        "somchai@agency.go.th,TPQI,A2,2,2569-01-15,,first",  # 10
        "SOMCHAI@agency.go.th,TPQI,A2,3,2026-01-15,,again",  # 11: the same as row 10
        "not-an-address,TPQI,A1,two,2026-02-30,,",  # 12: three problems at once
    )

    check = evidence_import_check(name="evidence.csv", data=data, importer=world["hr"])

    assert [(problem.row, problem.column) for problem in check.problems] == [
        (2, "email"),
        (3, "email"),
        (4, "framework"),
        (5, "competency"),
        (6, "level"),
        (8, "achieved"),
        (9, "valid_until"),
        (11, ""),
        (12, "email"),
        (12, "achieved"),
        (12, "level"),
    ]
    messages = {(problem.row, problem.column): problem.message for problem in check.problems}
    # The out-of-scope person is reported exactly like an address no one has.
    assert "not in the units you manage" in messages[(2, "email")]
    assert messages[(3, "email")] == messages[(2, "email")].replace("nobody@", "outsider@")
    assert "from 1 to 4" in messages[(6, "level")]
    assert "repeats row 10" in messages[(11, "")]
    assert check.rows == []


def test_a_platform_admin_imports_for_anyone_and_hears_plainly_of_unknown_addresses(world):
    admin = UserFactory()
    role_assign(user=admin, role="platform_admin")
    data = csv_file(
        "outsider@agency.go.th,TPQI,A1,3,2026-01-01,,", "nobody@agency.go.th,TPQI,A1,3,2026-01-01,,"
    )

    check = evidence_import_check(name="evidence.csv", data=data, importer=admin)

    (problem,) = check.problems
    assert (problem.row, problem.column) == (3, "email")
    assert "No one has the e-mail address" in problem.message


def test_the_columns_are_checked_first(world):
    data = csv_file(
        "malee@agency.go.th,TPQI,A1,2026-01-01,x", header="e-mail,framework,competency,achieved,grade"
    )

    check = evidence_import_check(name="evidence.csv", data=data, importer=world["hr"])

    assert [(problem.row, problem.column) for problem in check.problems] == [(1, "grade"), (1, "level")]


def test_a_framework_with_several_versions_needs_the_version(world):
    builders.framework(code="TPQI", version="2020", status=CompetencyFramework.Status.SUPERSEDED)
    CompetencyFramework.objects.filter(pk=world["framework"].pk).update(
        status=CompetencyFramework.Status.DRAFT
    )
    data = csv_file(
        "malee@agency.go.th,TPQI,A1,3,2026-01-01,,", "malee@agency.go.th,TPQI:2024,A1,3,2026-01-01,,"
    )

    check = evidence_import_check(name="evidence.csv", data=data, importer=world["hr"])

    (problem,) = check.problems
    assert (problem.row, problem.column) == (2, "framework")
    assert "TPQI:" in problem.message


def test_an_xlsx_file_with_date_cells_is_read(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["malee@agency.go.th", "TPQI", "A1", 3, dt.datetime(2026, 3, 31), None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    check = evidence_import_check(name="evidence.xlsx", data=buffer.getvalue(), importer=world["hr"])

    assert check.problems == []
    (row,) = check.rows
    assert (row.level, row.achieved_on) == (3, dt.date(2026, 3, 31))


def test_files_too_large_or_too_long_are_refused_whole(world, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    three_rows = csv_file(*["malee@agency.go.th,TPQI,A1,3,2026-01-01,,"] * 3)
    (problem,) = evidence_import_check(name="evidence.csv", data=three_rows, importer=world["hr"]).problems
    assert problem.row == 0
    assert "more than 2 rows" in problem.message

    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    (problem,) = evidence_import_check(name="evidence.csv", data=three_rows, importer=world["hr"]).problems
    assert "larger than 100" in problem.message

    assert problems_of(b"%PDF-1.7", world["hr"], name="evidence.pdf") == [(0, "")]


# The pages ---------------------------------------------------------------------------------


def test_a_preview_records_nothing_and_the_confirmation_records_the_file(client, world):
    client.force_login(world["hr"])

    preview = upload(client, GOOD)

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Nothing is recorded yet" in html
    assert "malee@agency.go.th" in html
    assert "31 March 2026" in html
    assert not CompetencyEvidence.objects.exists()

    response = client.post(URL, {"confirm": confirm_digest(preview)}, follow=True)

    assert "2 pieces of evidence recorded, 0 updated, 0 already recorded" in response.content.decode()
    rows = {row.user: row for row in CompetencyEvidence.objects.all()}
    assert set(rows) == {world["malee"], world["somchai"]}
    malee = rows[world["malee"]]
    assert (malee.source, malee.level, malee.achieved_on, malee.valid_until, malee.recorded_by) == (
        CompetencyEvidence.Source.IMPORT,
        3,
        dt.date(2026, 3, 31),
        dt.date(2028, 3, 31),
        world["hr"],
    )
    assert malee.note == "Tested by the ministry"


def test_importing_the_same_file_again_records_nothing_new(client, world):
    client.force_login(world["hr"])
    client.post(URL, {"confirm": confirm_digest(upload(client, GOOD))})
    before = list(CompetencyEvidence.objects.order_by("pk").values("pk", "level", "created_at"))

    preview = upload(client, GOOD)
    assert "Already recorded: nothing to do" in preview.content.decode()
    response = client.post(URL, {"confirm": confirm_digest(preview)}, follow=True)

    assert "0 pieces of evidence recorded, 0 updated, 2 already recorded" in response.content.decode()
    assert list(CompetencyEvidence.objects.order_by("pk").values("pk", "level", "created_at")) == before


def test_a_corrected_level_replaces_the_earlier_import_of_the_row(client, world):
    client.force_login(world["hr"])
    client.post(URL, {"confirm": confirm_digest(upload(client, GOOD))})
    corrected = GOOD.replace(b",A1,3,", b",A1,4,")

    client.post(URL, {"confirm": confirm_digest(upload(client, corrected))})

    assert CompetencyEvidence.objects.count() == 2
    assert CompetencyEvidence.objects.get(user=world["malee"]).level == 4


def test_a_file_with_problems_shows_them_and_cannot_be_confirmed(client, world):
    client.force_login(world["hr"])
    data = csv_file(
        "malee@agency.go.th,TPQI,A1,3,2569-03-31,,", "outsider@agency.go.th,TPQI,A1,3,2026-01-01,,"
    )

    response = upload(client, data)

    html = response.content.decode()
    assert "The file has 1 problem; nothing was recorded" in html
    assert "outsider@agency.go.th” is not in the units you manage" in html
    assert 'name="confirm"' not in html
    assert not CompetencyEvidence.objects.exists()


def test_the_confirmation_checks_the_file_again(client, world):
    client.force_login(world["hr"])
    preview = upload(client, GOOD)
    # Between the preview and the confirmation, Malee moves to another ministry.
    LearnerProfile.objects.filter(user=world["malee"]).update(unit=world["units"]["DEPT-B1"])

    response = client.post(URL, {"confirm": confirm_digest(preview)})

    assert "The file has 1 problem; nothing was recorded" in response.content.decode()
    assert not CompetencyEvidence.objects.exists()


def test_a_confirmation_without_its_preview_records_nothing(client, world):
    client.force_login(world["hr"])
    preview = upload(client, GOOD)
    client.post(URL, {"confirm": confirm_digest(preview)})
    CompetencyEvidence.objects.all().delete()

    response = client.post(URL, {"confirm": confirm_digest(preview)}, follow=True)  # used already

    assert "The preview has expired" in response.content.decode()
    assert not CompetencyEvidence.objects.exists()


def test_an_upload_that_cannot_be_read_still_ends_the_preview_before_it(client, world):
    client.force_login(world["hr"])
    preview = upload(client, GOOD)

    refused = upload(client, b"%PDF-1.7", name="evidence.pdf")  # the HR manager picked the wrong file
    assert refused.status_code == 200
    response = client.post(URL, {"confirm": confirm_digest(preview)}, follow=True)  # an older tab

    assert "The preview has expired" in response.content.decode()
    assert not CompetencyEvidence.objects.exists()
    assert not cache.get(CACHE_KEY_PREFIX + confirm_digest(preview))  # the people's data is gone too


def test_the_file_waits_encrypted_with_only_a_reference_in_the_session(client, world):
    client.force_login(world["hr"])
    preview = upload(client, GOOD)

    kept = client.session[SESSION_KEY]
    sealed = cache.get(CACHE_KEY_PREFIX + confirm_digest(preview))

    assert set(kept) == {"id", "key"}
    assert b"malee" not in sealed


def test_only_hr_managers_and_platform_admins_may_import(client, world):
    client.force_login(world["malee"])
    assert client.get(URL).status_code == 403
    assert upload(client, GOOD).status_code == 403

    client.force_login(world["hr"])
    page = client.get(URL)
    assert page.status_code == 200
    assert reverse("competencies:evidence-import-template") in page.content.decode()
    template = client.get(reverse("competencies:evidence-import-template"))
    assert template.content.decode("utf-8-sig").splitlines()[0] == HEADER


def test_an_upload_beyond_the_cap_is_refused_with_its_size(client, world):
    client.force_login(world["hr"])
    big = GOOD + b"#" * (reading.MAX_FILE_BYTES + 1024)

    response = upload(client, big)

    assert "The file is larger than 5.0\xa0MB, the largest file accepted" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_import_form_is_protected_against_forged_posts(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["hr"])

    for response in (upload(client, GOOD), client.post(URL, {"confirm": "0" * 64})):
        assert response.status_code == 403
        assert b"CSRF" in response.content
    assert SESSION_KEY not in client.session
