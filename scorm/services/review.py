"""Platform review of new versions of SCORM packages that published lessons show.

A new version of a package that a live lesson uses would otherwise reach learners with no one
looking at it (the lesson's page workflow never sees a package change). Such a version waits
(`ReviewStatus.PENDING`, scorm.services.packages); learners keep the version in use until a
platform reviewer or administrator decides:

- approving (a note is optional) makes it the version new attempts use, unless a newer version
  is already in use (the ordering rule of `package_version_make_current`);
- rejecting (a note saying why is required) keeps the version in use.

Who decided, when and why is kept on the version, shown to the partner's authors on the
package page and e-mailed to the person who uploaded it. Nobody decides on a version they
uploaded or on their own partner's content (`scorm.selectors.package_version_can_review`).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from scorm.models import PackageVersion, ReviewStatus
from scorm.selectors import package_version_can_review
from scorm.services.packages import package_version_make_current


def _pending_locked(*, version: PackageVersion, reviewer) -> PackageVersion:
    """The version, locked, once the reviewer may decide on it and it still waits."""
    locked = PackageVersion.objects.select_for_update().select_related("package").get(pk=version.pk)
    if not package_version_can_review(reviewer, locked):
        raise PermissionDenied
    if locked.review_status != ReviewStatus.PENDING:
        raise ValidationError(
            _("Version %(number)s has already been reviewed: %(decision)s.")
            % {"number": locked.number, "decision": locked.get_review_status_display()},
            code="already_reviewed",
        )
    return locked


def _decision_record(*, version: PackageVersion, reviewer, status: str, note: str) -> None:
    version.review_status = status
    version.reviewed_by = reviewer
    version.reviewed_at = timezone.now()
    version.review_note = note.strip()
    version.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_note"])
    transaction.on_commit(lambda: _decision_mail_send(version_id=version.pk))


@transaction.atomic
def package_version_approve(*, version: PackageVersion, reviewer, note: str = "") -> bool:
    """Approve a waiting version; it becomes the version new attempts use unless a newer one
    already is. Returns whether it became current. Learners in an attempt finish it on the
    version they started."""
    locked = _pending_locked(version=version, reviewer=reviewer)
    _decision_record(version=locked, reviewer=reviewer, status=ReviewStatus.APPROVED, note=note)
    return package_version_make_current(version=locked)


@transaction.atomic
def package_version_reject(*, version: PackageVersion, reviewer, note: str) -> None:
    """Reject a waiting version, saying why; learners keep the version in use."""
    if not note.strip():
        raise ValidationError(
            _("Write what the authors need to change: they receive this note."), code="note_required"
        )
    locked = _pending_locked(version=version, reviewer=reviewer)
    _decision_record(version=locked, reviewer=reviewer, status=ReviewStatus.REJECTED, note=note)


def _decision_mail_send(*, version_id: int) -> None:
    """Tell the uploader what was decided, in their own language."""
    version = PackageVersion.objects.select_related("package", "uploaded_by", "reviewed_by").get(
        pk=version_id
    )
    uploader = version.uploaded_by
    if uploader is None or not uploader.email:
        return
    with translation.override(uploader.preferred_language or "th"):
        context = {
            "version": version,
            "package": version.package,
            "uploader": uploader,
            "approved": version.review_status == ReviewStatus.APPROVED,
            "in_use": version.package.current_version_id == version.pk,
            "package_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("scorm_admin:detail", args=[version.package_id]),
        }
        subject = render_to_string("scorm/email/review_subject.txt", context).strip()
        body = render_to_string("scorm/email/review_body.txt", context)
    send_mail(subject, body, None, [uploader.email])
