"""Keys, PAdES signing and examination of certificate PDFs.

A Thaksa certificate is a PDF that proves itself: the machine-readable credential travels inside
it as an attachment, and a PAdES signature (ETSI.CAdES.detached, ECDSA P-256 / SHA-256) covers
the page *and* the attachment, so anyone can check it offline in a PDF reader and the
verification page can check an uploaded copy.

This module is pure Python (no models, no database) so it can run in web requests, Celery
workers and management commands alike:

* ``dev_keys_ensure`` makes a development CA, a document-signing certificate, an empty CRL and
  an Ed25519 credential key on first run; the ``*_rotate`` functions retire keys without
  invalidating what was already issued.
* ``signing_setup`` turns settings into a ``SigningSetup`` (key material loaded **once**, then
  reused by every ``pdf_sign`` call: parsing keys per document is what makes naive pyHanko use
  slow).
* ``pdf_sign`` embeds the attachments and signs, in one incremental update.
* ``pdf_examine`` answers "is this upload one of ours, unaltered?" and never raises on bad input.

Nothing here touches the network: timestamps come from the configured TSA only when signing at
B-T/B-LT, and validation never fetches CRLs or OCSP responses (``allow_fetching=False``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hashlib
import io
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.embed import EmbeddedFileObject, EmbeddedFileParams, FileSpec, embed_file
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer, SimpleSigner
from pyhanko.sign.signers.constants import ESIC_EXTENSION_1
from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, FreshnessReqType, RevocationCheckingPolicy
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes

__all__ = [
    "CREDENTIAL_KEY_FILE",
    "DEV_CA_CERT_FILE",
    "DEV_CA_CRL_FILE",
    "DEV_CA_KEY_FILE",
    "DEV_CRL_URL",
    "LEVELS",
    "SIGNING_CERT_FILE",
    "SIGNING_KEY_FILE",
    "Attachment",
    "PdfExamination",
    "SigningConfigurationError",
    "SigningSetup",
    "crls_load",
    "dev_credential_key_rotate",
    "dev_keys_ensure",
    "dev_signing_config",
    "dev_signing_key_rotate",
    "pdf_examine",
    "pdf_sign",
    "signing_setup",
    "trust_roots_load",
]

# File names inside the development keys directory; the default settings (lms/settings) point
# CERTIFICATES_SIGNING and CERTIFICATES_TRUST_ROOT_FILES at these names.
DEV_CA_KEY_FILE = "ca.key.pem"
DEV_CA_CERT_FILE = "ca.cert.pem"
DEV_CA_CRL_FILE = "ca.crl.pem"
SIGNING_KEY_FILE = "signing.key.pem"
SIGNING_CERT_FILE = "signing.cert.pem"
CREDENTIAL_KEY_FILE = "credential-ed25519.key.pem"
RETIRED_DIR = "retired"
# Where development signing certificates say the CA's CRL is published. ".invalid" can never
# resolve (RFC 2606); pass the site's real address to dev_keys_ensure to publish it.
DEV_CRL_URL = "http://crl.thaksa.invalid/ca.crl"

LEVELS = ("B-B", "B-T", "B-LT")

CA_VALIDITY = timedelta(days=20 * 365 + 5)
SIGNING_CERT_VALIDITY = timedelta(days=3 * 365 + 1)
CRL_VALIDITY = timedelta(days=365)
# Certificates start a little in the past so a machine whose clock lags slightly still accepts them.
BACKDATE = timedelta(minutes=5)

# RFC 9336 id-kp-documentSigning, plus Microsoft's Document Signing purpose that Adobe Acrobat and
# Windows recognise; both say "this key signs documents", which is what the certificate is for.
EKU_DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
EKU_MICROSOFT_DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")

SIGNATURE_FIELD_NAME = "ThaksaSignature"
DIGEST_ALGORITHM = "sha256"

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


class SigningConfigurationError(ImproperlyConfigured):
    """The signing settings cannot work as given; the message names the setting to fix."""


class _FetchWarningFilter(logging.Filter):
    """Drop pyHanko's per-signature warning that B-LT is produced without fetching.

    Not fetching is deliberate here (the CRLs to embed are configured, nothing may reach the
    network from a worker), so the warning would only flood the logs once per certificate.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_FetchWarningFilter())


# ---------------------------------------------------------------------------------------------
# Data types


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


@dataclass(frozen=True)
class SigningSetup:
    """Everything ``pdf_sign`` needs, built once by ``signing_setup`` and reused for every document."""

    signer: Signer
    level: str
    timestamper: TimeStamper | None
    validation_context: ValidationContext | None
    certificate_sha256: str
    # Space for the signature container, learnt from the first signature made with this setup.
    # pyHanko otherwise builds and serialises a complete dummy CMS before every real one to size
    # it, which is about a third of the cost of signing.
    _reserved: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise SigningConfigurationError(f"LEVEL must be one of {', '.join(LEVELS)}, not {self.level!r}")
        if self.level in ("B-T", "B-LT") and self.timestamper is None:
            raise SigningConfigurationError(f"LEVEL {self.level} needs a timestamp server: set TIMESTAMP_URL")
        if self.level == "B-LT" and self.validation_context is None:
            raise SigningConfigurationError(
                "LEVEL B-LT needs validation data to embed: set TRUST_ROOT_FILES (and CRL_FILES)"
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


# ---------------------------------------------------------------------------------------------
# Development keys


def _now() -> datetime:
    return datetime.now(UTC)


def _file_create(path: Path, data: bytes, *, private: bool) -> None:
    """Write a new file, refusing to replace an existing one (O_EXCL), private keys as 0600."""
    mode = 0o600 if private else 0o644
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.chmod(path, mode)  # the umask may have narrowed or (for 0600) not mattered; be explicit


def _key_pem(key: ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _private_key_read(path: Path) -> Any:
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def _ca_certificate_build(key: ec.EllipticCurvePrivateKey, organisation: str) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} root CA"),
        ]
    )
    now = _now()
    public_key = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )


def _organisation_of(ca_cert: x509.Certificate) -> str:
    names = ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(names[0].value) if names else "Thaksa"


def _signing_certificate_issue(
    key: ec.EllipticCurvePrivateKey,
    ca_key: CertificateIssuerPrivateKeyTypes,
    ca_cert: x509.Certificate,
    crl_url: str,
) -> x509.Certificate:
    organisation = _organisation_of(ca_cert)
    now = _now()
    public_key = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                    x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} document signing"),
                ]
            )
        )
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(min(now + SIGNING_CERT_VALIDITY, ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # a.k.a. nonRepudiation, which pyHanko requires by default
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([EKU_DOCUMENT_SIGNING, EKU_MICROSOFT_DOCUMENT_SIGNING]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        # Declaring where the CRL lives is what makes validators consult a CRL at all: in pyHanko's
        # soft-fail mode a certificate without a distribution point is never checked, so a CRL
        # revoking it (CRL_FILES, or the one embedded at B-LT) would be ignored.
        .add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )


def _crl_url_of(cert: x509.Certificate) -> str:
    """The CRL address a signing certificate declares, so a rotated one keeps declaring it."""
    try:
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except x509.ExtensionNotFound:
        return DEV_CRL_URL
    for point in points:
        for name in point.full_name or ():
            if isinstance(name, x509.UniformResourceIdentifier):
                return name.value
    return DEV_CRL_URL


def _crl_issue(
    ca_key: CertificateIssuerPrivateKeyTypes, ca_cert: x509.Certificate
) -> x509.CertificateRevocationList:
    """An empty CRL: nothing is revoked, and B-LT can embed proof of that without fetching."""
    now = _now()
    crl_number = int(now.timestamp() * 1000)  # monotonic enough for a development CA
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - BACKDATE)
        .next_update(now + CRL_VALIDITY)
        .add_extension(x509.CRLNumber(crl_number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )


def dev_keys_ensure(
    keys_dir: Path, *, organisation: str = "Thaksa (development)", crl_url: str = ""
) -> list[str]:
    """Create the development CA, signing certificate, CRL and credential key that are missing.

    Never overwrites a key or certificate: re-running it (every deployment, every ``runserver``)
    must not change what already-issued documents were signed with. The one exception is an
    *expired* CRL, which is re-issued so B-LT keeps embedding current revocation data. Returns the
    names of the files written. ``crl_url`` is the address the signing certificate declares for
    the CA's CRL (where the site publishes ``ca.crl.pem``, if it does); it is never fetched by
    this module.
    """
    crl_url = crl_url or DEV_CRL_URL
    keys_dir = Path(keys_dir)
    keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # private keys live here
    created: list[str] = []
    ca_key_path, ca_cert_path = keys_dir / DEV_CA_KEY_FILE, keys_dir / DEV_CA_CERT_FILE

    if ca_key_path.exists():
        ca_key = _private_key_read(ca_key_path)
    elif ca_cert_path.exists():
        raise SigningConfigurationError(
            f"{ca_cert_path} exists but its key {DEV_CA_KEY_FILE} does not; remove the certificate to start "
            "a new development CA (documents signed under the old one will no longer be trusted)"
        )
    else:
        ca_key = ec.generate_private_key(ec.SECP256R1())
        _file_create(ca_key_path, _key_pem(ca_key), private=True)
        created.append(DEV_CA_KEY_FILE)
    if ca_cert_path.exists():
        ca_cert = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
    else:
        ca_cert = _ca_certificate_build(ca_key, organisation)
        _file_create(ca_cert_path, _cert_pem(ca_cert), private=False)
        created.append(DEV_CA_CERT_FILE)

    key_path, cert_path = keys_dir / SIGNING_KEY_FILE, keys_dir / SIGNING_CERT_FILE
    if key_path.exists():
        signing_key = _private_key_read(key_path)
    elif cert_path.exists():
        raise SigningConfigurationError(
            f"{cert_path} exists but its key {SIGNING_KEY_FILE} does not; remove the certificate "
            "(or run dev_signing_key_rotate) to issue a new signing key"
        )
    else:
        signing_key = ec.generate_private_key(ec.SECP256R1())
        _file_create(key_path, _key_pem(signing_key), private=True)
        created.append(SIGNING_KEY_FILE)
    if not cert_path.exists():
        _file_create(
            cert_path,
            _cert_pem(_signing_certificate_issue(signing_key, ca_key, ca_cert, crl_url)),
            private=False,
        )
        created.append(SIGNING_CERT_FILE)

    crl_path = keys_dir / DEV_CA_CRL_FILE
    if crl_path.exists():
        current = x509.load_pem_x509_crl(crl_path.read_bytes())
        next_update = current.next_update_utc
        if next_update is not None and next_update < _now():
            crl_path.unlink()
    if not crl_path.exists():
        crl = _crl_issue(ca_key, ca_cert)
        _file_create(crl_path, crl.public_bytes(serialization.Encoding.PEM), private=False)
        created.append(DEV_CA_CRL_FILE)

    credential_path = keys_dir / CREDENTIAL_KEY_FILE
    if not credential_path.exists():
        _file_create(credential_path, _key_pem(ed25519.Ed25519PrivateKey.generate()), private=True)
        created.append(CREDENTIAL_KEY_FILE)
    return created


def _retire(keys_dir: Path, names: Sequence[str]) -> None:
    """Move files to ``retired/<UTC timestamp>-<name>``: kept for audit, never used again for signing."""
    retired = keys_dir / RETIRED_DIR
    retired.mkdir(mode=0o700, exist_ok=True)
    stamp = _now().strftime("%Y%m%dT%H%M%S.%fZ")
    for name in names:
        source = keys_dir / name
        if source.exists():
            target = retired / f"{stamp}-{name}"
            if target.exists():
                raise FileExistsError(target)
            source.rename(target)


def dev_signing_key_rotate(keys_dir: Path) -> str:
    """Replace the document-signing key and certificate with new ones from the same CA.

    The old certificate travels inside every document it signed and chains to the same CA, so
    those documents stay trusted. Returns the SHA-256 fingerprint of the new certificate; running
    processes keep signing with the old key until their ``SigningSetup`` is rebuilt.
    """
    keys_dir = Path(keys_dir)
    ca_key_path, ca_cert_path = keys_dir / DEV_CA_KEY_FILE, keys_dir / DEV_CA_CERT_FILE
    if not (ca_key_path.exists() and ca_cert_path.exists()):
        raise SigningConfigurationError(f"no development CA in {keys_dir}: run dev_keys_ensure first")
    ca_key = _private_key_read(ca_key_path)
    ca_cert = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
    current = keys_dir / SIGNING_CERT_FILE
    crl_url = (
        _crl_url_of(x509.load_pem_x509_certificate(current.read_bytes())) if current.exists() else DEV_CRL_URL
    )
    _retire(keys_dir, [SIGNING_KEY_FILE, SIGNING_CERT_FILE])
    signing_key = ec.generate_private_key(ec.SECP256R1())
    cert = _signing_certificate_issue(signing_key, ca_key, ca_cert, crl_url)
    _file_create(keys_dir / SIGNING_KEY_FILE, _key_pem(signing_key), private=True)
    _file_create(keys_dir / SIGNING_CERT_FILE, _cert_pem(cert), private=False)
    return cert.fingerprint(hashes.SHA256()).hex()


def dev_credential_key_rotate(keys_dir: Path) -> str:
    """Replace the Ed25519 credential key; returns the SHA-256 (hex) of the new raw public key.

    Credentials already issued keep verifying only if their verification method (the old public
    key) stays published; the retired private key is kept under ``retired/`` for that purpose.
    """
    keys_dir = Path(keys_dir)
    keys_dir.mkdir(parents=True, exist_ok=True)
    _retire(keys_dir, [CREDENTIAL_KEY_FILE])
    key = ed25519.Ed25519PrivateKey.generate()
    _file_create(keys_dir / CREDENTIAL_KEY_FILE, _key_pem(key), private=True)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def dev_signing_config(keys_dir: Path, *, level: str = "B-B") -> dict[str, object]:
    """Settings for ``signing_setup`` that use the development keys in ``keys_dir``."""
    keys_dir = Path(keys_dir)
    return {
        "BACKEND": "files",
        "KEY_FILE": keys_dir / SIGNING_KEY_FILE,
        "CERT_FILE": keys_dir / SIGNING_CERT_FILE,
        "CHAIN_FILES": [keys_dir / DEV_CA_CERT_FILE],
        "KEY_PASSWORD": None,
        "LEVEL": level,
        "TRUST_ROOT_FILES": [keys_dir / DEV_CA_CERT_FILE],
        "CRL_FILES": [keys_dir / DEV_CA_CRL_FILE],
    }


# ---------------------------------------------------------------------------------------------
# Loading key material


class _LoadedKeySigner(SimpleSigner):
    """A ``SimpleSigner`` that keeps the parsed private key.

    pyHanko's ``SimpleSigner.sign_raw`` re-parses the DER key on every call (twice per document,
    counting the size-estimation dry run); holding the ``cryptography`` key object avoids that.
    """

    def __init__(self, *, private_key: Any, signing_cert: asn1_x509.Certificate, chain: Iterable) -> None:
        registry = SimpleCertificateStore()
        registry.register_multiple(list(chain))
        super().__init__(
            signing_cert=signing_cert,
            signing_key=translate_pyca_cryptography_key_to_asn1(private_key),
            cert_registry=registry,
        )
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        key = self._private_key
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        return super().sign_raw(data, digest_algorithm)  # RSA & co.: pyHanko's own (slower) path


def _setting_path(config: Mapping[str, object], name: str) -> Path:
    value = config.get(name)
    if not value:
        raise SigningConfigurationError(f"{name} is not set")
    path = Path(str(value))
    if not path.is_file():
        raise SigningConfigurationError(f"{name} points to {path}, which does not exist or is not a file")
    return path


def _setting_paths(config: Mapping[str, object], name: str) -> list[Path]:
    value = config.get(name) or []
    if isinstance(value, str | os.PathLike):
        value = [value]
    paths = [Path(str(item)) for item in value]  # type: ignore[union-attr]
    for path in paths:
        if not path.is_file():
            raise SigningConfigurationError(f"{name} lists {path}, which does not exist or is not a file")
    return paths


def _password(config: Mapping[str, object], name: str) -> bytes | None:
    value = config.get(name)
    if value is None or value == "":
        return None
    return value if isinstance(value, bytes) else str(value).encode()


def _certificates_read(path: Path, setting: str) -> list[asn1_x509.Certificate]:
    try:
        certs = list(load_certs_from_pemder_data(path.read_bytes()))
    except (OSError, ValueError, TypeError) as exc:
        raise SigningConfigurationError(
            f"{setting}: {path} is not a PEM or DER certificate file ({exc})"
        ) from exc
    if not certs:
        raise SigningConfigurationError(f"{setting}: {path} contains no certificate")
    return certs


def trust_roots_load(paths: Iterable[Path]) -> list[asn1_x509.Certificate]:
    """Certificates (PEM, possibly several per file, or DER) to pass as ``trust_roots``."""
    roots: list[asn1_x509.Certificate] = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise SigningConfigurationError(f"TRUST_ROOT_FILES: {path} does not exist")
        roots.extend(_certificates_read(path, "TRUST_ROOT_FILES"))
    return roots


def crls_load(paths: Iterable[Path]) -> list[asn1_crl.CertificateList]:
    """CRLs (PEM or DER) to embed at B-LT or to consult when examining."""
    crls: list[asn1_crl.CertificateList] = []
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
            loaded = (
                x509.load_pem_x509_crl(data)
                if data.lstrip().startswith(b"-----")
                else x509.load_der_x509_crl(data)
            )
        except (OSError, ValueError) as exc:
            raise SigningConfigurationError(f"CRL_FILES: {path} is not a readable CRL ({exc})") from exc
        crls.append(asn1_crl.CertificateList.load(loaded.public_bytes(serialization.Encoding.DER)))
    return crls


def _crls_require_current(crls: Iterable[asn1_crl.CertificateList]) -> None:
    """B-LT embeds revocation data; pyHanko refuses an expired CRL with an unhelpful message."""
    now = _now()
    for crl in crls:
        next_update = crl["tbs_cert_list"]["next_update"].native
        if next_update is not None and next_update < now:
            issuer = crl.issuer.human_friendly
            raise SigningConfigurationError(
                f"CRL_FILES: the CRL of {issuer} expired on {next_update:%Y-%m-%d}; install a current one "
                "(development: dev_keys_ensure re-issues it) or sign at LEVEL B-T"
            )


def _public_keys_match(private_key: Any, cert: asn1_x509.Certificate) -> bool:
    public_der = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return public_der == cert.public_key.dump()


def _signer_from_files(config: Mapping[str, object]) -> tuple[Signer, asn1_x509.Certificate]:
    key_path = _setting_path(config, "KEY_FILE")
    cert_path = _setting_path(config, "CERT_FILE")
    password = _password(config, "KEY_PASSWORD")
    key_bytes = key_path.read_bytes()
    try:
        if key_bytes.lstrip().startswith(b"-----"):
            private_key = serialization.load_pem_private_key(key_bytes, password=password)
        else:
            private_key = serialization.load_der_private_key(key_bytes, password=password)
    except TypeError as exc:  # cryptography: encrypted key without password, or password for a plain key
        raise SigningConfigurationError(f"KEY_PASSWORD does not fit KEY_FILE {key_path}: {exc}") from exc
    except ValueError as exc:
        raise SigningConfigurationError(
            f"cannot read KEY_FILE {key_path}: wrong KEY_PASSWORD or not a private key ({exc})"
        ) from exc
    certs = _certificates_read(cert_path, "CERT_FILE")
    cert = certs[0]
    if not _public_keys_match(private_key, cert):
        raise SigningConfigurationError(
            f"CERT_FILE {cert_path} does not belong to the key in KEY_FILE {key_path}"
        )
    chain = [*certs[1:]]
    for path in _setting_paths(config, "CHAIN_FILES"):
        chain.extend(_certificates_read(path, "CHAIN_FILES"))
    return _LoadedKeySigner(private_key=private_key, signing_cert=cert, chain=chain), cert


def _signer_from_pkcs12(config: Mapping[str, object]) -> tuple[Signer, asn1_x509.Certificate]:
    path = _setting_path(config, "PKCS12_FILE")
    try:
        private_key, cert, extra = pkcs12.load_key_and_certificates(
            path.read_bytes(), _password(config, "PKCS12_PASSWORD")
        )
    except (ValueError, TypeError) as exc:
        raise SigningConfigurationError(
            f"cannot open PKCS12_FILE {path}: wrong PKCS12_PASSWORD or not a PKCS#12 file ({exc})"
        ) from exc
    if private_key is None or cert is None:
        raise SigningConfigurationError(f"PKCS12_FILE {path} must hold the private key and its certificate")
    signing_cert = translate_pyca_cryptography_cert_to_asn1(cert)
    chain = [translate_pyca_cryptography_cert_to_asn1(c) for c in extra]
    for chain_path in _setting_paths(config, "CHAIN_FILES"):
        chain.extend(_certificates_read(chain_path, "CHAIN_FILES"))
    return _LoadedKeySigner(private_key=private_key, signing_cert=signing_cert, chain=chain), signing_cert


def _signer_from_pkcs11(config: Mapping[str, object]) -> tuple[Signer, asn1_x509.Certificate]:
    """An HSM-backed signer; the key never leaves the token (untested here: no HSM in CI)."""
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    except ImportError as exc:
        raise SigningConfigurationError(
            f"BACKEND 'pkcs11' needs python-pkcs11: install it with  pip install 'pyHanko[pkcs11]'  ({exc})"
        ) from exc
    module = _setting_path(config, "PKCS11_MODULE")
    label = config.get("PKCS11_TOKEN_LABEL")
    if not label:
        raise SigningConfigurationError("PKCS11_TOKEN_LABEL is not set")
    pin = config.get("PKCS11_PIN")
    try:
        session = open_pkcs11_session(
            str(module),
            token_criteria=TokenCriteria(label=str(label)),
            user_pin=None if pin is None else str(pin),
        )
    except Exception as exc:
        raise SigningConfigurationError(
            f"cannot open the PKCS#11 token PKCS11_TOKEN_LABEL={label!r} with PKCS11_MODULE {module} "
            f"and PKCS11_PIN: {type(exc).__name__}: {exc}"
        ) from exc
    chain: list[asn1_x509.Certificate] = []
    for chain_path in _setting_paths(config, "CHAIN_FILES"):
        chain.extend(_certificates_read(chain_path, "CHAIN_FILES"))
    signer = PKCS11Signer(
        session,
        cert_label=str(config.get("PKCS11_CERT_LABEL") or config.get("PKCS11_KEY_LABEL") or "") or None,
        key_label=str(config.get("PKCS11_KEY_LABEL") or "") or None,
        ca_chain=chain,
        # SoftHSM (and several HSMs) only offer raw ECDSA; pyHanko then hashes locally.
        use_raw_mechanism=True,
    )
    try:
        cert = signer.signing_cert
    except Exception as exc:
        raise SigningConfigurationError(
            f"no key/certificate found on the token: check PKCS11_KEY_LABEL and PKCS11_CERT_LABEL ({exc})"
        ) from exc
    return signer, cert


def signing_setup(config: Mapping[str, object], *, timestamper: TimeStamper | None = None) -> SigningSetup:
    """Load the signing key once from settings; errors name the setting to fix.

    ``config`` keys: ``BACKEND`` ("files": KEY_FILE, CERT_FILE, CHAIN_FILES, KEY_PASSWORD; "pkcs12":
    PKCS12_FILE, PKCS12_PASSWORD, CHAIN_FILES; "pkcs11": PKCS11_MODULE, PKCS11_TOKEN_LABEL,
    PKCS11_PIN, PKCS11_KEY_LABEL, PKCS11_CERT_LABEL, CHAIN_FILES), ``LEVEL`` ("B-B" default,
    "B-T", "B-LT"), ``TIMESTAMP_URL`` (RFC 3161), ``TRUST_ROOT_FILES`` and ``CRL_FILES`` (the
    validation data B-LT embeds; never fetched). ``timestamper`` replaces ``TIMESTAMP_URL`` with a
    ready ``TimeStamper`` (a TSA that needs authentication, or a local one in tests).
    """
    backend = str(config.get("BACKEND") or "files")
    loaders = {"files": _signer_from_files, "pkcs12": _signer_from_pkcs12, "pkcs11": _signer_from_pkcs11}
    if backend not in loaders:
        raise SigningConfigurationError(f"BACKEND must be one of {', '.join(loaders)}, not {backend!r}")
    level = str(config.get("LEVEL") or "B-B")
    if level not in LEVELS:
        raise SigningConfigurationError(f"LEVEL must be one of {', '.join(LEVELS)}, not {level!r}")
    signer, cert = loaders[backend](config)

    url = config.get("TIMESTAMP_URL")
    if timestamper is None and url:
        timestamper = HTTPTimeStamper(str(url))
    elif timestamper is None and level != "B-B":
        raise SigningConfigurationError(f"LEVEL {level} needs a timestamp server: set TIMESTAMP_URL")

    validation_context = None
    if level == "B-LT":
        roots = trust_roots_load(_setting_paths(config, "TRUST_ROOT_FILES"))
        if not roots:
            raise SigningConfigurationError(
                "LEVEL B-LT needs TRUST_ROOT_FILES (the CA certificates to trust)"
            )
        crls = crls_load(_setting_paths(config, "CRL_FILES"))
        _crls_require_current(crls)
        validation_context = ValidationContext(
            trust_roots=roots,
            crls=crls,
            other_certs=list(signer.cert_registry),
            allow_fetching=False,
            # Before signing, pyHanko validates our own certificate against these roots; soft-fail
            # because a CA without a CRL (or an HSM CA we only know the root of) is still ours.
            revocation_mode="soft-fail",
        )
    return SigningSetup(
        signer=signer,
        level=level,
        timestamper=timestamper,
        validation_context=validation_context,
        certificate_sha256=cert.sha256.hex(),
    )


# ---------------------------------------------------------------------------------------------
# Signing


def _off_a_running_loop(function):
    """pyHanko's synchronous API starts its own event loop (``asyncio.run``), which a thread
    already running one (ASGI code, Playwright-driven tests) cannot do: such callers get the
    work done in a thread of its own and wait for it, blocking their loop meanwhile (a B-T
    signature includes the timestamp server's round trip)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(function, *args, **kwargs).result()

    return wrapper


def _attachments_embed(writer: IncrementalPdfFileWriter, attachments: Sequence[Attachment]) -> None:
    """Add the files to the EmbeddedFiles name tree and, with a relationship, to the catalog's /AF.

    pyHanko's ``embed_file`` can write /AF itself but then declares the file PDF 2.0; PDF/A-3
    (ISO 19005-3) uses /AF with PDF 1.7, so the association is added here without the version bump.
    """
    now = _now()
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
            writer.update_root()


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
    expires = setup.signer.signing_cert.not_valid_after
    if expires <= datetime.now(UTC):
        raise SigningConfigurationError(
            f"The document-signing certificate (CERTIFICATES_CERT_FILE, or the PKCS#12/PKCS#11 one) "
            f"expired on {expires:%Y-%m-%d}: documents it signs would not verify. Install a new one "
            "(development keys: manage.py certificates_init_keys --rotate), then restart the web and "
            "worker processes."
        )


@_off_a_running_loop
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
        _crls_require_current(setup.validation_context.crls)  # workers outlive a CRL's validity
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
    signed = signer.sign_pdf(writer, bytes_reserved=reserved).getvalue()
    if reserved is None:
        # pyHanko's estimate (with its 50% margin) is the /Contents gap of the signature just made.
        (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
        _, first_end, second_start, _ = (int(value) for value in signature.byte_range)
        setup._reserved["contents"] = second_start - first_end - 2
    return signed


# ---------------------------------------------------------------------------------------------
# Examination


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
    trust_roots: Sequence,
    crls: Sequence,
    timestamp_trust_roots: Sequence,
    moment: datetime | None = None,
) -> PdfSignatureStatus:
    # Fresh contexts per examination: pyHanko registers the certificates found in the signature
    # into the context, and one upload must not influence the next. ``moment`` only moves the
    # signer's validation into the past: the timestamp that justifies doing so is validated now.
    def context(roots: Sequence, at: datetime | None) -> ValidationContext:
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


@_off_a_running_loop
def pdf_examine(
    pdf: bytes,
    *,
    trust_roots: Sequence,
    crls: Sequence = (),
    timestamp_trust_roots: Sequence | None = None,
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
    trust_roots: Sequence,
    crls: Sequence,
    timestamp_trust_roots: Sequence | None,
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
        problems.append(f"signer certificate not trusted: {indication.name if indication else 'no path'}")
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
