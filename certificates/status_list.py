"""W3C Bitstring Status List v1.0: the published list that says which credentials are revoked.

A signed PDF cannot be un-signed, so revocation lives in the database and is published as one long
bitstring: bit i is set when the credential holding index i is revoked. Verifiers fetch the whole list,
so nobody learns which credential they check; for that to hide anything the list must be long (the
specification's minimum, 131,072 bits) and indexes must be handed out at random, not in issue order.

Encoding (section 3.1 of the specification): bit 0 is the most significant bit of the first byte; the
bytes are GZIP-compressed, then base64url-encoded without padding, with the multibase prefix "u".
"""

import base64
import binascii
import gzip
import random
import re
import secrets
import zlib
from collections.abc import Callable, Iterable

#: Bits in a published list: the specification's minimum, large enough for herd privacy.
LIST_LENGTH = 131_072

#: Largest bitstring `index_is_set` inflates (16 MiB, 134 million entries), so a crafted list that
#: inflates without end (a "gzip bomb") costs a bounded amount of memory.
MAX_DECODED_BYTES = 16 * 1024 * 1024

_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_SYSTEM_RANDOM = secrets.SystemRandom()


def encoded_list(set_indexes: Iterable[int], *, length: int = LIST_LENGTH) -> str:
    """The `encodedList` of a `length`-bit list with `set_indexes` set ("u" + base64url(gzip(bits))).

    The GZIP header carries no timestamp, so the same list always encodes to the same text.
    ValueError when `length` is not a positive multiple of 8 or an index falls outside the list.
    """
    if isinstance(length, bool) or not isinstance(length, int) or length <= 0 or length % 8:
        raise ValueError(f"a status list length is a positive multiple of 8 bits, not {length!r}")
    bits = bytearray(length // 8)
    for index in set_indexes:
        _check_index(index, length)
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decoded_list(encoded: str) -> bytes:
    """The bitstring an `encodedList` carries; ValueError when it is not a well-formed list."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("an encodedList is multibase base64url and starts with 'u'")
    text = encoded[1:]
    if not _BASE64URL.match(text) or len(text) % 4 == 1:
        raise ValueError("the encodedList is not base64url without padding")
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError("the encodedList is not base64url without padding") from exc
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing only
    try:
        bits = inflater.decompress(compressed, MAX_DECODED_BYTES)
    except zlib.error as exc:
        raise ValueError("the encodedList is not GZIP-compressed") from exc
    if inflater.unconsumed_tail:
        raise ValueError(f"the status list is longer than {MAX_DECODED_BYTES} bytes")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("the encodedList is not one complete GZIP member")
    if not bits:
        raise ValueError("the status list is empty")
    return bits


def index_is_set(encoded: str, index: int) -> bool:
    """Whether bit `index` of an `encodedList` is set (for a revocation list: the credential is revoked).

    ValueError when the list is malformed or `index` falls outside it: an unreadable status must never
    pass for "not revoked".
    """
    bits = decoded_list(encoded)
    _check_index(index, len(bits) * 8)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


# Each list takes this many consecutive serial numbers (certificate ids), so it is never more
# than half full: a random position is free at the first or second draw, and a published list
# never tells how many certificates it covers or which is which (herd privacy).
SERIALS_PER_LIST = LIST_LENGTH // 2


def status_list_slot(
    serial: int, *, is_taken: Callable[[int, int], bool], rng: random.Random = _SYSTEM_RANDOM
) -> tuple[int, int]:
    """(list number, position in it) for the certificate with this serial number: the list is
    `serial // SERIALS_PER_LIST`, the position random among those `is_taken(list, position)`
    says are free. A platform issuing
    millions of certificates simply publishes more lists."""
    if isinstance(serial, bool) or not isinstance(serial, int) or serial < 0:
        raise ValueError(f"a serial number is a non-negative integer, not {serial!r}")
    number = serial // SERIALS_PER_LIST
    while True:  # at most half the positions are taken, so this ends after ~2 draws on average
        position = rng.randrange(LIST_LENGTH)
        if not is_taken(number, position):
            return number, position


def _check_index(index: int, length: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int):
        raise ValueError(f"a status list index is an integer, not {index!r}")
    if not 0 <= index < length:
        raise ValueError(f"status list index {index} is outside the list (0 to {length - 1})")
