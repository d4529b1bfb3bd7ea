"""Open Badges 3.0 credentials (W3C Verifiable Credentials 2.0) as plain dicts, ready to be signed.

Builders only: no database, no keys. A credential built here is signed with `certificates.proofs`
(DataIntegrityProof, eddsa-rdfc-2022) and names only the contexts shipped in `certificates.jsonld`:
VC 2.0 and OB 3.0.3, and for a status list VC 2.0 alone.

Texts in Thai and English. OB 3.0 types every human-readable property (credential and achievement
name, description, criteria narrative, issuer name) as one plain string, and verifiers hold to it:
openbadgeslib refuses a credential whose achievement name is not a string, and 1EdTech's JSON Schema
requires strings throughout. The JSON-LD ways of tagging languages do not fit: no shipped context
defines a language map ("@container": "@language") and strict verifiers refuse inline contexts; VC 2.0
language value objects ([{"@value": …, "@language": "th"}, …]) canonicalise and sign, but are not
strings, so OB 3.0 verifiers and wallets reject or garble them. So each text is one string holding
every language given, in the order given (Thai first), each once:

    name:        "ความปลอดภัยไซเบอร์ / Cyber security"        (NAME_SEPARATOR)
    description: "…ภาษาไทย…", a blank line, "…English…"       (PARAGRAPH_SEPARATOR; narratives are Markdown)

Both languages are signed and every OB 3.0 reader shows them; only the language tags are lost. The
builders take {"th": …, "en": …} so that this choice lives here alone.

The learner is named only by a salted hash of their e-mail address (an OB 3.0 IdentityObject), so the
credential carries no personal data in clear. All dates are XSD dateTime in UTC with "Z".
"""

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from certificates.jsonld import OB_V3P0, VC_V2, xsd_datetime

CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
STATUS_PURPOSES = ("revocation", "suspension", "refresh", "message")
#: Between the languages of a name, and of a description or narrative.
NAME_SEPARATOR = " / "
PARAGRAPH_SEPARATOR = "\n\n"

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def localised_text(texts: Mapping[str, str], *, separator: str = NAME_SEPARATOR) -> str:
    """One OB 3.0 string holding a text in every language given, in the order given, each once.

    `{"th": "ความปลอดภัยไซเบอร์", "en": "Cyber security"}` → "ความปลอดภัยไซเบอร์ / Cyber security".
    ValueError for an empty mapping, a malformed language tag or an empty text.
    """
    if not texts:
        raise ValueError("a text needs at least one language")
    parts: list[str] = []
    for language, text in texts.items():
        if not isinstance(language, str) or not _LANGUAGE_TAG.match(language):
            raise ValueError(f"{language!r} is not a language tag")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"the {language} text is empty")
        if text.strip() not in parts:
            parts.append(text.strip())
    return separator.join(parts)


def identity_hash(email: str, salt: str) -> str:
    """The OB 3.0 IdentityHash of an e-mail address: "sha256$" + hex SHA-256(address + salt).

    The address is stripped and lowercased first, so the learner can prove it is theirs whatever case
    they type it in; the salt (one per credential) keeps the hash from being matched across credentials
    or against a list of known addresses.
    """
    normalised = email.strip().lower()
    if not normalised:
        raise ValueError("an identity hash needs an e-mail address")
    return "sha256$" + hashlib.sha256((normalised + salt).encode("utf-8")).hexdigest()


def issuer_profile(
    *,
    id: str,
    name: dict[str, str],
    url: str,
    email: str | None = None,
    description: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The issuing organisation as an OB 3.0 Profile."""
    profile: dict[str, Any] = {
        "id": _iri(id, "issuer id"),
        "type": ["Profile"],
        "name": localised_text(name),
        "url": _iri(url, "issuer url"),
    }
    if email is not None:
        profile["email"] = email
    if description is not None:
        profile["description"] = localised_text(description, separator=PARAGRAPH_SEPARATOR)
    return profile


def alignment(
    *, target_name: str, target_url: str, target_code: str, target_framework: str | None
) -> dict[str, Any]:
    """An OB 3.0 Alignment: the competency (in a framework) that the achievement shows."""
    if not target_name.strip():
        raise ValueError("an alignment needs a target name")
    aligned: dict[str, Any] = {
        "type": ["Alignment"],
        "targetName": target_name,
        "targetUrl": _iri(target_url, "alignment target url"),
        "targetCode": target_code,
    }
    if target_framework is not None:
        aligned["targetFramework"] = target_framework
    return aligned


def achievement(
    *,
    id: str,
    name: dict[str, str],
    description: dict[str, str],
    criteria_narrative: dict[str, str],
    alignments: list[dict[str, Any]],
    achievement_type: str = "Certificate",
    image_url: str | None = None,
) -> dict[str, Any]:
    """An OB 3.0 Achievement: what was achieved, how it is earned, and which competencies it shows."""
    built: dict[str, Any] = {
        "id": _iri(id, "achievement id"),
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": localised_text(name),
        "description": localised_text(description, separator=PARAGRAPH_SEPARATOR),
        "criteria": {"narrative": localised_text(criteria_narrative, separator=PARAGRAPH_SEPARATOR)},
    }
    if alignments:
        built["alignment"] = list(alignments)
    if image_url is not None:
        built["image"] = {"id": _iri(image_url, "achievement image url"), "type": "Image"}
    return built


def status_entry(*, status_list_credential: str, index: int, purpose: str) -> dict[str, Any]:
    """A BitstringStatusListEntry: which bit of which published list holds this credential's status."""
    _check_purpose(purpose)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"a status list index is a non-negative integer, not {index!r}")
    list_url = _iri(status_list_credential, "status list credential")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def open_badge_credential(
    *,
    credential_id: str,
    name: dict[str, str],
    issuer: dict[str, Any],
    valid_from: datetime,
    valid_until: datetime | None,
    email: str,
    salt: str,
    achievement: dict[str, Any],
    status_entries: list[dict[str, Any]],
    evidence: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential awarding `achievement` to the holder of `email`.

    The subject is an AchievementSubject identified only by a salted hash of the address. Sign the
    result with `certificates.proofs.proof_add`.
    """
    valid_from_text = xsd_datetime(valid_from)  # refuses a naive datetime before it is compared
    valid_until_text = xsd_datetime(valid_until) if valid_until is not None else None
    if valid_until is not None and valid_until <= valid_from:
        raise ValueError("a credential must become valid before it expires")
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3P0],
        "id": _iri(credential_id, "credential id"),
        "type": list(CREDENTIAL_TYPES),
        "name": localised_text(name),
        "issuer": issuer,
        "validFrom": valid_from_text,
    }
    if valid_until_text is not None:
        credential["validUntil"] = valid_until_text
    credential["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(email, salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        ],
        "achievement": achievement,
    }
    if status_entries:
        credential["credentialStatus"] = list(status_entries)
    if evidence:
        credential["evidence"] = list(evidence)
    return credential


def status_list_credential(
    *,
    credential_id: str,
    issuer: dict[str, Any] | str,
    purpose: str,
    encoded: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential publishing `encoded` (see `certificates.status_list`).

    Its subject is the list itself, `credential_id` + "#list". An issuer given as a Profile dict needs
    the OB 3.0 context for its terms (Profile, url, email), so it is added then; with an issuer id the
    VC 2.0 context, which defines the status list terms, is enough.
    """
    _check_purpose(purpose)
    list_url = _iri(credential_id, "status list credential id")
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("encodedList is multibase base64url and starts with 'u'")
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3P0] if isinstance(issuer, dict) else [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer if isinstance(issuer, dict) else _iri(issuer, "issuer id"),
        "validFrom": xsd_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = xsd_datetime(valid_until)
        if valid_until <= valid_from:
            raise ValueError("a status list must become valid before it expires")
    credential["credentialSubject"] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": encoded,
    }
    return credential


def _iri(value: str, what: str) -> str:
    """`value` if it is an absolute IRI; a relative one would be resolved differently by each verifier."""
    if not isinstance(value, str) or not _ABSOLUTE_IRI.match(value):
        raise ValueError(f"the {what} must be an absolute IRI, not {value!r}")
    return value


def _check_purpose(purpose: str) -> None:
    if purpose not in STATUS_PURPOSES:
        raise ValueError(f"status purpose must be one of {', '.join(STATUS_PURPOSES)}, not {purpose!r}")
