"""Reads about SCORM packages: who sees which, which versions are in use, and reports."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from people.permissions import content_partners_editable, content_partners_visible
from scorm.models import Interaction, PackageVersion, Registration, ScormPackage, Status


def packages_visible(user) -> QuerySet[ScormPackage]:
    return ScormPackage.objects.filter(partner__in=content_partners_visible(user)).select_related(
        "partner", "current_version"
    )


def packages_editable(user) -> QuerySet[ScormPackage]:
    return ScormPackage.objects.filter(partner__in=content_partners_editable(user))


def package_can_preview(user, version: PackageVersion) -> bool:
    return packages_visible(user).filter(pk=version.package_id).exists()


def package_versions(package: ScormPackage) -> QuerySet[PackageVersion]:
    """Versions, newest first, with how many learners have an attempt in progress on each
    (those learners finish on that version) and how many attempts used it at all."""
    return package.versions.annotate(
        in_progress=Count(
            "registrations", filter=Q(registrations__is_open=True, registrations__completed=False)
        ),
        attempts=Count("registrations"),
    ).order_by("-number")


def package_attempts(package: ScormPackage) -> QuerySet[Registration]:
    """Every learner's attempts at the package, newest activity first."""
    return (
        Registration.objects.filter(version__package=package)
        .select_related("enrolment__user", "enrolment__course", "version")
        .order_by("-last_commit_at", "-started_at")
    )


@dataclass
class InteractionSummary:
    """One question of a package across learners: answers given and how often right."""

    interaction_id: str
    type: str
    answers: int = 0
    correct: int = 0
    responses: Counter = field(default_factory=Counter)

    @property
    def response_counts(self) -> list[tuple[str, int]]:
        """Responses, most chosen first (templates cannot call `Counter.most_common`: a
        Counter answers 0 to the lookup of any missing key, such as "most_common")."""
        return self.responses.most_common()

    @property
    def correct_percent(self) -> float | None:
        return round(self.correct * 100 / self.answers, 1) if self.answers else None


def package_interactions(package: ScormPackage) -> list[InteractionSummary]:
    """Per question id: each learner's latest answer in each attempt, counted once.

    The content reports results; "correct" is SCORM's result value, so these figures are as
    trustworthy as the content (the learner's browser reports them)."""
    latest: dict[tuple[int, str], tuple[str, str, str]] = {}
    rows = (
        Interaction.objects.filter(attempt__registration__version__package=package)
        .order_by("attempt_id", "index")
        .values_list("attempt_id", "interaction_id", "type", "result", "learner_response")
    )
    for attempt_id, interaction_id, kind, result, response in rows.iterator():
        latest[(attempt_id, interaction_id)] = (kind, result, response)
    summaries: dict[str, InteractionSummary] = {}
    for (_attempt_id, interaction_id), (kind, result, response) in latest.items():
        summary = summaries.setdefault(interaction_id, InteractionSummary(interaction_id, kind))
        summary.answers += 1
        summary.correct += result == "correct"
        summary.responses[response] += 1
    return sorted(summaries.values(), key=lambda summary: summary.interaction_id)


def attempts_by_sco(registration: Registration) -> dict:
    grouped = defaultdict(list)
    for attempt in registration.sco_attempts.select_related("sco").prefetch_related("sessions__commits"):
        grouped[attempt.sco].append(attempt)
    return dict(grouped)


def registration_status_label(registration: Registration) -> str:
    if registration.completed and registration.success == Status.PASSED:
        return str(_("Completed and passed"))
    if registration.completed:
        return str(_("Completed"))
    if registration.success == Status.FAILED:
        return str(_("Not passed yet"))
    return str(_("In progress"))
