"""The Thai national ID number (เลขประจำตัวประชาชน), which Thaksa never stores.

ThaID gives the number as the `pid` claim, and an agency's staff list may carry it. Both are
turned at once into a keyed hash (HMAC-SHA-256 under `NATIONAL_ID_HASH_KEY`), and only the
hash is kept (`User.national_id_hash`): the same number always gives the same hash, so a
first sign-in with ThaID finds the account the agency made, while nobody holding the database
without the key can tell whose number it was, not even by trying all 10^13 of them.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def normalised_national_id(value: object) -> str | None:
    """The 13 digits of a valid Thai national ID number (spaces and dashes allowed), or None.

    The last digit is a check digit: 11 minus the sum of the first twelve, each times its
    weight 13..2, modulo 11, modulo 10."""
    digits = "".join(ch for ch in str(value or "") if ch not in " -")
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return None
    total = sum(int(digit) * weight for digit, weight in zip(digits[:12], range(13, 1, -1), strict=True))
    if (11 - total % 11) % 10 != int(digits[12]):
        return None
    return digits


def national_id_hash(value: object) -> str | None:
    """The keyed hash of a valid national ID number; None for anything that is not one."""
    digits = normalised_national_id(value)
    if digits is None:
        return None
    key = settings.NATIONAL_ID_HASH_KEY
    if not key:
        raise ImproperlyConfigured("NATIONAL_ID_HASH_KEY is not set: national ID numbers cannot be matched.")
    return hmac.new(key.encode(), digits.encode(), hashlib.sha256).hexdigest()
