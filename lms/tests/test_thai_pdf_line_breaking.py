"""Thai line breaking for PDFs: lines end only between words, fit their width, lose nothing."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from lms.thai_pdf.fonts import FONT_BOLD, FONT_REGULAR
from lms.thai_pdf.line_breaking import thai_lines

LONG_THAI_TITLE = (
    "การคุ้มครองข้อมูลส่วนบุคคลสำหรับเจ้าหน้าที่ภาครัฐ: หลักการ สิทธิของเจ้าของข้อมูล และการแจ้งเหตุละเมิดข้อมูลส่วนบุคคล"
)


def _token_boundaries(text: str) -> set[int]:
    from pythainlp.tokenize import word_tokenize

    boundaries = {0}
    position = 0
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        position += len(token)
        boundaries.add(position)
    return boundaries


@pytest.mark.parametrize(
    ("text", "font", "size", "width"),
    [
        (LONG_THAI_TITLE, FONT_BOLD, 20, 300),
        (LONG_THAI_TITLE, FONT_REGULAR, 12, 150),
        ("หลักสูตร e-Learning สำหรับผู้บริหารระดับสูง (Executive Programme) รุ่นที่ 12", FONT_REGULAR, 14, 170),
        ("Personal data protection for government officials, level 2", FONT_REGULAR, 11, 120),
    ],
)
def test_thai_lines_break_only_between_words_and_fit(text: str, font: str, size: float, width: float) -> None:
    lines = thai_lines(text, font_name=font, font_size=size, width=width)
    assert len(lines) > 1
    boundaries = _token_boundaries(text)
    position = 0
    for line in lines:
        assert pdfmetrics.stringWidth(line, font, size) <= width + 1e-6, line
        assert line == line.strip()
        start = text.index(line, position)
        assert text[position:start].strip() == "", "only whitespace may be dropped between lines"
        assert start in boundaries, f"line starts inside a word: {line!r}"
        assert start + len(line) in boundaries, f"line ends inside a word: {line!r}"
        position = start + len(line)
    assert text[position:].strip() == ""
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_thai_lines_keep_an_overlong_word_whole() -> None:
    """A word wider than the line is emitted on its own line, whole: never cut, never lost."""
    lines = thai_lines("ก ไซเบอร์ ข", font_name=FONT_REGULAR, font_size=30, width=20)
    assert lines == ["ก", "ไซเบอร์", "ข"]
    assert thai_lines("ไซเบอร์", font_name=FONT_REGULAR, font_size=30, width=1) == ["ไซเบอร์"]
    assert thai_lines("", font_name=FONT_REGULAR, font_size=12, width=100) == []


def test_thai_lines_break_a_long_dictionary_compound_between_its_words() -> None:
    """Institution names are single dictionary entries; on a narrow line they break between words."""
    name = "สำนักงานคณะกรรมการข้าราชการพลเรือน"
    whole_width = pdfmetrics.stringWidth(name, FONT_BOLD, 14)
    lines = thai_lines(name, font_name=FONT_BOLD, font_size=14, width=whole_width * 0.6)
    assert lines == ["สำนักงานคณะกรรมการ", "ข้าราชการพลเรือน"]
    # Where the whole name fits, it stays whole.
    assert thai_lines(name, font_name=FONT_BOLD, font_size=14, width=whole_width) == [name]


def test_thai_lines_keep_punctuation_and_latin_runs_together() -> None:
    lines = thai_lines("ภาครัฐ: ร้อยละ 86.5% ของ e-Learning", font_name=FONT_REGULAR, font_size=12, width=1)
    assert lines == ["ภาครัฐ:", "ร้อยละ", "86.5%", "ของ", "e-Learning"]
