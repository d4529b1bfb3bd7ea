"""A person's own account: sign in and out, password reset and change, "my account"."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from assignments.forms import ReminderPreferenceForm
from assignments.selectors import reminder_preference_of
from assignments.services import reminder_preference_set
from people.forms import AccountForm, SignInForm
from people.permissions import managed_unit_paths
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
def profile(request):
    reminder_form = _reminder_form(request)
    if request.method == "POST" and REMINDERS_SUBMIT in request.POST:
        if reminder_form.is_valid():
            reminder_preference_set(
                user=request.user,
                frequency=reminder_form.cleaned_data["frequency"],
                manager_digest=reminder_form.cleaned_data.get(
                    "manager_digest", reminder_form.instance.manager_digest
                ),
            )
            messages.success(request, _("Your reminder settings have been saved."))
            return redirect("account:profile")
        form = AccountForm(instance=request.user)
    else:
        form = AccountForm(request.POST or None, instance=request.user)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, _("Your details have been saved."))
            return redirect("account:profile")
    return render(
        request,
        "people/profile.html",
        {"form": form, "summary": account_summary(user=request.user), "reminder_form": reminder_form},
    )


REMINDERS_SUBMIT = "save_reminders"


def _reminder_form(request) -> ReminderPreferenceForm:
    """How the person wants to hear about assigned courses (assignments' reminders)."""
    data = request.POST if request.method == "POST" and REMINDERS_SUBMIT in request.POST else None
    return ReminderPreferenceForm(
        data,
        instance=reminder_preference_of(user=request.user),
        is_manager=bool(managed_unit_paths(request.user)),
    )
