"""Reading uploaded spreadsheets (lms.spreadsheets.reading): whatever Excel, LibreOffice or
Google Sheets saved, the rows come out the same, numbered as the person sees them; files
beyond the limits are refused with a reason and, where it is one row, that row."""

import codecs
import datetime as dt
import io
import re
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from lms.spreadsheets import reading
from lms.spreadsheets.reading import SheetRow, SpreadsheetRejected, spreadsheet_rows

COLUMNS = ("email", "first_name_th", "unit_code")
THAI_CSV = "email,first_name_th,unit_code\nsomying@a1.go.th,สมหญิง,DIV-๑\n"
EXPECTED = [
    SheetRow(number=1, cells=["email", "first_name_th", "unit_code"]),
    SheetRow(number=2, cells=["somying@a1.go.th", "สมหญิง", "DIV-๑"]),
]


@pytest.fixture(autouse=True)
def messages_in_english():
    with translation.override("en"):
        yield


def read(data: bytes, name: str = "staff.csv", **options) -> list[SheetRow]:
    return spreadsheet_rows(name=name, data=data, columns=COLUMNS, **options)


def workbook_bytes(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        THAI_CSV.encode("utf-8"),
        THAI_CSV.encode("utf-8-sig"),  # Excel's "CSV UTF-8"
        THAI_CSV.encode("cp874"),  # Excel's plain "CSV" on a Thai Windows
        THAI_CSV.encode("tis-620"),
        codecs.BOM_UTF16_LE + THAI_CSV.encode("utf-16-le"),  # Excel's "Unicode text"
        THAI_CSV.replace(",", ";").encode(),  # Excel in a locale with decimal commas
        THAI_CSV.replace(",", "\t").encode(),  # copied from a sheet
        THAI_CSV.replace("\n", "\r\n").encode(),
    ],
    ids=["utf-8", "bom", "cp874", "tis-620", "utf-16", "semicolons", "tabs", "crlf"],
)
def test_every_way_a_thai_csv_is_saved_reads_the_same(data):
    assert read(data) == EXPECTED


def test_thai_digits_are_kept_in_cells_for_the_importer_to_read_as_it_needs():
    (_header, row) = read(THAI_CSV.encode())
    assert row.cells[2] == "DIV-๑"  # a code: importers turn digits into 0–9 only where a number is read


def test_rows_keep_their_spreadsheet_numbers_past_blank_rows_and_multi_line_cells():
    data = b'email,first_name_th,unit_code\n\n"a@b.go.th","line one\nline two",X\n,,\nc@d.go.th,C,Y\n'

    rows = read(data)

    assert [row.number for row in rows] == [1, 3, 5]
    assert rows[1].cells[1] == "line one\nline two"


def test_cells_lose_invisible_blanks_and_excel_values_read_as_people_see_them():
    data = workbook_bytes(
        ["\ufeffemail\u200b", " first_name_th ", "unit_code"],
        ["a@b.go.th", 3.0, dt.datetime(2026, 3, 31)],
        [None, None, None],
        ["c@d.go.th", 0.25, True],
    )

    rows = read(data, name="staff.xlsx")

    assert rows == [
        SheetRow(number=1, cells=["email", "first_name_th", "unit_code"]),
        SheetRow(number=2, cells=["a@b.go.th", "3", "2026-03-31"]),
        SheetRow(number=4, cells=["c@d.go.th", "0.25", "true"]),
    ]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (4 * 1024 * 1024))  # 24 MB of it
    bomb = buffer.getvalue()
    assert len(bomb) < 1024 * 1024

    with pytest.raises(SpreadsheetRejected) as rejected:
        read(bomb, name="staff.xlsx")

    assert "unpacks to 24.0" in rejected.value.message
    assert rejected.value.row == 0


def test_a_workbook_beyond_the_unpacked_size_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)

    with pytest.raises(SpreadsheetRejected, match="unpacks to"):
        read(workbook_bytes(["email"], ["a@b.go.th"]), name="staff.xlsx")


def test_limits_name_the_row_that_breaks_them(monkeypatch):
    monkeypatch.setattr(reading, "MAX_CELL_CHARS", 10)
    with pytest.raises(SpreadsheetRejected) as long_cell:
        read(b"email\nshort\n\nfar-too-long-a-cell\n")
    assert long_cell.value.row == 4
    assert "Cell A4 holds 19 characters" in long_cell.value.message

    wide = ("email," + ",".join(["x"] * reading.MAX_COLUMNS) + "\n").encode()
    with pytest.raises(SpreadsheetRejected) as too_wide:
        read(b"email\n" + wide)
    assert too_wide.value.row == 2
    assert f"at most {reading.MAX_COLUMNS}" in too_wide.value.message


def test_too_many_rows_stop_the_reading_at_the_limit():
    three = b"email\na\nb\nc\n"

    assert len(read(three, max_rows=3)) == 4
    with pytest.raises(SpreadsheetRejected, match="more than 2 rows"):
        read(three, max_rows=2)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("staff.pdf", b"%PDF-1.7", "“.pdf” cannot be imported"),
        ("staff", b"email", "“(no extension)” cannot be imported"),
        ("staff.csv", workbook_bytes(["email"]), "is an Excel workbook, not a CSV file"),
        ("staff.csv", b"email\x00\x00", "not readable text"),
        ("staff.xlsx", b"email,unit_code\n", "not a valid Excel workbook"),
    ],
)
def test_unreadable_files_are_refused_with_what_to_do(name, data, message):
    with pytest.raises(SpreadsheetRejected, match=re.escape(message)):
        read(data, name=name)


def test_a_file_over_the_size_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 10)

    with pytest.raises(SpreadsheetRejected, match="larger than 10"):
        read(b"email\na@b.go.th\n")


def test_messages_are_in_thai_for_thai_readers():
    with translation.override("th"), pytest.raises(SpreadsheetRejected) as rejected:
        read(b"%PDF", name="staff.pdf")

    assert "“.pdf”" in rejected.value.message
    assert "cannot be imported" not in rejected.value.message


@pytest.mark.parametrize(
    ("name", "data"), [("staff.csv", b""), ("staff.csv", b"\xef\xbb\xbf"), ("staff.xlsx", b"")]
)
def test_an_empty_upload_has_no_rows(name, data):
    assert read(data, name=name) == []
