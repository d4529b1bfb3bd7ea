"""The privacy notice (public), its acknowledgement, and a person's optional choices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from lms.downloads import csv_response
from privacy import selectors, services
from privacy.middleware import SESSION_KEY
from privacy.models import ConsentPurpose, PrivacyNotice


def _person(request: HttpRequest) -> AbstractBaseUser | None:
    return request.user if isinstance(request.user, AbstractBaseUser) else None


def _signed_in(request: HttpRequest) -> AbstractBaseUser:
    """The person of a view behind login_required."""
    if not isinstance(request.user, AbstractBaseUser):
        raise PermissionDenied
    return request.user


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def notice(request: HttpRequest, version: int | None = None) -> HttpResponse:
    """The notice in force (or an earlier version, for the record). A signed-in person who has
    not read the version in force is asked to acknowledge it here."""
    if version is None:
        shown = selectors.current_notice()
        if shown is None:
            raise Http404(_("No privacy notice has been published yet."))
    else:
        shown = get_object_or_404(PrivacyNotice.objects.published(), version=version)
    current_id = selectors.current_notice_id()
    needs_acknowledgement = (
        request.user.is_authenticated
        and shown.pk == current_id
        and not selectors.notice_acknowledged(request.user, shown.pk)
    )
    return render(
        request,
        "privacy/notice.html",
        {
            "notice": shown,
            "is_current": shown.pk == current_id,
            "needs_acknowledgement": needs_acknowledgement,
            "choices": selectors.consent_choices(_signed_in(request)) if needs_acknowledgement else [],
            "next": _safe_next(request),
            "versions": PrivacyNotice.objects.published().only("version", "published_at"),
        },
    )


@require_POST
@login_required
def acknowledge(request: HttpRequest) -> HttpResponse:
    """'I have read the notice', with the optional choices on the same form (unticked unless
    the person already consented: nothing is pre-ticked)."""
    shown = get_object_or_404(PrivacyNotice.objects.published(), pk=request.POST.get("notice"))
    if shown.pk != selectors.current_notice_id():
        messages.warning(request, _("A newer version of the notice was published meanwhile; please read it."))
        return HttpResponseRedirect(f"{reverse('privacy:notice')}?next={_safe_next(request)}")
    person = _signed_in(request)
    services.notice_acknowledge(user=person, notice=shown, request=request)
    for purpose in ConsentPurpose:
        services.consent_decide(
            user=person, purpose=purpose, given=request.POST.get(purpose.value) == "1", request=request
        )
    request.session[SESSION_KEY] = shown.pk
    return HttpResponseRedirect(_safe_next(request))


@login_required
def choices(request: HttpRequest) -> HttpResponse:
    """The person's optional choices, each given or withdrawn with one button."""
    if request.method == "POST":
        try:
            purpose = ConsentPurpose(request.POST.get("purpose", ""))
        except ValueError:
            messages.error(request, _("That choice does not exist; nothing was changed."))
            return HttpResponseRedirect(reverse("privacy:choices"))
        given = request.POST.get("given") == "1"
        services.consent_decide(user=_signed_in(request), purpose=purpose, given=given, request=request)
        if given:
            messages.success(
                request, _("Thank you: your consent is recorded. You can withdraw it here at any time.")
            )
        else:
            messages.success(
                request, _("Your consent is withdrawn. It takes effect straight away, everywhere.")
            )
        return HttpResponseRedirect(reverse("privacy:choices"))
    return render(
        request,
        "privacy/choices.html",
        {
            "choices": selectors.consent_choices(_signed_in(request)),
            "history": selectors.consent_history(_signed_in(request)),
            "notice": selectors.current_notice(),
        },
    )


def processing_record_csv(request: HttpRequest) -> HttpResponse:
    """The record of processing activities as a spreadsheet, for the DPO (admin)."""
    if not request.user.has_perm("privacy.view_processingactivity"):
        raise PermissionDenied
    return csv_response("record-of-processing.csv", *_header_and_rows())


def _header_and_rows() -> tuple[list[str], list[list[str]]]:
    rows = list(selectors.processing_record_rows())
    return rows[0], rows[1:]


def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Admin: publish a draft notice after a confirmation page."""
    if not request.user.has_perm("privacy.change_privacynotice"):
        raise PermissionDenied
    draft = get_object_or_404(PrivacyNotice, pk=pk)
    if request.method == "POST":
        try:
            published = services.notice_publish(notice=draft, by=_person(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Version %(version)s is published: everybody will be asked to read it at their next visit.")
                % {"version": published.version},
            )
        return HttpResponseRedirect(reverse("privacy_notices:index"))
    return render(
        request,
        "privacy/admin/confirm.html",
        {
            "notice": draft,
            "heading": _("Publish this privacy notice?"),
            "explanation": _(
                "It becomes the next version, with the record of processing activities as it stands now. "
                "Everybody who signs in will be asked to read it before anything else; "
                "it cannot be changed afterwards."
            ),
            "button": pgettext("privacy notice", "Publish"),
        },
    )


def new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Admin: a new draft from a version's texts, after a confirmation page."""
    if not request.user.has_perm("privacy.add_privacynotice"):
        raise PermissionDenied
    source = get_object_or_404(PrivacyNotice, pk=pk)
    if request.method == "POST":
        draft = services.notice_draft_from(notice=source)
        return HttpResponseRedirect(reverse("privacy_notices:edit", args=[draft.pk]))
    return render(
        request,
        "privacy/admin/confirm.html",
        {
            "notice": source,
            "heading": _("Make a new draft from %(notice)s") % {"notice": source},
            "explanation": _(
                "The draft starts with this version's texts. People see nothing until you publish it."
            ),
            "button": _("Make the draft"),
        },
    )
