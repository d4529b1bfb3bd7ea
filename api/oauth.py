"""What the OpenID Connect side of the provider says about a person (ID token and userinfo).

Claims are released by scope (django-oauth-toolkit filters them with `oidc_claim_scope`):
`openid` gives only the subject (the account's number), `profile` the names, title, language
and unit, `email` the address. Nothing else about a person leaves through OIDC.
"""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from api.scopes import EMAIL, PROFILE


class ThaksaOAuth2Validator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "name": PROFILE,
        "given_name": PROFILE,
        "family_name": PROFILE,
        "locale": PROFILE,
        "thaksa_title": PROFILE,
        "thaksa_unit": PROFILE,
        "email": EMAIL,
        "email_verified": EMAIL,
    }

    def get_additional_claims(self, request) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        user = request.user
        unit = getattr(getattr(user, "profile", None), "unit", None)
        return {
            "name": user.full_name("th", with_title=False),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "locale": user.preferred_language or "th",
            "thaksa_title": user.title,
            "thaksa_unit": unit.code if unit is not None else None,
            "email": user.email,
            # Addresses come from agencies' staff lists and administrators; Thaksa has not
            # confirmed that the person controls it, so a client must not link accounts by it.
            "email_verified": False,
        }

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs) -> bool:  # type: ignore[no-untyped-def]
        """A closed account's refresh token renews nothing (django-oauth-toolkit does not look)."""
        valid: bool = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        user = getattr(request, "user", None)
        return valid and (user is None or user.is_active)

    def validate_bearer_token(self, token, scopes, request) -> bool:  # type: ignore[no-untyped-def]
        """A closed account's access token opens nothing, /o/userinfo/ included."""
        valid: bool = super().validate_bearer_token(token, scopes, request)
        user = getattr(request, "user", None)
        return valid and (user is None or not getattr(user, "is_authenticated", False) or user.is_active)
