"""The public side of certificates: the verification page a QR code opens, lookup by code,
checking an uploaded PDF, the JSON endpoints for machines, the PDF and credential files, the
status lists and the issuer's profile. No sign-in; every endpoint is rate-limited per client."""

import functools
import json
import logging

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from certificates import documents
from certificates.forms import CodeForm, UploadForm
from certificates.models import Certificate
from certificates.permissions import certificates_visible
from certificates.selectors import certificate_by_code, public_summary
from certificates.services.status import status_list_credential
from certificates.services.verification import pdf_verify

logger = logging.getLogger("certificates.verification")


def rate_limited(group: str, rate_setting: str):
    """Refuse a client that asks too often with 429 and a page saying when to try again."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            rate = getattr(settings, rate_setting)
            if is_ratelimited(
                request, group=group, key="ip", rate=rate, method=is_ratelimited.ALL, increment=True
            ):
                logger.warning("rate limit reached: %s", group)
                if _wants_json(request):
                    return JsonResponse({"error": "rate_limited", "retry_after_seconds": 60}, status=429)
                response = render(request, "certificates/rate_limited.html", status=429)
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.GET.get("format") == "json"


def _certificate(public_id: str) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("course", "superseded_by"), public_id=public_id
    )


def pdf_offered_to(request, certificate: Certificate) -> bool:
    """Whether this visitor may open the signed PDF. The PDF prints the holder's full name and
    its signature forbids masking it, so while the holder shows their family name as an
    initial, only the holder (signed in) and the people who see the certificate in the admin
    (its course's partner, platform staff) get it; everyone may still check a copy the holder
    gave them by uploading it. The credential names no one (a salted hash of the address).
    An erased holder's PDF is gone (subject_rights.erasure): nobody is offered it."""
    if not certificate.pdf:
        return False
    if certificate.holder_name_public:
        return True
    user = request.user
    if not user.is_authenticated:
        return False
    return user.pk == certificate.learner_id or certificates_visible(user).filter(pk=certificate.pk).exists()


def _summary_json(request, certificate: Certificate) -> dict:
    """The public summary for machines (JsonResponse writes the dates as ISO 8601)."""
    summary = public_summary(certificate)
    superseded_by = summary["superseded_by"]
    return {
        **summary,
        "verification_url": documents.verification_url(certificate),
        "pdf_url": documents.pdf_url(certificate) if pdf_offered_to(request, certificate) else None,
        "credential_url": documents.credential_url(certificate),
        "superseded_by": documents.verification_url(superseded_by) if superseded_by else None,
    }


@require_GET
@rate_limited("certificates-verify", "CERTIFICATES_VERIFY_RATE")
def verify_start(request):
    """Type the code printed on a certificate, or upload its PDF."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        certificate = certificate_by_code(form.cleaned_data["code"])
        if certificate is not None:
            return redirect("certificates:verify", certificate.public_id)
        form.add_error(
            "code",
            _("No certificate has this code. Check it against the certificate: 8 letters and digits."),
        )
    return render(request, "certificates/verify_start.html", {"form": form, "upload_form": UploadForm()})


@require_GET
@rate_limited("certificates-verify", "CERTIFICATES_VERIFY_RATE")
def certificate_verify(request, public_id):
    certificate = _certificate(public_id)
    logger.info("verification page: %s (%s)", certificate.number, certificate.public_status)
    if _wants_json(request):
        return JsonResponse(_summary_json(request, certificate), json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "summary": public_summary(certificate),
            "upload_form": UploadForm(),
            "is_holder": request.user.is_authenticated and request.user.pk == certificate.learner_id,
            "pdf_offered": pdf_offered_to(request, certificate),
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limited("certificates-upload", "CERTIFICATES_UPLOAD_RATE")
def pdf_check(request):
    """Upload a PDF: is it genuine, altered, or not ours? JSON for machines, a page for people."""
    if request.method == "GET":
        return redirect("certificates:verify-start")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse(
                {"error": "invalid_upload", "messages": form.errors.get_json_data()}, status=400
            )
        return render(
            request, "certificates/verify_start.html", {"form": CodeForm(), "upload_form": form}, status=400
        )
    verdict = pdf_verify(form.cleaned_data["file"].read())
    logger.info(
        "PDF checked: %s %s", verdict.verdict, verdict.certificate.number if verdict.certificate else "-"
    )
    if _wants_json(request):
        return JsonResponse(
            {
                "verdict": verdict.verdict,
                "explanation": verdict.explanation,
                "sha256": verdict.sha256,
                "signer": verdict.signer,
                "certificate": _summary_json(request, verdict.certificate) if verdict.certificate else None,
                "problems": list(verdict.problems),
            },
            json_dumps_params={"ensure_ascii": False},
        )
    return render(
        request,
        "certificates/pdf_verdict.html",
        {
            "verdict": verdict,
            "summary": public_summary(verdict.certificate) if verdict.certificate else None,
            "upload_form": UploadForm(),
        },
    )


@require_GET
@rate_limited("certificates-files", "CERTIFICATES_VERIFY_RATE")
def certificate_pdf(request, public_id):
    certificate = _certificate(public_id)
    if not certificate.pdf:
        raise Http404
    if not pdf_offered_to(request, certificate):
        return render(request, "certificates/pdf_withheld.html", {"certificate": certificate}, status=403)
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("download") == "1",
        filename=f"{certificate.number}.pdf",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@rate_limited("certificates-files", "CERTIFICATES_VERIFY_RATE")
def certificate_credential(request, public_id):
    certificate = _certificate(public_id)
    response = HttpResponse(
        json.dumps(certificate.credential, ensure_ascii=False, indent=2), content_type="application/ld+json"
    )
    if request.GET.get("download") == "1":
        response["Content-Disposition"] = f'attachment; filename="{certificate.number}.json"'
    return response


@require_GET
@rate_limited("certificates-status", "CERTIFICATES_VERIFY_RATE")
def status_list(request, purpose, number):
    credential = (
        status_list_credential(purpose=purpose, number=number)
        if purpose in documents.STATUS_PURPOSES
        else None
    )
    if credential is None:
        raise Http404
    response = HttpResponse(
        json.dumps(credential, ensure_ascii=False),
        content_type="application/ld+json",
    )
    response["Cache-Control"] = f"public, max-age={settings.CERTIFICATES_STATUS_LIST_MAX_AGE}"
    return response


@require_GET
def issuer(request):
    return HttpResponse(
        json.dumps(documents.issuer_profile(), ensure_ascii=False), content_type="application/ld+json"
    )
