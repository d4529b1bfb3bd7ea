"""/o/: the OAuth2 and OpenID Connect endpoints Thaksa offers (django-oauth-toolkit's views).

Left out on purpose: its application self-registration and token management pages
(applications are registered by platform administrators in the admin, api/wagtail_hooks.py),
the device flow and dynamic client registration."""

from django.urls import path, re_path
from oauth2_provider import views

from api.views.authorize import ThaksaAuthorizationView
from api.views.introspect import OwnTokensIntrospection

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", ThaksaAuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", OwnTokensIntrospection.as_view(), name="introspect"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", views.UserInfoView.as_view(), name="user-info"),
    path("logout/", views.RPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
]
