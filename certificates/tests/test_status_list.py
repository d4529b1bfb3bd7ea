"""Bitstring Status List v1.0: bit order, encoding, decoding of malformed lists, and random indexes."""

import base64
import gzip
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openbadgeslib.ob3.status import decode_encoded_list, set_indices

from certificates import status_list
from certificates.status_list import (
    LIST_LENGTH,
    SERIALS_PER_LIST,
    encoded_list,
    index_is_set,
    status_list_slot,
)

#: The empty 131,072-bit list of the specification's example (Bitstring Status List v1.0, section 2.1).
#: Its GZIP CRC makes it self-checking: it decodes only if copied exactly.
SPEC_EMPTY_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


ROOT = Path(__file__).resolve().parents[2]


def seeded(seed: int) -> random.Random:
    """A repeatable generator: these tests need reproducible draws, not secrets."""
    return random.Random(seed)  # noqa: S311


def raw_bits(encoded: str) -> bytes:
    """Decode without the module under test: strip "u", base64url with padding restored, gunzip."""
    assert encoded.startswith("u")
    text = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def test_index_0_is_the_most_significant_bit_of_the_first_byte():
    assert raw_bits(encoded_list([0], length=16)) == b"\x80\x00"
    assert raw_bits(encoded_list([7], length=16)) == b"\x01\x00"
    assert raw_bits(encoded_list([8], length=16)) == b"\x00\x80"
    assert raw_bits(encoded_list([0, 9, 15], length=16)) == b"\x80\x41"


def test_the_encoding_is_multibase_base64url_without_padding_and_repeatable():
    encoded = encoded_list([3, 94567, 131071])

    assert re.fullmatch(r"u[A-Za-z0-9_-]+", encoded)
    assert encoded == encoded_list([131071, 3, 94567, 3]), "same list, same text (no timestamp in the GZIP)"
    assert len(raw_bits(encoded)) == LIST_LENGTH // 8 == 16_384


def test_an_empty_full_length_list_is_small():
    encoded = encoded_list([])

    assert len(encoded) < 100
    assert raw_bits(encoded) == bytes(16_384)


def test_known_bits_read_back():
    revoked = {0, 5, 4242, 94567, LIST_LENGTH - 1}
    encoded = encoded_list(revoked)

    for index in revoked:
        assert index_is_set(encoded, index)
    for index in (1, 4, 6, 4241, 4243, 94566, 94568, LIST_LENGTH - 2):
        assert not index_is_set(encoded, index)


def test_round_trip_agrees_with_openbadgeslib():
    revoked = set(seeded(7).sample(range(LIST_LENGTH), 1000))
    encoded = encoded_list(revoked)

    assert set_indices(decode_encoded_list(encoded)) == revoked
    sample = set(seeded(8).sample(range(LIST_LENGTH), 2000)) | revoked
    assert {index for index in sample if index_is_set(encoded, index)} == revoked


def test_the_specification_example_decodes():
    assert status_list.decoded_list(SPEC_EMPTY_LIST) == bytes(16_384)
    assert not index_is_set(SPEC_EMPTY_LIST, 0)
    assert not index_is_set(SPEC_EMPTY_LIST, LIST_LENGTH - 1)


@pytest.mark.parametrize("index", [-1, LIST_LENGTH, True, "3", 2.0])
def test_an_index_outside_the_list_is_refused(index):
    with pytest.raises(ValueError, match="index"):
        encoded_list([index])
    with pytest.raises(ValueError, match="index"):
        index_is_set(encoded_list([]), index)


@pytest.mark.parametrize("length", [0, -8, 12, True, 8.0])
def test_a_length_that_is_not_whole_bytes_is_refused(length):
    with pytest.raises(ValueError, match="length"):
        encoded_list([], length=length)


def _gzip_member(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(data, mtime=0)).decode().rstrip("=")


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "u",
        "H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",  # no multibase prefix
        "zH4sIAAAAAAAAA",  # another multibase
        "uH4sI+AAAA/",  # standard base64 alphabet
        "uH4sIAAAAAAAAA=",  # padding
        "u!!!!",
        "uA",  # impossible base64 length
        "u" + base64.urlsafe_b64encode(b"not gzip at all").decode().rstrip("="),
        SPEC_EMPTY_LIST[:-6],  # truncated GZIP
        _gzip_member(bytes(16)) + "AAAA",  # trailing bytes after the GZIP member
        _gzip_member(b""),  # an empty list
        None,
        42,
    ],
)
def test_a_malformed_list_is_refused(encoded):
    with pytest.raises(ValueError):  # noqa: PT011 — many malformations, one answer: never "not revoked"
        index_is_set(encoded, 0)


def test_a_list_that_inflates_without_end_is_refused():
    bomb = _gzip_member(bytes(status_list.MAX_DECODED_BYTES + 1))

    assert len(bomb) < 40_000
    with pytest.raises(ValueError, match="longer than"):
        index_is_set(bomb, 0)


def test_slots_fill_one_list_per_block_of_serials_at_random_free_positions():
    rng = seeded(2025)
    taken = set(range(0, LIST_LENGTH, 2))  # half the list, every even position

    slots = [
        status_list_slot(serial, is_taken=lambda _list, position: position in taken, rng=rng)
        for serial in range(300)
    ]

    assert {number for number, _ in slots} == {0}
    positions = [position for _, position in slots]
    assert all(position % 2 == 1 for position in positions)
    assert len(set(positions)) > 290, "random, not the next free position"
    assert max(positions) - min(positions) > LIST_LENGTH // 2


def test_the_next_block_of_serials_goes_to_the_next_list_so_lists_never_fill():
    never_taken = lambda _list, _position: False  # noqa: E731
    assert status_list_slot(SERIALS_PER_LIST - 1, is_taken=never_taken)[0] == 0
    assert status_list_slot(SERIALS_PER_LIST, is_taken=never_taken)[0] == 1
    assert status_list_slot(5_000_000, is_taken=never_taken)[0] == 5_000_000 // SERIALS_PER_LIST
    assert SERIALS_PER_LIST * 2 == LIST_LENGTH  # at most half of a list is ever used
    with pytest.raises(ValueError, match="non-negative"):
        status_list_slot(-1, is_taken=never_taken)


def test_slots_cannot_be_replayed_by_seeding_python_or_restarting_the_program():
    """Positions come from the operating system's randomness: two runs of the platform that seed
    Python's generator alike still place the same serials differently."""
    draw = (
        "import random; random.seed(2569); "
        "from certificates.status_list import status_list_slot; "
        "print([status_list_slot(serial, is_taken=lambda _n, _p: False)[1] for serial in range(20)])"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", draw], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
        for _ in range(2)
    ]
    assert runs[0].startswith("[")
    assert runs[0] != runs[1]
