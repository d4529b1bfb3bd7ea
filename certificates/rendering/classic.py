"""The classic design: centred, framed by a double border, like a Thai government certificate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.pdfgen.canvas import Canvas

from certificates.rendering.body import (
    SCALES,
    Body,
    Palette,
    address_lines,
    body_blocks,
    body_fits,
    signatory_columns,
)
from certificates.rendering.images import Picture, draw_picture, draw_qr
from certificates.rendering.inputs import (
    CertificateText,
    Design,
    Labels,
)
from certificates.rendering.layout import (
    DARK,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Area,
    Block,
    Stacked,
    diamond,
    fitted_lines,
    stack,
    text_lines,
)
from lms.thai_pdf.fonts import (
    FONT_BOLD,
    FONT_REGULAR,
    FONT_SEMIBOLD,
)

_CLASSIC_MARGIN = 56.0
# Where the QR code goes: (left, bottom, size) in points, quiet zone included.
CLASSIC_QR = (PAGE_WIDTH - _CLASSIC_MARGIN - 68, PAGE_HEIGHT - _CLASSIC_MARGIN - 68, 68.0)


def draw_classic(
    canvas: Canvas,
    text: CertificateText,
    design: Design,
    labels: Labels,
    palette: Palette,
    logo: Picture | None,
    signatures: Sequence[Picture | None],
) -> None:
    """Centred, framed by a double border: the look of a Thai government certificate.

    Emblem and issuing body at the top centre, the certificate number in the top left
    corner, the QR code with its short code in the top right corner, the wording centred
    below, signatures side by side at the foot. When the wording does not fit, the emblem
    moves beside the issuer's name (saving a line of height) before sizes shrink further.
    """
    _draw_classic_frame(canvas, palette)
    margin = _CLASSIC_MARGIN
    inner = Area(margin, margin - 10, PAGE_WIDTH - margin, PAGE_HEIGHT - margin)

    corner_width = 176.0
    _number_block(text, labels, corner_width).draw(canvas, inner.left, inner.top, corner_width)
    qr_left, qr_bottom, qr_size = CLASSIC_QR
    draw_qr(canvas, text.verification_url, qr_left, qr_bottom, qr_size)
    _verification_block(text, labels, corner_width, TA_RIGHT, DARK, MUTED).draw(
        canvas, inner.right - corner_width, qr_bottom - 7, corner_width
    )

    letterhead_width = inner.width - 2 * corner_width - 24
    arrangements: list[tuple[Block, Sequence[float]]] = []
    if logo is not None:
        arrangements.append((_EmblemAbove(logo, _letterhead(text, palette, letterhead_width)), SCALES[:4]))
        lockup_text = _letterhead(text, palette, letterhead_width - 60, alignment=TA_LEFT)
        arrangements.append((_EmblemBeside(logo, lockup_text), SCALES))
    else:
        arrangements.append((_letterhead(text, palette, letterhead_width), SCALES))

    def body_at(scale: float, area: Area) -> Body:
        blocks = body_blocks(
            text,
            design,
            labels,
            palette,
            area.width,
            TA_CENTER,
            scale,
            title_width=area.width * 0.86,
            opening_width=letterhead_width,
        )
        return blocks, signatory_columns(design.signatories, signatures, area.width, TA_CENTER, scale)

    bottom_gap = 16.0
    for letterhead, scales in arrangements:
        area = Area(inner.left, inner.bottom, inner.right, inner.top + 4 - letterhead.height - 14)
        for scale in scales:
            body = body_at(scale, area)
            if body_fits(body, area, bottom_gap * scale):
                break
        else:
            continue
        break
    letterhead.draw(canvas, inner.left, inner.top + 4, inner.width)
    stack(canvas, area, body[0], bottom_block=body[1], bottom_gap=bottom_gap * scale)


def _letterhead(text: CertificateText, palette: Palette, width: float, alignment: int = TA_CENTER) -> Stacked:
    """The issuing body's name, as on official letter paper."""
    return Stacked(
        [
            (
                0.0,
                fitted_lines(
                    text.issuer_name.th,
                    FONT_SEMIBOLD,
                    palette.primary,
                    width,
                    largest=12.5,
                    smallest=10,
                    max_lines=2,
                ),
            ),
            (
                1.5,
                fitted_lines(
                    text.issuer_name.en, FONT_REGULAR, MUTED, width, largest=9.5, smallest=8, max_lines=2
                ),
            ),
        ],
        alignment,
    )


_EMBLEM_HEIGHT = 48.0


@dataclass
class _EmblemAbove(Block):
    """The emblem centred above the issuer's name: the traditional letterhead."""

    logo: Picture
    name: Stacked
    gap: float = 7.0

    @property
    def height(self) -> float:  # type: ignore[override]
        return _EMBLEM_HEIGHT + self.gap + self.name.height

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        draw_picture(
            canvas, self.logo, x + width / 2 - 60, top - _EMBLEM_HEIGHT, 120, _EMBLEM_HEIGHT, vertical="top"
        )
        self.name.draw(canvas, x, top - _EMBLEM_HEIGHT - self.gap, width)


@dataclass
class _EmblemBeside(Block):
    """The emblem left of the issuer's name, the pair centred: a line of height saved."""

    logo: Picture
    name: Stacked
    emblem_height: float = 40.0
    gap: float = 12.0

    @property
    def emblem_width(self) -> float:
        return min(80.0, self.emblem_height * self.logo.width / self.logo.height)

    @property
    def height(self) -> float:  # type: ignore[override]
        return max(self.emblem_height, self.name.height)

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        text_width = max(part.width for _, part in self.name.parts)
        group = self.emblem_width + self.gap + text_width
        left = x + (width - group) / 2
        draw_picture(canvas, self.logo, left, top - self.height, self.emblem_width, self.height)
        self.name.draw(
            canvas,
            left + self.emblem_width + self.gap,
            top - (self.height - self.name.height) / 2,
            text_width,
        )


def _draw_classic_frame(canvas: Canvas, palette: Palette) -> None:
    """Double border (primary outside, accent inside) with small corner ornaments."""
    canvas.saveState()
    canvas.setStrokeColor(palette.primary)
    canvas.setLineWidth(3.2)
    canvas.rect(20, 20, PAGE_WIDTH - 40, PAGE_HEIGHT - 40, stroke=1, fill=0)
    canvas.setStrokeColor(palette.accent)
    canvas.setLineWidth(0.9)
    inset = 28.0
    canvas.rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset, stroke=1, fill=0)
    canvas.setFillColor(palette.accent)
    arm = 22.0
    for x, y, dx, dy in (
        (inset, inset, 1, 1),
        (PAGE_WIDTH - inset, inset, -1, 1),
        (inset, PAGE_HEIGHT - inset, 1, -1),
        (PAGE_WIDTH - inset, PAGE_HEIGHT - inset, -1, -1),
    ):
        canvas.setLineWidth(1.6)
        canvas.line(x + dx * 5, y + dy * 5, x + dx * (5 + arm), y + dy * 5)
        canvas.line(x + dx * 5, y + dy * 5, x + dx * 5, y + dy * (5 + arm))
        diamond(canvas, x + dx * 11, y + dy * 11, 2.6)
    canvas.restoreState()


def _number_block(text: CertificateText, labels: Labels, width: float) -> Stacked:
    return Stacked(
        [
            (0.0, text_lines(labels.number.th, FONT_SEMIBOLD, 8.5, MUTED, width)),
            (1.5, text_lines(labels.number.en, FONT_REGULAR, 7.5, MUTED, width)),
            (4.0, fitted_lines(text.number, FONT_SEMIBOLD, DARK, width, largest=11, smallest=8, max_lines=1)),
        ],
        TA_LEFT,
    )


def _verification_block(
    text: CertificateText, labels: Labels, width: float, alignment: int, strong: Color, soft: Color
) -> Stacked:
    """The short code and the address to check it at: what a reader types without a phone."""
    return Stacked(
        [
            (0.0, text_lines(labels.verification_code.th, FONT_SEMIBOLD, 8, soft, width)),
            (1.5, text_lines(labels.verification_code.en, FONT_REGULAR, 7, soft, width)),
            (
                3.0,
                fitted_lines(
                    text.verification_code, FONT_BOLD, strong, width, largest=12, smallest=9, max_lines=1
                ),
            ),
            (6.0, text_lines(labels.verify_at.th, FONT_SEMIBOLD, 8, soft, width)),
            (1.5, text_lines(labels.verify_at.en, FONT_REGULAR, 7, soft, width)),
            (
                3.0,
                address_lines(text.verification_url, strong, width),
            ),
        ],
        alignment,
    )
