"""Is this file one of our certificates, exactly as we issued it?

The answer needs four checks to agree: the PDF's signature is intact and cryptographically
valid; it chains to one of our roots; nothing was added after signing; and the file's SHA-256
is one we recorded. The embedded credential is then checked on its own (its proof and key)
and must name the same certificate. Any disagreement is reported as the most specific verdict:
not a PDF, not ours, or altered."""

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from certificates import keys
from certificates.models import Certificate
from certificates.proofs import proof_verify
from certificates.services.issuance import CREDENTIAL_FILENAME
from certificates.signing import examining

# Each verdict and what it tells a person holding the file.
VERDICTS = {
    "genuine": _("This file is a genuine Thaksa certificate, exactly as it was issued."),
    "altered": _(
        "This file was changed after Thaksa signed it. Do not rely on what it shows; ask the holder for the "
        "original, or check the certificate by its verification code."
    ),
    "not_ours": _(
        "This file was not issued by Thaksa: it is not signed by us. It may be a copy re-made or re-signed "
        "elsewhere."
    ),
    "not_pdf": _(
        "This file is not a PDF that can be read. Upload the certificate's PDF file as it was received."
    ),
}


@dataclass(frozen=True)
class PdfVerdict:
    verdict: str  # a key of VERDICTS
    sha256: str
    certificate: Certificate | None = None
    signer: str = ""
    signed_at: object = None
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def genuine(self) -> bool:
        return self.verdict == "genuine"

    @property
    def explanation(self) -> str:
        return str(VERDICTS[self.verdict])


def credential_is_ours(credential) -> bool:
    """The credential's proof holds and was made with one of our credential keys."""
    if not isinstance(credential, dict):
        return False
    check = proof_verify(credential)
    return (
        check.verified
        and check.public_key_multibase is not None
        and keys.credential_key_is_ours(check.public_key_multibase)
    )


def pdf_verify(data: bytes) -> PdfVerdict:
    sha256 = hashlib.sha256(data).hexdigest()
    # A file we issued is judged as of the day we issued it (our record proves it existed then):
    # a signing certificate that has expired since must not turn it into "not ours".
    recorded = Certificate.objects.filter(pdf_sha256=sha256).select_related("course", "superseded_by").first()
    examination = examining.pdf_examine(
        data,
        trust_roots=keys.trust_roots(),
        crls=keys.crls(),
        moment=recorded.issued_at if recorded else None,
    )
    problems = tuple(examination.problems)
    if not examination.readable:
        return PdfVerdict("not_pdf", sha256, problems=problems)
    if not examination.signed:
        return PdfVerdict("not_ours", sha256, problems=(*problems, "no signature"))
    common = {"signer": examination.signer, "signed_at": examination.signed_at}
    if not (examination.intact and examination.valid):
        return PdfVerdict("altered", sha256, problems=(*problems, "signature broken"), **common)
    if not examination.trusted:
        return PdfVerdict("not_ours", sha256, problems=(*problems, "signer not trusted"), **common)
    try:
        credential = json.loads(examination.attachments.get(CREDENTIAL_FILENAME, b"null"))
    except ValueError:
        credential = None
    if not examination.whole_file:
        # Our signature is intact, but something was added after it (a replaced attachment,
        # an edited page as an incremental update). Name the certificate it claims to be.
        claimed_id = credential.get("id") if isinstance(credential, dict) else None
        claimed = (
            Certificate.objects.filter(credential__id=claimed_id).first()
            if isinstance(claimed_id, str)
            else None
        )
        return PdfVerdict(
            "altered", sha256, certificate=claimed, problems=(*problems, "changed after signing"), **common
        )
    if recorded is None:
        return PdfVerdict("altered", sha256, problems=(*problems, "hash not recorded"), **common)
    if credential != recorded.credential or not credential_is_ours(credential):
        return PdfVerdict(
            "altered", sha256, certificate=recorded, problems=(*problems, "embedded credential"), **common
        )
    return PdfVerdict("genuine", sha256, certificate=recorded, **common)
