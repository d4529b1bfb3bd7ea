"""Reading certificates: a learner's own, the admin's search, what the public may see."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from certificates.models import Certificate, expired_q
from certificates.services.issuance import CODE_ALPHABET

# What people mistype when reading a code off paper.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def my_certificates(*, user) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(learner=user)
        .select_related("course", "superseded_by")
        .order_by("-issued_at")
    )


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate a typed verification code names: case, spaces, dashes and look-alike
    letters (O for 0, I or L for 1) do not matter."""
    normalised = "".join(code.upper().split()).replace("-", "").translate(_LOOK_ALIKES)
    if len(normalised) != 8 or any(c not in CODE_ALPHABET for c in normalised):
        return None
    return Certificate.objects.filter(verification_code=normalised).first()


def certificates_search(
    queryset: QuerySet[Certificate], *, query: str = "", status: str = "", by_email: bool = True
) -> QuerySet[Certificate]:
    """The admin's search. `by_email=False` for those who may not see learners' addresses
    (people.permissions.sees_learners_contact_details): an address must not find its holder."""
    query = query.strip()
    if query:
        compact = query.upper().replace("-", "")
        queryset = queryset.filter(
            Q(number__iexact=query)
            | Q(verification_code=compact)
            | (Q(learner__email__icontains=query) if by_email else Q(pk__in=[]))
            | Q(learner__first_name__icontains=query)
            | Q(learner__last_name__icontains=query)
            | Q(learner__first_name_en__icontains=query)
            | Q(learner__last_name_en__icontains=query)
            | Q(course__code__icontains=query)
            | Q(course__title__icontains=query)
        )
    if status == "expired":
        queryset = queryset.filter(expired_q(on=timezone.localdate()))
    elif status:
        queryset = queryset.filter(status=status)
    return queryset.select_related("learner__profile__unit", "course").order_by("-issued_at")


def _initial(word: str) -> str:
    """The first letter of a word as a reader sees it: a Thai leading vowel (เ แ โ ใ ไ) is
    written before the consonant it follows in speech, so it travels with it."""
    if not word:
        return ""
    end = 2 if word[0] in "เแโใไ" and len(word) > 1 else 1
    return word[:end]


def masked_name(full_name: str) -> str:
    """ "นายสมชาย ใจดี" → "นายสมชาย ใ." and "Mr. Somchai Jaidee" → "Mr. Somchai J.": enough for
    someone who knows the holder, little for anyone else."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    return " ".join([*parts[:-1], _initial(parts[-1]) + "."])


def holder_name(certificate: Certificate, language: str) -> str:
    name = certificate.content.get("holder_name", {}).get(language, "")
    return name if certificate.holder_name_public else masked_name(name)


def public_summary(certificate: Certificate) -> dict:
    """What anyone may know about a certificate: the verification page and the JSON endpoint."""
    content = certificate.content
    return {
        "number": certificate.number,
        "status": certificate.public_status,
        "status_changed_at": certificate.status_changed_at,
        "status_reason": certificate.status_reason or None,
        "holder_name": {"th": holder_name(certificate, "th"), "en": holder_name(certificate, "en")},
        "holder_name_masked": not certificate.holder_name_public,
        "course_title": content["course_title"],
        "course_code": content.get("course_code"),
        "partner_name": content["partner_name"],
        "issuer_name": content["issuer_name"],
        "hours": content["hours"],
        "competencies": content["competencies"],
        "score": content.get("score"),
        "completed_on": dt.date.fromisoformat(content["completed_on"]),
        "issued_at": certificate.issued_at,
        "valid_until": certificate.valid_until,
        "pdf_sha256": certificate.pdf_sha256,
        "superseded_by": certificate.superseded_by,
    }
