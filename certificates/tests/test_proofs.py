"""eddsa-rdfc-2022 Data Integrity proofs: sign and verify, tampering, hostile input, the W3C test
vector, an independent verifier (openbadgeslib), and the offline JSON-LD context loader."""

import copy
import hashlib
import json
import random
import socket
import threading
from datetime import UTC, datetime, timedelta, timezone
from importlib import resources
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from openbadgeslib.ob3 import contexts as openbadgeslib_contexts
from openbadgeslib.ob3.ldp import OB3LdpVerifier, add_data_integrity_proof, verify_data_integrity_proof
from openbadgeslib.ob3.verifier import OB3VerificationError
from pyld import jsonld as pyld_jsonld
from pyld.jsonld import JsonLdError, JsonLdProcessor

from certificates import jsonld, open_badges, proofs
from certificates.proofs import (
    ProofCheck,
    proof_add,
    proof_verify,
    public_key_from_multibase,
    public_key_multibase,
    verification_method_id,
)
from certificates.status_list import encoded_list
from certificates.tests.test_open_badges import BASE, STATUS_LIST, full_credential, issuer

CREATED = datetime(2025, 5, 1, 3, 0, 0, tzinfo=UTC)


# ── fixtures ────────────────────────────────────────────────────────────────────────────────────


@pytest.fixture(autouse=True)
def network_attempts(monkeypatch) -> list[Any]:
    """Every test here runs without network: any attempt is recorded and fails."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def other_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def signed(key) -> dict[str, Any]:
    return proof_add(full_credential(), private_key=key, created=CREATED)


def public_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def current_credential() -> dict[str, Any]:
    """A credential valid today, for verifiers that check the validity window."""
    now = datetime.now(UTC)
    return full_credential(valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=365))


# ── sign and verify ─────────────────────────────────────────────────────────────────────────────


def test_a_signed_credential_verifies(key, signed):
    check = proof_verify(signed)

    multibase = public_key_multibase(key.public_key())
    assert check == ProofCheck(
        verified=True,
        verification_method=f"did:key:{multibase}#{multibase}",
        public_key_multibase=multibase,
        problem=None,
    )
    assert multibase.startswith("z6Mk")


def test_proof_add_returns_a_new_document_with_the_proof(key):
    credential = full_credential()
    original = copy.deepcopy(credential)
    bangkok_time = datetime(2025, 5, 1, 17, 0, 0, 987654, tzinfo=timezone(timedelta(hours=7)))

    secured = proof_add(credential, private_key=key, created=bangkok_time)

    assert credential == original, "the input is not changed"
    assert {key_: value for key_, value in secured.items() if key_ != "proof"} == original
    proof = secured["proof"]
    assert set(proof) == {
        "type",
        "cryptosuite",
        "created",
        "verificationMethod",
        "proofPurpose",
        "proofValue",
    }
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["created"] == "2025-05-01T10:00:00Z"
    assert proof["verificationMethod"] == verification_method_id(key.public_key())
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["proofValue"].startswith("z")
    assert len(proofs._base58btc_decode(proof["proofValue"][1:])) == 64


def test_proof_add_refuses_what_it_cannot_sign_fully(key, other_key, signed):
    with pytest.raises(ValueError, match="already has a proof"):
        proof_add(signed, private_key=other_key, created=CREATED)
    with pytest.raises(ValueError, match="not defined"):
        proof_add({**full_credential(), "grade": "A"}, private_key=key, created=CREATED)
    with pytest.raises(ValueError, match="null"):
        proof_add({**full_credential(), "description": None}, private_key=key, created=CREATED)
    with pytest.raises(ValueError, match="not shipped"):
        proof_add(
            {**full_credential(), "@context": ["https://example.org/ctx"]}, private_key=key, created=CREATED
        )
    with pytest.raises(ValueError, match="timezone"):
        proof_add(full_credential(), private_key=key, created=datetime(2025, 5, 1))
    with pytest.raises(TypeError, match="Ed25519"):
        proof_add(full_credential(), private_key="not a key", created=CREATED)


def test_everything_the_builders_write_is_signed(key):
    """Expansion must drop nothing: a member no context defines would travel unsigned."""
    status_list_credential = open_badges.status_list_credential(
        credential_id=STATUS_LIST,
        issuer=issuer(),
        purpose="revocation",
        encoded=encoded_list([5]),
        valid_from=CREATED,
    )
    for document in (full_credential(), status_list_credential):
        dropped: list[Any] = []
        JsonLdProcessor(on_property_dropped=dropped.append).expand(
            document, {"documentLoader": jsonld.document_loader}
        )
        assert dropped == []
        assert proof_verify(proof_add(document, private_key=key, created=CREATED)).verified


def test_vc_2_language_value_objects_sign_and_verify_but_openbadgeslib_wants_strings(key):
    """Why open_badges writes one string per text: the VC 2.0 form is sound RDF, OB 3.0 readers refuse it."""
    credential = current_credential()
    credential["credentialSubject"]["achievement"]["name"] = [
        {"@value": "สุขอนามัยไซเบอร์", "@language": "th"},
        {"@value": "Cyber hygiene", "@language": "en"},
    ]
    secured = proof_add(credential, private_key=key, created=CREATED)
    unsecured = {k: v for k, v in secured.items() if k != "proof"}

    assert proof_verify(secured).verified
    assert '"สุขอนามัยไซเบอร์"@th' in proofs._canonical_nquads(unsecured, proofs._Budget())
    verify_data_integrity_proof(secured, public_pem(key))  # the proof itself is fine for openbadgeslib
    with pytest.raises(OB3VerificationError, match=r"achievement\.name must be a string"):
        OB3LdpVerifier(pubkey_pem=public_pem(key)).verify(secured)


def test_canonical_form_is_pyld_urdna2015(signed):
    unsecured = {key_: value for key_, value in signed.items() if key_ != "proof"}

    ours = proofs._canonical_nquads(unsecured, proofs._Budget())

    assert ours == pyld_jsonld.normalize(
        unsecured,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": jsonld.document_loader},
    )
    assert '"สุขอนามัยไซเบอร์ / Cyber hygiene"' in ours


def test_a_document_signed_by_someone_else_verifies_but_names_their_key(key, other_key):
    """Verification proves the document is intact; trusting the key is the caller's decision."""
    check = proof_verify(proof_add(full_credential(), private_key=other_key, created=CREATED))

    assert check.verified
    assert check.public_key_multibase == public_key_multibase(other_key.public_key())
    assert check.public_key_multibase != public_key_multibase(key.public_key())


def test_verification_is_safe_from_several_threads(signed):
    results: list[bool] = []

    def verify_some() -> None:
        results.extend(proof_verify(signed).verified for _ in range(5))

    threads = [threading.Thread(target=verify_some) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [True] * 40


# ── tampering ───────────────────────────────────────────────────────────────────────────────────


def _subject(document: dict[str, Any]) -> dict[str, Any]:
    return document["credentialSubject"]


def _achievement(document: dict[str, Any]) -> dict[str, Any]:
    return document["credentialSubject"]["achievement"]


def _flip_last_bit(proof_value: str) -> str:
    signature = bytearray(proofs._base58btc_decode(proof_value[1:]))
    signature[-1] ^= 1
    return "z" + proofs._base58btc_encode(bytes(signature))


TAMPERS = {
    "subject identity hash": lambda d: _subject(d)["identifier"][0].update(identityHash="sha256$" + "0" * 64),
    "subject salt": lambda d: _subject(d)["identifier"][0].update(salt="another salt"),
    "achievement name": lambda d: _achievement(d).update(name="สุขอนามัยไซเบอร์ / Cyber hygiene (advanced)"),
    "credential name": lambda d: d.update(name="Diploma"),
    "criteria narrative": lambda d: _achievement(d)["criteria"].update(narrative="Attend"),
    "alignment code": lambda d: _achievement(d)["alignment"][0].update(targetCode="DS-99"),
    "validUntil later": lambda d: d.update(validUntil="2099-05-01T03:00:00Z"),
    "validUntil removed": lambda d: d.pop("validUntil"),
    "credentialStatus removed": lambda d: d.pop("credentialStatus"),
    "status index": lambda d: d["credentialStatus"][0].update(statusListIndex="1"),
    "alignment removed": lambda d: _achievement(d)["alignment"].pop(),
    "evidence removed": lambda d: d.pop("evidence"),
    "issuer swapped": lambda d: d.update(
        issuer=open_badges.issuer_profile(
            id="https://fake.example/issuer", name={"en": "Fake"}, url="https://fake.example/"
        )
    ),
    "issuer id": lambda d: d["issuer"].update(id="https://fake.example/issuer"),
    "issuer name": lambda d: d["issuer"].update(name="Fake"),
    "proof created": lambda d: d["proof"].update(created="2025-05-02T03:00:00Z"),
    "proofValue with one bit flipped": lambda d: d["proof"].update(
        proofValue=_flip_last_bit(d["proof"]["proofValue"])
    ),
}


@pytest.mark.parametrize("tamper", TAMPERS.values(), ids=TAMPERS.keys())
def test_any_change_breaks_the_signature(signed, tamper):
    tampered = copy.deepcopy(signed)
    tamper(tampered)
    assert tampered != signed

    check = proof_verify(tampered)

    assert not check.verified
    assert check.problem == "signature does not match"


def test_a_proof_value_from_another_key_fails(signed, other_key):
    theirs = proof_add(
        {k: v for k, v in signed.items() if k != "proof"}, private_key=other_key, created=CREATED
    )
    tampered = copy.deepcopy(signed)
    tampered["proof"]["proofValue"] = theirs["proof"]["proofValue"]

    assert proof_verify(tampered) == ProofCheck(
        False,
        signed["proof"]["verificationMethod"],
        proof_verify(signed).public_key_multibase,
        "signature does not match",
    )


def test_a_verification_method_of_another_key_fails(signed, other_key):
    tampered = copy.deepcopy(signed)
    tampered["proof"]["verificationMethod"] = verification_method_id(other_key.public_key())

    check = proof_verify(tampered)

    assert (check.verified, check.problem) == (False, "signature does not match")
    assert check.public_key_multibase == public_key_multibase(other_key.public_key())


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"cryptosuite": "eddsa-jcs-2022"}, "unsupported cryptosuite"),
        ({"cryptosuite": "ecdsa-rdfc-2019"}, "unsupported cryptosuite"),
        ({"type": "Ed25519Signature2020"}, "unsupported proof type"),
        ({"proofPurpose": "authentication"}, "proof purpose is not assertionMethod"),
        ({"proofValue": "uAAAA"}, "proofValue is not a multibase base58btc Ed25519 signature"),
        ({"proofValue": "z111"}, "proofValue is not a multibase base58btc Ed25519 signature"),
        ({"created": "1 May 2025"}, "proof created is not an XSD dateTimeStamp"),
        ({"created": "2025-05-01T03:00:00"}, "proof created is not an XSD dateTimeStamp"),
        ({"expires": "2025-05-02T03:00:00Z"}, "proof has expired"),
        (
            {"@context": ["https://w3id.org/security/data-integrity/v2"]},
            "proof @context does not match the document's",
        ),
    ],
)
def test_a_proof_that_is_not_ours_to_check_is_refused_with_a_reason(signed, change, problem):
    tampered = copy.deepcopy(signed)
    tampered["proof"].update(change)

    check = proof_verify(tampered)

    assert (check.verified, check.problem) == (False, problem)


def test_a_proof_is_required(signed):
    assert proof_verify({k: v for k, v in signed.items() if k != "proof"}).problem == "no proof"
    assert proof_verify({**signed, "proof": [signed["proof"]]}).verified, "a proof set of one is the proof"
    assert proof_verify({**signed, "proof": [signed["proof"]] * 2}).problem == "proof sets are not supported"


@pytest.mark.parametrize("path", ["leaf", "removal"])
def test_every_value_and_member_of_the_credential_is_signed(signed, path):
    """Exhaustive: change any one value, or remove any one member, and verification fails."""
    locations = list(_locations(signed))
    assert len(locations) > 50
    for container, key_ in locations:
        tampered = copy.deepcopy(signed)
        target = _follow(tampered, container)
        if path == "leaf":
            if isinstance(target[key_], dict | list):
                continue
            target[key_] = (
                "https://tampered.example/x" if target[key_] != "https://tampered.example/x" else "x"
            )
        else:
            if isinstance(target, list) and len(target) == 1:
                continue  # an empty array is an absent member: covered by removing the member itself
            del target[key_]
        assert not proof_verify(tampered).verified, (container, key_)


def _locations(value: Any, path: tuple = ()) -> Any:
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key_, item in items:
        yield path, key_
        yield from _locations(item, (*path, key_))


def _follow(value: Any, path: tuple) -> Any:
    for key_ in path:
        value = value[key_]
    return value


# ── JSON that says something the signature does not cover ──────────────────────────────────────


def _same_rdf(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Whether two documents (without their proofs) are the same RDF dataset, hence share a signature."""
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": jsonld.document_loader,
    }

    def unsecured(document: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in document.items() if k != "proof"}

    return pyld_jsonld.normalize(unsecured(first), options) == pyld_jsonld.normalize(
        unsecured(second), options
    )


def test_a_signed_member_moved_where_readers_do_not_look_is_refused(key):
    """A node named in two places can be described in either: same RDF, same signature, other JSON."""
    credential = full_credential()
    issuer_id = credential["issuer"]["id"]
    credential["credentialSubject"]["achievement"]["creator"] = {"id": issuer_id}  # a reference, signed
    signed_with_creator = proof_add(credential, private_key=key, created=CREATED)
    assert proof_verify(signed_with_creator).verified
    moved = copy.deepcopy(signed_with_creator)
    moved["credentialSubject"]["achievement"]["creator"]["name"] = moved["issuer"].pop("name")
    assert _same_rdf(moved, signed_with_creator), "the attack is real: the issuer's name is gone from issuer"

    check = proof_verify(moved)

    assert not check.verified
    assert check.problem == f"node '{issuer_id}' is described in more than one place"


def test_a_signed_member_respelled_as_an_iri_is_refused(signed):
    respelled = copy.deepcopy(signed)
    respelled["https://www.w3.org/2018/credentials#validUntil"] = {
        "@value": respelled.pop("validUntil"),
        "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
    }
    assert _same_rdf(respelled, signed), "the attack is real: a reader of validUntil sees no expiry"

    check = proof_verify(respelled)

    assert not check.verified
    assert "spells the member" in check.problem


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(grade="A"), "'grade' is not defined"),
        (lambda d: d["credentialSubject"].update(grade="A"), "'grade' is not defined"),
        (lambda d: d.update(description=None), "null value"),
        (lambda d: d["type"].append("Diploma"), "type 'Diploma' is not defined"),
        (lambda d: d["evidence"][0].update(id="attempts/5521"), "is not an absolute IRI"),
        (lambda d: d["evidence"][0].update(id="_:b0"), "is not an absolute IRI"),
        (
            lambda d: d.update({"@included": [{"id": "https://x.example/n", "name": "n"}]}),
            "keyword '@included'",
        ),
        (
            lambda d: d.update(name={"@value": "n", "@language": "th", "@direction": "ltr"}),
            "keyword '@value'",
        ),
        (lambda d: d.update(name={"@value": "n", "@language": "!! bad"}), "malformed language tag"),
        (lambda d: d.update(name={"@value": "n", "@type": "https://x.example/t"}), "keyword '@value'"),
        (
            lambda d: d["credentialSubject"].update({"@context": {"grade": "https://x.example/grade"}}),
            "'@context'",
        ),
        (
            lambda d: d.update({"@context": [*d["@context"], {"grade": "https://x.example/g"}]}),
            "inline context",
        ),
    ],
)
def test_unsigned_additions_are_refused(signed, change, problem):
    tampered = copy.deepcopy(signed)
    change(tampered)

    check = proof_verify(tampered)

    assert not check.verified
    assert problem in check.problem


# ── hostile input never raises ──────────────────────────────────────────────────────────────────


def _deeply_nested(depth: int) -> dict[str, Any]:
    document: dict[str, Any] = {"name": "x"}
    for _ in range(depth):
        document = {"description": document}
    return document


#: A secp256k1 Multikey (multicodec 0xe701): a real key, of a type eddsa-rdfc-2022 does not use.
SECP256K1_MULTIKEY = "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"


def _with_proof(signed: dict[str, Any], **proof: Any) -> dict[str, Any]:
    return {**signed, "proof": {**signed["proof"], **proof}}


GARBAGE = [
    None,
    "a string",
    42,
    [],
    [{"proof": {}}],
    {},
    {"proof": None},
    {"proof": "z3FXQ"},
    {"proof": []},
    {"proof": [1, 2]},
    {"proof": {}},
    {
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "proofPurpose": "assertionMethod",
        }
    },
    {1: "non-string key"},
    {"name": {1, 2}},
    {"name": b"bytes"},
    {"name": datetime.now(UTC)},
    {"name": float("nan")},
    {"name": "\ud800 lone surrogate"},
    {"proof": {"type": "DataIntegrityProof"}, "@context": 5},
    _deeply_nested(5000),
    {"evidence": list(range(100_000))},
    {"description": "x" * 300_000},
]


@pytest.mark.parametrize("document", GARBAGE, ids=[str(number) for number in range(len(GARBAGE))])
def test_garbage_is_answered_not_raised(document):
    check = proof_verify(document)

    assert isinstance(check, ProofCheck)
    assert not check.verified
    assert check.problem


@pytest.mark.parametrize(
    "proof",
    [
        {"verificationMethod": None},
        {"verificationMethod": 7},
        {"verificationMethod": "https://thaksa.example.go.th/keys/1"},
        {"verificationMethod": "did:key:zzzz#zzzz"},
        {"verificationMethod": "did:key:z0OIl#z0OIl"},
        {"verificationMethod": "did:web:thaksa.example.go.th#key-1"},
        {"verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#key-1"},
        {"verificationMethod": f"did:key:{SECP256K1_MULTIKEY}#{SECP256K1_MULTIKEY}"},
        {"proofValue": None},
        {"proofValue": 12},
        {"proofValue": "z0OIl"},
        {"proofValue": "z" + "1" * 500},
        {"proofValue": "z" + "2" * 120},
        {"created": 20250501},
        {"created": "2025-13-45T99:00:00Z"},
        {"expires": ["2025"]},
        {"@context": 12},
        {"@context": [{"inline": "context"}]},
        {"cryptosuite": ["eddsa-rdfc-2022"]},
        {"proofPurpose": {"id": "assertionMethod"}},
    ],
)
def test_a_garbled_proof_is_answered_not_raised(signed, proof):
    check = proof_verify(_with_proof(signed, **proof))

    assert not check.verified
    assert check.problem


def test_random_garbage_is_answered_not_raised(signed):
    rng = random.Random(20250501)  # noqa: S311 — repeatable fuzzing, not secrets
    scalars = [None, True, 0, -1, 2**70, 1.5, "", "z", "_:b0", "did:key:z6Mk", "@id", "https://x.example/"]

    def garbage(depth: int) -> Any:
        roll = rng.random()
        if depth > 3 or roll < 0.5:
            return rng.choice(scalars)
        if roll < 0.75:
            return [garbage(depth + 1) for _ in range(rng.randrange(3))]
        keys = [
            "id",
            "type",
            "@context",
            "@value",
            "@language",
            "proof",
            "name",
            "https://x.example/p",
            "@graph",
        ]
        return {rng.choice(keys): garbage(depth + 1) for _ in range(rng.randrange(4))}

    for _ in range(300):
        document = copy.deepcopy(signed)
        locations = list(_locations(document))
        container, key_ = rng.choice(locations)
        _follow(document, container)[key_] = garbage(0)
        check = proof_verify(document)
        assert isinstance(check, ProofCheck)
        assert check.verified == (document == signed)


def test_a_graph_that_would_take_minutes_to_canonicalise_is_refused_quickly(signed):
    """Identical nested nodes make RDF canonicalisation try permutations: bounded, not factorial."""

    def symmetric_tree(depth: int) -> dict[str, Any]:
        if depth == 0:
            return {"name": "leaf"}
        return {"description": [symmetric_tree(depth - 1) for _ in range(3)]}

    hostile = {**signed, "evidence": [symmetric_tree(5)]}

    check = proof_verify(hostile)

    assert not check.verified
    assert "more work than any credential" in check.problem


# ── the W3C test vector ─────────────────────────────────────────────────────────────────────────

# From W3C "Data Integrity EdDSA Cryptosuites v1.0", test vectors for eddsa-rdfc-2022 (repository
# w3c/vc-di-eddsa, TestVectors/keyPair.json and TestVectors/eddsa-rdfc-2022/, commit 6767a890).
VECTOR_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR_PRIVATE_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
VECTOR_EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"
VECTOR_DOCUMENT = {
    "@context": ["https://www.w3.org/ns/credentials/v2", VECTOR_EXAMPLES_CONTEXT],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
VECTOR_PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "proofPurpose": "assertionMethod",
    "proofValue": "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9",
}
VECTOR_CANONICAL_PROOF_CONFIG = (
    '_:c14n0 <http://purl.org/dc/terms/created> "2023-02-24T23:36:38Z"'
    "^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
    "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<https://w3id.org/security#DataIntegrityProof> .\n"
    '_:c14n0 <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"'
    "^^<https://w3id.org/security#cryptosuiteString> .\n"
    "_:c14n0 <https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod> .\n"
    "_:c14n0 <https://w3id.org/security#verificationMethod> "
    "<https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2> .\n"
)
VECTOR_HASH_DATA = (
    "4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb"
    "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
)


@pytest.fixture
def examples_context(monkeypatch):
    """The W3C examples context the vector names (not shipped: Thaksa's credentials never use it)."""

    def loader(url: str, options: object = None) -> dict[str, Any]:
        if url == VECTOR_EXAMPLES_CONTEXT:
            document = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
            return {"contextUrl": None, "documentUrl": url, "document": document}
        return jsonld.document_loader(url, options)

    monkeypatch.setattr(proofs, "document_loader", loader)


def vector_key() -> Ed25519PrivateKey:
    decoded = proofs._base58btc_decode(VECTOR_PRIVATE_KEY[1:])
    assert decoded[:2] == b"\x80\x26", "multicodec ed25519-priv"
    return Ed25519PrivateKey.from_private_bytes(decoded[2:])


def test_the_w3c_eddsa_rdfc_2022_test_vector(examples_context):
    private_key = vector_key()
    proof_config = {k: v for k, v in VECTOR_PROOF.items() if k != "proofValue"}

    canonical_config = proofs._canonical_nquads(
        {**proof_config, "@context": VECTOR_DOCUMENT["@context"]}, proofs._Budget()
    )
    hash_data = proofs._hash_data(VECTOR_DOCUMENT, VECTOR_PROOF)

    assert public_key_multibase(private_key.public_key()) == VECTOR_PUBLIC_KEY
    assert canonical_config == VECTOR_CANONICAL_PROOF_CONFIG
    assert hash_data[:32] == hashlib.sha256(VECTOR_CANONICAL_PROOF_CONFIG.encode()).digest()
    assert hash_data.hex() == VECTOR_HASH_DATA
    assert "z" + proofs._base58btc_encode(private_key.sign(hash_data)) == VECTOR_PROOF["proofValue"]


def test_the_vector_document_signed_with_its_key_as_a_did_key(examples_context):
    secured = proof_add(
        VECTOR_DOCUMENT, private_key=vector_key(), created=datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)
    )

    check = proof_verify(secured)

    assert check.verified
    assert check.verification_method == f"did:key:{VECTOR_PUBLIC_KEY}#{VECTOR_PUBLIC_KEY}"
    # The vector's own verification method is an https URL: resolving it would need the network.
    assert proof_verify({**VECTOR_DOCUMENT, "proof": VECTOR_PROOF}).problem.startswith(
        "unsupported verification method"
    )


# ── keys ────────────────────────────────────────────────────────────────────────────────────────


def test_base58btc():
    assert proofs._base58btc_encode(b"hello world") == "StV1DL6CwTryKyV"
    assert proofs._base58btc_encode(b"\0\0\x01") == "112"
    for data in (b"", b"\0", b"\0\0\xff", bytes(range(64))):
        assert proofs._base58btc_decode(proofs._base58btc_encode(data)) == data
    with pytest.raises(ValueError, match="not a base58btc character"):
        proofs._base58btc_decode("0OIl")


def test_multikey_round_trip(key):
    value = public_key_multibase(key.public_key())

    assert value.startswith("z6Mk")
    assert public_key_from_multibase(value).public_bytes(
        Encoding.Raw, PublicFormat.Raw
    ) == key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert verification_method_id(key.public_key()) == f"did:key:{value}#{value}"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "z",
        "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",  # no multibase prefix
        "z0OIl",
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ",  # one character short
        SECP256K1_MULTIKEY,
        "z" + "2" * 200,
        None,
        42,
    ],
)
def test_a_value_that_is_not_an_ed25519_multikey_is_refused(value):
    with pytest.raises(ValueError):  # noqa: PT011 — many malformations, one answer
        public_key_from_multibase(value)


# ── an independent verifier: openbadgeslib ──────────────────────────────────────────────────────


def test_openbadgeslib_accepts_our_credential(key):
    secured = proof_add(current_credential(), private_key=key, created=datetime.now(UTC))

    credential = OB3LdpVerifier(pubkey_pem=public_pem(key)).verify(secured)

    assert credential.issuer.id == f"{BASE}/organisations/ocsc"
    assert credential.achievement.name == "สุขอนามัยไซเบอร์ / Cyber hygiene"
    assert [a.target_code for a in credential.achievement.alignments] == ["DS-03", "DS-07"]
    (identifier,) = credential.identifiers
    assert identifier.identity_hash == open_badges.identity_hash(
        "somchai.j@example.go.th", "3b1f0c6e5a2d4e8f"
    )
    assert credential.credential_status[0]["statusListIndex"] == "94567"


@pytest.mark.parametrize("tamper", ["achievement name", "validUntil removed", "issuer id", "proof created"])
def test_openbadgeslib_rejects_our_credential_tampered(key, tamper):
    secured = proof_add(current_credential(), private_key=key, created=datetime.now(UTC))
    TAMPERS[tamper](secured)

    with pytest.raises(OB3VerificationError, match="signature mismatch"):
        OB3LdpVerifier(pubkey_pem=public_pem(key)).verify(secured)


def test_openbadgeslib_rejects_a_proof_value_from_another_key(key, other_key):
    secured = proof_add(current_credential(), private_key=key, created=CREATED)
    theirs = proof_add(
        {k: v for k, v in secured.items() if k != "proof"}, private_key=other_key, created=CREATED
    )
    secured["proof"]["proofValue"] = theirs["proof"]["proofValue"]

    with pytest.raises(OB3VerificationError, match="signature mismatch"):
        OB3LdpVerifier(pubkey_pem=public_pem(key)).verify(secured)


def test_openbadgeslib_checks_the_proof_with_our_local_contexts(key, signed):
    ours = {url: jsonld.context_document(url) for url in jsonld.CONTEXTS}

    verify_data_integrity_proof(signed, public_pem(key), extra_contexts=ours)
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["identifier"][0]["salt"] = "another salt"
    with pytest.raises(OB3VerificationError, match="signature mismatch"):
        verify_data_integrity_proof(tampered, public_pem(key), extra_contexts=ours)


def test_openbadgeslib_signs_exactly_what_we_sign(key, signed):
    """Ed25519 is deterministic: the same document, key, method and time give the same proof."""
    private_pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())

    theirs = add_data_integrity_proof(
        full_credential(), private_pem, verification_method_id(key.public_key()), created=CREATED
    )

    assert theirs == signed
    assert proof_verify(theirs).verified


def test_openbadgeslib_accepts_our_status_list_credential(key):
    status_list_credential = open_badges.status_list_credential(
        credential_id=STATUS_LIST,
        issuer=f"{BASE}/organisations/ocsc",
        purpose="revocation",
        encoded=encoded_list([94567]),
        valid_from=CREATED,
    )
    secured = proof_add(status_list_credential, private_key=key, created=CREATED)

    verify_data_integrity_proof(secured, public_pem(key))
    secured["credentialSubject"]["encodedList"] = encoded_list([])
    with pytest.raises(OB3VerificationError, match="signature mismatch"):
        verify_data_integrity_proof(secured, public_pem(key))


# ── the offline JSON-LD context loader ──────────────────────────────────────────────────────────


def test_the_shipped_contexts_are_byte_for_byte_openbadgeslibs(network_attempts):
    packaged = resources.files(openbadgeslib_contexts)
    shipped = resources.files(jsonld)

    assert len(jsonld.CONTEXTS) == 4
    for url, name in jsonld.CONTEXTS.items():
        assert openbadgeslib_contexts._URL_TO_RESOURCE[url] == name, url
        assert shipped.joinpath(name).read_bytes() == packaged.joinpath(name).read_bytes(), name
    assert hashlib.sha256(shipped.joinpath("credentials-v2.json").read_bytes()).hexdigest() == (
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"
    )


def test_the_loader_answers_in_pyld_shape_with_a_private_copy():
    url = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

    answer = jsonld.document_loader(url)
    answer["document"]["@context"]["name"] = "changed by a caller"

    assert set(answer) >= {"contextUrl", "documentUrl", "document"}
    assert (answer["contextUrl"], answer["documentUrl"]) == (None, url)
    expected = json.loads(resources.files(jsonld).joinpath("ob-v3p0-context-3.0.3.json").read_text())
    assert jsonld.context_document(url) == expected
    assert jsonld.document_loader(url)["document"] == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.w3.org/ns/credentials/examples/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "https://www.w3.org/ns/credentials/v2/",
        "http://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/2018/credentials/v1",
    ],
)
def test_the_loader_refuses_any_other_url_without_the_network(network_attempts, url):
    with pytest.raises(JsonLdError, match="not shipped with Thaksa"):
        jsonld.document_loader(url)
    with pytest.raises(JsonLdError):
        pyld_jsonld.expand({"@context": url, "name": "x"}, {"documentLoader": jsonld.document_loader})

    assert network_attempts == []


def test_verifying_a_document_with_an_unknown_context_does_not_touch_the_network(network_attempts, signed):
    remote = copy.deepcopy(signed)
    remote["@context"] = [*remote["@context"], "https://attacker.example/context.jsonld"]

    check = proof_verify(remote)

    assert check.problem == (
        "document cannot be canonicalised: JSON-LD context 'https://attacker.example/context.jsonld' "
        "is not shipped with Thaksa"
    )
    assert network_attempts == []


def test_the_network_guard_works(network_attempts):
    """The guard these tests rely on does stop a connection (so an empty record means something)."""
    with pytest.raises(OSError, match="network access"):
        socket.create_connection(("www.w3.org", 443))
    assert len(network_attempts) == 1
