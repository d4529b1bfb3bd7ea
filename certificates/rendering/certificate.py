"""One certificate as a one-page A4 landscape PDF: checks the design, then draws it.

The output must be byte-for-byte reproducible (reference images in tests, and a signed PDF
whose hash is recorded), so the canvas runs in ReportLab's invariant mode: fixed creation
date and a document ID computed from the content only.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.pdfgen.canvas import Canvas

from certificates.rendering.body import (
    Palette,
    colour_from_hex,
)
from certificates.rendering.classic import CLASSIC_QR, draw_classic
from certificates.rendering.images import draw_background, picture_from_bytes
from certificates.rendering.inputs import (
    LAYOUTS,
    MAX_SIGNATORIES,
    CertificateText,
    Design,
    Labels,
)
from certificates.rendering.layout import (
    PAGE_HEIGHT,
    PAGE_WIDTH,
)
from certificates.rendering.modern import MODERN_QR, draw_modern
from lms.thai_pdf.fonts import (
    FONT_REGULAR,
    register_fonts,
)
from lms.thai_pdf.shaping import reportlab_settings


def qr_box(layout: str) -> tuple[float, float, float]:
    """Where `layout` puts its QR code: (left, bottom, size) in points, quiet zone included.

    Tests read it to find the code on the rendered page."""
    return CLASSIC_QR if layout == "classic" else MODERN_QR


def certificate_pdf(text: CertificateText, design: Design, labels: Labels) -> bytes:
    """Render one certificate as a one-page A4 landscape PDF and return its bytes.

    The same inputs always give the same bytes. Raises ValueError for an unknown layout, a
    badly written colour, more than three signatories, or an image that is not a readable
    PNG or JPEG, so a broken upload is reported rather than turned into a broken PDF.
    """
    if design.layout not in LAYOUTS:
        raise ValueError(f"Unknown certificate layout {design.layout!r}; expected one of {LAYOUTS}.")
    if len(design.signatories) > MAX_SIGNATORIES:
        raise ValueError(
            f"A certificate has room for {MAX_SIGNATORIES} signatories, not {len(design.signatories)}."
        )
    palette = Palette(
        colour_from_hex(design.primary_colour, "primary colour"),
        colour_from_hex(design.accent_colour, "accent colour"),
    )
    background = (
        picture_from_bytes(design.background_image, "background image") if design.background_image else None
    )
    logo = picture_from_bytes(design.logo_image, "logo image") if design.logo_image else None
    signatures = [
        picture_from_bytes(
            signatory.signature_image, f"signature image of signatory {index} ({signatory.name.th})"
        )
        if signatory.signature_image
        else None
        for index, signatory in enumerate(design.signatories, start=1)
    ]
    register_fonts()

    output = BytesIO()
    with reportlab_settings():
        canvas = Canvas(
            output,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            invariant=1,
            pageCompression=1,
            lang="th",
            # Not ReportLab's default Helvetica, which the PDF would list without embedding it.
            initialFontName=FONT_REGULAR,
        )
        canvas.setTitle(f"{design.heading.th} {design.heading.en} {text.number}")
        canvas.setAuthor(f"{text.issuer_name.th} ({text.issuer_name.en})")
        canvas.setSubject(f"{text.course_title.th} ({text.course_title.en})")
        canvas.setCreator("Thaksa")
        canvas.setProducer("Thaksa")
        if background is not None:
            draw_background(canvas, background)
        draw = draw_classic if design.layout == "classic" else draw_modern
        draw(canvas, text, design, labels, palette, logo, signatures)
        canvas.showPage()
        canvas.save()
    return output.getvalue()
