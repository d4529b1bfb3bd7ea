"""The development PKI: a CA, a document-signing certificate, an empty CRL and an Ed25519
credential key, made on first run and rotated without invalidating what was issued.

``dev_keys_ensure`` makes what is missing (``make run`` and ``certificates_init_keys`` call
it); the ``*_rotate`` functions retire keys to ``retired/``; ``dev_signing_config`` gives the
settings that point ``signing_setup`` at these files. Production uses its own CA or an HSM.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

from certificates.signing.signers import SigningConfigurationError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes

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

CA_VALIDITY = timedelta(days=20 * 365 + 5)
SIGNING_CERT_VALIDITY = timedelta(days=3 * 365 + 1)
CRL_VALIDITY = timedelta(days=365)
# Certificates start a little in the past so a machine whose clock lags slightly still accepts them.
BACKDATE = timedelta(minutes=5)

# RFC 9336 id-kp-documentSigning, plus Microsoft's Document Signing purpose that Adobe Acrobat and
# Windows recognise; both say "this key signs documents", which is what the certificate is for.
EKU_DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
EKU_MICROSOFT_DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")


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
