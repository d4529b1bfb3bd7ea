"""Writes of the privacy records: publishing a notice version, a person's acknowledgement,
and consent decisions. Each is audited (audit.services)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record
from privacy import selectors
from privacy.models import (
    ConsentPurpose,
    ConsentRecord,
    NoticeAcknowledgement,
    PrivacyNotice,
    ProcessingActivity,
)


def _audit(*, action: Action, user: AbstractBaseUser, request: HttpRequest | None, what: str) -> None:
    audit_record(action=action, actor=user, subject=user, request=request, what=what)


@transaction.atomic
def notice_publish(*, notice: PrivacyNotice, by: AbstractBaseUser | None) -> PrivacyNotice:
    """Number the draft, freeze it with the record of processing as it stands, and put it in
    force: everybody signed in is asked to read it at their next page."""
    notice = PrivacyNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.is_published:
        raise ValidationError(_("This version is already published; make a new draft to change the notice."))
    activities = list(ProcessingActivity.objects.all())
    if not activities:
        raise ValidationError(
            _("The record of processing activities is empty: a notice must say what is processed and why.")
        )
    latest = PrivacyNotice.objects.aggregate(latest=Max("version"))["latest"] or 0
    notice.version = latest + 1
    notice.processing = [activity.snapshot() for activity in activities]
    notice.published_at = timezone.now()
    notice.published_by = by  # type: ignore[assignment]
    notice.save(update_fields=["version", "processing", "published_at", "published_by"])
    cache.delete(selectors.CURRENT_NOTICE_CACHE_KEY)
    # Again once committed: a request that read the old version meanwhile may have cached it.
    transaction.on_commit(lambda: cache.delete(selectors.CURRENT_NOTICE_CACHE_KEY))
    return notice


def notice_draft_from(*, notice: PrivacyNotice) -> PrivacyNotice:
    """A new draft starting from a version's texts."""
    return PrivacyNotice.objects.create(
        introduction_th=notice.introduction_th,
        introduction_en=notice.introduction_en,
        rights_th=notice.rights_th,
        rights_en=notice.rights_en,
        controller_contact=notice.controller_contact,
    )


def notice_acknowledge(
    *, user: AbstractBaseUser, notice: PrivacyNotice, request: HttpRequest | None = None
) -> NoticeAcknowledgement:
    if not notice.is_published:
        raise ValidationError(_("Only a published notice can be acknowledged."))
    acknowledgement, created = NoticeAcknowledgement.objects.get_or_create(user_id=user.pk, notice=notice)
    if created:
        _audit(
            action=Action.NOTICE_ACKNOWLEDGED,
            user=user,
            request=request,
            what=f"privacy.notice:{notice.version}",
        )
    return acknowledgement


def consent_decide(
    *,
    user: AbstractBaseUser,
    purpose: ConsentPurpose,
    given: bool,
    request: HttpRequest | None = None,
) -> ConsentRecord | None:
    """Record a decision; nothing is written when it repeats the current one. A withdrawal
    takes effect at once everywhere, because every use asks `selectors.consent_given`."""
    if selectors.consent_given(user, purpose) == given and (
        given or ConsentRecord.objects.filter(user_id=user.pk, purpose=purpose).exists()
    ):
        return None
    notice_id = selectors.current_notice_id()
    record = ConsentRecord.objects.create(user_id=user.pk, purpose=purpose, given=given, notice_id=notice_id)
    _audit(
        action=Action.CONSENT_GIVEN if given else Action.CONSENT_WITHDRAWN,
        user=user,
        request=request,
        what=f"privacy.consent:{purpose.value}",
    )
    return record
