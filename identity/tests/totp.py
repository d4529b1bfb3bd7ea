"""The codes an authenticator app shows (RFC 6238, SHA-1, 6 digits, 30 s), computed here from
the key the person typed into their app: not with allauth's own code, which is what is tested."""

import base64
import hashlib
import hmac
import struct
import time


def authenticator_code(secret_base32: str, *, at: float | None = None) -> str:
    key = base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"
