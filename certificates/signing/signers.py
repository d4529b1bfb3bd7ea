"""Signing settings turned into a ``SigningSetup``: key material loaded once, then reused.

``signing_setup`` reads files, a PKCS#12 bundle or a PKCS#11 token (errors name the setting
to fix); parsing keys per document is what makes naive pyHanko use slow. ``trust_roots_load``
and ``crls_load`` read the validation data both signing (B-LT) and examining use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.sign.signers import Signer, SimpleSigner
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

LEVELS = ("B-B", "B-T", "B-LT")


class SigningConfigurationError(ImproperlyConfigured):
    """The signing settings cannot work as given; the message names the setting to fix."""


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


class _LoadedKeySigner(SimpleSigner):
    """A ``SimpleSigner`` that keeps the parsed private key.

    pyHanko's ``SimpleSigner.sign_raw`` re-parses the DER key on every call (twice per document,
    counting the size-estimation dry run); holding the ``cryptography`` key object avoids that.
    """

    def __init__(
        self, *, private_key: Any, signing_cert: asn1_x509.Certificate, chain: Iterable[asn1_x509.Certificate]
    ) -> None:
        registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
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
    paths = [Path(str(item)) for item in value]  # type: ignore[attr-defined]
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


def crls_require_current(crls: Iterable[asn1_crl.CertificateList]) -> None:
    """B-LT embeds revocation data; pyHanko refuses an expired CRL with an unhelpful message."""
    now = datetime.now(UTC)
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
    return bool(public_der == cert.public_key.dump())


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
        crls_require_current(crls)
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
