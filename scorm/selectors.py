"""Reads about SCORM packages: who sees which, which versions are in use, which lessons use
them, what a version waiting for review changes, and reports."""

import json
import posixpath
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.models import Page, WorkflowState

from people.models import Role
from people.permissions import (
    content_partners_editable,
    content_partners_visible,
    has_role,
    is_platform_admin,
)
from scorm.models import Interaction, PackageVersion, Registration, ReviewStatus, ScormPackage, Status


def packages_visible(user) -> QuerySet[ScormPackage]:
    return ScormPackage.objects.filter(partner__in=content_partners_visible(user)).select_related(
        "partner", "current_version"
    )


def packages_editable(user) -> QuerySet[ScormPackage]:
    return ScormPackage.objects.filter(partner__in=content_partners_editable(user))


def package_can_preview(user, version: PackageVersion) -> bool:
    return packages_visible(user).filter(pk=version.package_id).exists()


def lessons_using_package(package: ScormPackage) -> list:
    """Lessons whose published content, or whose content in moderation, has a SCORM block
    showing this package: a new version of it must not reach their learners, nor slip under
    a reviewer who is approving the lesson with the version they previewed.

    A live page's own row holds its published content (drafts live in revisions), so the
    database narrows the lessons to those whose body text names the package, and only those
    few are read to confirm it is a SCORM block's package and not some other number. Lessons
    in an active workflow are read from the revision under review."""
    from courses.models import LessonPage  # here: courses.models imports the SCORM block, which imports this

    named = rf'"package": ?"?{int(package.pk)}"?[,}}]'
    candidates = (
        LessonPage.objects.live().alias(body_text=Cast("body", TextField())).filter(body_text__regex=named)
    )
    found = [lesson for lesson in candidates if _shows_package(lesson.body.raw_data, package)]
    moderated = WorkflowState.objects.active().filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    ids = {
        int(object_id) for object_id in moderated.values_list("object_id", flat=True) if object_id.isdecimal()
    }
    ids -= {lesson.pk for lesson in found}
    for lesson in LessonPage.objects.filter(pk__in=ids).select_related("latest_revision"):
        revision = lesson.latest_revision
        body = (revision.content or {}).get("body") if revision else None
        raw = json.loads(body) if isinstance(body, str) else body or []
        if _shows_package(raw, package):
            found.append(lesson)
    return found


def _shows_package(raw_body: list, package: ScormPackage) -> bool:
    return any(
        isinstance(child, dict)
        and child.get("type") == "scorm"
        and str((child.get("value") or {}).get("package")) == str(package.pk)
        for child in raw_body
    )


def can_review_packages(user) -> bool:
    """Platform reviewers and administrators decide on new versions of packages in use."""
    return is_platform_admin(user) or has_role(user, Role.PLATFORM_REVIEWER)


def package_version_can_review(user, version: PackageVersion) -> bool:
    """A platform reviewer or administrator who did not upload the version and does not work
    for the package's partner: nobody approves their own partner's content."""
    if not can_review_packages(user) or version.uploaded_by_id == user.pk:
        return False
    return not user.role_assignments.filter(partner_id=version.package.partner_id).exists()


def versions_awaiting_review(user) -> QuerySet[PackageVersion]:
    """Versions waiting for a platform decision, oldest first, for the people who decide;
    none for anyone else."""
    if not can_review_packages(user):
        return PackageVersion.objects.none()
    return (
        PackageVersion.objects.filter(review_status=ReviewStatus.PENDING, status=PackageVersion.Status.READY)
        .select_related("package__partner", "package__current_version", "uploaded_by")
        .order_by("imported_at", "pk")
    )


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
        .select_related("enrolment__user__profile__unit", "enrolment__course", "version")
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


# -- what a new version changes ----------------------------------------------------------------

# The manifest settings of an item a reviewer compares, with the label they see.
ITEM_SETTINGS = [
    ("title", pgettext_lazy("SCORM item", "title")),
    ("launch_url", gettext_lazy("launch address")),
    ("scorm_type", gettext_lazy("kind (SCO or asset)")),
    ("is_visible", gettext_lazy("shown in the table of contents")),
    ("mastery_score", gettext_lazy("mastery score")),
    ("completion_threshold", gettext_lazy("completion threshold")),
    ("scaled_passing_score", gettext_lazy("scaled passing score")),
    ("max_time_allowed", gettext_lazy("time allowed")),
    ("time_limit_action", gettext_lazy("when time runs out")),
    ("data_from_lms", gettext_lazy("launch data")),
    ("prerequisites", gettext_lazy("prerequisites")),
    ("sequencing", gettext_lazy("sequencing rules")),
]


@dataclass(frozen=True)
class FileChange:
    path: str
    old_size: int | None
    new_size: int | None


def _setting_shown(value: object) -> str:
    if value is None or value == "" or value == {} or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class SettingChange:
    label: str
    old: object
    new: object

    @property
    def old_shown(self) -> str:
        return _setting_shown(self.old)

    @property
    def new_shown(self) -> str:
        return _setting_shown(self.new)

    @property
    def is_structured(self) -> bool:
        """Rules (sequencing) rather than a single value: shown as text blocks side by side."""
        return isinstance(self.old, dict | list) or isinstance(self.new, dict | list)


@dataclass
class ItemChange:
    identifier: str
    title: str
    launch_url: str = ""
    settings: list[SettingChange] = field(default_factory=list)


@dataclass(frozen=True)
class LaunchAddress:
    """A launch address the version adds: learners' browsers will open it."""

    url: str
    item: str
    leaves_package: bool  # a web address or a rooted path: it opens something outside the package


@dataclass
class VersionChanges:
    """What learners would get from `version` that they do not get from `baseline` (the
    version in use; None when none is). `files_known` is False when either version was
    imported before file fingerprints were recorded: then files cannot be compared."""

    version: PackageVersion
    baseline: PackageVersion | None
    files_known: bool = True
    files_added: list[FileChange] = field(default_factory=list)
    files_removed: list[FileChange] = field(default_factory=list)
    files_changed: list[FileChange] = field(default_factory=list)
    package_settings: list[SettingChange] = field(default_factory=list)
    items_added: list[ItemChange] = field(default_factory=list)
    items_removed: list[ItemChange] = field(default_factory=list)
    items_changed: list[ItemChange] = field(default_factory=list)
    new_launch_addresses: list[LaunchAddress] = field(default_factory=list)

    @property
    def files_unchanged(self) -> int:
        touched = len(self.files_changed) + len(self.files_added)
        return len(self.version.files) - touched

    @property
    def has_structure_changes(self) -> bool:
        return bool(self.package_settings or self.items_added or self.items_removed or self.items_changed)


def _items_by_identifier(manifest: dict) -> dict[str, dict]:
    found: dict[str, dict] = {}

    def walk(items: list[dict]) -> None:
        for item in items:
            found[item["identifier"]] = item
            walk(item.get("children", []))

    walk(manifest.get("items", []))
    return found


def _leaves_package(url: str) -> bool:
    scheme, _sep, _rest = url.partition(":")
    has_scheme = bool(_sep) and scheme.isascii() and scheme.replace("+", "").replace(".", "").isalnum()
    return has_scheme or url.startswith("/") or posixpath.normpath(url.split("?")[0]).startswith("..")


def _item_change(item: dict) -> ItemChange:
    return ItemChange(
        identifier=item["identifier"], title=item.get("title", ""), launch_url=item.get("launch_url", "")
    )


def version_changes(version: PackageVersion, *, baseline: PackageVersion | None = None) -> VersionChanges:
    """Compare `version` with `baseline` (default: the package's version in use): files by
    SHA-256, the package title and organisation sequencing, items added, removed or changed in
    any setting that alters what learners get or how they are assessed, and every launch
    address the baseline never opened."""
    if baseline is None and version.package.current_version_id != version.pk:
        baseline = version.package.current_version
    changes = VersionChanges(version=version, baseline=baseline)
    old_files = baseline.files if baseline else {}
    changes.files_known = bool(version.files) and (baseline is None or bool(old_files))
    if changes.files_known:
        new_files = version.files
        for path in sorted(new_files.keys() - old_files.keys()):
            changes.files_added.append(FileChange(path, None, new_files[path][0]))
        for path in sorted(old_files.keys() - new_files.keys()):
            changes.files_removed.append(FileChange(path, old_files[path][0], None))
        for path in sorted(new_files.keys() & old_files.keys()):
            if new_files[path][1] != old_files[path][1]:
                changes.files_changed.append(FileChange(path, old_files[path][0], new_files[path][0]))

    old_manifest = baseline.manifest if baseline else {}
    new_manifest = version.manifest
    for key, label in [
        ("title", gettext_lazy("package title")),
        ("organisation_sequencing", gettext_lazy("sequencing rules of the whole package")),
        ("sequencing_collections", gettext_lazy("shared sequencing rules")),
    ]:
        if old_manifest.get(key) != new_manifest.get(key):
            changes.package_settings.append(
                SettingChange(str(label), old_manifest.get(key), new_manifest.get(key))
            )

    old_items = _items_by_identifier(old_manifest)
    new_items = _items_by_identifier(new_manifest)
    for identifier, item in new_items.items():
        if identifier not in old_items:
            changes.items_added.append(_item_change(item))
            continue
        before = old_items[identifier]
        settings = [
            SettingChange(str(label), before.get(key), item.get(key))
            for key, label in ITEM_SETTINGS
            if before.get(key) != item.get(key)
        ]
        if settings:
            changed = _item_change(item)
            changed.settings = settings
            changes.items_changed.append(changed)
    changes.items_removed = [
        _item_change(item) for identifier, item in old_items.items() if identifier not in new_items
    ]

    opened_before = {item.get("launch_url") for item in old_items.values()}
    seen: set[str] = set()
    for item in new_items.values():
        url = item.get("launch_url", "")
        if url and url not in opened_before and url not in seen:
            seen.add(url)
            changes.new_launch_addresses.append(
                LaunchAddress(
                    url=url, item=item.get("title") or item["identifier"], leaves_package=_leaves_package(url)
                )
            )
    return changes
