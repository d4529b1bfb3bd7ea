"""The dashboards' exports: CSV and XLSX files, the export views and the background jobs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from analytics import export_jobs
from analytics.export_jobs import export_jobs_delete_expired
from analytics.exports import dashboard_xlsx, download_names, sheet_title, table_csv, table_xlsx
from analytics.models import SNAPSHOT, AggregateCell, ExportJob, Measure, PersonContribution
from analytics.selectors.contract import Column, Dashboard, DashboardFilters, Figure, Table
from lms.thai_calendar import current_fiscal_year
from organisations.tests.factories import OrganisationUnitFactory
from people.models import RoleAssignment
from people.services import role_assign, role_revoke
from people.tests.factories import UserFactory, hr_manager_of, learner_in


@pytest.fixture(autouse=True)
def messages_in_english():
    """These tests read the messages' wording in English (the Thai catalogue has the same
    messages; pages are checked in the language of the person who asks)."""
    with translation.override("en"):
        yield


UNIT_TH = "กรมอุตุนิยมวิทยา"
HOSTILE = ['=HYPERLINK("http://evil.example","คลิก")', "+1+1", "-2+3", "@SUM(A1)", "\tตาราง", "\rบรรทัด"]


def sample_table(**changes) -> Table:
    fields = {
        "key": "by_unit",
        "title": "ผลการเรียนรู้รายหน่วยงาน",
        "columns": [
            Column("unit", "หน่วยงาน"),
            Column("staff", "บุคลากร", "int"),
            Column("hours", "ชั่วโมงต่อคน", "decimal"),
            Column("rate", "ร้อยละที่เรียนจบ", "percent"),
            Column("last", "เรียนล่าสุด", "date"),
        ],
        "rows": [
            [UNIT_TH, 1234, Decimal("3.25"), 85.5, dt.date(2026, 11, 20)],
            ["สำนักงาน ก.พ.", -5, 0.0, None, None],
            *[[text, 1, 1.0, 50.0, dt.date(2026, 1, 1)] for text in HOSTILE],
        ],
        "note": "นับเฉพาะผู้ที่ยังปฏิบัติงานอยู่",
    }
    fields.update(changes)
    return Table(**fields)


def sample_dashboard(tables: list[Table] | None = None) -> Dashboard:
    tables = tables or [sample_table(), sample_table(key="trend", title="แนวโน้มรายเดือน")]
    return Dashboard(
        title="แดชบอร์ดการเรียนรู้",
        filters=DashboardFilters(fiscal_year=2570),
        scope_label="กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        breadcrumbs=[],
        figures=[
            Figure("staff", "บุคลากร", 1234, "คน"),
            Figure("hours_per_person", "ชั่วโมงต่อคน", 12.5, "ชั่วโมง"),
            Figure("compliance", "การอบรมภาคบังคับ", None, "%"),
        ],
        tables={table.key: table for table in tables},
    )


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def test_csv_starts_with_a_bom_and_the_column_labels() -> None:
    content = table_csv(sample_table())
    assert content.startswith(b"\xef\xbb\xbf")
    header, *_ = read_csv(content)
    # A percentage is a bare number in a CSV, so its header says it is one.
    assert header == ["หน่วยงาน", "บุคลากร", "ชั่วโมงต่อคน", "ร้อยละที่เรียนจบ (%)", "เรียนล่าสุด"]


def test_csv_holds_thai_text_numbers_and_iso_dates() -> None:
    rows = read_csv(table_csv(sample_table()))
    assert rows[1] == [UNIT_TH, "1234", "3.25", "85.5", "2026-11-20"]
    # A negative number is a number, not a formula; nothing is written as nothing.
    assert rows[2] == ["สำนักงาน ก.พ.", "-5", "0.00", "", ""]


def test_csv_defuses_cells_a_spreadsheet_would_run_as_formulas() -> None:
    rows = read_csv(table_csv(sample_table()))
    first_cells = [row[0] for row in rows[3:]]
    assert first_cells == ["'" + text for text in HOSTILE]


def test_csv_reports_progress_on_long_tables() -> None:
    shares: list[float] = []
    table = sample_table(rows=[[f"คน {index}", index, 1.0, 50.0, None] for index in range(1200)])
    content = table_csv(table, progress=shares.append)
    assert len(read_csv(content)) == 1201
    assert shares == [500 / 1200, 1000 / 1200]


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


def test_xlsx_cells_are_typed_and_formatted() -> None:
    workbook = load_workbook(io.BytesIO(table_xlsx(sample_table())))
    sheet = workbook.active
    assert sheet.title == "ผลการเรียนรู้รายหน่วยงาน"
    assert [cell.value for cell in sheet[1]] == ["หน่วยงาน", "บุคลากร", "ชั่วโมงต่อคน", "ร้อยละที่เรียนจบ", "เรียนล่าสุด"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"

    unit, staff, hours, rate, last = sheet[2]
    assert unit.value == UNIT_TH
    assert staff.value == 1234
    assert staff.data_type == "n"
    assert staff.number_format == "#,##0"
    assert hours.value == pytest.approx(3.25)
    assert hours.number_format == "#,##0.00"
    assert rate.value == pytest.approx(0.855)
    assert rate.number_format == "0.0%"
    assert last.is_date
    assert last.value.date() == dt.date(2026, 11, 20)
    assert [cell.value for cell in sheet[3]] == ["สำนักงาน ก.พ.", -5, 0, None, None]
    # Widths follow the content: the Thai unit name needs a wide first column.
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width >= 8


def test_xlsx_defuses_formulas_and_adds_the_note_below() -> None:
    sheet = load_workbook(io.BytesIO(table_xlsx(sample_table()))).active
    first_cells = [sheet.cell(row=row, column=1) for row in range(4, 4 + len(HOSTILE))]
    # Typed as text and quote-prefixed (Excel's own "not a formula"): shown as written.
    assert [cell.value for cell in first_cells] == HOSTILE
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in first_cells)
    assert sheet.cell(row=4 + len(HOSTILE) + 1, column=1).value == "นับเฉพาะผู้ที่ยังปฏิบัติงานอยู่"


def test_sheet_titles_follow_excels_rules() -> None:
    long_thai = "ความครอบคลุมสมรรถนะดิจิทัลตามกลุ่มตำแหน่งของข้าราชการพลเรือนสามัญ"
    title = sheet_title(long_thai)
    assert len(title.encode("utf-16-le")) // 2 <= 31
    assert long_thai.startswith(title)
    # Cut between words: never between a consonant and its vowel or tone mark.
    assert title == "ความครอบคลุมสมรรถนะดิจิทัลตาม"
    assert sheet_title("Q1/Q2: [draft]*?") == "Q1 Q2 draft"
    assert sheet_title("'quoted'") == "quoted"
    assert sheet_title("History") == "History (2)"
    assert sheet_title("By unit", ["by unit"]) == "By unit (2)"
    assert sheet_title("   ") == "Sheet"
    emoji = sheet_title("📊" * 20)
    assert len(emoji.encode("utf-16-le")) // 2 <= 31


def test_whole_dashboard_workbook_has_a_summary_and_a_sheet_per_table() -> None:
    generated = dt.datetime(2026, 11, 20, 7, 5, tzinfo=dt.UTC)
    workbook = load_workbook(io.BytesIO(dashboard_xlsx(sample_dashboard(), generated_at=generated)))
    assert workbook.sheetnames == ["Summary", "ผลการเรียนรู้รายหน่วยงาน", "แนวโน้มรายเดือน"]
    summary = [[cell.value for cell in row] for row in workbook["Summary"].iter_rows()]
    assert summary[0][0] == "แดชบอร์ดการเรียนรู้"
    values = {row[0]: row[1] for row in summary if row and row[0]}
    assert "2570" in values["Period"]
    assert values["Scope"] == "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"
    assert values["บุคลากร"] == 1234
    assert values["ชั่วโมงต่อคน"] == pytest.approx(12.5)
    assert values["การอบรมภาคบังคับ"] == "–"
    assert workbook["แนวโน้มรายเดือน"]["B2"].value == 1234


def test_download_names_are_ascii_with_a_readable_utf8_name_beside() -> None:
    names = download_names(key="by_unit", title="ผลการเรียนรู้: รายหน่วยงาน", scope_code="MDES-NSO",
                           fiscal_year=2570, extension="xlsx")  # fmt: skip
    assert names.ascii == "thaksa-by_unit-MDES-NSO-2570.xlsx"
    header = names.content_disposition()
    assert header.startswith('attachment; filename="thaksa-by_unit-MDES-NSO-2570.xlsx"; ')
    assert unquote(header.split("filename*=UTF-8''")[1]) == "ผลการเรียนรู้ รายหน่วยงาน MDES-NSO 2570.xlsx"


# --------------------------------------------------------------------------------------------
# The views, with the real dashboard selector over aggregate cells
# --------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def agencies(db):
    """Ministry → department A (→ division A1) and department B; the HR manager manages A."""
    ministry = OrganisationUnitFactory(code="MIN", name_th="กระทรวงทดสอบ", name_en="Test ministry")
    a = OrganisationUnitFactory(parent=ministry, code="DEP-A", name_th="กรมเอ", name_en="Department A")
    a1 = OrganisationUnitFactory(parent=a, code="DIV-A1", name_th="กองเอหนึ่ง", name_en="Division A1")
    b = OrganisationUnitFactory(parent=ministry, code="DEP-B", name_th="กรมบี", name_en="Department B")
    year = current_fiscal_year().year
    for unit, staff, completions in ((a1, 7, 11), (b, 40, 99)):
        AggregateCell.objects.create(fiscal_year=SNAPSHOT, unit=unit, measure=Measure.STAFF, value=staff)
        AggregateCell.objects.create(
            fiscal_year=year, unit=unit, measure=Measure.COMPLETIONS, value=completions
        )
    manager = hr_manager_of(a, preferred_language="en")
    return {"ministry": ministry, "a": a, "a1": a1, "b": b, "manager": manager, "year": year}


def sign_in(client, user) -> None:
    client.force_login(user)


def test_people_without_a_dashboard_may_not_export(client, agencies) -> None:
    learner = learner_in(agencies["a1"], preferred_language="en")
    sign_in(client, learner)
    for url in ("/dashboard/export/by_unit.csv", "/dashboard/export/by_unit.xlsx", "/dashboard/report.pdf"):
        response = client.get(url)
        assert response.status_code == 403
        assert b"This dashboard is not open to you" in response.content
    assert not ExportJob.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, agencies) -> None:
    response = client.get("/dashboard/export/by_unit.csv")
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize(
    "url",
    ["/dashboard/export/no_such_table.csv", "/dashboard/export/by_unit.json", "/dashboard/export/all.csv"],
)
def test_unknown_tables_and_formats_are_not_found(client, agencies, url) -> None:
    sign_in(client, agencies["manager"])
    assert client.get(url).status_code == 404


def test_hr_managers_export_only_what_their_dashboard_shows(client, agencies) -> None:
    sign_in(client, agencies["manager"])
    response = client.get(f"/dashboard/export/by_unit.csv?fy={agencies['year']}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response.content)
    assert rows[0][:4] == ["Unit", "Staff", "Active learners", "Completions"]
    assert [row[:4] for row in rows[1:]] == [["Division A1", "7", "0", "11"]]
    assert b"Department B" not in response.content
    assert "กรมบี".encode() not in response.content

    # Asking for a unit outside their scope widens nothing.
    outside = client.get(f"/dashboard/export/by_unit.csv?unit={agencies['b'].pk}")
    assert b"Department B" not in outside.content
    assert b"99" not in outside.content


def test_platform_administrators_export_every_agency(client, agencies) -> None:
    admin = UserFactory(preferred_language="en")
    role_assign(user=admin, role="platform_admin")
    sign_in(client, admin)
    response = client.get(f"/dashboard/export/by_unit.csv?fy={agencies['year']}")
    rows = read_csv(response.content)
    assert [row[:2] for row in rows[1:]] == [["Test ministry", "47"]]
    drilled = read_csv(client.get(f"/dashboard/export/by_unit.csv?unit={agencies['ministry'].pk}").content)
    assert sorted(row[1] for row in drilled[1:]) == ["40", "7"]


def test_xlsx_export_is_named_after_table_scope_and_year(client, agencies) -> None:
    sign_in(client, agencies["manager"])
    response = client.get(f"/dashboard/export/by_unit.xlsx?fy={agencies['year']}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    year = agencies["year"]
    assert f'filename="thaksa-by_unit-DEP-A-{year}.xlsx"' in response["Content-Disposition"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [sheet["A2"].value, sheet["B2"].value, sheet["D2"].value] == ["Division A1", 7, 11]


def test_whole_dashboard_workbook_is_a_job_since_it_holds_the_full_lists(
    client, agencies, media, django_capture_on_commit_callbacks
) -> None:
    sign_in(client, agencies["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/dashboard/export/all.xlsx")
    job = ExportJob.objects.get()
    assert response["Location"] == f"/dashboard/exports/{job.pk}/"
    assert (job.kind, job.status) == ("dashboard_xlsx", "done")
    download = client.get(f"/dashboard/exports/{job.pk}/download/")
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames[:2] == ["Summary", "By unit"]
    assert "Overdue assignments" in workbook.sheetnames
    assert workbook["By unit"]["A2"].value == "Division A1"


def test_small_report_comes_back_as_a_pdf(client, agencies) -> None:
    import pypdfium2 as pdfium

    sign_in(client, agencies["manager"])
    response = client.get(f"/dashboard/report.pdf?fy={agencies['year']}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="thaksa-report-DEP-A-{agencies["year"]}.pdf"' in response["Content-Disposition"]
    document = pdfium.PdfDocument(response.content)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    assert "Division A1" in text
    assert "Department B" not in text


# --------------------------------------------------------------------------------------------
# Background jobs (Celery runs eagerly in tests)
# --------------------------------------------------------------------------------------------


@pytest.fixture
def people_in_a1(agencies):
    for index in range(3):
        person = learner_in(agencies["a1"], first_name_en=f"Learner{index}", last_name_en="Test")
        PersonContribution.objects.create(
            user=person,
            unit=agencies["a1"],
            values={f"{agencies['year']}:{Measure.COMPLETIONS}:0": index + 1},
        )
    return agencies


def test_people_list_export_runs_as_a_job_for_the_requester_only(
    client, people_in_a1, media, django_capture_on_commit_callbacks
) -> None:
    agencies = people_in_a1
    sign_in(client, agencies["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/dashboard/export/people.xlsx?unit={agencies['a1'].pk}")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/exports/{job.pk}/"
    assert (job.status, job.progress, job.kind) == ("done", 100, "table_xlsx")
    assert job.file.name.startswith("exports/")

    status = client.get(f"/dashboard/exports/{job.pk}/?format=json").json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    page = client.get(f"/dashboard/exports/{job.pk}/")
    assert f'href="/dashboard/exports/{job.pk}/download/"'.encode() in page.content

    download = client.get(f"/dashboard/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert f'filename="thaksa-people-DIV-A1-{agencies["year"]}.xlsx"' in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = sorted(row[0].value for row in sheet.iter_rows(min_row=2, max_row=4))
    assert sheet["A5"].value is None  # then a blank row and the table's note
    assert names == ["Mr. Learner0 Test", "Mr. Learner1 Test", "Mr. Learner2 Test"]

    other = hr_manager_of(agencies["a"])
    client.force_login(other)
    for url in (f"/dashboard/exports/{job.pk}/", f"/dashboard/exports/{job.pk}/download/"):
        assert client.get(url).status_code == 404

    # A file made while the requester was HR manager is not handed over once the role has ended.
    role_revoke(assignment=RoleAssignment.objects.get(user=agencies["manager"]))
    client.force_login(agencies["manager"])
    assert client.get(f"/dashboard/exports/{job.pk}/download/").status_code == 403


def test_a_job_in_progress_shows_a_progress_bar_that_works_without_javascript(client, agencies) -> None:
    job = ExportJob.objects.create(
        requested_by=agencies["manager"],
        kind="table_csv",
        parameters=export_jobs.export_parameters(
            filters=DashboardFilters(fiscal_year=agencies["year"]), table_key="people", title="People"
        ),
        status=ExportJob.Status.RUNNING,
        progress=40,
    )
    sign_in(client, agencies["manager"])
    page = client.get(f"/dashboard/exports/{job.pk}/").content.decode()
    assert 'aria-valuenow="40"' in page
    assert "width: 40%" in page
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "export-job.js" in page
    assert "download/" not in page
    assert client.get(f"/dashboard/exports/{job.pk}/download/").status_code == 404


def test_tables_longer_than_the_inline_limit_become_jobs(
    client, agencies, media, settings, django_capture_on_commit_callbacks
) -> None:
    settings.ANALYTICS_EXPORT_INLINE_ROWS = 0
    sign_in(client, agencies["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/dashboard/export/by_unit.csv")
    job = ExportJob.objects.get()
    assert response["Location"] == f"/dashboard/exports/{job.pk}/"
    assert job.status == "done"
    content = b"".join(client.get(f"/dashboard/exports/{job.pk}/download/").streaming_content)
    assert read_csv(content)[1][:2] == ["Division A1", "7"]


def test_a_big_report_becomes_a_job(
    client, agencies, media, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setattr(export_jobs, "REPORT_INLINE_ROWS", 0)
    sign_in(client, agencies["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/dashboard/report.pdf")
    job = ExportJob.objects.get()
    assert (job.kind, job.status) == ("report_pdf", "done")
    download = client.get(f"/dashboard/exports/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_requester_who_lost_the_role_gets_a_failed_job(
    client, people_in_a1, media, django_capture_on_commit_callbacks
) -> None:
    agencies = people_in_a1
    sign_in(client, agencies["manager"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.get(f"/dashboard/export/people.csv?unit={agencies['a1'].pk}")
    job = ExportJob.objects.get()
    assert job.status == "queued"
    role_revoke(assignment=RoleAssignment.objects.get(user=agencies["manager"]))
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == "failed"
    assert not job.file
    assert "no longer have access" in job.error
    page = client.get(f"/dashboard/exports/{job.pk}/")
    assert b"no longer have access" in page.content
    assert client.get(f"/dashboard/exports/{job.pk}/download/").status_code == 404


def test_a_unit_taken_out_of_the_requesters_scope_fails_the_job(
    people_in_a1, media, django_capture_on_commit_callbacks
) -> None:
    agencies = people_in_a1
    manager = UserFactory(preferred_language="en")
    assignment = role_assign(user=manager, role="hr_manager", unit=agencies["a1"])
    role_assign(user=manager, role="hr_manager", unit=agencies["b"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = export_jobs.export_job_start(
            viewer=manager,
            kind="table_csv",
            parameters=export_jobs.export_parameters(
                filters=DashboardFilters(fiscal_year=agencies["year"], unit_id=agencies["a1"].pk),
                table_key="people",
            ),
        )
    role_revoke(assignment=assignment)
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "no longer in the units you manage" in job.error


def test_an_unexpected_error_fails_the_job_with_a_message(
    agencies, media, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(export_jobs, "dashboard", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_jobs.export_job_start(
            viewer=agencies["manager"],
            kind="report_pdf",
            parameters=export_jobs.export_parameters(filters=DashboardFilters(fiscal_year=agencies["year"])),
        )
    job.refresh_from_db()
    assert job.status == "failed"
    assert f"(export {job.pk})" in job.error
    assert "database went away" not in job.error


def test_export_files_are_deleted_after_seven_days(agencies, media) -> None:
    from django.core.files.base import ContentFile

    old, recent = (
        ExportJob.objects.create(requested_by=agencies["manager"], kind="table_csv", status="done")
        for _ in range(2)
    )
    for job in (old, recent):
        job.file.save(f"secret/{job.pk}.csv", ContentFile(b"name,hours\n"), save=True)
    old_path = media / old.file.name
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=7, minutes=1))

    assert export_jobs_delete_expired() == 1
    assert not old_path.exists()
    assert list(ExportJob.objects.all()) == [recent]
    assert (media / recent.file.name).exists()
