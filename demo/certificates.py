"""Certificate designs for the demo, and the certificates demo learners have earned.

The platform's default design and one for Chulalongkorn University's courses (with two
signatories) are made first, so completions during the rest of the seed are issued with them;
then every completed enrolment still owed a certificate gets one, through the same service the
completion event uses. The signatories are fictional; their signatures and the emblem are
drawn here, so the demo ships no images."""

import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection

from certificates.models import Certificate, CertificateTemplate, Layout, Signatory
from certificates.services.issuance import certificate_issue, enrolments_without_certificate
from courses.models import Enrolment
from organisations.models import ContentPartner

SIGNATORIES = {
    None: [
        ("นายวิชัย ศรีสุข", "Mr. Wichai Srisuk", "ผู้อำนวยการแพลตฟอร์มทักษะ", "Director, Thaksa platform"),
    ],
    "chula": [
        (
            "รองศาสตราจารย์ ดร.พิมพ์ชนก วงศ์ประเสริฐ",
            "Assoc. Prof. Dr. Pimchanok Wongprasert",
            "ผู้อำนวยการหลักสูตร",
            "Programme Director",
        ),
        ("นายวิชัย ศรีสุข", "Mr. Wichai Srisuk", "ผู้อำนวยการแพลตฟอร์มทักษะ", "Director, Thaksa platform"),
    ],
}


def _png(image: PILImage.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _signature_png(seed: int) -> bytes:
    """A handwritten-looking stroke on a transparent background."""
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    image = PILImage.new("RGBA", (480, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points, x = [], 30.0
    phase, amplitude = rng.uniform(0, 6), rng.uniform(25, 45)
    while x < 450:
        y = 85 + amplitude * math.sin(x / rng.uniform(18, 30) + phase) * math.cos(x / 90)
        points.append((x, y))
        x += 3
    draw.line(points, fill=(20, 35, 90, 255), width=5, joint="curve")
    draw.line([(60, 125), (400, 112)], fill=(20, 35, 90, 255), width=3)
    return _png(image)


def _emblem_png(colour: tuple[int, int, int]) -> bytes:
    """A round emblem: rings and a twelve-point star."""
    image = PILImage.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 390, 390), outline=(*colour, 255), width=14)
    draw.ellipse((45, 45, 355, 355), outline=(*colour, 255), width=5)
    star = []
    for i in range(24):
        radius = 140 if i % 2 == 0 else 70
        angle = math.pi * i / 12 - math.pi / 2
        star.append((200 + radius * math.cos(angle), 200 + radius * math.sin(angle)))
    draw.polygon(star, fill=(*colour, 255))
    return _png(image)


def _image(title: str, data: bytes):
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = image_model(title=title, collection=Collection.get_first_root_node())
    image.file = ImageFile(io.BytesIO(data), name=f"{title}.png")
    image.save()
    return image


def seed_certificate_designs() -> int:
    made = 0
    for code in SIGNATORIES:
        partner = ContentPartner.objects.get(code=code) if code else None
        if CertificateTemplate.objects.filter(partner=partner, is_default=True).exists():
            continue
        is_platform = partner is None
        design = CertificateTemplate(
            name="แบบมาตรฐานของแพลตฟอร์ม" if is_platform else f"แบบของ{partner.name_th}",
            partner=partner,
            is_default=True,
            layout=Layout.CLASSIC if is_platform else Layout.MODERN,
            primary_colour="#1f3a5f" if is_platform else "#7a1f45",
            accent_colour="#b8860b" if is_platform else "#a07a2c",
            logo=_image(
                "demo-emblem-platform" if is_platform else f"demo-emblem-{code}",
                _emblem_png((31, 58, 95) if is_platform else (122, 31, 69)),
            ),
        )
        for order, (name_th, name_en, position_th, position_en) in enumerate(SIGNATORIES[code]):
            design.signatories.add(
                Signatory(
                    name_th=name_th,
                    name_en=name_en,
                    position_th=position_th,
                    position_en=position_en,
                    signature=_image(
                        f"demo-signature-{name_en.split()[-1].lower()}", _signature_png(len(name_en))
                    ),
                    sort_order=order,
                )
            )
        design.save()
        made += 1
    return made


def seed_certificates() -> int:
    """Issue what the demo accounts' completed enrolments are owed; returns how many
    certificates exist. The bulk workforce's history (demo/workforce.py) has none."""
    from demo.workforce import STAFF_DOMAIN

    owed = Enrolment.objects.filter(pk__in=list(enrolments_without_certificate())).exclude(
        user__email__endswith=f"@{STAFF_DOMAIN}"
    )
    for enrolment_id in owed.values_list("pk", flat=True):
        certificate_issue(enrolment_id=enrolment_id)
    return Certificate.objects.count()
