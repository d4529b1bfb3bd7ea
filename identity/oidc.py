"""Thaksa's reading of an OpenID Connect provider's answer (allauth does the protocol).

allauth keeps, for each account linked to a provider, the provider's identifier of the person
(`uid`) and everything the provider said (`extra_data`). For ThaID both may carry the
national ID number, which Thaksa never stores (people.national_id), so this provider:
- keeps as `uid` a keyed hash of the provider's `sub` under NATIONAL_ID_HASH_KEY (stable, so a
  returning person is found; ThaID's `sub` may be the number itself);
- keeps in `extra_data` only the claims the entry maps to Thaksa's fields, the national ID as
  its keyed hash, and no tokens;
- fills names and the address from the entry's claim mapping (lms/settings/sign_in.py).
"""

import hashlib
import hmac
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings

from people.national_id import national_id_hash

# The fields of the entry's claim mapping kept in extra_data (the national ID only hashed).
KEPT_FIELDS = ("email", "given_name", "family_name", "given_name_en", "family_name_en")


def _claims(data: dict[str, Any]) -> dict[str, Any]:
    """The person's claims: the ID token's, with userinfo's on top (userinfo says more)."""
    if "userinfo" not in data and "id_token" not in data:
        return dict(data)  # already Thaksa's own extra_data (a returning account)
    merged = dict(data.get("id_token") or {})
    merged.update(data.get("userinfo") or {})
    return merged


def _truthy(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


class ThaksaOpenIDConnectProvider(OpenIDConnectProvider):
    @property
    def thaksa(self) -> dict[str, Any]:
        return self.app.settings.get("thaksa") or {
            "claims": {},
            "trust_email": False,
            "create_accounts": True,
        }

    def mapped(self, data: dict[str, Any]) -> dict[str, Any]:
        """Thaksa's fields from the provider's claims, by the entry's claim mapping."""
        claims = _claims(data)
        mapping = self.thaksa["claims"]
        fields: dict[str, Any] = {}
        for field, claim in mapping.items():
            value = claims.get(claim)
            if isinstance(value, str) and value.strip():
                fields[field] = value.strip()
        if "name_en" in fields:  # one claim holding the whole English name (ThaID's name_en)
            given, _, family = fields.pop("name_en").partition(" ")
            fields.setdefault("given_name_en", given)
            fields.setdefault("family_name_en", family.strip())
        if "national_id" in fields:
            fields["national_id_hash"] = national_id_hash(fields.pop("national_id"))
        if "email" in fields:
            fields["email"] = fields["email"].lower()
            fields["email_verified"] = _truthy(claims.get("email_verified"))
        return fields

    def extract_uid(self, data: dict[str, Any]) -> str:
        subject = str(_claims(data)[self.app.settings.get("uid_field", "sub")])
        key = f"oidc-subject:{settings.NATIONAL_ID_HASH_KEY}"
        return hmac.new(
            key.encode(), f"{self.app.provider_id}:{subject}".encode(), hashlib.sha256
        ).hexdigest()

    def extract_extra_data(self, data: dict[str, Any]) -> dict[str, Any]:
        fields = self.mapped(data)
        kept = {name: fields[name] for name in (*KEPT_FIELDS, "email_verified") if name in fields}
        if fields.get("national_id_hash"):
            kept["national_id_hash"] = fields["national_id_hash"]
        return kept

    def vouched_email(self, fields: dict[str, Any]) -> str | None:
        """The provider's address, when it says it verified it and the entry trusts that."""
        if fields.get("email") and fields.get("email_verified") and self.thaksa.get("trust_email"):
            return str(fields["email"])
        return None

    def extract_common_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        fields = self.mapped(data)
        return {
            "email": self.vouched_email(fields),
            "first_name": fields.get("given_name", ""),
            "last_name": fields.get("family_name", ""),
        }

    def extract_email_addresses(self, data: dict[str, Any]) -> list[EmailAddress]:
        email = self.vouched_email(self.mapped(data))
        return [EmailAddress(email=email, verified=True, primary=True)] if email else []
