"""What the caller hands the certificate renderer: words already translated and formatted."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bilingual:
    """The same words in Thai and English: a certificate shows Thai first, English below."""

    th: str
    en: str


@dataclass(frozen=True)
class Signatory:
    """Someone who signs for the issuer; the signature is an image (PNG or JPEG bytes)."""

    name: Bilingual
    position: Bilingual
    signature_image: bytes | None = None


LAYOUTS = ("classic", "modern")
MAX_SIGNATORIES = 3


@dataclass(frozen=True)
class Design:
    """How a certificate looks; an issuer keeps one (or a few) and reuses it for every course.

    `layout` is "classic" (centred, double border) or "modern" (coloured band on the left
    holding the logo, the issuer and the QR code).
    """

    layout: str
    primary_colour: str
    accent_colour: str
    heading: Bilingual
    statement: Bilingual
    completion: Bilingual
    background_image: bytes | None = None
    logo_image: bytes | None = None
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True)
class Labels:
    """Fixed captions. The caller translates them, so this module holds no user-facing words."""

    number: Bilingual
    verification_code: Bilingual
    completed_on: Bilingual
    hours: Bilingual
    score: Bilingual
    valid_until: Bilingual
    competencies: Bilingual
    verify_at: Bilingual
    issued_by: Bilingual


@dataclass(frozen=True)
class CertificateText:
    """What one certificate says: everything already formatted by the caller (dates, hours)."""

    holder_name: Bilingual
    course_title: Bilingual
    partner_name: Bilingual
    issuer_name: Bilingual
    completed_on: Bilingual
    hours: Bilingual
    competencies: tuple[Bilingual, ...]
    score: Bilingual | None
    valid_until: Bilingual | None
    number: str
    verification_code: str
    verification_url: str
