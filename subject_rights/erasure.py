"""Erasing a person (PDPA s.33): every policy of `subject_rights.policies`, applied.

The account is anonymised, never deleted, so that the records that count (enrolments,
attempts, hours, evidence, contributions to the dashboards) stay and point at a pseudonym.

`is_active` is left as it was. The dashboards count a person only while their account is
active (analytics.contributions): closing the account here would take the erased person's
completions out of every figure, which erasure must not do. The account still cannot be
used: its address is a placeholder at `erased.invalid` (no mail is delivered to .invalid,
RFC 2606), its password is unusable (so no password reset either), and its sessions end.

The certificate pseudonymisation below belongs in certificates (a `certificate_pseudonymise`
service) once that app offers one; it is here so that subject_rights edits no other app.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from people.models import User
from subject_rights.export import person_sessions, policy_model
from subject_rights.policies import ANONYMISE, CUSTOM, DELETE, KEEP, POLICIES, Policy

ERASED_DOMAIN = "erased.invalid"

# CMI elements that name the learner or carry what they typed (SCORM 1.2 and 2004 names).
PERSON_CMI_KEYS = frozenset(
    {"learner_name", "learner_id", "student_name", "student_id", "comments_from_learner", "comments"}
)
# SCORM interaction types whose response is free text.
FREE_TEXT_INTERACTIONS = ("fill-in", "long-fill-in", "other", "")
FREE_TEXT_QUESTION_KINDS = ("free_text",)


@dataclass
class Erasure:
    """One erasure under way: the person, their pseudonym, what was done per model, and the
    stored files to delete once the transaction commits."""

    person: User
    pseudonym: str
    old_email: str
    done: dict[str, int] = field(default_factory=dict)
    files: list[FieldFile] = field(default_factory=list)

    @property
    def placeholder_email(self) -> str:
        return f"erased-{self.pseudonym.lower()}@{ERASED_DOMAIN}"

    def pseudonymous_name(self) -> dict[str, str]:
        return {"th": f"ผู้เรียนนิรนาม {self.pseudonym}", "en": f"Anonymous learner {self.pseudonym}"}


def is_erased(person: User) -> bool:
    return person.email.endswith("@" + ERASED_DOMAIN)


def erased_q(prefix: str = "") -> models.Q:
    """People already erased (a filter on User, or through `prefix`)."""
    return models.Q(**{f"{prefix}email__endswith": "@" + ERASED_DOMAIN})


def _subject_rows(policy: Policy, person: User) -> models.QuerySet[Any] | None:
    model = policy_model(policy)
    if model is None or not policy.subject:
        return None
    return model._default_manager.filter(**{policy.subject: person.pk})


def _files_of(rows: models.QuerySet[Any], erasure: Erasure) -> None:
    file_fields = [f.name for f in rows.model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not file_fields:
        return
    for row in rows:
        erasure.files.extend(getattr(row, name) for name in file_fields if getattr(row, name))


# --- custom erasers ---------------------------------------------------------------------


def _erase_user(policy: Policy, erasure: Erasure) -> int:
    user = User.objects.get(pk=erasure.person.pk)
    user.email = erasure.placeholder_email
    user.title = user.first_name = user.last_name = user.first_name_en = user.last_name_en = ""
    user.national_id_hash = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    erasure.person = user
    return 1


def _erase_sessions(policy: Policy, erasure: Erasure) -> int:
    sessions = person_sessions(erasure.person)
    for session in sessions:
        session.delete()
    return len(sessions)


def _erase_sign_ins(policy: Policy, erasure: Erasure) -> int:
    model = policy_model(policy)
    if model is None:
        return 0
    return int(model._default_manager.filter(username__iexact=erasure.old_email).delete()[0])


def _scrub_cmi(value: Any) -> Any:
    if isinstance(value, dict):
        scrubbed = {key: _scrub_cmi(item) for key, item in value.items() if key not in PERSON_CMI_KEYS}
        if "learner_response" in scrubbed and scrubbed.get("type", "") in FREE_TEXT_INTERACTIONS:
            scrubbed["learner_response"] = ""
        return scrubbed
    if isinstance(value, list):
        return [_scrub_cmi(item) for item in value]
    return value


def _erase_sco_attempts(policy: Policy, erasure: Erasure) -> int:
    rows = _subject_rows(policy, erasure.person)
    count = 0
    for attempt in rows.only("pk", "cmi") if rows is not None else ():
        attempt.cmi = _scrub_cmi(attempt.cmi)
        attempt.suspend_data = attempt.location = ""
        attempt.save(update_fields=["cmi", "suspend_data", "location"])
        count += 1
    return count


def _erase_interactions(policy: Policy, erasure: Erasure) -> int:
    rows = _subject_rows(policy, erasure.person)
    return rows.filter(type__in=FREE_TEXT_INTERACTIONS).update(learner_response="") if rows is not None else 0


def _erase_quiz_answers(policy: Policy, erasure: Erasure) -> int:
    rows = _subject_rows(policy, erasure.person)
    if rows is None:
        return 0
    return rows.filter(spec__kind__in=FREE_TEXT_QUESTION_KINDS).update(response=None)


def _erase_certificates(policy: Policy, erasure: Erasure) -> int:
    """The holder becomes a pseudonym on the check page (shown whole: there is no name left to
    mask); the stored PDF, which prints the name, is deleted. The credential and the PDF's hash
    stay, so the check page and the holder's own copy still verify."""
    rows = _subject_rows(policy, erasure.person)
    count = 0
    for certificate in rows if rows is not None else ():
        certificate.content = {**certificate.content, "holder_name": erasure.pseudonymous_name()}
        certificate.holder_name_public = True
        if certificate.pdf:
            erasure.files.append(certificate.pdf)
        certificate.pdf = ""
        certificate.save(update_fields=["content", "holder_name_public", "pdf"])
        count += 1
    return count


def _erase_admin_history(policy: Policy, erasure: Erasure) -> int:
    model = policy_model(policy)
    if model is None:
        return 0
    about_person = model._default_manager.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(erasure.person.pk)
    )
    return int(about_person.update(label=erasure.pseudonym, data={}))


def _erase_requests(policy: Policy, erasure: Erasure) -> int:
    rows = _subject_rows(policy, erasure.person)
    if rows is None:
        return 0
    _files_of(rows.exclude(file=""), erasure)
    return int(rows.update(details="", file="", progress=0, expires_at=None))


CUSTOM_ERASERS: dict[str, Callable[[Policy, Erasure], int]] = {
    "people.User": _erase_user,
    "sessions.Session": _erase_sessions,
    "axes.AccessAttempt": _erase_sign_ins,
    "axes.AccessLog": _erase_sign_ins,
    "axes.AccessFailureLog": _erase_sign_ins,
    "scorm.ScoAttempt": _erase_sco_attempts,
    "scorm.Interaction": _erase_interactions,
    "assessments.AttemptItem": _erase_quiz_answers,
    "certificates.Certificate": _erase_certificates,
    "wagtailcore.ModelLogEntry": _erase_admin_history,
    "subject_rights.DataSubjectRequest": _erase_requests,
}

# The account goes last: the sign-in logs and sessions are found by its old address and id.
_LAST = ("people.User",)


def _apply(policy: Policy, erasure: Erasure) -> int:
    if policy.erasure == CUSTOM:
        return CUSTOM_ERASERS[policy.model](policy, erasure)
    if policy.erasure == KEEP:
        return 0
    rows = _subject_rows(policy, erasure.person)
    if rows is None:
        return 0
    if policy.erasure == ANONYMISE:
        return int(rows.update(**policy.anonymise))
    if policy.erasure == DELETE:
        _files_of(rows, erasure)
        return int(rows.delete()[0])
    raise ValueError(f"Unknown erasure {policy.erasure!r} for {policy.model}")


def person_erase(*, person: User) -> Erasure:
    """Erase `person` everywhere (see the module docstring); returns what was done. Stored
    files (certificate PDFs, exports, avatars) are deleted once the transaction commits."""
    erasure = Erasure(person=person, pseudonym=secrets.token_hex(4).upper(), old_email=person.email)
    while User.objects.filter(email=erasure.placeholder_email).exists():
        erasure.pseudonym = secrets.token_hex(4).upper()
    ordered = sorted(POLICIES, key=lambda policy: policy.model in _LAST)
    with transaction.atomic():
        for policy in ordered:
            erasure.done[policy.model] = _apply(policy, erasure)
        files = [(stored.storage, stored.name) for stored in erasure.files if stored.name]

        def delete_files() -> None:
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return erasure
