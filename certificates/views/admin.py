"""Certificates in the Wagtail admin: search, one certificate with its history, revoke /
suspend / reinstate / re-issue. (A design's preview is `CertificateTemplate.serve_preview`.)"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import audit_view_of
from certificates import documents
from certificates.forms import ReissueForm, StatusChangeForm
from certificates.models import Certificate
from certificates.permissions import certificates_manageable, certificates_visible
from certificates.selectors import certificates_search
from certificates.services.issuance import certificate_reissue
from certificates.services.status import (
    StatusChangeRefused,
    certificate_reinstate,
    certificate_revoke,
    certificate_suspend,
)
from people.permissions import content_partners_visible, sees_learners_contact_details


def certificate_index(request):
    if not content_partners_visible(request.user).exists():
        raise PermissionDenied
    visible = certificates_visible(request.user)
    query, status = request.GET.get("q", ""), request.GET.get("status", "")
    with_email = sees_learners_contact_details(request.user)
    page = Paginator(
        certificates_search(visible, query=query, status=status, by_email=with_email), 50
    ).get_page(request.GET.get("p"))
    audit_view_of(request, what="certificates.certificate", people=len(page.object_list))
    return render(
        request,
        "certificates/admin/index.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "with_email": with_email,
            "statuses": [*Certificate.Status.choices, ("expired", _("Expired"))],
        },
    )


def certificate_detail(request, pk):
    certificate = get_object_or_404(
        certificates_visible(request.user).select_related(
            "learner__profile__unit", "course", "superseded_by", "status_changed_by"
        ),
        pk=pk,
    )
    may_manage = certificates_manageable(request.user).filter(pk=pk).exists()
    audit_view_of(request, subject=certificate.learner, what=f"certificates.certificate:{certificate.pk}")
    return render(
        request,
        "certificates/admin/detail.html",
        {
            "certificate": certificate,
            "revisions": Certificate.objects.filter(issuance_key=certificate.issuance_key).order_by(
                "revision"
            ),
            "may_manage": may_manage,
            "with_email": sees_learners_contact_details(request.user),
            "status_form": StatusChangeForm(),
            "reissue_form": ReissueForm(),
            "verification_url": documents.verification_url(certificate),
        },
    )


def _manageable(request, pk) -> Certificate:
    return get_object_or_404(certificates_manageable(request.user), pk=pk)


@require_POST
def certificate_status_change(request, pk):
    certificate = _manageable(request, pk)
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("certificates_admin:detail", pk)
    action, reason, note = form.cleaned_data["action"], form.cleaned_data["reason"], form.cleaned_data["note"]
    try:
        if action == "revoke":
            certificate_revoke(certificate=certificate, reason=reason, note=note, by=request.user)
            messages.success(
                request, _("Certificate %(number)s is revoked.") % {"number": certificate.number}
            )
        elif action == "suspend":
            certificate_suspend(certificate=certificate, reason=reason, note=note, by=request.user)
            messages.success(
                request, _("Certificate %(number)s is suspended.") % {"number": certificate.number}
            )
        else:
            certificate_reinstate(certificate=certificate, note=note, by=request.user)
            messages.success(
                request, _("Certificate %(number)s is valid again.") % {"number": certificate.number}
            )
    except StatusChangeRefused:
        messages.error(
            request,
            _("This cannot be done to a %(status)s certificate.")
            % {"status": certificate.get_status_display().lower()},
        )
    return redirect("certificates_admin:detail", pk)


@require_POST
def certificate_reissue_view(request, pk):
    certificate = _manageable(request, pk)
    form = ReissueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the certificate is re-issued."))
        return redirect("certificates_admin:detail", pk)
    try:
        new = certificate_reissue(certificate=certificate, by=request.user, note=form.cleaned_data["note"])
    except ValueError:
        messages.error(
            request, _("Only the current revision of a certificate that is not revoked can be re-issued.")
        )
        return redirect("certificates_admin:detail", pk)
    messages.success(
        request,
        _("Issued %(new)s; %(old)s is now marked superseded.")
        % {"new": new.number, "old": certificate.number},
    )
    return redirect("certificates_admin:detail", new.pk)
