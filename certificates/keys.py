"""The keys this installation signs with, read once per process from settings.

Signing is slow when a key is re-read for every document, so the pyHanko signing setup, the
credential key and the trust roots are loaded on first use and kept. `keys_forget()` drops
them (after `certificates_init_keys --rotate`, and in tests)."""

import functools
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from certificates import signing
from certificates.proofs import public_key_multibase


@functools.cache
def signing_setup() -> signing.SigningSetup:
    return signing.signing_setup(settings.CERTIFICATES_SIGNING)


@functools.cache
def trust_roots() -> tuple:
    return tuple(signing.trust_roots_load(Path(p) for p in settings.CERTIFICATES_TRUST_ROOT_FILES))


@functools.cache
def crls() -> tuple:
    """The CRLs we hold: a document whose signing key was revoked is no longer genuine."""
    paths = [Path(p) for p in settings.CERTIFICATES_SIGNING.get("CRL_FILES") or [] if Path(p).exists()]
    return tuple(signing.crls_load(paths))


@functools.cache
def credential_private_key() -> Ed25519PrivateKey:
    path = Path(settings.CERTIFICATES_CREDENTIAL_KEY_FILE)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as error:
        raise signing.SigningConfigurationError(
            f"CERTIFICATES_CREDENTIAL_KEY_FILE: {path} does not exist. "
            "Run `manage.py certificates_init_keys` for development keys."
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise signing.SigningConfigurationError(
            f"CERTIFICATES_CREDENTIAL_KEY_FILE: {path} is not an Ed25519 key."
        )
    return key


def credential_public_key_multibase() -> str:
    return public_key_multibase(credential_private_key().public_key())


def keys_forget() -> None:
    for cached in (signing_setup, trust_roots, crls, credential_private_key):
        cached.cache_clear()
