"""How allauth works inside Thaksa: its account, provider and two-step adapters.

- Nobody makes a local account by themselves (agencies' staff lists and administrators do);
  a first sign-in with a provider may make one when the provider's entry says so.
- A first sign-in with a provider is linked to an existing account by a claim the provider
  vouches for, in this order: the national ID number (its keyed hash, as an agency's staff
  list recorded it), then an address the provider says it verified, when the entry trusts the
  provider's verification (`trust_email`). An address the provider does not vouch for never
  links: the person signs in with their password and connects the provider on their account
  page instead.
- The provider's own identifier and claims are kept only as identity.oidc reduces them.
- A second step that the person's role requires (identity.policies) cannot be removed.
"""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from identity import services
from identity.oidc import ThaksaOpenIDConnectProvider
from identity.policies import SECOND_STEP_TYPES, two_step_required
from lms.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Changing a second step asks for the password (or a code) again. Only setting up a
        first authenticator moments after signing in does not: someone sent to set up the step
        their role requires is not asked twice (and an account made by a provider has no
        password to ask for)."""
        if services.first_second_step_moments_after_sign_in(self.request):
            return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits (codes guessed, confirmations) count by Thaksa's reading of the
        client's address, behind the proxies (lms.client_ip), not the proxies' own."""
        return client_ip(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request: HttpRequest, provider: str, client_id: str | None = None) -> Any:
        found = super().get_provider(request, provider, client_id=client_id)
        if type(found).id == "openid_connect" and not isinstance(found, ThaksaOpenIDConnectProvider):
            return ThaksaOpenIDConnectProvider(request, app=found.app)
        return found

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        # allauth keeps the provider's tokens with the pending sign-in in the session (until the
        # second step); Thaksa has no use for them.
        sociallogin.token = None
        if sociallogin.is_existing or sociallogin.state.get("process") == "connect":
            return
        match = services.account_for_first_sign_in(sociallogin.account.extra_data, self._entry(sociallogin))
        if match.user is not None:
            sociallogin.connect(request, match.user)
            services.remember_national_id(match.user, sociallogin.account.extra_data)
        elif match.refusal is not None:
            raise ImmediateHttpResponse(
                render(request, "identity/sign_in_not_linked.html", {"reason": match.refusal}, status=403)
            )

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return bool(self._entry(sociallogin).get("create_accounts", False))

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True  # pre_social_login already refused every address that belongs to someone

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        return services.fill_new_account(
            user, sociallogin.account.extra_data, sociallogin.account.uid, self._entry(sociallogin)
        )

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        services.remember_national_id(user, sociallogin.account.extra_data)
        return user

    def on_authentication_error(self, request: HttpRequest, provider: Any, **kwargs: Any) -> None:
        services.log_provider_refusal(provider, kwargs.get("error"), kwargs.get("exception"))

    @staticmethod
    def _entry(sociallogin: SocialLogin) -> dict[str, Any]:
        provider = sociallogin.account.get_provider()
        return dict(provider.app.settings.get("thaksa") or {})


class TwoStepAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your role requires a second step: add another authenticator app before you remove this one."
        ),
        "incorrect_code": _("That code is not right. Type the 6 digits your authenticator app shows now."),
    }

    def get_totp_issuer(self) -> str:
        return "Thaksa"

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type not in SECOND_STEP_TYPES or not two_step_required(authenticator.user):
            return True
        others = Authenticator.objects.filter(user=authenticator.user, type__in=SECOND_STEP_TYPES).exclude(
            pk=authenticator.pk
        )
        return bool(others.exists())
