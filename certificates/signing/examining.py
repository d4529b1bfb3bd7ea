"""Examining an uploaded PDF: is it one of ours, unaltered? Never raises on bad input.

Validation never fetches CRLs or OCSP responses (``allow_fetching=False``): it uses the CRLs
configured and those embedded at B-LT.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, FreshnessReqType, RevocationCheckingPolicy

from certificates.signing.event_loop import off_a_running_loop

# Indications that the signer's certificate was outside its validity period at validation time;
# a trusted timestamp lets us validate at the signing time instead (point-in-time validation).
_EXPIRY_INDICATIONS = frozenset(
    {
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    }
)


# Revocation when examining: pyHanko's "soft-fail" rules, with no fetching, and every CRL we hold
# counted whatever its age.
# * Soft-fail: a development CA runs no OCSP responder and its CRL address is never fetched
#   (verification must not depend on the network), so "hard-fail"/"require" would call every
#   document untrusted. With soft-fail, missing revocation data is accepted.
# * But soft-fail only forgives *missing* data: a CRL past its nextUpdate makes pyHanko answer
#   TRY_LATER, i.e. "untrusted", which would strike every document once CRL_FILES or the CRL
#   embedded at B-LT grows old. Since no data at all is accepted, old "not revoked" data can be
#   too; and a revocation listed in an old CRL is still a revocation. Hence a freshness window of a
#   century ("max. difference between CRL issue and validation time").
# The CRLs consulted are those configured (CRL_FILES, passed as ``crls``) and those embedded at
# B-LT in the DSS; one that lists the signer's certificate as revoked before the validation time
# makes it untrusted. Signing at B-LT keeps pyHanko's default (fresh CRLs required), so only
# current revocation data is ever embedded.
_EXAMINATION_REVOCATION_POLICY = CertRevTrustPolicy(
    RevocationCheckingPolicy.from_legacy("soft-fail"),
    freshness=timedelta(days=100 * 365),
    freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION,
)


@dataclass(frozen=True)
class PdfExamination:
    """What a PDF shows about itself; ``genuine`` is the one answer the verification page needs."""

    readable: bool = False
    signed: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signed_at: datetime | None = None
    certificate_sha256: str | None = None
    timestamped: bool = False
    attachments: dict[str, bytes] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def genuine(self) -> bool:
        """Signed by a trusted key, unaltered, and nothing added after signing."""
        return self.signed and self.intact and self.valid and self.trusted and self.whole_file


def _name_tree_items(root: Any, *, budget: int = 1000) -> Iterable[tuple[str, Any]]:
    """Walk a PDF name tree (flat or with /Kids), bounded so a hostile file cannot loop or explode us."""
    pending = [root]
    while pending and budget > 0:
        node = pending.pop(0)
        budget -= 1
        if not isinstance(node, generic.DictionaryObject):
            continue
        if "/Names" in node:
            names = node["/Names"]
            for index in range(0, min(len(names), 2 * budget) - 1, 2):
                yield str(names[index]), names[index + 1]
        if "/Kids" in node:
            pending.extend(node["/Kids"])


def _entry(dictionary: Any, *keys: str) -> Any:
    """The first of ``keys`` present, dereferenced (``DictionaryObject.get`` returns raw references)."""
    for key in keys:
        if key in dictionary:
            return dictionary[key]
    return None


def _attachments_read(reader: PdfFileReader, problems: list[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    try:
        tree = reader.root["/Names"]["/EmbeddedFiles"]
    except KeyError:
        return found
    except Exception as exc:  # noqa: BLE001 — a broken name tree is a finding, not a crash
        problems.append(f"embedded files unreadable: {type(exc).__name__}")
        return found
    for key, spec in _name_tree_items(tree):
        try:
            name = str(_entry(spec, "/UF", "/F") or key)
            stream = _entry(spec["/EF"], "/UF", "/F")
            found[name] = stream.data
        except Exception as exc:  # noqa: BLE001 — one broken attachment must not hide the rest
            problems.append(f"embedded file {key!r} unreadable: {type(exc).__name__}")
    return found


def _dss_crls(reader: PdfFileReader) -> list[asn1_crl.CertificateList]:
    try:
        store = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return []
    crls = []
    for ref in store.crls:
        crls.append(asn1_crl.CertificateList.load(ref.get_object().data))
    return crls


async def _signature_validate(
    signature: Any,
    trust_roots: Sequence[asn1_x509.Certificate],
    crls: Sequence[asn1_crl.CertificateList],
    timestamp_trust_roots: Sequence[asn1_x509.Certificate],
    moment: datetime | None = None,
) -> PdfSignatureStatus:
    # Fresh contexts per examination: pyHanko registers the certificates found in the signature
    # into the context, and one upload must not influence the next. ``moment`` only moves the
    # signer's validation into the past: the timestamp that justifies doing so is validated now.
    def context(roots: Sequence[asn1_x509.Certificate], at: datetime | None) -> ValidationContext:
        return ValidationContext(
            trust_roots=list(roots),
            crls=list(crls),
            allow_fetching=False,
            revinfo_policy=_EXAMINATION_REVOCATION_POLICY,
            moment=at,
        )

    signer_context = context(trust_roots, moment)
    if timestamp_trust_roots is trust_roots and moment is None:
        timestamp_context = signer_context
    else:
        timestamp_context = context(timestamp_trust_roots, None)
    return await async_validate_pdf_signature(
        signature, signer_validation_context=signer_context, ts_validation_context=timestamp_context
    )


@off_a_running_loop
def pdf_examine(
    pdf: bytes,
    *,
    trust_roots: Sequence[asn1_x509.Certificate],
    crls: Sequence[asn1_crl.CertificateList] = (),
    timestamp_trust_roots: Sequence[asn1_x509.Certificate] | None = None,
    moment: datetime | None = None,
) -> PdfExamination:
    """Check a PDF's signature and list its attachments; never raises, whatever the bytes.

    ``moment``: judge the signer's certificate as of then instead of now, for a caller that
    knows independently when the document was signed (Thaksa's own record of a file it issued,
    whose signing certificate has since expired).

    ``trust_roots``: asn1crypto certificates (``trust_roots_load``) a signer must chain to.
    ``crls``: current CRLs to consult (e.g. ``crls_load(CRL_FILES)``), so a revoked signing key
    stops producing "genuine". ``timestamp_trust_roots``: roots for the TSA, when it is not under
    one of ``trust_roots`` (a commercial TSA); defaults to ``trust_roots``.

    When several signatures are present the last one is examined (it covers the most); ours are
    single-signature documents, so anything else is not ``whole_file`` for the first signature
    and signed by someone else for the last. A timestamp that fails validation only clears
    ``timestamped`` (and is listed in ``problems``); it does not by itself make the document
    untrustworthy, since it is an unsigned addition anyone could have made.
    """
    problems: list[str] = []
    try:
        return _pdf_examine(pdf, trust_roots, crls, timestamp_trust_roots, problems, moment)
    except Exception as exc:  # noqa: BLE001 — the promise is "no exception for any bytes"
        problems.append(f"examination failed: {type(exc).__name__}: {exc}")
        return PdfExamination(problems=tuple(problems))


def _pdf_examine(
    pdf: bytes,
    trust_roots: Sequence[asn1_x509.Certificate],
    crls: Sequence[asn1_crl.CertificateList],
    timestamp_trust_roots: Sequence[asn1_x509.Certificate] | None,
    problems: list[str],
    moment: datetime | None = None,
) -> PdfExamination:
    if not pdf:
        return PdfExamination(problems=("empty file",))
    if not isinstance(pdf, bytes | bytearray | memoryview):
        return PdfExamination(problems=(f"not bytes but {type(pdf).__name__}",))
    data = bytes(pdf)
    if b"%PDF-" not in data[:1024]:
        return PdfExamination(problems=("not a PDF (no %PDF- header)",))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=True)
        reader.root  # noqa: B018 — forces the catalog to resolve: a broken trailer fails here, not later
    except Exception as exc:  # noqa: BLE001 — any parse failure means "unreadable", whatever its type
        return PdfExamination(problems=(f"unreadable PDF: {type(exc).__name__}: {exc}",))
    if reader.encrypted:
        return PdfExamination(problems=("encrypted PDF: certificates are never encrypted",))

    attachments = _attachments_read(reader, problems)
    try:
        signatures = reader.embedded_regular_signatures
    except Exception as exc:  # noqa: BLE001 — a malformed AcroForm is a reason, not a crash
        problems.append(f"signature fields unreadable: {type(exc).__name__}: {exc}")
        return PdfExamination(readable=True, attachments=attachments, problems=tuple(problems))
    if not signatures:
        problems.append("no signature")
        return PdfExamination(readable=True, attachments=attachments, problems=tuple(problems))
    if len(signatures) > 1:
        problems.append(f"{len(signatures)} signatures; examined the last")
    signature = signatures[-1]

    try:
        all_crls = [*crls, *_dss_crls(reader)]
    except Exception as exc:  # noqa: BLE001 — a damaged DSS only loses us its CRLs
        problems.append(f"embedded validation data unreadable: {type(exc).__name__}")
        all_crls = list(crls)
    ts_roots = trust_roots if timestamp_trust_roots is None else timestamp_trust_roots
    try:
        status = asyncio.run(_signature_validate(signature, trust_roots, all_crls, ts_roots, moment=moment))
        timestamp = status.timestamp_validity
        timestamp_ok = timestamp is not None and timestamp.intact and timestamp.valid and timestamp.trusted
        if not status.trusted and status.trust_problem_indic in _EXPIRY_INDICATIONS and timestamp_ok:
            assert timestamp is not None  # timestamp_ok says so; mypy cannot see it
            # The certificate has expired (or is otherwise out of its validity period) now, but a
            # trusted timestamp proves the signature existed at a time it was valid: validate then.
            status = asyncio.run(
                _signature_validate(signature, trust_roots, all_crls, ts_roots, moment=timestamp.timestamp)
            )
    except Exception as exc:  # noqa: BLE001 — pyHanko raises assorted types for malformed signatures
        problems.append(f"signature not verifiable: {type(exc).__name__}: {exc}")
        return PdfExamination(readable=True, signed=True, attachments=attachments, problems=tuple(problems))

    certificate = status.signing_cert
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not status.intact:
        problems.append("signed bytes were altered (digest mismatch)")
    if not status.valid:
        problems.append("signature value does not verify")
    if status.revoked:
        problems.append("signer certificate revoked")
    elif status.intact and status.valid and not status.trusted:
        indication = status.trust_problem_indic
        # Every indication pyHanko gives is an Enum member, though its declared type does not say so.
        name = indication.name if indication else "no path"  # type: ignore[attr-defined]
        problems.append(f"signer certificate not trusted: {name}")
    if not whole_file:
        coverage = status.coverage.name if status.coverage else "unknown"
        problems.append(f"file changed after signing (coverage {coverage})")
    timestamp = status.timestamp_validity
    timestamped = bool(timestamp and timestamp.intact and timestamp.valid and timestamp.trusted)
    if timestamp is not None and not timestamped:
        problems.append("signature timestamp not valid or not trusted")
    signed_at = timestamp.timestamp if timestamped and timestamp else status.signer_reported_dt
    return PdfExamination(
        readable=True,
        signed=True,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        whole_file=whole_file,
        signer=certificate.subject.human_friendly,
        signed_at=signed_at,
        certificate_sha256=certificate.sha256.hex(),
        timestamped=timestamped,
        attachments=attachments,
        problems=tuple(problems),
    )
