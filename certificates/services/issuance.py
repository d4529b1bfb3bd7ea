"""Issuing certificates: once per learner × course × validity period, whatever happens.

The completion event can arrive twice and a worker can die half-way; `certificate_issue`
holds the enrolment's row lock while it looks for the period's certificate and creates it,
and the database's unique (issuance key, revision) makes a second one impossible. Nothing is
committed until the PDF is drawn, signed and stored, so a retry after a crash starts clean.

A re-issue (an admin correcting a name, say) is a new revision under the same key; the old
document is never changed, only marked superseded. A recertification is a completion in a
new validity period: its certificate supersedes the one it renews."""

import datetime as dt
import hashlib
import json
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from certificates import documents, keys, rendering
from certificates.events import certificate_issued
from certificates.models import Certificate, CertificateTemplate
from certificates.proofs import proof_add
from certificates.services.status import status_lists_changed
from certificates.signing import pdf_signing
from certificates.status_list import status_list_slot
from courses.models import Enrolment

# Crockford's base-32 without look-alikes: people type these from paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CREDENTIAL_FILENAME = "credential.json"


def issuance_key(enrolment: Enrolment) -> str:
    """One certificate per learner and course, or per completion when the course expires
    (each completion then opens a new validity period)."""
    base = f"{enrolment.user_id}:{enrolment.course_id}"
    return f"{base}:{enrolment.pk}" if enrolment.course.validity_months else base


def _verification_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not Certificate.objects.filter(verification_code=code).exists():
            return code


def _public_id() -> str:
    return secrets.token_urlsafe(18)  # 144 random bits, 24 characters


def _documents_sign(certificate: Certificate, template: CertificateTemplate | None) -> None:
    """Draw, sign and store the certificate's credential and PDF (the credential rides inside
    the PDF, attached before the PDF is signed)."""
    keys.credential_key_record()
    credential = proof_add(
        documents.unsigned_credential(certificate, salt=secrets.token_hex(16)),
        private_key=keys.credential_private_key(),
        created=certificate.issued_at,
    )
    credential_bytes = json.dumps(credential, ensure_ascii=False, indent=2).encode()
    unsigned_pdf = rendering.certificate_pdf(
        documents.certificate_text(certificate),
        documents.design_of(template),
        documents.labels(),
    )
    setup = keys.signing_setup()
    signed_pdf = pdf_signing.pdf_sign(
        unsigned_pdf,
        attachments=[
            pdf_signing.Attachment(
                filename=CREDENTIAL_FILENAME,
                data=credential_bytes,
                mime_type="application/ld+json",
                description="Open Badges 3.0 credential",
            )
        ],
        setup=setup,
        reason=f"Certificate {certificate.number}",
        location="Thailand",
        signer_name=certificate.content["issuer_name"]["en"],
    )
    certificate.credential = credential
    certificate.signing_certificate_sha256 = setup.certificate_sha256
    certificate.pdf_sha256 = hashlib.sha256(signed_pdf).hexdigest()
    certificate.pdf.save(f"{certificate.public_id}.pdf", ContentFile(signed_pdf), save=False)


def _status_bit_taken(number: int, position: int) -> bool:
    return Certificate.objects.filter(status_list_number=number, status_list_position=position).exists()


def _certificate_create(
    *,
    enrolment: Enrolment,
    key: str,
    revision: int,
    template: CertificateTemplate | None,
    valid_until: dt.date | None,
    **standing,
) -> Certificate:
    """The row first (its id numbers it and places it in a status list), then the documents,
    all inside the caller's transaction. `standing`: status fields a re-issue carries over."""
    now = timezone.now()
    public_id = _public_id()
    certificate = Certificate.objects.create(
        public_id=public_id,
        number=public_id,  # until the primary key is known, below
        verification_code=_verification_code(),
        learner=enrolment.user,
        course=enrolment.course,
        enrolment=enrolment,
        issuance_key=key,
        revision=revision,
        completed_at=enrolment.completed_at,
        issued_at=now,
        valid_until=valid_until,
        content=documents.certificate_content(enrolment=enrolment, template=template),
        **standing,
    )
    certificate.number = documents.certificate_number(pk=certificate.pk, issued_at=now)
    certificate.status_list_number, certificate.status_list_position = status_list_slot(
        certificate.pk, is_taken=_status_bit_taken
    )
    _documents_sign(certificate, template)
    certificate.save()
    return certificate


def _supersede(*, old: Certificate, new: Certificate, reason: str, by=None, note: str = "") -> None:
    old.status = Certificate.Status.SUPERSEDED
    old.superseded_by = new
    old.status_reason = reason
    old.status_note = note
    old.status_changed_at = new.issued_at
    old.status_changed_by = by
    old.save(
        update_fields=[
            "status",
            "superseded_by",
            "status_reason",
            "status_note",
            "status_changed_at",
            "status_changed_by",
        ]
    )


def certificate_issue(*, enrolment_id: int) -> Certificate | None:
    """The certificate for a completed enrolment: issued now, or the one already issued for
    its period. None when the enrolment is not completed or its course gives no certificate."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("user", "course", "course__partner")
            .filter(pk=enrolment_id)
            .first()
        )
        if enrolment is None or enrolment.status != Enrolment.Status.COMPLETED:
            return None
        course = enrolment.course
        if not course.certificate_on_completion:
            return None
        key = issuance_key(enrolment)
        existing = Certificate.objects.filter(issuance_key=key).order_by("-revision").first()
        if existing is not None:
            return existing
        renewed = list(
            Certificate.objects.select_for_update()
            .filter(learner=enrolment.user, course=course, superseded_by__isnull=True)
            .filter(status__in=[Certificate.Status.VALID, Certificate.Status.SUSPENDED])
        )
        certificate = _certificate_create(
            enrolment=enrolment,
            key=key,
            revision=1,
            template=documents.template_for(course),
            valid_until=course.completion_valid_until(enrolment.completed_at),
        )
        for old in renewed:
            _supersede(old=old, new=certificate, reason=Certificate.Reason.RECERTIFIED)
        transaction.on_commit(lambda: certificate_issued.send(sender=Certificate, certificate=certificate))
        if any(old.status == Certificate.Status.SUSPENDED for old in renewed):
            transaction.on_commit(status_lists_changed)  # it leaves the suspension list
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, by, note: str = "") -> Certificate:
    """A new revision with today's details (e.g. a corrected name) and design; the old PDF
    and credential stay exactly as they were, marked superseded by the new one."""
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status == Certificate.Status.REVOKED:
        raise ValueError("revoked")
    if old.superseded_by_id is not None:
        raise ValueError("superseded")
    enrolment = Enrolment.objects.select_related("user", "course", "course__partner").get(pk=old.enrolment_id)
    standing = {}
    if old.status == Certificate.Status.SUSPENDED:  # a re-issue does not lift a suspension
        standing = {
            "status": old.status,
            "status_reason": old.status_reason,
            "status_note": old.status_note,
            "status_changed_at": timezone.now(),
        }
    new = _certificate_create(
        enrolment=enrolment,
        key=old.issuance_key,
        revision=old.revision + 1,  # only the latest revision is not superseded
        template=documents.template_for(enrolment.course),
        valid_until=old.valid_until,  # a re-issue keeps the validity period the learner earned
        **standing,
    )
    _supersede(old=old, new=new, reason=Certificate.Reason.DATA_CORRECTION, by=by, note=note)
    if standing:
        transaction.on_commit(status_lists_changed)  # the suspended bit moved to the new revision
    return new


def enrolments_without_certificate() -> list[int]:
    """Completed enrolments in courses that give certificates, with no certificate yet."""
    return list(
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, course__certificate_on_completion=True)
        .exclude(certificates__isnull=False)
        .order_by("completed_at")
        .values_list("pk", flat=True)
    )
