"""The dashboard's PDF report: Thai text as given, page numbers, long tables, vector charts.

Text is read back with pdfium. HarfBuzz draws some Thai marks with alternative glyphs (a
smaller tone mark over a tall vowel, nikhahit and a tone mark as one glyph) that have no
Unicode code point of their own; ReportLab gives each one a private-use code in the file.
`page_texts` turns those back into the marks their glyph names spell (uni0E48.small is
U+0E48), so the text compares with the strings the dashboard held.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import re
import unicodedata

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from django.utils import translation
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from analytics import report
from analytics.charts.figures import table_figure
from analytics.report import ROWS_PER_TABLE, dashboard_pdf
from analytics.selectors.contract import Column, Dashboard, DashboardFilters, Figure, Table
from lms.thai_pdf.fonts import FONT_BOLD, FONT_ITALIC, FONT_REGULAR, FONT_SEMIBOLD

GENERATED = dt.datetime(2026, 11, 20, 7, 5, tzinfo=dt.UTC)  # 14:05 in Bangkok
UNITS = [
    "สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
    "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
    "กองบริหารทรัพยากรบุคคล",
    "สำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์",
]
PEOPLE = ["นางสาวน้ำผึ้ง ญี่ปุ่นดี", "นายผู้ใหญ่ ปั้นน้ำ", "นางกุ้ง ฟ้าใส"]


def _glyph_text(glyph_name: str) -> str:
    """ "uni0E4D0E49.narrow" → "\u0e4d\u0e49"."""
    base = glyph_name.split(".")[0].removeprefix("uni")
    return "".join(chr(int(code, 16)) for code in re.findall(r"[0-9A-Fa-f]{4}", base))


def _private_glyphs() -> dict[str, dict[int, str]]:
    """Per font name, the private-use codes ReportLab gave to shaped glyphs, as text."""
    glyphs = {}
    for name in (FONT_REGULAR, FONT_SEMIBOLD, FONT_BOLD, FONT_ITALIC):
        font = pdfmetrics.getFont(name)
        face_name = font.face.name.decode() if isinstance(font.face.name, bytes) else font.face.name
        private = getattr(font, "_TTFont__hbUnis", {})  # ReportLab's record: glyph name → code
        glyphs[face_name] = {code: _glyph_text(glyph) for glyph, code in private.items()}
    return glyphs


def _readable(text: str) -> str:
    """Sara am as one character: the font draws it as nikhahit (with any tone mark, in the
    glyph "uni0E4D0E49") then sara aa."""
    text = unicodedata.normalize("NFC", text)
    return re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33", text)


def page_texts(pdf: bytes) -> list[str]:
    glyphs = _private_glyphs()
    document = pdfium.PdfDocument(pdf)
    texts = []
    try:
        for page in document:
            textpage = page.get_textpage()
            characters = []
            for index in range(textpage.count_chars()):
                code = pdfium_raw.FPDFText_GetUnicode(textpage, index)
                if 0xE000 <= code <= 0xF8FF:
                    buffer = ctypes.create_string_buffer(256)
                    flags = ctypes.c_int()
                    pdfium_raw.FPDFText_GetFontInfo(textpage, index, buffer, 256, ctypes.byref(flags))
                    font = buffer.value.decode().split("+")[-1]
                    characters.append(glyphs.get(font, {}).get(code, chr(code)))
                else:
                    characters.append(chr(code))
            texts.append(_readable("".join(characters)))
    finally:
        document.close()
    return texts


def by_unit(rows: int = 4) -> Table:
    return Table(
        key="by_unit",
        title="ผลการเรียนรู้รายหน่วยงาน",
        columns=[
            Column("unit", "หน่วยงาน"),
            Column("staff", "บุคลากร", "int"),
            Column("active", "ผู้เรียน", "int"),
            Column("completions", "จำนวนที่เรียนจบ", "int"),
            Column("hours_per_person", "ชั่วโมงต่อคน", "decimal"),
            Column("compliance", "อบรมภาคบังคับตรงเวลา (%)", "percent"),
        ],
        rows=[
            [UNITS[index % len(UNITS)], 100 + index, 60 + index, 40 + index, 3.5, 81.26]
            for index in range(rows)
        ],
        note="นับเฉพาะผู้ที่ยังปฏิบัติงานอยู่",
    )


def gaps() -> Table:
    names = ["การใช้งานดิจิทัล", "ความมั่นคงปลอดภัยไซเบอร์", "การคุ้มครองข้อมูลส่วนบุคคล", "ผู้นำดิจิทัล"]
    return Table(
        key="gaps",
        title="ช่องว่างสมรรถนะ",
        columns=[Column("unit", "หน่วยงาน")]
        + [Column(f"n{i}", name, "percent") for i, name in enumerate(names)],
        rows=[[unit, 10.0 * i, None, 55.5, 100.0] for i, unit in enumerate(UNITS)],
    )


def trend() -> Table:
    months = ["ต.ค. 68", "พ.ย. 68", "ธ.ค. 68", "ม.ค. 69", "ก.พ. 69", "มี.ค. 69"]
    return Table(
        key="trend",
        title="การเรียนจบรายเดือน",
        columns=[
            Column("month", "เดือน"),
            Column("completions", "เรียนจบ", "int"),
            Column("cumulative", "สะสม", "int"),
        ],
        rows=[[month, index * 3, sum(range(index + 1)) * 3] for index, month in enumerate(months)],
    )


def people(rows: int) -> Table:
    return Table(
        key="people",
        title="รายชื่อบุคลากร",
        columns=[
            Column("name", "ชื่อ-สกุล"),
            Column("unit", "หน่วยงาน"),
            Column("hours", "ชั่วโมงเรียน", "decimal"),
            Column("last", "เรียนล่าสุด", "date"),
        ],
        rows=[
            [
                f"{PEOPLE[index % len(PEOPLE)]} {index + 1:04d}",
                UNITS[index % 4],
                index / 2,
                dt.date(2026, 10, 1),
            ]
            for index in range(rows)
        ],
    )


def board(*tables: Table, figures: list[Figure] | None = None) -> Dashboard:
    return Dashboard(
        title="แดชบอร์ดการพัฒนาบุคลากร",
        filters=DashboardFilters(fiscal_year=2570, position_type="knowledge_worker"),
        scope_label="กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        breadcrumbs=[],
        figures=figures
        if figures is not None
        else [
            Figure("staff", "บุคลากรทั้งหมด", 1234, "คน"),
            Figure("hours_per_person", "ชั่วโมงเรียนต่อคน", 12.75, "ชั่วโมง"),
            Figure("compliance", "อบรมภาคบังคับตรงเวลา", 87.5, "%"),
            Figure("none", "ยังไม่มีข้อมูล", None),
        ],
        tables={table.key: table for table in tables},
    )


def render(dashboard: Dashboard, language: str = "th") -> bytes:
    with translation.override(language):
        return dashboard_pdf(dashboard, generated_at=GENERATED, viewer_name="นายสมชาย ใจดี")


def test_report_prints_the_dashboard_in_thai_as_given() -> None:
    texts = page_texts(render(board(by_unit(), gaps(), trend(), people(3))))
    text = "\n".join(texts)
    unwrapped = text.replace("\r\n", "")  # a header may wrap between two Thai words
    for expected in (
        "แดชบอร์ดการพัฒนาบุคลากร",
        "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        "ปีงบประมาณ 2570 · 1 ต.ค. 2569 – 30 ก.ย. 2570",
        "20 พฤศจิกายน 2569 เวลา 14:05 น.",  # Buddhist era, Bangkok time
        "นายสมชาย ใจดี",
        "1,234 คน",
        "12.8 ชั่วโมง",
        "87.5%",
        "ผลการเรียนรู้รายหน่วยงาน",
        "นับเฉพาะผู้ที่ยังปฏิบัติงานอยู่",
        "81.3",  # a share in a "(%)" column, written as the page writes it
        "ความมั่นคงปลอดภัยไซเบอร์",
        "การเรียนจบรายเดือน",
        *UNITS,
        *(f"{name} {index + 1:04d}" for index, name in enumerate(PEOPLE)),
        "1 ต.ค. 2569",
    ):
        assert _readable(expected) in unwrapped, expected


def test_every_page_is_numbered_out_of_the_total() -> None:
    texts = page_texts(render(board(by_unit(), people(80)), language="en"))
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number}/{len(texts)}" in text
    # In English the labels are English; the dashboard's own words stay as the selector gave them.
    assert "Period" in texts[0]
    assert "Fiscal year 2027 (B.E. 2570)" in texts[0]


def test_a_long_table_runs_over_pages_with_its_header_repeated() -> None:
    rows = ROWS_PER_TABLE - 5
    texts = page_texts(render(board(people(rows), figures=[])))
    pages_with_rows = [text for text in texts if "0001" in text or re.search(r" 00[0-9][0-9]", text)]
    assert len(pages_with_rows) >= 3
    for text in pages_with_rows:
        assert "ชื่อ-สกุล" in text
        assert "เรียนล่าสุด" in text
    everything = "\n".join(texts)
    assert f"{rows:04d}" in everything
    assert "first" not in everything  # nothing was cut, so no note says so


def test_a_very_long_table_is_cut_with_a_note() -> None:
    texts = page_texts(render(board(people(ROWS_PER_TABLE + 150), figures=[]), language="en"))
    everything = "\n".join(texts)
    assert f"{ROWS_PER_TABLE:04d}" in everything
    assert f"{ROWS_PER_TABLE + 1:04d}" not in everything
    assert f"the first {ROWS_PER_TABLE} of {ROWS_PER_TABLE + 150} rows" in everything


def _path_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        paths = 0
        for page in document:
            assert not list(page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]))
            paths += len(list(page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH])))
        return paths
    finally:
        document.close()


def test_charts_are_vector_graphics_with_no_raster_image(monkeypatch) -> None:
    dashboard = board(by_unit(), gaps(), trend())
    pdf = render(dashboard)
    assert b"/Subtype /Image" not in pdf
    with_charts = _path_count(pdf)
    monkeypatch.setattr(report, "table_figure", lambda table: None)
    without_charts = _path_count(render(dashboard))
    # Bars, heat-map cells and keys, grid lines and the trend line are vector paths.
    assert with_charts - without_charts > 40


def test_chart_labels_are_printed() -> None:
    """The heat map's key and cells and the bar chart's values are text in the PDF, not
    pictures, written as the page writes them."""
    texts = page_texts(render(board(by_unit(), gaps(), figures=[]), language="en"))
    text = "\n".join(texts)
    for key in ("0–20%", "80–100%", "no data"):
        assert key in text
    figure = table_figure(gaps())
    assert figure is not None
    # Each unit's 55.5 % twice: in its heat-map cell (with its sign: a chart has no column
    # name to say it) and in the table's "(%)" column, written as the page writes both.
    assert [row[2] for row in figure.data[0].text] == ["55.5%"] * len(UNITS)
    assert text.count("55.5%") == len(UNITS)
    assert text.count("55.5") == 2 * len(UNITS)


def test_no_thai_is_drawn_without_shaping(monkeypatch) -> None:
    """canvas.drawString never shapes Thai: everything Thai must go through a Paragraph."""
    for method_name in ("drawString", "drawRightString", "drawCentredString"):
        original = getattr(Canvas, method_name)

        def checked(self, x, y, text, *args, _original=original, **kwargs):
            assert not re.search(r"[\u0E00-\u0E7F]", str(text)), f"unshaped Thai drawn: {text!r}"
            return _original(self, x, y, text, *args, **kwargs)

        monkeypatch.setattr(Canvas, method_name, checked)
    render(board(by_unit(), gaps(), trend(), people(5)))


def test_a_wide_table_stays_inside_the_page() -> None:
    columns = [Column("unit", "หน่วยงาน")] + [Column(f"c{i}", f"ตัวชี้วัดที่ {i}", "percent") for i in range(14)]
    wide = Table("wide", "ตารางกว้าง", columns, [[unit, *[12.5 * i for i in range(14)]] for unit in UNITS])
    document = pdfium.PdfDocument(render(board(wide, figures=[])))
    try:
        for page in document:
            width = page.get_width()
            textpage = page.get_textpage()
            for index in range(textpage.count_chars()):
                left, _bottom, right, _top = textpage.get_charbox(index)
                if right > left:
                    assert left >= 30, left
                    assert right <= width - 30, right
    finally:
        document.close()


def test_markup_in_names_is_printed_as_text() -> None:
    table = Table("titles", "หลักสูตร", [Column("course", "หลักสูตร"), Column("n", "จำนวน", "int")],
                  [["หลักสูตร R&D <ขั้นสูง>", 3], ["Data & AI <basic>", 4]])  # fmt: skip
    text = "\n".join(page_texts(render(board(table, figures=[]))))
    assert "หลักสูตร R&D <ขั้นสูง>" in text
    assert "Data & AI <basic>" in text


def test_an_empty_table_says_there_is_nothing_to_show() -> None:
    empty = Table("overdue", "งานที่เลยกำหนด", [Column("person", "ชื่อ"), Column("days", "วัน", "int")], [])
    text = "\n".join(page_texts(render(board(empty), language="en")))
    assert "งานที่เลยกำหนด" in text
    assert "Nothing to show for these filters." in text


def test_thai_marks_are_shaped_by_harfbuzz() -> None:
    """Over a tall upper vowel (ญี่, ปุ่ has none) HarfBuzz picks Sarabun's small tone mark; left
    unshaped, the ordinary mark would collide with the vowel. The small glyph has no code point
    of its own, so it shows up as a private-use character in the file's raw text."""
    pdf = render(board(people(1), figures=[]))
    document = pdfium.PdfDocument(pdf)
    try:
        raw = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    private = {character for character in raw if 0xE000 <= ord(character) <= 0xF8FF}
    assert private, "no shaped alternative glyph: Thai was drawn without HarfBuzz"
    names = {glyph for glyphs in _private_glyphs().values() for glyph in glyphs.values()}
    assert "\u0e48" in names  # the small mai ek over sara ii in ญี่ปุ่น
