"""Certificate PDFs in correct Thai: one A4 landscape page, drawn with ReportLab.

`certificate_pdf` is the entry point; its inputs are in `inputs`. Thai is shaped, broken
between words and fitted by the shared toolkit in `lms.thai_pdf` (see its docstring for why).
Inside: `layout` (the layout engine: lines and blocks), `images` (logo, signatures,
background, QR code), `body` (the wording both designs share), `classic` and `modern` (the
two designs), `certificate` (checks the design and draws the page, reproducibly).
"""

from certificates.rendering.certificate import certificate_pdf

__all__ = ["certificate_pdf"]
