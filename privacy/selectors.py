"""Reads of the privacy records: the notice in force, whether a person has read it, and
whether a person consents to an optional purpose (**the one consent check**: everything that
acts on an optional purpose asks `consent_given` or filters with `consenting_q`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from privacy.models import (
    ConsentPurpose,
    ConsentRecord,
    NoticeAcknowledgement,
    PrivacyNotice,
    ProcessingActivity,
)

CURRENT_NOTICE_CACHE_KEY = "privacy:current-notice-id"
CURRENT_NOTICE_CACHE_SECONDS = 60


def current_notice_id() -> int | None:
    """The id of the notice in force (the latest published version), cached briefly: every
    signed-in request asks. Publishing clears the cache (privacy.services)."""
    cached = cache.get(CURRENT_NOTICE_CACHE_KEY)
    if cached is not None:
        return int(cached) or None
    notice_id = PrivacyNotice.objects.published().order_by("-version").values_list("pk", flat=True).first()
    cache.set(CURRENT_NOTICE_CACHE_KEY, notice_id or 0, CURRENT_NOTICE_CACHE_SECONDS)
    return notice_id


def current_notice() -> PrivacyNotice | None:
    notice_id = current_notice_id()
    return PrivacyNotice.objects.filter(pk=notice_id).first() if notice_id else None


def notice_acknowledged(user: AbstractBaseUser | AnonymousUser, notice_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return NoticeAcknowledgement.objects.filter(user_id=user.pk, notice_id=notice_id).exists()


def consenting_q(purpose: ConsentPurpose, *, person: str = "pk") -> Q:
    """A filter: rows whose person (`person` names the field holding them; a user's own `pk` by
    default) consents to `purpose` now, i.e. their latest decision is a yes. No record means no
    consent: nothing is pre-ticked."""
    later = ConsentRecord.objects.filter(user=OuterRef("user"), purpose=purpose).filter(
        Q(decided_at__gt=OuterRef("decided_at")) | Q(decided_at=OuterRef("decided_at"), pk__gt=OuterRef("pk"))
    )
    latest_yes = ConsentRecord.objects.filter(user=OuterRef(person), purpose=purpose, given=True).filter(
        ~Exists(later)
    )
    return Q(Exists(latest_yes))


def consent_given(user: AbstractBaseUser | AnonymousUser, purpose: ConsentPurpose) -> bool:
    if not user.is_authenticated:
        return False
    latest = (
        ConsentRecord.objects.filter(user_id=user.pk, purpose=purpose)
        .order_by("-decided_at", "-pk")
        .values_list("given", flat=True)
        .first()
    )
    return bool(latest)


@dataclass(frozen=True)
class ConsentChoice:
    purpose: ConsentPurpose
    given: bool
    decided_at: Any  # datetime | None

    @property
    def label(self) -> str:
        return str(self.purpose.label)


def consent_choices(user: AbstractBaseUser) -> list[ConsentChoice]:
    """The person's current choice for every optional purpose."""
    latest: dict[str, ConsentRecord] = {}
    for record in ConsentRecord.objects.filter(user_id=user.pk).order_by("decided_at", "pk"):
        latest[record.purpose] = record
    choices = []
    for purpose in ConsentPurpose:
        latest_record = latest.get(purpose.value)
        choices.append(
            ConsentChoice(
                purpose=purpose,
                given=bool(latest_record and latest_record.given),
                decided_at=latest_record.decided_at if latest_record else None,
            )
        )
    return choices


def consent_history(user: AbstractBaseUser) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(user_id=user.pk).select_related("notice"))


PROCESSING_COLUMNS = [
    ("name_th", _("Activity (Thai)")),
    ("name_en", _("Activity (English)")),
    ("purpose_th", _("Purpose (Thai)")),
    ("purpose_en", _("Purpose (English)")),
    ("lawful_basis", _("Lawful basis")),
    ("consent_purpose", _("Consent purpose")),
    ("data_subjects", _("Data subjects")),
    ("data_categories", _("Categories of personal data")),
    ("recipients_th", _("Recipients (Thai)")),
    ("recipients_en", _("Recipients (English)")),
    ("retention_th", _("Retention (Thai)")),
    ("retention_en", _("Retention (English)")),
    ("security_measures", _("Security measures")),
    ("transfers_abroad", _("Transfers abroad")),
]


def processing_record_rows() -> Iterable[list[str]]:
    """The record of processing activities as spreadsheet rows (the header first), for the DPO
    and the PDPC office."""
    yield [str(label) for _field, label in PROCESSING_COLUMNS]
    for activity in ProcessingActivity.objects.all():
        row = []
        for field, _label in PROCESSING_COLUMNS:
            if field == "lawful_basis":
                row.append(str(activity.get_lawful_basis_display()))
            elif field == "consent_purpose":
                row.append(str(activity.get_consent_purpose_display()) if activity.consent_purpose else "")
            else:
                row.append(str(getattr(activity, field)))
        yield row
