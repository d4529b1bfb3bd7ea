"""A person's own account: sign in and out, password reset and change, "my account"."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from people.account_sections import account_sections_for
from people.forms import AccountForm, SignInForm
from people.selectors import account_summary


class SignInView(auth_views.LoginView):
    template_name = "people/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "people/password_reset.html"
    email_template_name = "people/email/password_reset.txt"
    subject_template_name = "people/email/password_reset_subject.txt"
    success_url = reverse_lazy("account:password-reset-sent")


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "people/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("account:password-reset-complete")


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
