"""The Open Badges 3.0 builders: shape, identity hash, dates, and that what they build is fully signable."""

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from openbadgeslib.ob3.credential import IdentityObject

from certificates import open_badges
from certificates.jsonld import OB_V3P0, VC_V2
from certificates.status_list import encoded_list

BASE = "https://thaksa.example.go.th"
VALID_FROM = datetime(2025, 5, 1, 3, 0, 0, tzinfo=UTC)
VALID_UNTIL = datetime(2027, 5, 1, 3, 0, 0, tzinfo=UTC)
STATUS_LIST = f"{BASE}/certificates/status/revocation/1"


def issuer() -> dict[str, Any]:
    return open_badges.issuer_profile(
        id=f"{BASE}/organisations/ocsc",
        name={"th": "สำนักงานคณะกรรมการข้าราชการพลเรือน", "en": "Office of the Civil Service Commission"},
        url=f"{BASE}/",
        email="certificates@thaksa.example.go.th",
        description={"th": "หน่วยงานกลางด้านการบริหารทรัพยากรบุคคล", "en": "Central HR agency"},
    )


def full_credential(**changes: Any) -> dict[str, Any]:
    """A credential with every optional part filled in, as issuance will build it."""
    arguments: dict[str, Any] = {
        "credential_id": f"{BASE}/certificates/credentials/7f3c2a9e",
        "name": {"th": "ใบรับรองทักษะดิจิทัล", "en": "Digital skills certificate"},
        "issuer": issuer(),
        "valid_from": VALID_FROM,
        "valid_until": VALID_UNTIL,
        "email": "Somchai.J@example.go.th",
        "salt": "3b1f0c6e5a2d4e8f",
        "achievement": open_badges.achievement(
            id=f"{BASE}/courses/cyber-hygiene",
            name={"th": "สุขอนามัยไซเบอร์", "en": "Cyber hygiene"},
            description={"th": "การใช้งานอุปกรณ์อย่างปลอดภัย", "en": "Using devices safely"},
            criteria_narrative={
                "th": "ผ่านแบบทดสอบไม่น้อยกว่าร้อยละ 80",
                "en": "Pass the final test with 80% or more",
            },
            alignments=[
                open_badges.alignment(
                    target_name="Digital security",
                    target_url=f"{BASE}/competencies/DS-03",
                    target_code="DS-03",
                    target_framework="OCSC Digital Skills for Civil Servants",
                ),
                open_badges.alignment(
                    target_name="Data privacy",
                    target_url=f"{BASE}/competencies/DS-07",
                    target_code="DS-07",
                    target_framework=None,
                ),
            ],
            image_url=f"{BASE}/static/certificates/badge.png",
        ),
        "status_entries": [
            open_badges.status_entry(status_list_credential=STATUS_LIST, index=94567, purpose="revocation")
        ],
        "evidence": [
            {
                "id": f"{BASE}/assessments/attempts/5521",
                "type": ["Evidence"],
                "name": "Final test",
                "narrative": "Scored 92%",
            }
        ],
    }
    arguments.update(changes)
    return open_badges.open_badge_credential(**arguments)


def test_the_credential_has_the_vc_2_and_ob_3_shape():
    credential = full_credential()

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"{BASE}/certificates/credentials/7f3c2a9e"
    assert credential["validFrom"] == "2025-05-01T03:00:00Z"
    assert credential["validUntil"] == "2027-05-01T03:00:00Z"
    assert credential["issuer"]["type"] == ["Profile"]
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert "id" not in subject, "the learner is named by the hashed identifier only"
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["achievementType"] == "Certificate"
    assert subject["achievement"]["image"] == {"id": f"{BASE}/static/certificates/badge.png", "type": "Image"}
    assert [a["targetCode"] for a in subject["achievement"]["alignment"]] == ["DS-03", "DS-07"]
    assert "targetFramework" not in subject["achievement"]["alignment"][1]
    assert credential["credentialStatus"][0]["type"] == "BitstringStatusListEntry"
    assert credential["evidence"][0]["narrative"] == "Scored 92%"


def test_no_personal_data_is_in_clear():
    credential = full_credential()

    (identifier,) = credential["credentialSubject"]["identifier"]
    assert identifier == {
        "type": "IdentityObject",
        "identityHash": open_badges.identity_hash("Somchai.J@example.go.th", "3b1f0c6e5a2d4e8f"),
        "identityType": "emailAddress",
        "hashed": True,
        "salt": "3b1f0c6e5a2d4e8f",
    }
    assert "somchai" not in repr(credential).lower()


def test_identity_hash_is_sha256_of_the_normalised_address_and_salt():
    expected = "sha256$" + hashlib.sha256(b"somchai.j@example.go.thpepper").hexdigest()

    assert open_badges.identity_hash("  Somchai.J@Example.GO.th ", "pepper") == expected
    # openbadgeslib computes the same IdentityHash (it does not normalise, so give it the normal form).
    assert IdentityObject.create("somchai.j@example.go.th", "pepper").identity_hash == expected
    assert open_badges.identity_hash("somchai.j@example.go.th", "other") != expected
    with pytest.raises(ValueError, match="e-mail"):
        open_badges.identity_hash("  ", "pepper")


def test_thai_and_english_are_one_ob_string_each_language_once_in_order():
    credential = full_credential()
    achievement = credential["credentialSubject"]["achievement"]

    assert credential["name"] == "ใบรับรองทักษะดิจิทัล / Digital skills certificate"
    assert achievement["name"] == "สุขอนามัยไซเบอร์ / Cyber hygiene"
    assert achievement["description"] == "การใช้งานอุปกรณ์อย่างปลอดภัย\n\nUsing devices safely"
    assert achievement["criteria"] == {
        "narrative": "ผ่านแบบทดสอบไม่น้อยกว่าร้อยละ 80\n\nPass the final test with 80% or more"
    }
    assert (
        credential["issuer"]["name"]
        == "สำนักงานคณะกรรมการข้าราชการพลเรือน / Office of the Civil Service Commission"
    )
    assert open_badges.localised_text({"en": "Python", "th": "Python"}) == "Python"
    assert open_badges.localised_text({"th": " ไพทอน "}) == "ไพทอน"


@pytest.mark.parametrize("texts", [{}, {"thai": "x"}, {"th": ""}, {"th": "  "}, {"th": "ก", "e n": "x"}])
def test_a_malformed_text_is_refused(texts):
    with pytest.raises(ValueError, match=r"language|empty"):
        open_badges.localised_text(texts)


def test_dates_are_utc_with_z_and_whole_seconds():
    bangkok = timezone(timedelta(hours=7))
    credential = full_credential(
        valid_from=datetime(2025, 5, 1, 10, 0, 0, 987654, tzinfo=bangkok), valid_until=None
    )

    assert credential["validFrom"] == "2025-05-01T03:00:00Z"
    assert "validUntil" not in credential
    with pytest.raises(ValueError, match="timezone"):
        full_credential(valid_from=datetime(2025, 5, 1, 10, 0, 0))
    with pytest.raises(ValueError, match="before it expires"):
        full_credential(valid_until=VALID_FROM)


def test_optional_parts_are_left_out_not_null():
    credential = full_credential(status_entries=[], evidence=None)
    profile = open_badges.issuer_profile(id=f"{BASE}/o", name={"th": "ก"}, url=f"{BASE}/")
    bare = open_badges.achievement(
        id=f"{BASE}/a",
        name={"th": "ก"},
        description={"th": "ข"},
        criteria_narrative={"th": "ค"},
        alignments=[],
    )

    assert "credentialStatus" not in credential
    assert "evidence" not in credential
    assert set(profile) == {"id", "type", "name", "url"}
    assert set(bare) == {"id", "type", "achievementType", "name", "description", "criteria"}


def test_status_entry():
    entry = open_badges.status_entry(status_list_credential=STATUS_LIST, index=94567, purpose="revocation")

    assert entry == {
        "id": f"{STATUS_LIST}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": STATUS_LIST,
    }
    with pytest.raises(ValueError, match="purpose"):
        open_badges.status_entry(status_list_credential=STATUS_LIST, index=1, purpose="revoked")
    with pytest.raises(ValueError, match="non-negative"):
        open_badges.status_entry(status_list_credential=STATUS_LIST, index=-1, purpose="revocation")
    with pytest.raises(ValueError, match="absolute IRI"):
        open_badges.status_entry(status_list_credential="/status/1", index=1, purpose="revocation")


def test_status_list_credential():
    encoded = encoded_list([94567])
    credential = open_badges.status_list_credential(
        credential_id=STATUS_LIST,
        issuer=f"{BASE}/organisations/ocsc",
        purpose="revocation",
        encoded=encoded,
        valid_from=VALID_FROM,
        valid_until=VALID_FROM + timedelta(hours=1),
    )

    assert credential == {
        "@context": [VC_V2],
        "id": STATUS_LIST,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": f"{BASE}/organisations/ocsc",
        "validFrom": "2025-05-01T03:00:00Z",
        "validUntil": "2025-05-01T04:00:00Z",
        "credentialSubject": {
            "id": f"{STATUS_LIST}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }


def test_a_status_list_with_an_issuer_profile_names_the_ob_context_its_terms_need():
    credential = open_badges.status_list_credential(
        credential_id=STATUS_LIST,
        issuer=issuer(),
        purpose="revocation",
        encoded=encoded_list([]),
        valid_from=VALID_FROM,
    )

    assert credential["@context"] == [VC_V2, OB_V3P0]
    assert "validUntil" not in credential


@pytest.mark.parametrize(
    "bad",
    [
        {"credential_id": "7f3c2a9e"},
        {"credential_id": "https://thaksa.example.go.th/with space"},
    ],
)
def test_ids_must_be_absolute_iris(bad):
    with pytest.raises(ValueError, match="absolute IRI"):
        full_credential(**bad)
