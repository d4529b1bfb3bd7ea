from django.contrib.auth.views import LogoutView
from django.urls import path

from people.views import account

app_name = "account"

urlpatterns = [
    path("", account.profile, name="profile"),
    path("sign-in/", account.SignInView.as_view(), name="sign-in"),
    path("sign-out/", LogoutView.as_view(), name="sign-out"),
    path("password/", account.PasswordChangeView.as_view(), name="password-change"),
    path("password-reset/", account.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", account.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        account.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
