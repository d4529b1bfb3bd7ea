"""Certificate rendering: pixels compared with reviewed reference images, and Thai checked.

The sample certificates below are rendered, rasterised with pdfium at 100 dpi and compared
with the PNG files in `certificates/tests/reference/` (stored with a 256-colour palette),
which a person looked at and accepted.
A pixel "differs" when its grey level is more than 40 levels off (anti-aliasing noise stays
below that). A render matches when fewer than 0.01 % of all pixels differ and no 32 x 32
pixel tile has more than 1 % of its pixels differing.

Why so tight: Thai rendered without shaping (tone marks sunk into the vowels) changes only
0.03-0.04 % of a page's pixels, so the often-quoted "0.2 % of pixels" would let broken Thai
pass; `test_comparison_catches_unshaped_thai` proves the tolerance here does not. The same
PDF rasterised by the same pinned pdfium gives identical pixels, so the tolerance only has
to absorb small anti-aliasing differences between machines; a sub-pixel shift of the whole
layout (0.05 pt) already changes about 0.4 % of the pixels, and counts as a change.

On a mismatch the test writes the actual image and a diff image (differing pixels in red)
to `test-artifacts/certificates/` and fails with the numbers.

To accept a deliberate change of the design, regenerate the references, look at every one
of them, and commit them:

    THAKSA_UPDATE_REFERENCE_IMAGES=1 .venv/bin/pytest certificates/tests/test_rendering.py

A missing reference is a failure, never a silent pass.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import segno
from PIL import Image, ImageChops, ImageDraw

from certificates.rendering import certificate_pdf, layout
from certificates.rendering.certificate import qr_box
from certificates.rendering.inputs import Bilingual, CertificateText, Design, Labels, Signatory

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACT_DIR = PROJECT_ROOT / "test-artifacts" / "certificates"
UPDATE_REFERENCES = os.environ.get("THAKSA_UPDATE_REFERENCE_IMAGES") == "1"

REFERENCE_DPI = 100
GREY_LEVELS_TOLERATED = 40
DIFFERING_SHARE_TOLERATED = 0.0001
TILE = 32
TILE_SHARE_TOLERATED = 0.01

LONG_THAI_TITLE = (
    "การคุ้มครองข้อมูลส่วนบุคคลสำหรับเจ้าหน้าที่ภาครัฐ: หลักการ สิทธิของเจ้าของข้อมูล และการแจ้งเหตุละเมิดข้อมูลส่วนบุคคล"
)
SHAPING_SAMPLE = "ผู้ใหญ่ ญี่ปุ่น ฐาน ป้ำ"


# --------------------------------------------------------------------------------------------
# Sample inputs
# --------------------------------------------------------------------------------------------


def labels() -> Labels:
    return Labels(
        number=Bilingual("เลขที่", "No."),
        verification_code=Bilingual("รหัสตรวจสอบ", "Verification code"),
        completed_on=Bilingual("สำเร็จการอบรมเมื่อ", "Completed on"),
        hours=Bilingual("จำนวนชั่วโมงการอบรม", "Learning hours"),
        score=Bilingual("ผลคะแนน", "Score"),
        valid_until=Bilingual("ใช้ได้ถึง", "Valid until"),
        competencies=Bilingual("สมรรถนะที่ได้รับการรับรอง", "Competencies certified"),
        verify_at=Bilingual("ตรวจสอบความถูกต้องได้ที่", "Verify at"),
        issued_by=Bilingual("ออกโดย", "Issued by"),
    )


def signature_png(seed: int) -> bytes:
    """A small hand-drawn-looking signature: a few joined loops in dark blue ink, transparent."""
    image = Image.new("RGBA", (240, 80), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = []
    for step in range(120):
        t = step / 119
        x = 14 + 210 * t
        y = 44 - 22 * math.sin(t * math.pi * (3 + seed)) * (1 - 0.5 * t) + 8 * math.cos(t * 17 + seed)
        points.append((x, y))
    draw.line(points, fill=(23, 37, 84, 255), width=3, joint="curve")
    draw.line([(30 + 10 * seed, 64), (200 - 8 * seed, 58)], fill=(23, 37, 84, 255), width=2)
    output = BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def logo_png() -> bytes:
    """An emblem: gold ring, navy disc, a white stylised book."""
    image = Image.new("RGBA", (200, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 196, 196), fill=(184, 134, 11, 255))
    draw.ellipse((16, 16, 184, 184), fill=(31, 58, 95, 255))
    draw.polygon([(52, 70), (98, 84), (98, 146), (52, 132)], fill=(255, 255, 255, 255))
    draw.polygon([(102, 84), (148, 70), (148, 132), (102, 146)], fill=(255, 255, 255, 255))
    draw.ellipse((86, 36, 114, 64), fill=(184, 134, 11, 255))
    output = BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def background_png() -> bytes:
    """Ivory security paper: fine concentric waves in pale gold, as on printed certificates."""
    width, height = 842, 595
    image = Image.new("RGB", (width, height), (252, 250, 243))
    draw = ImageDraw.Draw(image)
    centre_x, centre_y = width / 2, height / 2
    for ring in range(8, 520, 9):
        points = []
        for step in range(361):
            angle = math.radians(step)
            radius = ring + 2.5 * math.sin(angle * 12)
            points.append((centre_x + radius * 1.35 * math.cos(angle), centre_y + radius * math.sin(angle)))
        draw.line(points, fill=(241, 233, 211), width=1)
    output = BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def design(layout: str, **changes: object) -> Design:
    values: dict[str, object] = {
        "layout": layout,
        "primary_colour": "#1f3a5f",
        "accent_colour": "#b8860b",
        "heading": Bilingual("ประกาศนียบัตร", "Certificate of Completion"),
        "statement": Bilingual("ขอมอบประกาศนียบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า", "This is to certify that"),
        "completion": Bilingual("ได้สำเร็จการอบรมหลักสูตร", "has successfully completed the course"),
        "signatories": (
            Signatory(
                Bilingual("นายปกรณ์ วงศ์สวัสดิ์", "Mr. Pakorn Wongsawat"),
                Bilingual("ผู้อำนวยการสถาบันพัฒนาข้าราชการพลเรือน", "Director, Civil Service Training Institute"),
                signature_png(0),
            ),
        ),
    }
    values.update(changes)
    return Design(**values)  # type: ignore[arg-type]


def certificate_text(**changes: object) -> CertificateText:
    values: dict[str, object] = {
        "holder_name": Bilingual("นางสาวสุดารัตน์ ทองดี", "Miss Sudarat Thongdee"),
        "course_title": Bilingual(
            "การใช้ข้อมูลเพื่อการตัดสินใจในภาครัฐ", "Data-Driven Decision Making in the Public Sector"
        ),
        "partner_name": Bilingual("มหาวิทยาลัยธรรมศาสตร์", "Thammasat University"),
        "issuer_name": Bilingual("สำนักงานคณะกรรมการข้าราชการพลเรือน", "Office of the Civil Service Commission"),
        "completed_on": Bilingual("15 มีนาคม 2569", "15 March 2026"),
        "hours": Bilingual("6 ชั่วโมง", "6 hours"),
        "competencies": (
            Bilingual("การวิเคราะห์ข้อมูล ระดับ 2", "Data analysis, level 2"),
            Bilingual("การคิดเชิงกลยุทธ์ ระดับ 1", "Strategic thinking, level 1"),
        ),
        "score": Bilingual("ร้อยละ 86", "86%"),
        "valid_until": None,
        "number": "TKS-2569-000123",
        "verification_code": "7KQ4-M2XP",
        "verification_url": "https://thaksa.go.th/verify/k3J9xQ2mV8pL5tR7wZ4bN6",
    }
    values.update(changes)
    return CertificateText(**values)  # type: ignore[arg-type]


def full_sample(layout: str) -> tuple[CertificateText, Design]:
    """Everything at once: very long Thai title, six competencies, three signatories, a logo."""
    text = certificate_text(
        course_title=Bilingual(
            LONG_THAI_TITLE,
            "Personal Data Protection for Government Officials: Principles, Data Subject Rights"
            " and Personal Data Breach Notification",
        ),
        competencies=(
            Bilingual("การคุ้มครองข้อมูลส่วนบุคคล ระดับ 2", "Personal data protection, level 2"),
            Bilingual("การบริหารความเสี่ยงด้านความมั่นคงปลอดภัยไซเบอร์", "Cybersecurity risk management"),
            Bilingual("ธรรมาภิบาลข้อมูลภาครัฐ ระดับ 2", "Government data governance, level 2"),
            Bilingual("การจัดการเหตุการณ์ละเมิดข้อมูล", "Data breach incident handling"),
            Bilingual("กฎหมายดิจิทัล ระดับ 1", "Digital law, level 1"),
            Bilingual("การสื่อสารความเสี่ยงต่อประชาชน", "Communicating risk to citizens"),
        ),
        score=Bilingual("ร้อยละ 92", "92%"),
        valid_until=Bilingual("15 มีนาคม 2571", "15 March 2028"),
        hours=Bilingual("18 ชั่วโมง", "18 hours"),
    )
    signatories = (
        Signatory(
            Bilingual("นายปกรณ์ วงศ์สวัสดิ์", "Mr. Pakorn Wongsawat"),
            Bilingual("เลขาธิการ ก.พ.", "Secretary-General, OCSC"),
            signature_png(0),
        ),
        Signatory(
            Bilingual("รองศาสตราจารย์ ดร.ศิริพร ใจงาม", "Assoc. Prof. Siriporn Jaingam, Ph.D."),
            Bilingual("คณบดีคณะนิติศาสตร์ มหาวิทยาลัยธรรมศาสตร์", "Dean, Faculty of Law, Thammasat University"),
            signature_png(1),
        ),
        Signatory(
            Bilingual("นางวิไลวรรณ ศรีสุข", "Mrs. Wilaiwan Srisuk"),
            Bilingual("ผู้อำนวยการสถาบันพัฒนาข้าราชการพลเรือน", "Director, Civil Service Training Institute"),
            signature_png(2),
        ),
    )
    return text, design(layout, signatories=signatories, logo_image=logo_png())


def minimal_sample() -> tuple[CertificateText, Design]:
    """The least a certificate can say: no score, no expiry, no competencies, no signatures."""
    text = certificate_text(competencies=(), score=None, valid_until=None)
    return text, design("classic", signatories=())


SAMPLES = {
    "classic": lambda: (certificate_text(), design("classic", background_image=background_png())),
    "modern": lambda: (certificate_text(), design("modern", logo_image=logo_png())),
    "classic-full": lambda: full_sample("classic"),
    "modern-full": lambda: full_sample("modern"),
    "minimal": minimal_sample,
}


# --------------------------------------------------------------------------------------------
# Rasterising and comparing
# --------------------------------------------------------------------------------------------


def rasterise(pdf: bytes, dpi: float = REFERENCE_DPI) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 1, "a certificate is one page"
        return document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()


@dataclass(frozen=True)
class Comparison:
    share: float  # of all pixels, differing by more than GREY_LEVELS_TOLERATED
    worst_tile_share: float  # the same, in the worst TILE x TILE block
    diff_image: Image.Image  # the reference, faded, with differing pixels in red

    @property
    def matches(self) -> bool:
        return self.share < DIFFERING_SHARE_TOLERATED and self.worst_tile_share <= TILE_SHARE_TOLERATED

    def __str__(self) -> str:
        return (
            f"{self.share:.4%} of pixels differ by more than {GREY_LEVELS_TOLERATED} grey levels "
            f"(tolerated: {DIFFERING_SHARE_TOLERATED:.2%}); "
            f"worst {TILE}x{TILE} tile {self.worst_tile_share:.2%} (tolerated: {TILE_SHARE_TOLERATED:.0%})"
        )


def compare(actual: Image.Image, reference: Image.Image) -> Comparison:
    assert actual.size == reference.size, f"size {actual.size} differs from the reference's {reference.size}"
    difference = ImageChops.difference(actual.convert("L"), reference.convert("L"))
    mask = difference.point(lambda level: 255 if level > GREY_LEVELS_TOLERATED else 0)
    differing = mask.histogram()[255]
    # Box-averaging the 0/255 mask over tiles gives each tile's differing share.
    worst_tile = max(mask.reduce(TILE).getextrema()[1], 0) / 255
    diff_image = Image.blend(reference.convert("RGB"), Image.new("RGB", reference.size, "white"), 0.75)
    diff_image.paste(Image.new("RGB", reference.size, (220, 0, 0)), mask=mask)
    return Comparison(differing / (actual.width * actual.height), worst_tile, diff_image)


def render_sample(name: str) -> bytes:
    text, sample_design = SAMPLES[name]()
    return certificate_pdf(text, sample_design, labels())


def save_reference(image: Image.Image, path: Path) -> None:
    """Store a reference as a 256-colour PNG: a fifth of the size, and still in colour for the
    people who review it. Quantising moves grey levels by 15 at most, well inside the 40
    tolerated (and `test_comparison_catches_unshaped_thai` runs against these files)."""
    image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(path, optimize=True)


def reference_image(name: str) -> Image.Image:
    reference_path = REFERENCE_DIR / f"{name}.png"
    if not reference_path.exists():
        pytest.fail(
            f"No reference image {reference_path}. Render it, look at it, and commit it: "
            "THAKSA_UPDATE_REFERENCE_IMAGES=1 .venv/bin/pytest certificates/tests/test_rendering.py"
        )
    with Image.open(reference_path) as stored:
        return stored.convert("RGB")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_matches_reference_image(name: str) -> None:
    actual = rasterise(render_sample(name))
    if UPDATE_REFERENCES:
        REFERENCE_DIR.mkdir(exist_ok=True)
        save_reference(actual, REFERENCE_DIR / f"{name}.png")
        pytest.fail(
            f"{name}: reference written. Look at it, then run again without THAKSA_UPDATE_REFERENCE_IMAGES."
        )
    comparison = compare(actual, reference_image(name))
    if not comparison.matches:
        ARTIFACT_DIR.mkdir(parents=True, exist_ok=True)
        actual.save(ARTIFACT_DIR / f"{name}-actual.png")
        comparison.diff_image.save(ARTIFACT_DIR / f"{name}-diff.png")
    assert comparison.matches, (
        f"{name}: {comparison}; see {ARTIFACT_DIR}/{name}-actual.png and {name}-diff.png"
    )


def test_missing_reference_fails_and_says_how_to_create_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "REFERENCE_DIR", tmp_path)
    with pytest.raises(pytest.fail.Exception, match="THAKSA_UPDATE_REFERENCE_IMAGES=1"):
        reference_image("classic")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_comparison_catches_unshaped_thai(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without HarfBuzz the tone marks sink into the vowels: the reference comparison must fail.

    This is the regression the reference images exist for; if this test fails, the tolerance
    has become too loose to notice broken Thai.
    """
    reference = reference_image(name)
    monkeypatch.setattr(layout, "_SHAPING", 0)
    comparison = compare(rasterise(render_sample(name)), reference)
    assert not comparison.matches, f"unshaped Thai passed the comparison: {comparison}"
    assert comparison.share > DIFFERING_SHARE_TOLERATED, str(comparison)


def holder_name_page(holder_name: str, shaping: int, monkeypatch: pytest.MonkeyPatch) -> Image.Image:
    """A classic certificate (greyscale, 144 dpi) with `holder_name` as the holder's name."""
    monkeypatch.setattr(layout, "_SHAPING", shaping)
    text = certificate_text(holder_name=Bilingual(holder_name, "Sample"))
    return rasterise(certificate_pdf(text, design("classic", signatories=()), labels()), dpi=144).convert("L")


def ink_top(image: Image.Image) -> int:
    """The first row (from the top) holding dark ink."""
    box = image.point(lambda level: 255 if level < 128 else 0).getbbox()
    assert box is not None, "no ink"
    return box[1]


def test_thai_clusters_are_shaped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tone marks over upper vowels (ญี่, ปุ่น, ผู้) must stack above them, not sink into them.

    Shaped, the marks stack, so the ink reaches higher than unshaped, where each tone mark
    sits at its default height inside the vowel above ญ, ป and ผ.
    """
    pages = {
        (name, shaping): holder_name_page(name, shaping, monkeypatch)
        for name in (SHAPING_SAMPLE, "ก")
        for shaping in (1, 0)
    }
    # A one-letter name leaves the layout as it is, so the difference between the two pages
    # is where the holder's name is drawn; both renderings are cropped to the same box.
    boxes = [
        ImageChops.difference(pages[SHAPING_SAMPLE, shaping], pages["ก", shaping]).getbbox()
        for shaping in (1, 0)
    ]
    assert None not in boxes
    box = (
        min(box[0] for box in boxes) - 4,
        min(box[1] for box in boxes) - 4,
        max(box[2] for box in boxes) + 4,
        max(box[3] for box in boxes) + 4,
    )
    shaped, unshaped = pages[SHAPING_SAMPLE, 1].crop(box), pages[SHAPING_SAMPLE, 0].crop(box)
    difference = ImageChops.difference(shaped, unshaped)
    changed = difference.point(lambda level: 255 if level > GREY_LEVELS_TOLERATED else 0).histogram()[255]
    assert changed > 200, f"only {changed} pixels changed between shaped and unshaped Thai"
    assert ink_top(shaped) < ink_top(unshaped) - 2, "stacked tone marks should rise above the vowels"


def stress_sample(layout: str) -> tuple[CertificateText, Design]:
    """Everything too long at once: a doubled title, a long rank and name, a long host name."""
    text, sample_design = full_sample(layout)
    text = replace(
        text,
        holder_name=Bilingual(
            "ว่าที่ร้อยตรีหญิง ศิริวรรณนภา ประเสริฐวงศ์สกุลไพบูลย์",
            "Acting Sub-Lieutenant Siriwannapa Prasertwongsakulpaiboon",
        ),
        course_title=Bilingual(
            f"{LONG_THAI_TITLE} {LONG_THAI_TITLE}", f"{text.course_title.en} {text.course_title.en}"
        ),
        partner_name=Bilingual(
            "คณะนิติศาสตร์ มหาวิทยาลัยธรรมศาสตร์ ร่วมกับ สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล",
            "Faculty of Law, Thammasat University, with the Personal Data Protection Committee Office",
        ),
        issuer_name=Bilingual(
            "สำนักงานคณะกรรมการพัฒนาระบบราชการ และสำนักงานคณะกรรมการข้าราชการพลเรือน",
            "Office of the Public Sector Development Commission and Office of the Civil Service Commission",
        ),
        number="TKS-2569-000000123456",
        verification_url="https://certificates.thaksa.example.go.th/verify/" + "k3J9xQ2mV8pL5tR7wZ4bN6" * 3,
    )
    return text, sample_design


@pytest.mark.parametrize("name", [*sorted(SAMPLES), "stress-classic", "stress-modern"])
def test_text_stays_inside_the_page_and_never_collides(name: str) -> None:
    """However long the wording, it shrinks and wraps: nothing leaves the frame, no block overlaps
    another. (Lines of one Thai paragraph may touch by their marks' boxes, so up to 4 pt of
    vertical overlap between text objects is allowed; colliding blocks overlap by far more.)"""
    if name.startswith("stress-"):
        text, sample_design = stress_sample(name.removeprefix("stress-"))
    else:
        text, sample_design = SAMPLES[name]()
    document = pdfium.PdfDocument(certificate_pdf(text, sample_design, labels()))
    try:
        assert len(document) == 1
        page = document[0]
        textpage = page.get_textpage()
        margin = 28.0 if sample_design.layout == "classic" else 20.0
        for index in range(textpage.count_chars()):
            left, bottom, right, top = textpage.get_charbox(index)
            if right - left <= 0:
                continue  # marks and spaces without a box of their own
            box = (left, bottom, right, top)
            assert left >= margin, box
            assert right <= layout.PAGE_WIDTH - margin, box
            assert bottom >= margin, box
            assert top <= layout.PAGE_HEIGHT - margin, box
        boxes = [item.get_bounds() for item in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_TEXT])]
        for first_index, first in enumerate(boxes):
            for second in boxes[first_index + 1 :]:
                overlap_x = min(first[2], second[2]) - max(first[0], second[0])
                overlap_y = min(first[3], second[3]) - max(first[1], second[1])
                assert overlap_x <= 1.0 or overlap_y <= 2.5, f"text at {first} collides with text at {second}"
    finally:
        document.close()


# --------------------------------------------------------------------------------------------
# QR code, determinism, images, metadata
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["classic", "modern-full"])
def test_drawn_qr_code_has_the_modules_of_the_url(name: str) -> None:
    """Sample the rendered page at every module centre and compare with segno's matrix."""
    text, sample_design = SAMPLES[name]()
    dpi = 300
    page = rasterise(certificate_pdf(text, sample_design, labels()), dpi=dpi).convert("L")
    left, bottom, size = qr_box(sample_design.layout)
    expected = [
        [bool(module) for module in row]
        for row in segno.make(text.verification_url, error="m", micro=False).matrix_iter(border=4)
    ]
    modules = len(expected)
    pixels_per_point = dpi / 72
    module = size / modules
    top = layout.PAGE_HEIGHT - (bottom + size)
    drawn = [
        [
            page.getpixel(
                (
                    int((left + (column + 0.5) * module) * pixels_per_point),
                    int((top + (row + 0.5) * module) * pixels_per_point),
                )
            )
            < 128
            for column in range(modules)
        ]
        for row in range(modules)
    ]
    assert drawn == expected
    # The quiet zone is really white, not just absent from the matrix.
    assert not any(drawn[0])
    assert not any(drawn[-1])


def test_same_inputs_give_identical_bytes() -> None:
    text, sample_design = full_sample("modern")
    first = certificate_pdf(text, sample_design, labels())
    second = certificate_pdf(text, sample_design, labels())
    assert first == second
    assert first.startswith(b"%PDF-")


def test_same_inputs_give_identical_bytes_in_another_process() -> None:
    """No hash seed or dictionary order may leak into the bytes: two fresh processes with
    different hash seeds draw the same file. (A process that has already drawn other
    certificates may number its font subsets differently; the pixels are the same, which the
    reference comparisons check.)"""
    code = (
        "import hashlib, sys\n"
        "from certificates.tests.test_rendering import render_sample\n"
        "sys.stdout.write(hashlib.sha256(render_sample('modern-full')).hexdigest())\n"
    )

    def digest(seed: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout

    first = digest("12345")
    assert len(first) == 64
    assert first == digest("54321")


def test_metadata_names_the_certificate() -> None:
    text, sample_design = SAMPLES["classic"]()
    document = pdfium.PdfDocument(certificate_pdf(text, sample_design, labels()))
    metadata = document.get_metadata_dict()
    document.close()
    assert "ประกาศนียบัตร" in metadata["Title"]
    assert text.number in metadata["Title"]
    assert text.issuer_name.th in metadata["Author"]


@pytest.mark.parametrize(
    ("field", "message"),
    [("logo_image", "logo image"), ("background_image", "background image")],
)
def test_broken_image_raises_value_error(field: str, message: str) -> None:
    text, _ = SAMPLES["classic"]()
    with pytest.raises(ValueError, match=message):
        certificate_pdf(text, design("classic", **{field: b"\x89PNG\r\n\x1a\nnot really"}), labels())


def test_truncated_signature_raises_value_error() -> None:
    broken = signature_png(0)[:200]
    signatory = Signatory(Bilingual("ก", "A"), Bilingual("ข", "B"), broken)
    with pytest.raises(ValueError, match="signature image of signatory 1"):
        certificate_pdf(certificate_text(), design("classic", signatories=(signatory,)), labels())


def test_rejects_bad_design() -> None:
    with pytest.raises(ValueError, match="layout"):
        certificate_pdf(certificate_text(), design("baroque"), labels())
    with pytest.raises(ValueError, match="colour"):
        certificate_pdf(certificate_text(), design("classic", primary_colour="navy"), labels())
    too_many = design("classic").signatories * 4
    with pytest.raises(ValueError, match="signatories"):
        certificate_pdf(certificate_text(), design("classic", signatories=too_many), labels())


def test_no_thai_is_drawn_outside_paragraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The canvas string methods do not shape: they must never receive Thai."""
    from reportlab.pdfgen.canvas import Canvas

    for method_name in ("drawString", "drawCentredString", "drawRightString"):
        original = getattr(Canvas, method_name)

        def checked(
            self: Canvas, x: float, y: float, text: str, *args: object, _original=original, **kwargs: object
        ):
            assert not re.search(r"[\u0E00-\u0E7F]", text), f"unshaped Thai drawn: {text!r}"
            return _original(self, x, y, text, *args, **kwargs)

        monkeypatch.setattr(Canvas, method_name, checked)
    for name in SAMPLES:
        render_sample(name)


def test_markup_characters_in_text_are_drawn_as_text() -> None:
    """Names come from users: "&" or "<" must not break the Paragraph markup."""
    text = certificate_text(
        holder_name=Bilingual("นาย A&B <ทดสอบ>", "Mr. A&B <test>"),
        course_title=Bilingual("หลักสูตร R&D <ขั้นสูง>", "R&D <advanced>"),
    )
    pdf = certificate_pdf(text, design("classic"), labels())
    document = pdfium.PdfDocument(pdf)
    page_text = document[0].get_textpage().get_text_range()
    document.close()
    assert "A&B <test>" in page_text
    # The Thai lines go through Paragraph markup: escaped, they read back exactly.
    assert "A&B <ทดสอบ>" in page_text
    assert "R&D <" in page_text
