"""The author's side of SCORM in the Wagtail admin: upload, import progress, structure,
versions in use, reports on learners' attempts and on the package's questions; and the
platform reviewers' side: new versions of packages in published lessons waiting for a decision."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_export_of, audit_view_of
from lms.downloads import csv_response
from lms.thai_calendar import format_date
from people.permissions import content_partners_editable, sees_learners_contact_details
from scorm.models import PackageVersion, Registration, ReviewStatus, ScormPackage
from scorm.selectors import (
    attempts_by_sco,
    can_review_packages,
    lessons_using_package,
    package_attempts,
    package_interactions,
    package_version_can_review,
    package_versions,
    packages_editable,
    packages_visible,
    registration_status_label,
    version_changes,
    versions_awaiting_review,
)
from scorm.services.packages import package_upload
from scorm.services.review import package_version_approve, package_version_reject

MAX_UPLOAD_BYTES = 1024**3


class PackageFileField(forms.FileField):
    def validate(self, value):
        super().validate(value)
        if value and not value.name.lower().endswith(".zip"):
            raise forms.ValidationError(
                gettext_lazy("Upload the package as a .zip file (the file your authoring tool exported).")
            )
        if value and value.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext_lazy("The file is larger than 1 GB."))


class PackageUploadForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    partner = forms.ModelChoiceField(label=gettext_lazy("Content partner"), queryset=None)
    file = PackageFileField(label=gettext_lazy("SCORM package (.zip)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = content_partners_editable(user)
        if self.fields["partner"].queryset.count() == 1:
            self.fields["partner"].initial = self.fields["partner"].queryset.first()


class VersionUploadForm(forms.Form):
    file = PackageFileField(label=gettext_lazy("New version (.zip)"))


class ReviewDecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the authors"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Required when you reject: say what to change. The authors see it on the package's page "
            "and the person who uploaded the version receives it by e-mail."
        ),
    )


def package_index(request):
    packages = packages_visible(request.user).order_by("title")
    return TemplateResponse(
        request,
        "scorm/admin/index.html",
        {
            "packages": packages,
            "can_upload": content_partners_editable(request.user).exists(),
            "no_content_origin": not settings.SCORM_CONTENT_ORIGIN,
            "review_rows": _review_rows(request.user),
        },
    )


def package_add(request):
    if not content_partners_editable(request.user).exists():
        raise PermissionDenied
    form = PackageUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        version = package_upload(
            partner=form.cleaned_data["partner"],
            title=form.cleaned_data["title"],
            uploaded_file=form.cleaned_data["file"],
            user=request.user,
        )
        messages.success(request, _("Uploaded. The package is being checked and imported."))
        return redirect("scorm_admin:detail", version.package_id)
    return TemplateResponse(request, "scorm/admin/add.html", {"form": form})


def package_detail(request, package_id: int):
    package = get_object_or_404(packages_visible(request.user), pk=package_id)
    can_edit = packages_editable(request.user).filter(pk=package.pk).exists()
    form = VersionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            package_upload(
                partner=package.partner,
                title=package.title,
                uploaded_file=form.cleaned_data["file"],
                user=request.user,
                package=package,
            )
            messages.success(request, _("Uploaded. The new version is being checked and imported."))
            return redirect("scorm_admin:detail", package.pk)
    versions = list(package_versions(package).select_related("reviewed_by"))
    latest = versions[0] if versions else None
    return TemplateResponse(
        request,
        "scorm/admin/detail.html",
        {
            "package": package,
            "versions": versions,
            "latest": latest,
            "current": package.current_version,
            "pending": [version for version in versions if version.review_status == ReviewStatus.PENDING],
            "can_review": can_review_packages(request.user),
            "form": form,
            "can_edit": can_edit,
        },
    )


def _review_rows(user) -> list[tuple[PackageVersion, bool]]:
    """Each version waiting for review, with whether this person may decide on it."""
    return [
        (version, package_version_can_review(user, version)) for version in versions_awaiting_review(user)
    ]


def review_queue(request):
    """The versions waiting for a platform reviewer's decision, oldest first."""
    if not can_review_packages(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request, "scorm/admin/review_queue.html", {"versions": _review_rows(request.user)}
    )


def version_review(request, version_id: int):
    """A version's review page: what changed against the version in use, a preview, the
    published lessons that show the package, and (for a reviewer) the decision. The partner's
    people may read it; only someone allowed to decide may post (scorm.services.review)."""
    version = get_object_or_404(
        PackageVersion.objects.select_related(
            "package__partner", "package__current_version", "uploaded_by", "reviewed_by"
        ),
        pk=version_id,
        package__in=packages_visible(request.user),
        status=PackageVersion.Status.READY,
    )
    can_decide = version.review_status == ReviewStatus.PENDING and package_version_can_review(
        request.user, version
    )
    form = ReviewDecisionForm(request.POST or None)
    if request.method == "POST":
        if not package_version_can_review(request.user, version):
            # A real 403 (the admin turns PermissionDenied into a redirect): a refused decision
            # must never look like a successful one to a script or a test.
            return HttpResponseForbidden(
                _(
                    "Only a platform reviewer who neither uploaded this version nor works for its "
                    "partner may decide on it."
                )
            )
        decision = request.POST.get("decision")
        if decision not in ("approve", "reject"):
            return HttpResponseBadRequest(_("Choose whether to approve or reject the version."))
        if form.is_valid():
            note = form.cleaned_data["note"]
            in_use = False
            try:
                if decision == "approve":
                    in_use = package_version_approve(version=version, reviewer=request.user, note=note)
                else:
                    package_version_reject(version=version, reviewer=request.user, note=note)
            except ValidationError as error:
                form.add_error("note", error)
            else:
                messages.success(request, _decision_message(version, decision=decision, in_use=in_use))
                return redirect("scorm_admin:review_queue")
    return TemplateResponse(
        request,
        "scorm/admin/review.html",
        {
            "version": version,
            "package": version.package,
            "current": version.package.current_version,
            "changes": version_changes(version),
            "lessons": lessons_using_package(version.package),
            "can_decide": can_decide,
            "form": form,
        },
    )


def _decision_message(version: PackageVersion, *, decision: str, in_use: bool) -> str:
    names = {"number": version.number, "title": version.package.title}
    if decision == "reject":
        return _("Version %(number)s of “%(title)s” was rejected. Learners keep the version in use.") % names
    if in_use:
        return _("Version %(number)s of “%(title)s” was approved. New attempts use it from now on.") % names
    return _("Version %(number)s of “%(title)s” was approved, but a newer version is already in use.") % names


def version_status(request, version_id: int):
    """Import progress for the admin's progress bar (polled while importing)."""
    version = get_object_or_404(PackageVersion, pk=version_id, package__in=packages_visible(request.user))
    return JsonResponse(
        {
            "status": version.status,
            "label": version.get_status_display(),
            "progress": version.progress_percent,
        }
    )


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def _attempt_rows(package: ScormPackage, *, with_email: bool):
    """One row per attempt: the learner's name and agency; their e-mail address only for
    those who answer learners (`sees_learners_contact_details`), never for partners."""
    for registration in package_attempts(package):
        user = registration.enrolment.user
        profile = getattr(user, "profile", None)
        yield {
            "registration": registration,
            "learner": user.full_name(),
            "agency": profile.unit.name if profile else "",
            "email": user.email if with_email else "",
            "course": registration.enrolment.course.title,
            "version": registration.version.number,
            "attempt": registration.number,
            "status": registration_status_label(registration),
            "score": registration.score,
            "time": _duration(registration.total_seconds),
            "last": format_date(registration.last_commit_at, with_time=True)
            if registration.last_commit_at
            else "",
        }


def package_attempts_report(request, package_id: int):
    package = get_object_or_404(packages_visible(request.user), pk=package_id)
    with_email = sees_learners_contact_details(request.user)
    rows = list(_attempt_rows(package, with_email=with_email))
    if request.GET.get("format") == "csv":
        audit_export_of(request, what=f"scorm.attempts:{package.pk}", people=len(rows))
        return csv_response(
            f"scorm-attempts-{package.pk}.csv",
            [
                _("Learner"),
                _("Agency"),
                *([_("E-mail")] if with_email else []),
                _("Course"),
                _("Version"),
                _("Attempt"),
                _("Status"),
                _("Score (%)"),
                _("Time"),
                _("Last activity"),
            ],
            [
                [
                    row["learner"],
                    row["agency"],
                    *([row["email"]] if with_email else []),
                    row["course"],
                    row["version"],
                    row["attempt"],
                    row["status"],
                    row["score"] or "",
                    row["time"],
                    row["last"],
                ]
                for row in rows
            ],
        )
    audit_view_of(request, what=f"scorm.attempts:{package.pk}", people=len(rows))
    return TemplateResponse(
        request, "scorm/admin/attempts.html", {"package": package, "rows": rows, "with_email": with_email}
    )


def registration_history(request, registration_id: int):
    registration = get_object_or_404(
        Registration.objects.select_related("enrolment__user", "version__package"),
        pk=registration_id,
        version__package__in=packages_visible(request.user),
    )
    audit_view_of(request, subject=registration.enrolment.user, what=f"scorm.registration:{registration.pk}")
    return TemplateResponse(
        request,
        "scorm/admin/history.html",
        {
            "registration": registration,
            "package": registration.version.package,
            "status": registration_status_label(registration),
            "by_sco": attempts_by_sco(registration),
        },
    )


def package_interactions_report(request, package_id: int):
    package = get_object_or_404(packages_visible(request.user), pk=package_id)
    summaries = package_interactions(package)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"scorm-questions-{package.pk}.csv",
            [_("Question"), _("Type"), _("Answers"), _("Correct (%)"), _("Response"), _("Times chosen")],
            [
                [
                    summary.interaction_id,
                    summary.type,
                    summary.answers,
                    summary.correct_percent or "",
                    response,
                    count,
                ]
                for summary in summaries
                for response, count in summary.response_counts
            ],
        )
    return TemplateResponse(
        request, "scorm/admin/interactions.html", {"package": package, "summaries": summaries}
    )
