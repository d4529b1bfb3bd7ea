"""The OpenID Connect signing keys, read from files (settings import this; no Django here)."""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def oidc_keys(files: list[str]) -> tuple[str, list[str]]:
    """(the key in use, the retired keys still published) from PEM files, the first in use."""
    pems = [Path(name).read_text() for name in files]
    return (pems[0] if pems else ""), pems[1:]


def development_oidc_key(path: Path) -> str:
    """This machine's own ID-token signing key, made on first use and readable by its owner
    only (like the development secret key beside it)."""
    if path.exists():
        return str(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Written beside it, then linked into place in one step: another process starting at the
    # same moment finds either no key or a whole one, and the first to link wins.
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    try:
        os.link(temporary, path)
    except FileExistsError:  # another process made it meanwhile
        pass
    finally:
        temporary.unlink()
    return str(path)
