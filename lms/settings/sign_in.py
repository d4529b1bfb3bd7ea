"""Sign-in with OpenID Connect providers, configured by settings alone (settings import this;
no Django here). docs/sign-in.md says how to add one.

ThaID (the Thai Digital ID) has variables of its own; any other provider is one entry of the
JSON list in OIDC_SIGN_IN_PROVIDERS:

    [{"id": "ministry-sso", "name": "บัญชีกระทรวง", "name_en": "Ministry account",
      "discovery_url": "https://sso.example.go.th/realms/staff",
      "client_id": "thaksa", "client_secret": "…",
      "scopes": ["openid", "profile", "email"],
      "claims": {"email": "email", "given_name": "given_name", "family_name": "family_name"},
      "trust_email": true, "create_accounts": false}]

`claims` maps Thaksa's fields (national_id, email, given_name, family_name, given_name_en,
family_name_en) to the provider's claim names; `trust_email` says that the provider's
`email_verified: true` may link a first sign-in to the account with that address;
`create_accounts` whether a first sign-in that matches no account makes one (default: no;
ThaID: yes).
"""

import json
from typing import Any

CLAIM_FIELDS = ("national_id", "email", "given_name", "family_name", "given_name_en", "family_name_en")

THAID_CLAIMS = {
    "national_id": "pid",
    "given_name": "given_name",
    "family_name": "family_name",
    # ThaID's name_en is the whole English name; the first word is the given name.
    "name_en": "name_en",
}


class SignInProviderError(ValueError):
    pass


def _provider_app(entry: dict[str, Any]) -> dict[str, Any]:
    missing = [key for key in ("id", "name", "discovery_url", "client_id") if not entry.get(key)]
    if missing:
        raise SignInProviderError(
            f"OIDC sign-in provider {entry.get('id', '?')!r} lacks {', '.join(missing)}"
        )
    claims = entry.get("claims") or {
        "email": "email",
        "given_name": "given_name",
        "family_name": "family_name",
    }
    unknown = sorted(set(claims) - set(CLAIM_FIELDS) - {"name_en"})
    if unknown:
        raise SignInProviderError(f"OIDC sign-in provider {entry['id']!r}: unknown claim fields {unknown}")
    scopes = entry.get("scopes") or ["openid", "profile", "email"]
    if "openid" not in scopes:
        raise SignInProviderError(f"OIDC sign-in provider {entry['id']!r}: the scopes must include openid")
    return {
        "provider_id": str(entry["id"]),
        "name": str(entry["name"]),
        "client_id": str(entry["client_id"]),
        "secret": str(entry.get("client_secret", "")),
        "settings": {
            "server_url": str(entry["discovery_url"]),
            "scope": list(scopes),
            "oauth_pkce_enabled": True,
            # Thaksa's own part of the entry, read by identity.oidc and identity.adapters.
            "thaksa": {
                "name_en": str(entry.get("name_en") or entry["name"]),
                "claims": dict(claims),
                "trust_email": bool(entry.get("trust_email", False)),
                "create_accounts": bool(entry.get("create_accounts", False)),
            },
        },
    }


def sign_in_providers(
    *, thaid_client_id: str, thaid_client_secret: str, thaid_discovery_url: str, providers_json: str
) -> list[dict[str, Any]]:
    """allauth's APPS list for its openid_connect provider, ThaID first."""
    entries: list[dict[str, Any]] = []
    if thaid_client_id:
        entries.append(
            {
                "id": "thaid",
                "name": "ThaID",
                "name_en": "ThaID",
                "discovery_url": thaid_discovery_url,
                "client_id": thaid_client_id,
                "client_secret": thaid_client_secret,
                "scopes": ["openid", "pid", "given_name", "family_name", "name_en"],
                "claims": THAID_CLAIMS,
                "trust_email": False,
                "create_accounts": True,
            }
        )
    if providers_json.strip():
        try:
            listed = json.loads(providers_json)
        except json.JSONDecodeError as error:
            raise SignInProviderError(f"OIDC_SIGN_IN_PROVIDERS is not JSON: {error}") from error
        if not isinstance(listed, list) or not all(isinstance(entry, dict) for entry in listed):
            raise SignInProviderError("OIDC_SIGN_IN_PROVIDERS must be a JSON list of objects")
        entries.extend(listed)
    apps = [_provider_app(entry) for entry in entries]
    ids = [app["provider_id"] for app in apps]
    if len(set(ids)) != len(ids):
        raise SignInProviderError(f"OIDC sign-in provider ids repeat: {ids}")
    return apps
