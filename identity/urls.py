"""allauth's pages Thaksa uses, under /account/ beside people's own (lms/urls.py). Only these:
allauth's own sign-up, password and e-mail pages are not routed, since Thaksa's are the ones
people use (people/urls.py)."""

from allauth.account import views as allauth_account_views
from allauth.socialaccount import views as allauth_social_views
from django.urls import include, path
from django.views.generic import RedirectView

from identity import views

# No namespace: allauth reverses its own names (mfa_index, account_login...) unqualified.
urlpatterns = [
    path("two-step/done/", views.continue_after_setup, name="identity-continue"),
    # The second step: its overview, the code asked at sign-in, an authenticator app,
    # recovery codes, confirming it is you before a change.
    path("two-step/", include("allauth.mfa.urls")),
    path("confirm/", allauth_account_views.reauthenticate, name="account_reauthenticate"),
    # Sign-in with an OpenID Connect provider (ThaID, or any configured in settings).
    # allauth adds "oidc/" (SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX): /account/sign-in/oidc/<id>/login/
    path("sign-in/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("sign-in/cancelled/", allauth_social_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("sign-in/failed/", allauth_social_views.login_error, name="socialaccount_login_error"),
    path("connections/", allauth_social_views.connections, name="socialaccount_connections"),
    # The names allauth sends people to, pointing at Thaksa's own pages.
    path(
        "sign-in/again/",
        RedirectView.as_view(pattern_name="account:sign-in", query_string=True),
        name="account_login",
    ),
    path("sign-out/confirm/", allauth_account_views.logout, name="account_logout"),
]
