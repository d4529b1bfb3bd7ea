"""Embedding the credential in a certificate PDF and PAdES-signing it, in one revision.

The PAdES signature (ETSI.CAdES.detached, ECDSA P-256 / SHA-256) covers the page *and* the
attachment, so anyone can check the document offline in a PDF reader. Timestamps come from the
configured TSA only when signing at B-T/B-LT; validation data is never fetched.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.embed import EmbeddedFileObject, EmbeddedFileParams, FileSpec, embed_file
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.signers.constants import ESIC_EXTENSION_1
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference

from certificates.signing.event_loop import off_a_running_loop
from certificates.signing.signers import SigningConfigurationError, SigningSetup, crls_require_current

SIGNATURE_FIELD_NAME = "ThaksaSignature"
DIGEST_ALGORITHM = "sha256"


class _FetchWarningFilter(logging.Filter):
    """Drop pyHanko's per-signature warning that B-LT is produced without fetching.

    Not fetching is deliberate here (the CRLs to embed are configured, nothing may reach the
    network from a worker), so the warning would only flood the logs once per certificate.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_FetchWarningFilter())


@dataclass(frozen=True)
class Attachment:
    """A file to embed in the PDF before signing (e.g. the Open Badges credential JSON)."""

    filename: str
    data: bytes
    mime_type: str
    description: str
    # PDF/A-3 wants every embedded file associated with the document (/AF) and says how it
    # relates to it; the credential is the data the visible certificate is drawn from.
    relationship: str | None = "Data"


def _attachments_embed(writer: IncrementalPdfFileWriter, attachments: Sequence[Attachment]) -> None:
    """Add the files to the EmbeddedFiles name tree and, with a relationship, to the catalog's /AF.

    pyHanko's ``embed_file`` can write /AF itself but then declares the file PDF 2.0; PDF/A-3
    (ISO 19005-3) uses /AF with PDF 1.7, so the association is added here without the version bump.
    """
    now = datetime.now(UTC)
    # Name-tree keys must be sorted; embed_file appends, so feed it in order.
    for attachment in sorted(attachments, key=lambda item: item.filename):
        stream = EmbeddedFileObject.from_file_data(
            writer,
            data=attachment.data,
            mime_type=attachment.mime_type,
            params=EmbeddedFileParams(creation_date=now, modification_date=now),
        )
        embed_file(
            writer,
            FileSpec(
                file_spec_string=attachment.filename,
                file_name=attachment.filename,
                embedded_data=stream,
                description=attachment.description,
            ),
        )
        if attachment.relationship:
            names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
            spec_ref = names.raw_get(len(names) - 1)  # the file spec embed_file just appended
            spec_ref.get_object()["/AFRelationship"] = generic.NameObject(f"/{attachment.relationship}")
            root = writer.root
            if "/AF" in root:
                associated = root["/AF"]
                associated.append(spec_ref)
                if isinstance(root.raw_get("/AF"), generic.IndirectObject):
                    writer.update_container(associated)
            else:
                root["/AF"] = generic.ArrayObject([spec_ref])
            writer.update_root()  # type: ignore[no-untyped-call]


class _Pdf17Signer(PdfSigner):
    """A ``PdfSigner`` that keeps the document at PDF 1.7.

    For ECDSA on P-256 pyHanko declares the ISO/TS 32002 extension, which sets the catalog
    version to PDF 2.0. PAdES (ETSI EN 319 142-1) already covers ECDSA in PDF 1.7 through CAdES,
    and PDF/A-3, which the Thai e-certificate standard points at, is PDF 1.7 based; so only the
    ESIC (PAdES) extension is declared, as pyHanko does for RSA.
    """

    def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
        pdf_out.ensure_output_version(version=(1, 7))
        if pdf_out.output_version < (2, 0):
            pdf_out.register_extension(ESIC_EXTENSION_1)


def _signing_certificate_require_current(setup: SigningSetup) -> None:
    """Workers outlive certificates: refuse to sign with one that has expired, saying what to do."""
    # signing_setup only builds signers that hold their certificate.
    expires = setup.signer.signing_cert.not_valid_after  # type: ignore[union-attr]
    if expires <= datetime.now(UTC):
        raise SigningConfigurationError(
            f"The document-signing certificate (CERTIFICATES_CERT_FILE, or the PKCS#12/PKCS#11 one) "
            f"expired on {expires:%Y-%m-%d}: documents it signs would not verify. Install a new one "
            "(development keys: manage.py certificates_init_keys --rotate), then restart the web and "
            "worker processes."
        )


@off_a_running_loop
def pdf_sign(
    pdf: bytes,
    *,
    attachments: Sequence[Attachment],
    setup: SigningSetup,
    reason: str,
    location: str,
    signer_name: str,
) -> bytes:
    """Embed ``attachments`` then add an invisible PAdES certification signature at ``setup.level``.

    Both happen in one incremental update, so the signature covers the attachments and the signed
    file has no later revision (``PdfExamination.whole_file``). The signature certifies the document
    with "no changes allowed" (DocMDP P=1): readers show it as certified, and any edit breaks it. At
    B-LT the validation data (certificates, CRLs) goes into the DSS *in the same revision*
    (pyHanko's TOGETHER_WITH_SIGNATURE placement), which again keeps the file a single signed
    revision.
    """
    _signing_certificate_require_current(setup)
    if setup.level == "B-LT" and setup.validation_context is not None:
        crls_require_current(setup.validation_context.crls)  # workers outlive a CRL's validity
    reserved = setup._reserved.get("contents")
    try:
        return _pdf_sign_once(pdf, attachments, setup, reason, location, signer_name, reserved)
    except SigningError as exc:
        # A timestamp server answered with a longer token than the first one: size afresh.
        if reserved is None or "larger than expected" not in str(exc):
            raise
        setup._reserved.clear()
        return _pdf_sign_once(pdf, attachments, setup, reason, location, signer_name, None)


def _pdf_sign_once(
    pdf: bytes,
    attachments: Sequence[Attachment],
    setup: SigningSetup,
    reason: str,
    location: str,
    signer_name: str,
    reserved: int | None,
) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _attachments_embed(writer, attachments)
    b_lt = setup.level == "B-LT"
    metadata = PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD_NAME,
        md_algorithm=DIGEST_ALGORITHM,
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer_name,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        embed_validation_info=b_lt,
        validation_context=setup.validation_context if b_lt else None,
        signer_key_usage={"non_repudiation"},
        dss_settings=DSSContentSettings(
            placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False
        ),
    )
    signer = _Pdf17Signer(
        metadata, setup.signer, timestamper=setup.timestamper if setup.level != "B-B" else None
    )
    signed: bytes = signer.sign_pdf(writer, bytes_reserved=reserved).getvalue()
    if reserved is None:
        # pyHanko's estimate (with its 50% margin) is the /Contents gap of the signature just made.
        (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
        _, first_end, second_start, _ = (int(value) for value in signature.byte_range)
        setup._reserved["contents"] = second_start - first_end - 2
    return signed
