"""The certificate's wording as blocks, shared by both designs: heading, statement, holder,
course, details, competencies, signatories, and the verification address.

Everything is built at a `scale` (see `SCALES`): a design tries the natural sizes first and
shrinks until the wording fits its area.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from certificates.rendering.images import Picture, draw_picture
from certificates.rendering.inputs import (
    Bilingual,
    CertificateText,
    Design,
    Labels,
    Signatory,
)
from certificates.rendering.layout import (
    DARK,
    MUTED,
    RULE,
    Area,
    Block,
    Bulleted,
    Columns,
    Grid,
    Lines,
    Padded,
    Rule,
    Shifted,
    Stacked,
    VerticalGroup,
    fitted_lines,
    stacked_pair,
    text_lines,
    total_height,
)
from lms.thai_pdf.fonts import (
    FONT_BOLD,
    FONT_ITALIC,
    FONT_REGULAR,
    FONT_SEMIBOLD,
)


@dataclass(frozen=True)
class Palette:
    primary: Color
    accent: Color


def colour_from_hex(value: str, what: str) -> Color:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        raise ValueError(f"The {what} must be a colour written as #rrggbb, not {value!r}.")
    return HexColor(value)


# Captions stay readable however much the rest shrinks.
_CAPTION_TH_FLOOR = 7.0
_CAPTION_EN_FLOOR = 6.5


def _size(base: float, scale: float, floor: float = 0.0) -> float:
    return max(floor, base * scale)


def _details(text: CertificateText, labels: Labels) -> list[tuple[Bilingual, Bilingual]]:
    details = [(labels.completed_on, text.completed_on), (labels.hours, text.hours)]
    if text.score is not None:
        details.append((labels.score, text.score))
    if text.valid_until is not None:
        details.append((labels.valid_until, text.valid_until))
    return details


def _detail_cell(label: Bilingual, value: Bilingual, width: float, alignment: int, scale: float) -> Stacked:
    """Caption (Thai, then English) above the value (Thai, then English)."""
    return Stacked(
        [
            (0.0, text_lines(label.th, FONT_SEMIBOLD, _size(8.5, scale, _CAPTION_TH_FLOOR), MUTED, width)),
            (1.5, text_lines(label.en, FONT_REGULAR, _size(7.5, scale, _CAPTION_EN_FLOOR), MUTED, width)),
            (4.0 * scale, text_lines(value.th, FONT_BOLD, _size(12.0, scale, 9.5), DARK, width)),
            (1.5, text_lines(value.en, FONT_REGULAR, _size(9.5, scale, 8.0), DARK, width)),
        ],
        alignment,
    )


def _details_block(
    text: CertificateText,
    labels: Labels,
    width: float,
    alignment: int,
    scale: float,
    palette: Palette,
    *,
    per_row: int,
) -> Block:
    """Completion date, hours, score and expiry: caption over value, columns with thin rules."""
    details = _details(text, labels)
    per_row = min(per_row, len(details))
    cell_width = min(172.0, width / per_row)
    rows: list[Columns] = []
    for start in range(0, len(details), per_row):
        cells: list[Block] = []
        for index, (label, value) in enumerate(details[start : start + per_row]):
            if alignment == TA_CENTER:
                cells.append(Padded(_detail_cell(label, value, cell_width - 16, alignment, scale), 8.0))
            else:
                shift = 12.0 if index else 0.0
                cell = _detail_cell(label, value, cell_width - shift - 8, alignment, scale)
                cells.append(Shifted(cell, shift))
        rows.append(Columns(cells, cell_width, alignment, separator=palette.accent))
    return Grid(rows, 9.0 * scale)


def _competencies(
    text: CertificateText,
    labels: Labels,
    width: float,
    alignment: int,
    scale: float,
    palette: Palette,
    columns: int,
) -> Block | None:
    """The competencies the course certifies: a caption, then a grid of Thai/English names."""
    if not text.competencies:
        return None
    count = len(text.competencies)
    per_row = min(columns, count)
    if count == 4 and columns >= 3:
        per_row = 2  # 2 + 2 reads better than 3 + 1
    cell_width = min(240.0, width / per_row) if alignment == TA_CENTER else width / per_row
    caption = stacked_pair(
        labels.competencies,
        width,
        alignment,
        th=(FONT_SEMIBOLD, _size(8.5, scale, _CAPTION_TH_FLOOR), MUTED),
        en=(FONT_REGULAR, _size(7.5, scale, _CAPTION_EN_FLOOR), MUTED),
        gap=1.5,
    )
    th_size, en_size = _size(10.0, scale, 8.0), _size(8.5, scale, _CAPTION_EN_FLOOR)
    rows: list[Columns] = []
    for start in range(0, count, per_row):
        cells: list[Block] = []
        for competency in text.competencies[start : start + per_row]:
            if alignment == TA_CENTER:
                inner = stacked_pair(
                    competency,
                    cell_width - 16,
                    TA_CENTER,
                    th=(FONT_SEMIBOLD, th_size, DARK),
                    en=(FONT_REGULAR, en_size, MUTED),
                    gap=1.0,
                    balanced=True,
                )
                cells.append(Padded(inner, 8.0))
            else:
                inner = stacked_pair(
                    competency,
                    cell_width - 11 - 12,
                    TA_LEFT,
                    th=(FONT_SEMIBOLD, th_size, DARK),
                    en=(FONT_REGULAR, en_size, MUTED),
                    gap=1.0,
                )
                cells.append(Bulleted(inner, palette.accent, th_size))
        rows.append(Columns(cells, cell_width, alignment))
    return VerticalGroup([(0.0, caption), (6.0 * scale, Grid(rows, 6.0 * scale))])


@dataclass
class _SignatoryBlock(Block):
    """Signature image above a dotted line, then the name in brackets (Thai custom), position."""

    picture: Picture | None
    text: Stacked
    line_width: float
    alignment: int
    signature_height: float

    @property
    def height(self) -> float:  # type: ignore[override]
        return self.signature_height + 5.0 + self.text.height

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        line_y = top - self.signature_height
        line_left = x + (width - self.line_width) / 2 if self.alignment == TA_CENTER else x
        if self.picture is not None:
            draw_picture(
                canvas,
                self.picture,
                line_left + 6,
                line_y + 1.5,
                self.line_width - 12,
                self.signature_height - 2,
                horizontal="centre",
                vertical="bottom",
            )
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.setDash(1, 1.6)
        canvas.line(line_left, line_y, line_left + self.line_width, line_y)
        canvas.restoreState()
        self.text.draw(canvas, x, line_y - 5.0, width)


def signatory_columns(
    signatories: Sequence[Signatory],
    pictures: Sequence[Picture | None],
    width: float,
    alignment: int,
    scale: float,
) -> Columns | None:
    """Signatories side by side, each column as wide as three would need (or less)."""
    if not signatories:
        return None
    cell_width = min(236.0, width / len(signatories))
    text_width = cell_width - 16
    cells: list[Block] = []
    for signatory, picture in zip(signatories, pictures, strict=True):
        text = Stacked(
            [
                (
                    0.0,
                    fitted_lines(
                        f"({signatory.name.th})",
                        FONT_SEMIBOLD,
                        DARK,
                        text_width,
                        largest=_size(10.5, scale, 8.5),
                        smallest=8.0,
                        max_lines=1,
                    ),
                ),
                (
                    1.5,
                    fitted_lines(
                        signatory.name.en,
                        FONT_REGULAR,
                        MUTED,
                        text_width,
                        largest=_size(8.5, scale, 7.0),
                        smallest=6.5,
                        max_lines=1,
                    ),
                ),
                (
                    3.0 * scale,
                    text_lines(signatory.position.th, FONT_REGULAR, _size(9.5, scale, 7.5), DARK, text_width),
                ),
                (
                    1.5,
                    text_lines(
                        signatory.position.en,
                        FONT_REGULAR,
                        _size(8.0, scale, _CAPTION_EN_FLOOR),
                        MUTED,
                        text_width,
                    ),
                ),
            ],
            alignment,
        )
        block = _SignatoryBlock(picture, text, min(150.0, text_width), alignment, 38.0 * scale)
        cells.append(Padded(block, 8.0) if alignment == TA_CENTER else Shifted(block, 0.0))
    return Columns(cells, cell_width, alignment)


SCALES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7)


def body_blocks(
    text: CertificateText,
    design: Design,
    labels: Labels,
    palette: Palette,
    width: float,
    alignment: int,
    scale: float,
    *,
    title_width: float,
    opening_width: float,
) -> list[tuple[float, Block]]:
    """The certificate's wording, top to bottom, at `scale` times the natural sizes.

    The opening lines (heading, statement, name, completion) are kept within
    `opening_width`: on the classic page they run between the corner blocks.
    """
    gap = scale * scale  # white space gives way faster than text
    blocks: list[tuple[float, Block]] = [
        (
            0.0,
            Stacked(
                [
                    (
                        0.0,
                        text_lines(design.heading.th, FONT_BOLD, 34 * scale, palette.primary, opening_width),
                    ),
                    (
                        2.0,
                        text_lines(
                            design.heading.en.upper(),
                            FONT_SEMIBOLD,
                            12 * scale,
                            palette.accent,
                            opening_width,
                        ),
                    ),
                ],
                alignment,
            ),
        ),
        (
            16.0 * gap,
            stacked_pair(
                design.statement,
                opening_width,
                alignment,
                th=(FONT_REGULAR, _size(13, scale, 10), DARK),
                en=(FONT_ITALIC, _size(10.5, scale, 8), MUTED),
                gap=1.5,
            ),
        ),
        (
            10.0 * gap,
            Stacked(
                [
                    (
                        0.0,
                        fitted_lines(
                            text.holder_name.th,
                            FONT_BOLD,
                            palette.primary,
                            opening_width,
                            largest=31 * scale,
                            smallest=20 * scale,
                            max_lines=1,
                        ),
                    ),
                    (
                        4.0 * scale,
                        fitted_lines(
                            text.holder_name.en,
                            FONT_SEMIBOLD,
                            DARK,
                            opening_width,
                            largest=15 * scale,
                            smallest=11 * scale,
                            max_lines=1,
                        ),
                    ),
                ],
                alignment,
            ),
        ),
        (7.0 * gap, Rule(220.0 if alignment == TA_CENTER else 160.0, palette.accent, alignment)),
        (
            8.0 * gap,
            stacked_pair(
                design.completion,
                opening_width,
                alignment,
                th=(FONT_REGULAR, _size(13, scale, 10), DARK),
                en=(FONT_ITALIC, _size(10.5, scale, 8), MUTED),
                gap=1.5,
            ),
        ),
    ]
    title = fitted_lines(
        text.course_title.th,
        FONT_BOLD,
        palette.primary,
        title_width,
        largest=21 * scale,
        smallest=15 * scale,
        max_lines=2,
        leading_factor=1.38,
    )
    title_en = fitted_lines(
        text.course_title.en,
        FONT_SEMIBOLD,
        DARK,
        title_width,
        largest=min(13.0 * scale, title.size * 0.64),
        smallest=10 * scale,
        max_lines=2,
        leading_factor=1.2,
    )
    blocks.append(
        (
            8.0 * gap,
            Stacked(
                [
                    (0.0, title),
                    (3.0 * scale, title_en),
                    (
                        6.0 * scale,
                        text_lines(text.partner_name.th, FONT_REGULAR, _size(10.5, scale, 8), MUTED, width),
                    ),
                    (1.5, text_lines(text.partner_name.en, FONT_REGULAR, _size(9, scale, 7), MUTED, width)),
                ],
                alignment,
            ),
        )
    )
    blocks.append((16.0 * gap, _details_block(text, labels, width, alignment, scale, palette, per_row=4)))
    columns = 3 if alignment == TA_CENTER else 2
    competencies = _competencies(text, labels, width, alignment, scale, palette, columns)
    if competencies is not None:
        blocks.append((14.0 * gap, competencies))
    return blocks


Body = tuple[list[tuple[float, Block]], Block | None]  # blocks top-down, signatures at the foot


def body_fits(body: Body, area: Area, bottom_gap: float) -> bool:
    return total_height(body[0], body[1], bottom_gap) <= area.height


_URL_BREAK_AFTER = re.compile(r"[^/?&=.\-]*[/?&=.\-]?")


def address_lines(
    url: str, colour: Color, width: float, *, largest: float = 7.5, smallest: float = 6.0
) -> Lines:
    """The verification address on one line if it fits at a readable size, else broken after
    "/", "?", "&", "=", "." or "-" (and, for a run longer than the line, anywhere): an address
    must be printed whole, however long the site's host name is."""
    natural = pdfmetrics.stringWidth(url, FONT_REGULAR, 1.0)
    if natural * smallest <= width:
        return Lines((url,), FONT_REGULAR, min(largest, width / natural), colour, 1.3)

    def fits(piece: str) -> bool:
        return bool(pdfmetrics.stringWidth(piece, FONT_REGULAR, smallest) <= width)

    lines: list[str] = []
    line = ""
    for piece in filter(None, _URL_BREAK_AFTER.findall(url)):
        if fits(line + piece):
            line += piece
            continue
        if line:
            lines.append(line)
        while not fits(piece):
            cut = 1
            while cut < len(piece) and fits(piece[: cut + 1]):
                cut += 1
            lines.append(piece[:cut])
            piece = piece[cut:]
        line = piece
    if line:
        lines.append(line)
    return Lines(tuple(lines), FONT_REGULAR, smallest, colour, 1.3)
