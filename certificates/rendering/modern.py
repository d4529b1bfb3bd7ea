"""The modern design: a coloured band on the left holding the logo, the issuer and the QR code."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_LEFT
from reportlab.pdfgen.canvas import Canvas

from certificates.rendering.body import (
    SCALES,
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
    Stacked,
    fitted_lines,
    stack,
    text_lines,
)
from lms.thai_pdf.fonts import (
    FONT_BOLD,
    FONT_REGULAR,
    FONT_SEMIBOLD,
)

_MODERN_BAND_WIDTH = 232.0
# Where the QR code goes: (left, bottom, size) in points, quiet zone included.
MODERN_QR = (36.0, 100.0, 84.0)


def _luminance(colour: Color) -> float:
    return float(0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue)


def draw_modern(
    canvas: Canvas,
    text: CertificateText,
    design: Design,
    labels: Labels,
    palette: Palette,
    logo: Picture | None,
    signatures: Sequence[Picture | None],
) -> None:
    """A coloured band on the left (logo, issuer, number, QR code), the wording on the right."""
    band = _MODERN_BAND_WIDTH
    canvas.saveState()
    canvas.setFillColor(palette.primary)
    canvas.rect(0, 0, band, PAGE_HEIGHT, stroke=0, fill=1)
    canvas.setFillColor(palette.accent)
    canvas.rect(band, 0, 5, PAGE_HEIGHT, stroke=0, fill=1)
    canvas.restoreState()

    # Text on the band must stay readable whatever colour the issuer chose.
    light_band = _luminance(palette.primary) > 0.55
    strong = DARK if light_band else white
    soft = MUTED if light_band else HexColor("#d5dce6")
    pad = 36.0
    inner_width = band - 2 * pad
    top = PAGE_HEIGHT - 44
    if logo is not None:
        tile = 92.0
        canvas.saveState()
        canvas.setFillColor(white)
        canvas.roundRect(pad, top - tile, tile, tile, 10, stroke=0, fill=1)
        canvas.restoreState()
        draw_picture(canvas, logo, pad + 10, top - tile + 10, tile - 20, tile - 20)
        top -= tile + 24
    issuer = Stacked(
        [
            (0.0, text_lines(labels.issued_by.th, FONT_SEMIBOLD, 8.5, soft, inner_width)),
            (1.5, text_lines(labels.issued_by.en, FONT_REGULAR, 7.5, soft, inner_width)),
            (
                7.0,
                fitted_lines(
                    text.issuer_name.th,
                    FONT_BOLD,
                    strong,
                    inner_width,
                    largest=14,
                    smallest=11,
                    max_lines=3,
                    balanced=False,
                ),
            ),
            (
                3.0,
                fitted_lines(
                    text.issuer_name.en,
                    FONT_REGULAR,
                    soft,
                    inner_width,
                    largest=10,
                    smallest=8,
                    max_lines=3,
                    balanced=False,
                ),
            ),
        ],
        TA_LEFT,
    )
    issuer.draw(canvas, pad, top, inner_width)
    top -= issuer.height + 22
    number = Stacked(
        [
            (0.0, text_lines(labels.number.th, FONT_SEMIBOLD, 8.5, soft, inner_width)),
            (1.5, text_lines(labels.number.en, FONT_REGULAR, 7.5, soft, inner_width)),
            (
                4.0,
                fitted_lines(
                    text.number, FONT_SEMIBOLD, strong, inner_width, largest=12, smallest=8, max_lines=1
                ),
            ),
        ],
        TA_LEFT,
    )
    number.draw(canvas, pad, top, inner_width)

    qr_left, qr_bottom, qr_size = MODERN_QR
    draw_qr(canvas, text.verification_url, qr_left, qr_bottom, qr_size)
    code_left = qr_left + qr_size + 12
    code_width = band - code_left - 12
    code = Stacked(
        [
            (0.0, text_lines(labels.verification_code.th, FONT_SEMIBOLD, 8, soft, code_width)),
            (1.5, text_lines(labels.verification_code.en, FONT_REGULAR, 7, soft, code_width)),
            (
                4.0,
                fitted_lines(
                    text.verification_code, FONT_BOLD, strong, code_width, largest=13, smallest=8, max_lines=1
                ),
            ),
        ],
        TA_LEFT,
    )
    code.draw(canvas, code_left, qr_bottom + qr_size - 2, code_width)
    address = Stacked(
        [
            (0.0, text_lines(labels.verify_at.th, FONT_SEMIBOLD, 8, soft, inner_width)),
            (1.5, text_lines(labels.verify_at.en, FONT_REGULAR, 7, soft, inner_width)),
            (
                3.0,
                address_lines(text.verification_url, strong, inner_width),
            ),
        ],
        TA_LEFT,
    )
    address.draw(canvas, pad, qr_bottom - 14, inner_width)

    main = Area(band + 5 + 52, 44, PAGE_WIDTH - 48, PAGE_HEIGHT - 48)

    bottom_gap = 18.0
    for scale in SCALES:
        blocks = body_blocks(
            text,
            design,
            labels,
            palette,
            main.width,
            TA_LEFT,
            scale,
            title_width=main.width,
            opening_width=main.width,
        )
        body = (blocks, signatory_columns(design.signatories, signatures, main.width, TA_LEFT, scale))
        if body_fits(body, main, bottom_gap * scale):
            break
    stack(canvas, main, body[0], bottom_block=body[1], bottom_gap=bottom_gap * scale)
