"""A person's own account: sign in and out, password reset and change, "my account"."""

import math
from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage, is_ratelimited

from people.account_sections import account_sections_for
from people.forms import AccountForm, SignInForm
from people.selectors import account_summary
from people.sign_in_limits import sign_in_failures_forget, sign_in_locked_until


class SignInView(auth_views.LoginView):
    """The one page where a password is typed. Once it is right, allauth's login stages take
    over, so a person with a second step is asked for it here as after a provider's sign-in
    (identity/); the session starts only after the last stage."""

    template_name = "people/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        # allauth's record of how the person proved who they are (its second step and
        # "confirm it is you" read it); an internal of allauth's, pinned to its 65 line.
        record_authentication(self.request, user, method="password", email=user.email)
        return perform_login(
            self.request, user, email_verification="none", redirect_url=self.get_success_url()
        )


def sign_in_refused(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The answer to a sign-in refused after too many failures, on the site and in the admin
    (axes's `AXES_LOCKOUT_CALLABLE`): how long to wait, and the password reset, which ends
    the wait for the account's owner. It reads the same whether or not the address has an
    account."""
    until = sign_in_locked_until(request, credentials)
    wait = (until - timezone.now()) if until is not None else settings.AXES_COOLOFF_TIME
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return render(request, "people/sign_in_refused.html", {"minutes": minutes}, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Reset links are limited per client (`THAKSA_PASSWORD_RESET_RATE_PER_CLIENT`: told to
    wait) and per address typed (`..._PER_ADDRESS`: answered as sent, and nothing is sent, so
    that nobody can fill a mailbox, and the page never says whether an address has an
    account)."""

    template_name = "people/password_reset.html"
    email_template_name = "people/email/password_reset.txt"
    subject_template_name = "people/email/password_reset_subject.txt"
    success_url = reverse_lazy("account:password-reset-sent")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate = settings.THAKSA_PASSWORD_RESET_RATE_PER_CLIENT
        usage = get_usage(request, group="password-reset-client", key="ip", rate=rate, increment=True)
        if usage is None or not usage["should_limit"]:
            return super().post(request, *args, **kwargs)
        minutes = max(1, math.ceil(usage["time_left"] / 60))
        form = self.get_form()
        form.is_valid()
        form.add_error(
            None,
            ngettext(
                "Too many password reset requests have come from your network. Try again in "
                "%(minutes)s minute, or ask your agency's HR officer for help.",
                "Too many password reset requests have come from your network. Try again in "
                "%(minutes)s minutes, or ask your agency's HR officer for help.",
                minutes,
            )
            % {"minutes": minutes},
        )
        return self.render_to_response(self.get_context_data(form=form), status=429)

    def form_valid(self, form: Any) -> HttpResponse:
        address = str(form.cleaned_data["email"]).strip().lower()
        rate = settings.THAKSA_PASSWORD_RESET_RATE_PER_ADDRESS
        if is_ratelimited(
            self.request,
            group="password-reset-address",
            key=lambda group, request: address,
            rate=rate,
            increment=True,
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "people/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password ends every session of the account (Django's session hash changes with
    the password, and the person is not signed in here), and ends a sign-in lockout of the
    account: its owner has just shown they hold the mailbox."""

    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("account:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        sign_in_failures_forget(email=form.user.email)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "people/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "people/password_change.html"
    success_url = reverse_lazy("account:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The person's details, and below them the sections other apps register (reminders…)."""
    data = request.POST if request.method == "POST" else None
    sections = account_sections_for(user=request.user, data=data)
    submitted = next((shown for shown in sections if shown.submitted), None)
    if submitted is not None:
        if submitted.form.is_valid():
            messages.success(request, submitted.section.save(user=request.user, form=submitted.form))
            return redirect("account:profile")
        form = AccountForm(instance=request.user)
    else:
        form = AccountForm(data, instance=request.user)
        if data is not None and form.is_valid():
            form.save()
            messages.success(request, _("Your details have been saved."))
            return redirect("account:profile")
    return render(
        request,
        "people/profile.html",
        {"form": form, "summary": account_summary(user=request.user), "sections": sections},
    )
