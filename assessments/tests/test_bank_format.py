"""Question bank files: reading every mistake at once, and writing files that read back the same.

No database: `assessments.bank_format` is pure, and the files are built in memory.
"""

import csv
import datetime
import io
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from assessments.bank_format import (
    COLUMNS,
    OptionRow,
    QuestionRow,
    RowProblem,
    bank_file_read,
    bank_file_write_csv,
    bank_file_write_xlsx,
)
from assessments.bank_format import kinds as bank_kinds
from assessments.bank_format import reading as bank_reading
from assessments.bank_format import writing as bank_writing
from assessments.bank_format.columns import PAIR_ARROW
from lms.spreadsheets import reading

HEADER = "kind,text,options,correct"


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English messages; Thai is the site's default language."""
    with translation.override("en"):
        yield


def csv_file(*lines: str, encoding: str = "utf-8") -> bytes:
    """A CSV file as Excel writes it: one line per row, CRLF line ends."""
    return "\r\n".join(lines).encode(encoding) + b"\r\n"


def xlsx_file(*rows: list[object]) -> bytes:
    """A workbook whose first sheet holds `rows` as typed cell values (numbers stay numbers)."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def where(problems: list[RowProblem]) -> set[tuple[int, str]]:
    return {(problem.row, problem.column) for problem in problems}


def renumbered(rows: list[QuestionRow]) -> list[QuestionRow]:
    """The rows as a fresh file numbers them: the header is row 1, the first question row 2."""
    return [replace(row, row=number) for number, row in enumerate(rows, 2)]


def every_kind() -> list[QuestionRow]:
    """One question of every kind, with the text that is hardest to write and read back."""
    return [
        QuestionRow(
            row=0,
            kind="single",
            text="ข้อใดคือเมืองหลวงของประเทศไทย?\nเลือกหนึ่งข้อ",
            topic="ภูมิศาสตร์",
            difficulty="easy",
            points=Decimal("2.5"),
            options=[
                OptionRow("กรุงเทพมหานคร", is_correct=True),
                OptionRow("เชียงใหม่ | ลำพูน"),
                OptionRow("C:\\Temp\\"),
            ],
            feedback_correct="ถูกต้อง",
            feedback_incorrect="ลองอีกครั้ง",
            explanation="=กรุงเทพฯ เป็นเมืองหลวงตั้งแต่ พ.ศ. 2325",
        ),
        QuestionRow(
            row=0,
            kind="multiple",
            text="ข้อใดเป็นจังหวัดในภาคเหนือ",
            difficulty="hard",
            options=[
                OptionRow("เชียงราย", is_correct=True),
                OptionRow("ภูเก็ต"),
                OptionRow("น่าน", is_correct=True),
            ],
            partial_credit="right_minus_wrong",
        ),
        QuestionRow(row=0, kind="true_false", text="ประเทศไทยมี 77 จังหวัด", true_false_answer=True),
        QuestionRow(row=0, kind="true_false", text="-1 is larger than 0", true_false_answer=False),
        QuestionRow(
            row=0,
            kind="matching",
            text="จับคู่คำศัพท์",
            options=[
                OptionRow("ช้าง", match_text="elephant"),
                OptionRow("a => b", match_text="x => y"),
                OptionRow("", match_text="=dog"),
            ],
            partial_credit="per_option",
        ),
        QuestionRow(
            row=0,
            kind="ordering",
            text="เรียงลำดับวงจร PDCA",
            options=[OptionRow("Plan"), OptionRow("Do"), OptionRow("Check"), OptionRow("Act")],
        ),
        QuestionRow(
            row=0,
            kind="numeric",
            text="1,500 + 250 = ?",
            numeric_answer=Decimal("1750"),
            tolerance=Decimal("0.5"),
        ),
        QuestionRow(
            row=0, kind="numeric", text="อุณหภูมิจุดเยือกแข็ง (°F) ลบ 40", numeric_answer=Decimal("-8.125")
        ),
        QuestionRow(
            row=0,
            kind="short_text",
            text="เมืองหลวงของญี่ปุ่น",
            accepted_answers=["โตเกียว", "Tokyo", "a|b\\"],
            case_sensitive=True,
        ),
        QuestionRow(row=0, kind="likert", text="ความพึงพอใจต่อหลักสูตร", points=Decimal("1")),
        QuestionRow(
            row=0,
            kind="likert",
            text="ความยากของบทเรียน",
            options=[OptionRow("ง่าย"), OptionRow("พอดี"), OptionRow("ยาก")],
        ),
        QuestionRow(row=0, kind="free_text", text="ข้อเสนอแนะ", topic="@แบบสอบถาม", explanation="'=A1"),
    ]


# Round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "write"), [("bank.csv", bank_file_write_csv), ("bank.xlsx", bank_file_write_xlsx)]
)
def test_every_kind_reads_back_as_written(name, write):
    rows = every_kind()

    read, problems = bank_file_read(name, write(rows))

    assert problems == []
    assert read == renumbered(rows)


@pytest.mark.parametrize(
    ("name", "write"), [("bank.csv", bank_file_write_csv), ("bank.xlsx", bank_file_write_xlsx)]
)
def test_a_file_read_and_written_again_is_unchanged(name, write):
    first = write(every_kind())

    rows, _ = bank_file_read(name, first)

    assert bank_file_read(name, write(rows)) == (rows, [])


def test_csv_export_has_a_bom_the_columns_and_excel_line_ends():
    data = bank_file_write_csv(every_kind())

    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.split("\r\n", 1)[0] == ",".join(COLUMNS)
    assert "กรุงเทพมหานคร" in text


def test_csv_export_writes_every_kind_readably():
    lines = list(csv.DictReader(io.StringIO(bank_file_write_csv(every_kind()).decode("utf-8-sig"))))

    single, multiple, true_false, _, matching, ordering, numeric, _, short_text, likert, _, _ = lines
    assert single["options"] == "กรุงเทพมหานคร | เชียงใหม่ \\| ลำพูน | C:\\Temp\\\\"
    assert single["correct"] == "1"
    assert single["points"] == "2.5"
    assert multiple["correct"] == "1,3"
    assert multiple["partial_credit"] == "right_minus_wrong"
    assert true_false["correct"] == "true"
    assert matching["options"] == "ช้าง => elephant | a \\=> b => x => y | => =dog"
    assert matching["correct"] == ""
    assert ordering["options"] == "Plan | Do | Check | Act"
    assert numeric["correct"] == "1750"
    assert numeric["tolerance"] == "0.5"
    assert short_text["correct"] == "โตเกียว | Tokyo | a\\|b\\\\"
    assert short_text["case_sensitive"] == "yes"
    assert likert["points"] == ""  # surveys are not graded


def test_xlsx_export_is_ready_for_editing():
    workbook = load_workbook(io.BytesIO(bank_file_write_xlsx(every_kind())))
    sheet = workbook.worksheets[0]

    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].alignment.wrap_text
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
    assert sheet["E2"].value == 2.5  # numbers are numbers
    assert sheet["G2"].value == 1
    kind_choices = [v for v in sheet.data_validations.dataValidation if "A2" in str(v.sqref)]
    assert kind_choices
    assert "single" in kind_choices[0].formula1


# Formula guard ------------------------------------------------------------------------------


def test_csv_export_puts_an_apostrophe_before_formula_like_text():
    rows = [
        QuestionRow(
            row=0, kind="free_text", text='=HYPERLINK("http://evil")', topic="+66", explanation="@SUM(A1)"
        ),
        QuestionRow(
            row=0,
            kind="ordering",
            text="-5 องศา",
            options=[OptionRow("-1"), OptionRow("+2")],
            feedback_correct="'-",
        ),
    ]

    data = bank_file_write_csv(rows)
    lines = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))

    assert lines[0]["text"] == '\'=HYPERLINK("http://evil")'
    assert lines[0]["topic"] == "'+66"
    assert lines[0]["explanation"] == "'@SUM(A1)"
    assert lines[1]["text"] == "'-5 องศา"
    assert lines[1]["options"] == "'-1 | +2"
    assert lines[1]["feedback_correct"] == "''-"  # an apostrophe the importer would strip is kept
    assert bank_file_read("bank.csv", data) == (renumbered(rows), [])


def test_negative_numeric_answers_are_written_as_numbers_not_guarded():
    rows = [QuestionRow(row=0, kind="numeric", text="2 - 5 = ?", numeric_answer=Decimal("-3"))]

    line = next(csv.DictReader(io.StringIO(bank_file_write_csv(rows).decode("utf-8-sig"))))

    assert line["correct"] == "-3"


def test_xlsx_export_writes_formula_like_text_as_text():
    rows = [QuestionRow(row=0, kind="free_text", text="=1+1", explanation="'=A1")]

    data = bank_file_write_xlsx(rows)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]

    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == "=1+1"
    assert sheet["B2"].quotePrefix
    assert bank_file_read("bank.xlsx", data) == (renumbered(rows), [])


def test_an_apostrophe_typed_before_a_formula_is_removed_on_import():
    data = csv_file("kind,text", "free_text,'=ความคิดเห็น", "free_text,'ทั่วไป")

    rows, problems = bank_file_read("bank.csv", data)

    assert problems == []
    assert [row.text for row in rows] == ["=ความคิดเห็น", "'ทั่วไป"]


# Several bad rows -----------------------------------------------------------------------------


def test_every_bad_row_is_reported_and_good_rows_still_parse():
    data = csv_file(
        HEADER,
        "single,ข้อใดถูก,ก | ข | ค,2",
        "single,ข้อใดผิด,ก | ข | ค,5",
        "choice,ข้อใดถูก,ก | ข,1",
        "multiple,เลือกทุกข้อที่ถูก,ก | ข | ค,",
        "numeric,2 + 2 = ?,,four",
        "true_false,ฟ้าเป็นสีฟ้า,ใช่ | ไม่ใช่,true",
        "single,,ก | ข,1",
        "true_false,น้ำแข็งลอยน้ำ,,จริง",
    )

    rows, problems = bank_file_read("bank.csv", data)

    assert [(row.row, row.kind) for row in rows] == [(2, "single"), (9, "true_false")]
    assert rows[1].true_false_answer is True
    assert where(problems) == {
        (3, "correct"),
        (4, "kind"),
        (5, "correct"),
        (6, "correct"),
        (7, "options"),
        (8, "text"),
    }
    messages = {problem.row: problem.message for problem in problems}
    assert messages[3] == "There is no option 5: this question has 3 options. Write a number from 1 to 3."
    assert "“choice” is not a question kind" in messages[4]
    assert "single, multiple, true_false" in messages[4]
    assert "for example 1,3" in messages[5]
    assert "“four” is not a number" in messages[6]
    assert "write true or false in the correct column" in messages[7]
    assert messages[8] == "The question text is empty. Write the question in the text column."


def test_every_problem_in_one_row_is_reported():
    data = csv_file(
        "kind,text,difficulty,points,options,correct,partial_credit,tolerance,case_sensitive",
        "single,,very hard,0,ก | ข,3,per_option,1,yes",
    )

    rows, problems = bank_file_read("bank.csv", data)

    assert rows == []
    assert where(problems) == {
        (2, "text"),
        (2, "difficulty"),
        (2, "points"),
        (2, "correct"),
        (2, "partial_credit"),
        (2, "tolerance"),
        (2, "case_sensitive"),
    }


def test_a_row_with_an_unknown_kind_still_has_its_other_cells_checked():
    data = csv_file("kind,text,points,difficulty", "essay,,abc,ยากมาก")

    _, problems = bank_file_read("bank.csv", data)

    assert where(problems) == {(2, "kind"), (2, "text"), (2, "points"), (2, "difficulty")}


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("single,q,ก,1", "options", "at least 2 options"),
        ("single,q,ก | ข | ก,1", "options", "Options 1 and 3 are the same (“ก”)"),
        ("single,q,ก || ข,1", "options", "Option 2 is empty"),
        ('single,q,ก | ข,"1,2"', "correct", "change the kind to multiple"),
        ("single,q,ก | ข,ข", "correct", "Write the number of the correct option (1 to 2), for example 2."),
        ('multiple,q,ก | ข,"1,x"', "correct", "separated by commas"),
        ('multiple,q,ก | ข,","', "correct", "At least one option must be correct"),
        ("true_false,q,,maybe", "correct", "“maybe” is not true or false"),
        ("matching,q,ช้าง => elephant,", "options", "at least 2 pairs"),
        ("matching,q,ช้าง => elephant | แมว,", "options", "Pair 2 (“แมว”) has no =>"),
        ("matching,q,ช้าง => elephant | แมว =>,", "options", "Pair 2 has nothing after =>"),
        ("matching,q,ก => 1 | ก => 2,", "options", "Pairs 1 and 2 have the same left side"),
        ("matching,q,ก => 1 | ข => 2,1", "correct", "take their answer from the pairs"),
        ("ordering,q,Plan,", "options", "at least 2 items"),
        ("ordering,q,Plan | Do,1", "correct", "take their answer from the order"),
        ("numeric,q,,", "correct", "needs its answer"),
        ("numeric,q,1 | 2,1", "options", "write the answer number in the correct column"),
        ("short_text,q,,", "correct", "at least one accepted answer"),
        ("short_text,q,,a || b", "correct", "Accepted answer 2 is empty"),
        ("likert,q,ดี,", "options", "2 to 10 labels"),
        ("likert,q,,3", "correct", "survey questions with no correct answer"),
        ("free_text,q,ก | ข,", "options", "have no options"),
        (",q,,", "kind", "The kind is empty. Write one of: single,"),
        ('multiple,q,ก | ข,"1,5"', "correct", "There is no option 5"),
        ("matching,q,ก => 1 || ข => 2,", "options", "Option 2 is empty"),
        ("ordering,q,Plan | | Do,", "options", "Option 2 is empty"),
        ("short_text,q,a | b,a", "options", "write the accepted answers in the correct column"),
        ('short_text,q,,"a\nb | c"', "correct", "Accepted answer 1 has a line break"),
        ("numeric,q,,1.1234567", "correct", "“1.1234567” has too many digits"),
        ("numeric,q,,1000000000000", "correct", "at most 6 decimals and 12 digits"),
        (f"single,q,ก | {'ข' * 501},1", "options", "Option 2 is 501 characters long"),
        (f"matching,q,ก => 1 | ข => {'x' * 501},", "options", "Option 2 is 501 characters long"),
    ],
)
def test_each_kind_checks_its_own_cells(row, column, message):
    _, problems = bank_file_read("bank.csv", csv_file(HEADER, row))

    assert where(problems) == {(2, column)}
    assert message in problems[0].message


@pytest.mark.parametrize(
    ("extra_column", "value", "message"),
    [
        ("tolerance", "0.5", "Tolerance applies only to kind numeric"),
        ("tolerance", "-1", "is not a tolerance"),
        ("case_sensitive", "maybe", "is not yes or no"),
        ("partial_credit", "some", "is not a partial-credit rule"),
        ("points", "1.125", "at most two decimals"),
        ("points", "1001", "at most 1000"),
        ("tolerance", "0.0000001", "too many digits"),
        ("topic", "ก" * 101, "The topic is 101 characters long; write at most 100."),
    ],
)
def test_settings_columns_are_checked(extra_column, value, message):
    kind_row = {
        "tolerance": "short_text,q,,a" if value == "0.5" else "numeric,q,,1",
        "topic": "free_text,q,,",
        "case_sensitive": "short_text,q,,a",
        "partial_credit": "multiple,q,ก | ข,1",
        "points": "single,q,ก | ข,1",
    }[extra_column]

    _, problems = bank_file_read("bank.csv", csv_file(f"{HEADER},{extra_column}", f"{kind_row},{value}"))

    assert where(problems) == {(2, extra_column)}
    assert message in problems[0].message


def test_thai_words_digits_and_thousands_are_understood():
    data = csv_file(
        "kind,text,difficulty,points,correct,tolerance,case_sensitive,options",
        'numeric,q,ปานกลาง,๒,"1,250.5",๐.๕,,',
        "true_false,q,ยาก,,ผิด,,,",
        "short_text,q,ง่าย,,ก,,ใช่,",
        "single,q,Easy,,๒,,,ก | ข",
        "Short Text,q,,,ข,,No,",
    )

    rows, problems = bank_file_read("bank.csv", data)

    assert problems == []
    numeric, true_false, short_text, single, short_text_2 = rows
    assert (numeric.difficulty, numeric.points, numeric.numeric_answer, numeric.tolerance) == (
        "medium",
        Decimal("2"),
        Decimal("1250.5"),
        Decimal("0.5"),
    )
    assert (true_false.difficulty, true_false.true_false_answer) == ("hard", False)
    assert (short_text.difficulty, short_text.case_sensitive) == ("easy", True)
    assert [option.is_correct for option in single.options] == [False, True]
    assert (short_text_2.kind, short_text_2.case_sensitive) == ("short_text", False)


def test_survey_questions_ignore_points():
    rows, problems = bank_file_read("bank.csv", csv_file("kind,text,points", "likert,q,5", "free_text,q,x"))

    assert problems == []
    assert [row.points for row in rows] == [Decimal("1"), Decimal("1")]


def test_defaults_fill_empty_optional_cells():
    rows, problems = bank_file_read("bank.csv", csv_file(HEADER, "multiple,q,ก | ข,2"))

    assert problems == []
    assert rows == [
        QuestionRow(
            row=2,
            kind="multiple",
            text="q",
            options=[OptionRow("ก"), OptionRow("ข", is_correct=True)],
        )
    ]


def test_a_value_in_a_column_without_a_name_is_reported():
    data = csv_file(HEADER, "single,q,ก | ข,1,,note", "single,q,ก | ข,1,,")

    rows, problems = bank_file_read("bank.csv", data)

    assert [row.row for row in rows] == [3]  # empty extra cells are fine
    assert where(problems) == {(2, "")}
    assert "Column F has a value but no column name" in problems[0].message


def test_a_cell_longer_than_a_spreadsheet_cell_is_reported():
    _, problems = bank_file_read("bank.csv", csv_file("kind,text", "free_text," + "ก" * 32_768))

    assert where(problems) == {(2, "")}
    assert "Cell B2 holds 32,768 characters" in problems[0].message
    assert "at most 32,767" in problems[0].message


# Blank rows -----------------------------------------------------------------------------------


def test_blank_rows_are_skipped_and_row_numbers_stay_the_spreadsheets():
    data = csv_file(HEADER, "single,q,ก | ข,1", "", ",,,", "single,q,ก | ข,9", " , ")

    rows, problems = bank_file_read("bank.csv", data)

    assert [row.row for row in rows] == [2]
    assert where(problems) == {(5, "correct")}


def test_blank_xlsx_rows_are_skipped_and_row_numbers_stay_the_spreadsheets():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kind", "text", "options", "correct"])
    sheet.append(["single", "q", "ก | ข", 1])
    sheet["A5"] = "single"  # rows 3 and 4 are missing from the file entirely
    sheet["B5"] = "q"
    sheet["C5"] = "ก | ข"
    sheet["D5"] = 7
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows, problems = bank_file_read("bank.xlsx", buffer.getvalue())

    assert [row.row for row in rows] == [2]
    assert where(problems) == {(5, "correct")}


def test_line_breaks_in_a_cell_do_not_shift_row_numbers():
    data = csv_file(HEADER, 'single,"บรรทัดหนึ่ง\r\nบรรทัดสอง",ก | ข,1', "single,q,ก | ข,3")

    rows, problems = bank_file_read("bank.csv", data)

    assert rows[0].text == "บรรทัดหนึ่ง\nบรรทัดสอง"
    assert where(problems) == {(3, "correct")}


# Encodings and delimiters ---------------------------------------------------------------------


def test_csv_saved_by_thai_windows_excel_in_cp874():
    data = csv_file(HEADER, "single,ข้อใดคือเมืองหลวง,กรุงเทพฯ | เชียงใหม่,1", encoding="cp874")

    rows, problems = bank_file_read("bank.csv", data)

    assert problems == []
    assert rows[0].text == "ข้อใดคือเมืองหลวง"
    assert rows[0].options[0] == OptionRow("กรุงเทพฯ", is_correct=True)


def test_csv_with_a_utf8_bom():
    data = b"\xef\xbb\xbf" + csv_file(HEADER, "true_false,ถูกหรือผิด,,ถูก")

    rows, problems = bank_file_read("bank.csv", data)

    assert problems == []
    assert rows[0].true_false_answer is True


def test_csv_in_utf16_as_excel_unicode_text():
    data = "kind\ttext\r\nfree_text\tความเห็น\r\n".encode("utf-16")

    rows, problems = bank_file_read("bank.csv", data)

    assert problems == []
    assert rows[0].text == "ความเห็น"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_with_semicolons_or_tabs(delimiter):
    data = csv_file(
        delimiter.join(["kind", "text", "options", "correct"]),
        delimiter.join(["multiple", "เลือก, ได้หลายข้อ", "ก | ข | ค", "1,3"]),
    )

    rows, problems = bank_file_read("bank.csv", data)

    assert problems == []
    assert rows[0].text == "เลือก, ได้หลายข้อ"
    assert [option.is_correct for option in rows[0].options] == [True, False, True]


def test_csv_that_is_not_text():
    _, problems = bank_file_read("bank.csv", b"\x00\xff\xfe\xfd" * 10)

    assert where(problems) == {(0, "")}
    assert "not readable text" in problems[0].message


def test_damaged_csv_is_reported_with_its_line():
    data = csv_file(HEADER, "single,q,ก | ข,1", "free_text," + "ก" * 200_000)

    _, problems = bank_file_read("bank.csv", data)

    assert where(problems) == {(0, "")}
    assert "damaged near line 3" in problems[0].message


def test_a_workbook_named_csv_is_recognised():
    _, problems = bank_file_read("bank.csv", xlsx_file(["kind", "text"]))

    assert "Rename it to end in .xlsx" in problems[0].message


# XLSX cells ---------------------------------------------------------------------------------


def test_xlsx_numbers_and_booleans_in_cells_are_read_as_written():
    data = xlsx_file(
        ["kind", "text", "points", "options", "correct", "tolerance", "case_sensitive"],
        ["single", "q", 2, "ก | ข", 2, None, None],
        ["single", "q", 1.5, "ก | ข", 2.0, None, None],
        ["numeric", 12345, None, None, 3.5, 0.01, None],
        ["numeric", "q", None, None, -0.00001, 0, None],
        ["true_false", "q", None, None, True, None, None],
        ["short_text", "q", None, None, 42, None, False],
        ["multiple", "q", None, 7, 1, None, None],
        ["free_text", datetime.date(2025, 1, 31), None, None, None, None, None],
    )

    rows, problems = bank_file_read("bank.xlsx", data)

    assert where(problems) == {(8, "options")}  # one number is not a list of options
    single, single_float, numeric, small, true_false, short_text, free_text = rows
    assert (single.points, [o.is_correct for o in single.options]) == (Decimal("2"), [False, True])
    assert (single_float.points, single_float.options[1].is_correct) == (Decimal("1.5"), True)
    assert (numeric.text, numeric.numeric_answer, numeric.tolerance) == (
        "12345",
        Decimal("3.5"),
        Decimal("0.01"),
    )
    assert small.numeric_answer == Decimal("-0.00001")
    assert true_false.true_false_answer is True
    assert (short_text.accepted_answers, short_text.case_sensitive) == (["42"], False)
    assert free_text.text == "2025-01-31"  # a cell Excel turned into a date


def test_xlsx_reads_the_first_worksheet_only():
    workbook = Workbook()
    workbook.active.append(["kind", "text"])
    workbook.active.append(["free_text", "แรก"])
    workbook.create_sheet("notes").append(["anything", "at all"])
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows, problems = bank_file_read("bank.xlsx", buffer.getvalue())

    assert problems == []
    assert [row.text for row in rows] == ["แรก"]


# Header problems ------------------------------------------------------------------------------


def test_missing_text_column():
    rows, problems = bank_file_read("bank.csv", csv_file("kind,options", "single,ก | ข"))

    assert rows == []
    assert problems == [
        RowProblem(1, "text", "The text column is missing. Add a column with text in row 1."),
    ]


def test_unknown_column_is_reported_and_the_rows_still_checked():
    rows, problems = bank_file_read(
        "bank.csv", csv_file("kind,text,options,answer", "single,q,ก | ข,1", "single,q,ก | ข,1")
    )

    assert where(problems) == {(1, "answer"), (2, "correct"), (3, "correct")}
    assert "“answer” is not a column of a question bank" in problems[0].message
    assert "correct" in problems[0].message  # the names to choose from
    assert rows == []


def test_repeated_column_is_reported():
    _, problems = bank_file_read("bank.csv", csv_file("kind,text,Text", "free_text,q,r"))

    assert where(problems) == {(1, "text")}
    assert "columns B and C" in problems[0].message


def test_header_names_ignore_case_spaces_and_order():
    data = csv_file(" Correct ,TEXT,Feedback Correct,kind,options", "2,q,เก่งมาก,single,ก | ข")

    rows, problems = bank_file_read("bank.csv", data)

    assert problems == []
    assert (rows[0].feedback_correct, rows[0].options[1].is_correct) == ("เก่งมาก", True)


@pytest.mark.parametrize(
    "data",
    [
        csv_file("single,q,ก | ข,1", "single,q,ก | ข,2"),  # questions but no header
        csv_file("", "kind,text", "free_text,q"),  # the header is not in row 1
    ],
)
def test_no_header(data):
    rows, problems = bank_file_read("bank.csv", data)

    assert rows == []
    assert where(problems) == {(1, "")}
    assert "Row 1 must hold the column names" in problems[0].message


def test_header_without_questions():
    _, problems = bank_file_read("bank.csv", csv_file(HEADER))

    assert where(problems) == {(0, "")}
    assert "no questions" in problems[0].message


# Whole-file problems --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bank.csv", b""),
        ("bank.csv", b"\xef\xbb\xbf"),
        ("bank.csv", b"\r\n,,\r\n"),
        ("bank.xlsx", b""),
        ("bank.xlsx", xlsx_file()),
    ],
)
def test_empty_file(name, data):
    rows, problems = bank_file_read(name, data)

    assert rows == []
    assert where(problems) == {(0, "")}
    assert problems[0].message.startswith("The file is empty.")


def test_not_an_xlsx():
    rows, problems = bank_file_read("bank.xlsx", csv_file(HEADER, "single,q,ก | ข,1"))

    assert rows == []
    assert where(problems) == {(0, "")}
    assert "not a valid Excel workbook" in problems[0].message


def test_a_damaged_xlsx():
    data = xlsx_file(["kind", "text"], ["free_text", "q"])
    damaged = data[: len(data) // 2] + b"\x00" * 100 + data[len(data) // 2 :]

    _, problems = bank_file_read("bank.xlsx", damaged)

    assert "not a valid Excel workbook" in problems[0].message


@pytest.mark.parametrize("name", ["bank.xls", "bank.txt", "bank", "bank.csv.exe"])
def test_wrong_extension(name):
    rows, problems = bank_file_read(name, csv_file(HEADER, "single,q,ก | ข,1"))

    assert rows == []
    assert where(problems) == {(0, "")}
    assert ".xlsx" in problems[0].message
    assert ".csv" in problems[0].message


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(bank_reading, "MAX_ROWS", 3)
    lines = [HEADER, *["single,q,ก | ข,1"] * 3]

    assert bank_file_read("bank.csv", csv_file(*lines))[1] == []
    rows, problems = bank_file_read("bank.csv", csv_file(*lines, "single,q,ก | ข,1"))

    assert rows == []
    assert where(problems) == {(0, "")}
    assert "more than 3 rows" in problems[0].message


def test_too_many_rows_in_a_workbook(monkeypatch):
    monkeypatch.setattr(bank_reading, "MAX_ROWS", 2)

    _, problems = bank_file_read("bank.xlsx", xlsx_file(["kind", "text"], *[["free_text", "q"]] * 3))

    assert "more than 2 rows" in problems[0].message


def test_too_large(monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 10)

    _, problems = bank_file_read("bank.csv", csv_file(HEADER, "single,q,ก | ข,1"))

    assert where(problems) == {(0, "")}
    assert "larger than 10\xa0bytes" in problems[0].message


def test_workbook_that_unpacks_too_large(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)

    _, problems = bank_file_read("bank.xlsx", xlsx_file(["kind", "text"], ["free_text", "q"]))

    assert "unpacks to" in problems[0].message


# Options syntax -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a|b",
        "a\\|b",
        "C:\\Temp",
        "C:\\Temp\\",
        "\\\\server",
        "x => y",
        "x \\=> y",
        "\\",
        "|",
        "=>",
        "a\\",
        "\\=>",
    ],
)
def test_any_option_text_reads_back(text):
    plain = bank_kinds._items_split(bank_writing._item_escape(text) + "|next")
    left = bank_kinds._items_split(bank_writing._item_escape(text, arrow=True) + "=>right|next")

    assert PAIR_ARROW.join(plain[0]) == text
    assert left[0] == [text, "right"]
    assert plain[1] == left[1] == ["next"]


def test_a_single_backslash_needs_no_escaping():
    rows, problems = bank_file_read("bank.csv", csv_file(HEADER, "single,q,C:\\Temp | D:\\,1"))

    assert problems == []
    assert [option.text for option in rows[0].options] == ["C:\\Temp", "D:\\"]


def test_the_documented_example_imports():
    """The example in docs/question-bank-format.md is what authors copy: it must stay valid."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "question-bank-format.md").read_text()
    example = doc.split("## Example", 1)[1].split("\n\n", 2)[1]
    table = [
        [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in example.splitlines()
        if not line.startswith("|---")
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)

    rows, problems = bank_file_read("example.csv", buffer.getvalue().encode())

    assert problems == []
    assert [row.kind for row in rows] == [
        "single",
        "multiple",
        "true_false",
        "matching",
        "ordering",
        "numeric",
        "short_text",
        "likert",
        "free_text",
    ]
    assert rows[5].numeric_answer == Decimal("1750")
