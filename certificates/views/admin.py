"""Certificates in the Wagtail admin: search, one certificate with its history, revoke /
suspend / reinstate / re-issue, and the design preview."""

import datetime as dt
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates import documents, rendering
from certificates.forms import ReissueForm, StatusChangeForm
from certificates.models import Certificate
from certificates.permissions import certificates_manageable, certificates_visible, designs_visible
from certificates.selectors import certificates_search
from certificates.services.issuance import certificate_reissue
from certificates.services.status import (
    StatusChangeRefused,
    certificate_reinstate,
    certificate_revoke,
    certificate_suspend,
)
from people.permissions import content_partners_visible


def certificate_index(request):
    if not content_partners_visible(request.user).exists():
        raise PermissionDenied
    visible = certificates_visible(request.user)
    query, status = request.GET.get("q", ""), request.GET.get("status", "")
    page = Paginator(certificates_search(visible, query=query, status=status), 50).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "certificates/admin/index.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": [*Certificate.Status.choices, ("expired", _("Expired"))],
        },
    )


def certificate_detail(request, pk):
    certificate = get_object_or_404(
        certificates_visible(request.user).select_related(
            "learner", "course", "superseded_by", "status_changed_by"
        ),
        pk=pk,
    )
    may_manage = certificates_manageable(request.user).filter(pk=pk).exists()
    return render(
        request,
        "certificates/admin/detail.html",
        {
            "certificate": certificate,
            "revisions": Certificate.objects.filter(issuance_key=certificate.issuance_key).order_by(
                "revision"
            ),
            "may_manage": may_manage,
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


SAMPLE_CONTENT = {
    "holder_name": {"th": "นางสาวสุดารัตน์ ทองดี", "en": "Ms. Sudarat Thongdee"},
    "course_title": {
        "th": "การคุ้มครองข้อมูลส่วนบุคคลสำหรับเจ้าหน้าที่ภาครัฐ",
        "en": "Personal Data Protection for Public Officers",
    },
    "course_code": "SAMPLE-101",
    "hours": "6",
    "competencies": [{"code": "DG-PDPA", "level": 2}, {"code": "DG-DATA", "level": 1}],
    "score": "86",
}


def design_preview(request, *, design):
    """A sample certificate drawn with `design` (also unsaved edits: Wagtail's live preview)."""
    if design.pk and not designs_visible(request.user).filter(pk=design.pk).exists():
        raise PermissionDenied
    partner = design.partner
    content = {
        **SAMPLE_CONTENT,
        "partner_name": {
            "th": partner.name_th if partner else "มหาวิทยาลัยตัวอย่าง",
            "en": (partner.name_en or partner.name_th) if partner else "Sample University",
        },
        "issuer_name": {
            "th": settings.CERTIFICATES_ISSUER["name_th"],
            "en": settings.CERTIFICATES_ISSUER["name_en"],
        },
        "completed_on": timezone.localdate().isoformat(),
    }
    sample = SimpleNamespace(
        content=content,
        number="TKS-0000-000000",
        verification_code_display="SAMP-LE00",
        valid_until=timezone.localdate() + dt.timedelta(days=3 * 365),
        public_id="sample",
    )
    text = documents.certificate_text(sample)
    try:
        pdf = rendering.certificate_pdf(text, documents.design_of(design), documents.labels())
    except ValueError as error:  # an image or colour the renderer cannot use; says which
        return HttpResponse(
            _("This design cannot be drawn yet: %(problem)s") % {"problem": error},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
    return response
