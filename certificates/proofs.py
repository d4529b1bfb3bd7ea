"""W3C Data Integrity proofs, cryptosuite eddsa-rdfc-2022 (Ed25519), for Thaksa's credentials.

This follows "Data Integrity EdDSA Cryptosuites v1.0" (W3C Recommendation), section 3.2:

* proof configuration: the proof options without `proofValue`, with the `@context` of the document;
* transformation: both the document (without `proof`) and the proof configuration are canonicalised
  as RDF with RDFC-1.0 to N-Quads (pyld calls the algorithm by its earlier name, URDNA2015; the output
  is the same), using only the context documents shipped in `certificates.jsonld`;
* hashing: hashData = SHA-256(canonical proof configuration) followed by SHA-256(canonical document);
* signing: an Ed25519 signature over hashData, written as `proofValue` in multibase base58btc ("z…").

The signer's key is named by a `did:key` verification method (`did:key:z6Mk…#z6Mk…`), which carries
the public key itself, so a proof can be checked offline. Such a key proves only that the document was
signed by whoever holds it: whether that key is one of ours is the caller's decision, made by comparing
`ProofCheck.public_key_multibase` with the keys it trusts.

What is signed is the RDF dataset, not the JSON. A member that no context defines, a relative IRI, a
`null` or a node described in two places would be dropped or moved by the conversion to RDF: the JSON
would then say something the signature does not cover. So both directions refuse such documents (the
"context validation" Data Integrity asks verifiers to do): `proof_add` raises, `proof_verify` answers
"not verified". `proof_verify` also bounds the work an untrusted document can cost (size, nesting and
the blank-node permutations of RDF canonicalisation, which are factorial on hostile graphs).
"""

import copy
import hashlib
import json
import math
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer
from pyld.jsonld import JsonLdError, JsonLdProcessor

from certificates.jsonld import ContextNotShipped, document_loader, xsd_datetime

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"

#: Largest document (compact UTF-8 JSON) a proof is made or checked for. A full credential of ours is
#: about 3 KB, and a status list credential under 30 KB even with every other bit set.
MAX_DOCUMENT_BYTES = 256 * 1024
#: Most JSON values (objects, arrays, scalars) in a document. JSON-LD to RDF compares each value of a
#: property with the earlier ones, so the cost grows with the square of this: 1,500 distinct values
#: under one property cost about 0.6 s of CPU here, 2,900 about 2.4 s. A full credential has ~70.
MAX_JSON_VALUES = 1_500
#: Deepest nesting of objects and arrays. A credential nests 6 deep.
MAX_DEPTH = 24
#: RDF canonicalisation work allowed per document and proof: each unit is one step of Hash N-Degree
#: Quads (a call or a permutation). Our documents have no blank nodes that only this step can tell
#: apart, so they spend nothing; a hostile "poison graph" spends this in about 0.1 s (without the bound,
#: a 7.5 KB tree of identical nodes took 34 s).
MAX_CANONICALISATION_STEPS = 20_000
#: And the CPU time it may take, whatever the steps cost.
MAX_CANONICALISATION_SECONDS = 2.0

_ED25519_PUBLIC_KEY_MULTICODEC = b"\xed\x01"
_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_VALUES = {char: value for value, char in enumerate(_BASE58_ALPHABET)}
#: Longer base58 text than any key or signature is refused before decoding (decoding is quadratic).
_MAX_BASE58_CHARS = 128
_DID_KEY_PREFIX = "did:key:"
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_XSD_DATETIME_STAMP = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_LANGUAGE_VALUE_KEYS = frozenset({"@value", "@language"})
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class ProofCheck:
    """What `proof_verify` found.

    `verification_method` and `public_key_multibase` are filled in as soon as the proof names a usable
    key, even when verification then fails, so a caller can say which key a bad document claims.
    Trust them only when `verified` is true.
    """

    verified: bool
    verification_method: str | None
    public_key_multibase: str | None
    problem: str | None


class DocumentRefused(ValueError):
    """The document cannot be signed or checked as it is (see the message)."""


class _TooCostly(Exception):
    """RDF canonicalisation needed more work than any honest document does."""


# ── base58btc and keys ──────────────────────────────────────────────────────────────────────────


def _base58btc_encode(data: bytes) -> str:
    """Bitcoin base58 (the multibase "z" alphabet); each leading zero byte becomes a "1"."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits: list[str] = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(_BASE58_ALPHABET[remainder])
    return "1" * zeros + "".join(reversed(digits))


def _base58btc_decode(text: str) -> bytes:
    """Inverse of `_base58btc_encode`; ValueError on a character outside the alphabet or a long text."""
    if len(text) > _MAX_BASE58_CHARS:
        raise ValueError("base58btc value is too long")
    number = 0
    for char in text:
        value = _BASE58_VALUES.get(char)
        if value is None:
            raise ValueError(f"{char!r} is not a base58btc character")
        number = number * 58 + value
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """The Multikey form of an Ed25519 public key: "z" + base58btc(0xed 0x01 ‖ 32 key bytes), "z6Mk…"."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + _base58btc_encode(_ED25519_PUBLIC_KEY_MULTICODEC + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """The Ed25519 public key a Multikey value ("z6Mk…") carries; ValueError for anything else."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("a Multikey value is multibase base58btc and starts with 'z'")
    decoded = _base58btc_decode(value[1:])
    if len(decoded) != 34 or not decoded.startswith(_ED25519_PUBLIC_KEY_MULTICODEC):
        raise ValueError("the Multikey value is not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def verification_method_id(public_key: Ed25519PublicKey) -> str:
    """The did:key verification method of a key: "did:key:z6Mk…#z6Mk…".

    The did:key method defines the fragment of an Ed25519 key's method as the multibase value itself.
    """
    multibase = public_key_multibase(public_key)
    return f"{_DID_KEY_PREFIX}{multibase}#{multibase}"


def _public_key_of(verification_method: str) -> tuple[str, Ed25519PublicKey]:
    """The multibase value and key of a did:key Ed25519 verification method; ValueError otherwise."""
    did, hash_sign, fragment = verification_method.partition("#")
    if not did.startswith(_DID_KEY_PREFIX) or not hash_sign or fragment != did[len(_DID_KEY_PREFIX) :]:
        raise ValueError("verification method is not a did:key method of the form did:key:z…#z…")
    return fragment, public_key_from_multibase(fragment)


# ── the JSON a proof may cover ──────────────────────────────────────────────────────────────────


def _json_problem(document: Any) -> str | None:
    """Why `document` is not JSON a proof can fully cover, or None.

    Checked before any JSON-LD processing, so an untrusted document cannot make it spend much: size,
    nesting and number of values are bounded. Refused shapes: anything but plain JSON; `null` (dropped
    from the RDF, so never signed); keywords other than an `@context` of URLs (top level or proof) and
    VC 2.0 language value objects ({"@value", "@language"} with a well-formed tag); members spelled as
    IRIs (compaction never does, and they can re-spell a signed member where the JSON reader does not
    look).
    """
    if not isinstance(document, dict):
        return "document is not a JSON object"
    # A top-level @context, and a proof's own (Data Integrity allows one), may name context URLs.
    proof_entries = _as_list(document.get("proof"))
    context_holders = {id(document)} | {id(proof) for proof in proof_entries if isinstance(proof, dict)}
    values = 0
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > MAX_JSON_VALUES:
            return f"document has more than {MAX_JSON_VALUES} JSON values"
        if depth > MAX_DEPTH:
            return f"document is nested more than {MAX_DEPTH} deep"
        if value is None:
            return "document has a null value, which a proof cannot cover"
        if isinstance(value, bool | int | str):
            continue
        if isinstance(value, float):
            if not math.isfinite(value):
                return "document has a number JSON cannot carry"
            continue
        if isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
            continue
        if not isinstance(value, dict):
            return f"document holds a {type(value).__name__}, which is not JSON"
        language_value = value.keys() == _LANGUAGE_VALUE_KEYS and isinstance(value["@value"], str)
        if language_value and not (
            isinstance(value["@language"], str) and _LANGUAGE_TAG.match(value["@language"])
        ):
            return f"document has a malformed language tag {value['@language']!r}"
        for key, item in value.items():
            if not isinstance(key, str):
                return "document has a member name that is not a string"
            if key == "@context" and id(value) in context_holders:
                contexts = item if isinstance(item, list) else [item]
                if not contexts or not all(isinstance(url, str) for url in contexts):
                    return "@context must name context URLs; inline context objects are not accepted"
                continue
            if key.startswith("@") and not language_value:
                return f"document uses the keyword {key!r}, which is not accepted"
            if ":" in key:
                return f"document spells the member {key!r} as an IRI"
            stack.append((item, depth + 1))
    try:
        size = len(json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8"))
    except (TypeError, ValueError):  # a lone surrogate, mostly
        return "document is not plain JSON"
    if size > MAX_DOCUMENT_BYTES:
        return f"document is larger than {MAX_DOCUMENT_BYTES} bytes"
    return None


def _unsigned_statements(expanded: Any, dropped: list[Any]) -> Iterator[str]:
    """What in an expanded document the RDF would not carry, or would carry elsewhere than the JSON says.

    `dropped` holds the members expansion ignored (no context defines them). In the expanded form: every
    node id and type must be an absolute IRI (a relative one is dropped, or resolved against a base the
    JSON does not show), blank node identifiers are refused (they let JSON link nodes into the graphs
    canonicalisation is slowest on), and a node may be described in one place only (otherwise a signed
    statement can move to where a JSON reader does not look, with the signature unchanged).
    """
    for member in dropped:
        yield f"member {member!r} is not defined by the document's contexts, so it would not be signed"
    described: set[str] = set()
    stack = [expanded]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
            continue
        if not isinstance(value, dict):
            continue
        if "@value" in value:
            datatype = value.get("@type")
            if datatype is not None and not (isinstance(datatype, str) and _ABSOLUTE_IRI.match(datatype)):
                yield f"value type {datatype!r} is not an absolute IRI"
            continue
        node_id = value.get("@id")
        if node_id is not None:
            if not isinstance(node_id, str) or not _ABSOLUTE_IRI.match(node_id) or node_id.startswith("_:"):
                yield f"id {node_id!r} is not an absolute IRI"
            elif len(value) > 1:
                if node_id in described:
                    yield f"node {node_id!r} is described in more than one place"
                described.add(node_id)
        for node_type in value.get("@type", []):
            if not isinstance(node_type, str) or not _ABSOLUTE_IRI.match(node_type):
                yield f"type {node_type!r} is not defined by the document's contexts"
        stack.extend(item for key, item in value.items() if key not in ("@id", "@type"))


# ── RDF canonicalisation ────────────────────────────────────────────────────────────────────────


class _Budget:
    """Work one signature check may spend on RDF canonicalisation (both of its documents together)."""

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.thread_time() + MAX_CANONICALISATION_SECONDS

    def charge(self) -> None:
        self.steps += 1
        if self.steps > MAX_CANONICALISATION_STEPS or time.thread_time() > self.deadline:
            raise _TooCostly("canonicalisation needs more work than any credential does")


class _MeteredIssuer(IdentifierIssuer):
    """pyld's blank-node issuer, charging the budget each time it is copied.

    Hash N-Degree Quads copies the issuer once per permutation it tries, so this counts exactly the
    work that turns factorial on hostile graphs, without patching pyld for anyone else.
    """

    def __init__(self, prefix: str, budget: _Budget) -> None:
        super().__init__(prefix)
        self.budget = budget

    @classmethod
    def of(cls, issuer: IdentifierIssuer, budget: _Budget) -> "_MeteredIssuer":
        metered = cls(issuer.prefix, budget)
        metered.counter = issuer.counter
        metered.existing = dict(issuer.existing)
        metered.order = list(issuer.order)
        return metered

    def __deepcopy__(self, memo: dict[int, Any]) -> "_MeteredIssuer":
        self.budget.charge()
        return _MeteredIssuer.of(self, self.budget)


class _BoundedURDNA2015(URDNA2015):
    """pyld's URDNA2015 (RDFC-1.0), unchanged in output, stopping when the budget runs out."""

    def __init__(self, budget: _Budget) -> None:
        super().__init__()
        self.budget = budget

    def hash_n_degree_quads(self, id_: str, issuer: IdentifierIssuer) -> dict[str, Any]:
        self.budget.charge()
        if not isinstance(issuer, _MeteredIssuer):
            issuer = _MeteredIssuer.of(issuer, self.budget)
        return super().hash_n_degree_quads(id_, issuer)


_per_thread = threading.local()


def _context_resolver() -> ContextResolver:
    """A context resolver whose cache belongs to the calling thread.

    pyld's own cache of processed contexts is shared by the process and is not safe to use from
    several threads at once (concurrent use corrupts it for every later call), and a web server
    verifies on several threads. The shipped contexts are few, so each thread keeps its own.
    """
    cache = getattr(_per_thread, "contexts", None)
    if cache is None or len(cache) > 16:
        cache = _per_thread.contexts = {}
    return ContextResolver(cache, document_loader)


def _canonical_nquads(document: dict[str, Any], budget: _Budget) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, refusing what its RDF would not carry.

    The same output as `pyld.jsonld.normalize(document, {"algorithm": "URDNA2015", "format":
    "application/n-quads"})` with the shipped contexts. Expansion runs without a base IRI so that a
    relative IRI stays visible (pyld would otherwise resolve it against a placeholder base).
    """
    dropped: list[Any] = []
    processor = JsonLdProcessor(on_property_dropped=dropped.append)
    resolver = _context_resolver()
    options: dict[str, Any] = {"documentLoader": document_loader, "contextResolver": resolver, "base": None}
    try:
        expanded = processor.expand(document, options)
        problems = list(_unsigned_statements(expanded, dropped))
        if problems:
            raise DocumentRefused("; ".join(problems[:3]))
        dataset = processor.to_rdf(expanded, {**options, "produceGeneralizedRdf": False})
    except BaseException:
        # An interrupted or failed call may leave the thread's cache half-written: start afresh.
        _per_thread.contexts = None
        raise
    return _BoundedURDNA2015(budget).main(dataset, {"format": "application/n-quads"})


def _hash_data(unsecured: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    """hashData of eddsa-rdfc-2022: SHA-256(canonical proof configuration) ‖ SHA-256(canonical document).

    The proof configuration is the proof without `proofValue`, read in the context of the document.
    """
    proof_config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    proof_config["@context"] = unsecured.get("@context")
    budget = _Budget()
    config_hash = hashlib.sha256(_canonical_nquads(proof_config, budget).encode("utf-8")).digest()
    document_hash = hashlib.sha256(_canonical_nquads(unsecured, budget).encode("utf-8")).digest()
    return config_hash + document_hash


def _why_not_canonical(exc: BaseException) -> str:
    """A short English reason for a canonicalisation failure (pyld's own texts embed whole documents)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ContextNotShipped):
            return f"JSON-LD context {cause.url!r} is not shipped with Thaksa"
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, _TooCostly):
        return str(exc)
    if isinstance(exc, JsonLdError):
        # The innermost JSON-LD error says what was wrong; the outer ones say which step failed.
        inner: BaseException = exc
        while isinstance(inner.__cause__, JsonLdError):
            inner = inner.__cause__
        message = str(inner.args[0]) if inner.args else "JSON-LD error"
        return message[:200]
    return type(exc).__name__


# ── signing and verifying ───────────────────────────────────────────────────────────────────────


def proof_add(
    document: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    created: datetime,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A copy of `document` with an eddsa-rdfc-2022 DataIntegrityProof made with `private_key`.

    The verification method is the key's did:key; `created` is written in UTC with whole seconds.
    Raises DocumentRefused (a ValueError) for a document a proof could not fully cover, one that already
    has a proof (a second one would make a proof set, which verifiers handle unevenly), or one that names
    a context Thaksa does not ship.
    """
    if not isinstance(private_key, Ed25519PrivateKey):
        raise TypeError("eddsa-rdfc-2022 signs with an Ed25519 private key")
    problem = _json_problem(document)
    if problem is not None:
        raise DocumentRefused(problem)
    if "proof" in document:
        raise DocumentRefused("document already has a proof")
    if "@context" not in document:
        raise DocumentRefused("document has no @context")
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": verification_method_id(private_key.public_key()),
        "proofPurpose": proof_purpose,
    }
    try:
        hash_data = _hash_data(document, proof)
    except (JsonLdError, _TooCostly) as exc:
        raise DocumentRefused(f"document cannot be canonicalised: {_why_not_canonical(exc)}") from exc
    signed = copy.deepcopy(document)
    signed["proof"] = {**proof, "proofValue": "z" + _base58btc_encode(private_key.sign(hash_data))}
    return signed


def proof_verify(document: dict[str, Any], *, proof_purpose: str = "assertionMethod") -> ProofCheck:
    """Check the eddsa-rdfc-2022 proof of `document`, recomputing everything from the document itself.

    Never raises: any input that is not a document with one valid proof, whatever its shape, answers
    verified=False with a short reason. The key comes from the proof's did:key verification method;
    deciding whether that key is trusted is left to the caller (compare `public_key_multibase`).
    """
    try:
        return _proof_verify(document, proof_purpose)
    except Exception as exc:  # noqa: BLE001 — a verifier answers "not verified" on hostile input, never crashes
        return ProofCheck(False, None, None, f"document cannot be verified: {type(exc).__name__}")


def _proof_verify(document: Any, proof_purpose: str) -> ProofCheck:
    def refused(problem: str, method: str | None = None, multibase: str | None = None) -> ProofCheck:
        return ProofCheck(False, method, multibase, problem)

    problem = _json_problem(document)
    if problem is not None:
        return refused(problem)
    proof = document.get("proof")
    if proof is None:
        return refused("no proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            return refused("proof sets are not supported")
        proof = proof[0]
    if not isinstance(proof, dict):
        return refused("proof is not a JSON object")
    if proof.get("type") != PROOF_TYPE:
        return refused("unsupported proof type")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        return refused("unsupported cryptosuite")
    if proof.get("proofPurpose") != proof_purpose:
        return refused(f"proof purpose is not {proof_purpose}")
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        return refused("proof has no verification method")
    try:
        multibase, public_key = _public_key_of(method)
    except ValueError as exc:
        return refused(f"unsupported verification method: {exc}", method)
    for member in ("created", "expires"):
        stamp = proof.get(member)
        if stamp is not None and not _is_xsd_datetime_stamp(stamp):
            return refused(f"proof {member} is not an XSD dateTimeStamp", method, multibase)
    expires = proof.get("expires")
    if expires is not None and datetime.fromisoformat(expires) < datetime.now(UTC):
        return refused("proof has expired", method, multibase)
    if "@context" in proof:
        # Data Integrity: a proof's own @context must be where the document's begins.
        proof_contexts = _as_list(proof["@context"])
        if _as_list(document.get("@context"))[: len(proof_contexts)] != proof_contexts:
            return refused("proof @context does not match the document's", method, multibase)
    proof_value = proof.get("proofValue")
    try:
        if not isinstance(proof_value, str) or not proof_value.startswith("z"):
            raise ValueError
        signature = _base58btc_decode(proof_value[1:])
        if len(signature) != 64:
            raise ValueError
    except ValueError:
        return refused("proofValue is not a multibase base58btc Ed25519 signature", method, multibase)
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if "@context" not in unsecured:
        return refused("document has no @context", method, multibase)
    try:
        hash_data = _hash_data(unsecured, proof)
    except DocumentRefused as exc:
        return refused(str(exc), method, multibase)
    except (JsonLdError, _TooCostly) as exc:
        return refused(f"document cannot be canonicalised: {_why_not_canonical(exc)}", method, multibase)
    try:
        public_key.verify(signature, hash_data)
    except InvalidSignature:
        return refused("signature does not match", method, multibase)
    return ProofCheck(True, method, multibase, None)


def _is_xsd_datetime_stamp(value: Any) -> bool:
    """Whether `value` is an XSD dateTimeStamp (a dateTime with its timezone), as proofs require."""
    if not isinstance(value, str) or not _XSD_DATETIME_STAMP.match(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
