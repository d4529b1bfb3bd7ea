"""The keys this installation signs with, read once per process from settings.

Signing is slow when a key is re-read for every document, so the pyHanko signing setup, the
credential key and the trust roots are loaded on first use and kept. `keys_forget()` drops
them (after `certificates_init_keys --rotate`, and in tests)."""

import functools
import logging
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from certificates.models import CredentialKey
from certificates.proofs import public_key_multibase
from certificates.signing import signers

logger = logging.getLogger(__name__)


@functools.cache
def signing_setup() -> signers.SigningSetup:
    # B-LT validates the signer before signing: it needs the same roots verification trusts.
    return signers.signing_setup(
        {**settings.CERTIFICATES_SIGNING, "TRUST_ROOT_FILES": settings.CERTIFICATES_TRUST_ROOT_FILES}
    )


@functools.cache
def trust_roots() -> tuple:
    return tuple(signers.trust_roots_load(Path(p) for p in settings.CERTIFICATES_TRUST_ROOT_FILES))


def crls() -> tuple:
    """The CRLs we hold, read afresh for each check (small files; checks are rate-limited), so a
    newly published revocation counts at once: a document whose signing key was revoked is no
    longer genuine."""
    paths = [Path(p) for p in settings.CERTIFICATES_SIGNING.get("CRL_FILES") or []]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        logger.warning("CERTIFICATES_CRL_FILES names files that do not exist: %s", ", ".join(missing))
    return tuple(signers.crls_load(p for p in paths if p.exists()))


@functools.cache
def credential_private_key() -> Ed25519PrivateKey:
    path = Path(settings.CERTIFICATES_CREDENTIAL_KEY_FILE)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as error:
        raise signers.SigningConfigurationError(
            f"CERTIFICATES_CREDENTIAL_KEY_FILE: {path} does not exist. "
            "Run `manage.py certificates_init_keys` for development keys."
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise signers.SigningConfigurationError(
            f"CERTIFICATES_CREDENTIAL_KEY_FILE: {path} is not an Ed25519 key."
        )
    return key


def credential_public_key_multibase() -> str:
    return public_key_multibase(credential_private_key().public_key())


@functools.cache
def credential_key_record() -> None:
    """Record, once per process, that the current key signs credentials: after a rotation its
    credentials still verify as ours."""
    CredentialKey.objects.get_or_create(public_key_multibase=credential_public_key_multibase())


def credential_key_is_ours(multibase: str) -> bool:
    return (
        multibase == credential_public_key_multibase()
        or CredentialKey.objects.filter(public_key_multibase=multibase).exists()
    )


def keys_forget() -> None:
    for cached in (signing_setup, trust_roots, credential_private_key, credential_key_record):
        cached.cache_clear()
