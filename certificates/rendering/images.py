"""Pictures on a certificate (logo, signatures, background) and its QR code.

Uploaded images are checked whole before ReportLab sees them, so a broken upload is reported
by name rather than turned into a broken PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

import segno
from PIL import Image, UnidentifiedImageError
from reportlab.lib.colors import HexColor, white
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from certificates.rendering.layout import (
    PAGE_HEIGHT,
    PAGE_WIDTH,
)


@dataclass(frozen=True)
class Picture:
    reader: ImageReader
    width: int
    height: int


class _UnreadableImage(Exception):
    pass


def picture_from_bytes(data: bytes, what: str) -> Picture:
    """Read PNG or JPEG bytes, or raise ValueError naming which image is broken.

    ReportLab would otherwise fail deep inside `drawImage`, or worse embed bytes that make a
    PDF reader show an error, so the image is checked whole with Pillow first.
    """
    try:
        return _decoded_picture(data)
    except _UnreadableImage as error:
        raise ValueError(f"The {what} {error}: upload it again as a PNG or JPEG file.") from error.__cause__


@lru_cache(maxsize=16)
def _decoded_picture(data: bytes) -> Picture:
    """The checked image, kept: logo, signatures and background repeat on every certificate
    of a design, and the reader keeps its decoded pixels for the next document."""
    try:
        with Image.open(BytesIO(data)) as probe:
            image_format = probe.format
            probe.verify()
        with Image.open(BytesIO(data)) as image:
            image.load()
            size = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise _UnreadableImage("could not be read (the file is damaged or incomplete)") from error
    if image_format not in ("PNG", "JPEG"):
        raise _UnreadableImage(f"is a {image_format} image; certificates take PNG or JPEG")
    # JPEG is embedded as it is; PNG is decoded by ReportLab and compressed again (for a
    # full-page background that is most of a render's time: prefer JPEG backgrounds).
    return Picture(ImageReader(BytesIO(data)), size[0], size[1])


def draw_picture(
    canvas: Canvas,
    picture: Picture,
    x: float,
    y: float,
    box_width: float,
    box_height: float,
    *,
    horizontal: str = "centre",
    vertical: str = "middle",
) -> None:
    """Draw `picture` as large as fits in the box, keeping its proportions."""
    scale = min(box_width / picture.width, box_height / picture.height)
    width, height = picture.width * scale, picture.height * scale
    left = {"left": x, "centre": x + (box_width - width) / 2, "right": x + box_width - width}[horizontal]
    bottom = {"bottom": y, "middle": y + (box_height - height) / 2, "top": y + box_height - height}[vertical]
    canvas.drawImage(picture.reader, left, bottom, width, height, mask="auto")


def draw_background(canvas: Canvas, picture: Picture) -> None:
    """Cover the whole page with the background, cropping what overflows (never distorting)."""
    scale = max(PAGE_WIDTH / picture.width, PAGE_HEIGHT / picture.height)
    width, height = picture.width * scale, picture.height * scale
    canvas.drawImage(
        picture.reader, (PAGE_WIDTH - width) / 2, (PAGE_HEIGHT - height) / 2, width, height, mask="auto"
    )


# --------------------------------------------------------------------------------------------
# QR code
# --------------------------------------------------------------------------------------------

QR_QUIET_ZONE = 4  # modules of white around the code, as ISO/IEC 18004 requires


def _qr_matrix(url: str) -> tuple[bytearray, ...]:
    """The QR code's modules, without the quiet zone. Level M survives a worn print."""
    return segno.make(url, error="m", micro=False).matrix


@dataclass(frozen=True)
class _PathCode:
    """Ready-made PDF path operators, for `Canvas.drawPath` (which only asks for `getCode`).

    Formatting a few hundred rectangles through ReportLab's path object costs about 2 ms in
    pure-Python number formatting; module coordinates are small integers, so plain `str`
    does the same job in a tenth of the time.
    """

    code: str

    def getCode(self) -> str:  # noqa: N802 - the name ReportLab calls
        return self.code


def draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as vector squares filling the box, quiet zone included.

    The box is painted white first, so the code scans on a coloured band or a background
    image. Dark modules in a row are merged into one rectangle: fewer path segments, and no
    hairline seams between neighbours in anti-aliased viewers. Coordinates are in modules,
    counted from the top left corner of the quiet zone (the canvas is scaled to match).
    """
    matrix = _qr_matrix(url)
    modules = len(matrix) + 2 * QR_QUIET_ZONE
    rectangles: list[str] = ["n"]
    for row_index, row in enumerate(matrix):
        top = row_index + QR_QUIET_ZONE
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            rectangles.append(f"{start + QR_QUIET_ZONE} {top} {column - start} 1 re")
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    canvas.translate(x, y + size)
    canvas.scale(size / modules, -size / modules)
    canvas.drawPath(_PathCode(" ".join(rectangles)), fill=1, stroke=0)
    canvas.restoreState()
