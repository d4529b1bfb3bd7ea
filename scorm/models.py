"""SCORM packages and what learners do in them.

A `ScormPackage` belongs to a content partner and has numbered `PackageVersion`s, each
extracted to its own folder in storage and parsed into `Sco` rows (the launchable items).
A learner's go at a SCORM activity in a lesson is a `Registration`, pinned to the version
it started on. Inside it, each SCO has `ScoAttempt`s (SCORM 2004 starts a new one after a
normal exit), each browser launch is a `ScoSession` (commit sequence numbers and session
time are per launch), and every accepted commit leaves a `CommitRecord` of what changed.
Interactions and objectives are kept as rows so they can be reported on.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", "SCORM 1.2"
    SCORM_2004 = "2004", "SCORM 2004"


class ReviewStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("No review needed")
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ScormPackage(models.Model):
    """A piece of SCORM content a partner uploads, possibly many times as it is revised."""

    partner = models.ForeignKey(
        "organisations.ContentPartner",
        on_delete=models.PROTECT,
        related_name="scorm_packages",
        verbose_name=_("content partner"),
    )
    title = models.CharField(_("title"), max_length=255)
    current_version = models.ForeignKey(
        "PackageVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version new attempts use"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class PackageVersion(models.Model):
    """One upload of a package. Only a version whose import finished is ever launched."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be imported")
        IMPORTING = "importing", _("Importing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Import failed")

    package = models.ForeignKey(ScormPackage, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    source = models.FileField(_("uploaded file"), upload_to="scorm/uploads/%Y/%m/", blank=True)
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    # Errors and warnings as scorm.problems.Problem dicts, shown to the author.
    problems = models.JSONField(default=list, blank=True)
    scorm_version = models.CharField(max_length=8, choices=ScormVersion.choices, blank=True)
    edition = models.CharField(max_length=8, blank=True)
    manifest_identifier = models.CharField(max_length=255, blank=True)
    manifest = models.JSONField(default=dict, blank=True)
    # SCORM 2004: the sequencing definition of every activity, built from the manifest
    # (scorm.manifest, `Manifest.sequencing_settings`) and run by scorm.sequencing.
    sequencing = models.JSONField(default=dict, blank=True)
    content_prefix = models.CharField(max_length=255, blank=True)
    file_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)
    # Every extracted file: path -> [size in bytes, sha256 hex], for the reviewer's comparison.
    files = models.JSONField(default=dict, blank=True)
    # A version of a package that a published lesson uses waits for platform review before
    # learners get it (scorm.services.review); other versions need none.
    review_status = models.CharField(
        _("review"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.NOT_NEEDED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)

    class Meta:
        verbose_name = _("package version")
        verbose_name_plural = _("package versions")
        ordering = ["package", "-number"]
        constraints = [models.UniqueConstraint(fields=["package", "number"], name="one_number_per_version")]

    def __str__(self) -> str:
        return f"{self.package} · v{self.number}"

    @property
    def errors(self) -> list[dict]:
        return [p for p in self.problems if p.get("severity") == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [p for p in self.problems if p.get("severity") != "error"]


class Sco(models.Model):
    """A launchable item of a package version (a SCO, or an asset that needs no API)."""

    version = models.ForeignKey(PackageVersion, on_delete=models.CASCADE, related_name="scos")
    position = models.PositiveIntegerField()
    identifier = models.CharField(max_length=255)
    title = models.CharField(max_length=500)
    launch_url = models.CharField(max_length=2000)
    is_sco = models.BooleanField(default=True)
    is_visible = models.BooleanField(default=True)
    mastery_score = models.FloatField(null=True, blank=True)
    completion_threshold = models.FloatField(null=True, blank=True)
    scaled_passing_score = models.FloatField(null=True, blank=True)
    max_time_allowed = models.CharField(max_length=64, blank=True)
    time_limit_action = models.CharField(max_length=64, blank=True)
    data_from_lms = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "identifier"], name="one_sco_per_item")]

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    """Completion and success as SCORM 2004 names them; SCORM 1.2 statuses map onto them."""

    UNKNOWN = "unknown", _("Not yet known")
    INCOMPLETE = "incomplete", _("Incomplete")
    COMPLETED = "completed", _("Completed")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class Registration(models.Model):
    """A learner's attempt at one SCORM activity of a lesson, on one package version.

    Attempts are numbered per activity. An attempt in progress stays on the version it
    started on; a new attempt uses the package's current version."""

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="scorm_registrations"
    )
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.SET_NULL, null=True, related_name="+")
    block_id = models.CharField(max_length=64)
    version = models.ForeignKey(PackageVersion, on_delete=models.PROTECT, related_name="registrations")
    number = models.PositiveIntegerField(default=1)
    is_open = models.BooleanField(default=True)
    completed = models.BooleanField(default=False)
    success = models.CharField(max_length=16, choices=Status.choices, default=Status.UNKNOWN)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)  # percent
    total_seconds = models.FloatField(default=0)
    # SCORM 2004 4th edition: shared data lives per registration (global objectives are in
    # sequencing_state).
    shared_data = models.JSONField(default=dict, blank=True)
    # SCORM 2004 Sequencing and Navigation: the activity state tree (scorm.sequencing.state),
    # the server's own record of attempts, progress and objectives of every activity.
    sequencing_state = models.JSONField(default=dict, blank=True)
    suspended_sco = models.ForeignKey(Sco, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    last_commit_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "block_id", "number"], name="one_attempt_number"),
            models.UniqueConstraint(
                fields=["enrolment", "block_id"], condition=Q(is_open=True), name="one_open_attempt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.block_id} #{self.number}"


class ScoAttempt(models.Model):
    """The run-time data of one SCO in a registration, for one SCORM attempt."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sco_attempts")
    sco = models.ForeignKey(Sco, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveIntegerField(default=1)
    # The latest CMI data model as the content left it, except suspend_data (below).
    cmi = models.JSONField(default=dict, blank=True)
    suspend_data = models.TextField(blank=True)  # any length: never truncated
    location = models.TextField(blank=True)
    completion = models.CharField(max_length=16, choices=Status.choices, default=Status.UNKNOWN)
    success = models.CharField(max_length=16, choices=Status.choices, default=Status.UNKNOWN)
    ever_completed = models.BooleanField(default=False)
    ever_passed = models.BooleanField(default=False)
    score_raw = models.FloatField(null=True, blank=True)
    score_min = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    progress_measure = models.FloatField(null=True, blank=True)
    exit = models.CharField(max_length=16, blank=True)
    total_seconds = models.FloatField(default=0)
    ended = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    last_commit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registration", "sco__position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "sco", "number"], name="one_sco_attempt_number")
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.sco} #{self.number}"

    @property
    def score_percent(self) -> float | None:
        """The score as a percentage: scaled if given, else raw within min..max (0..100)."""
        if self.score_scaled is not None:
            return round(max(-1.0, min(1.0, self.score_scaled)) * 100, 2)
        if self.score_raw is None:
            return None
        low = self.score_min if self.score_min is not None else 0.0
        high = self.score_max if self.score_max is not None else 100.0
        if high <= low:
            return None
        return round(max(0.0, min(100.0, (self.score_raw - low) / (high - low) * 100)), 2)


class ScoSession(models.Model):
    """One launch of a SCO in a browser: the unit the commit token, the commit sequence and
    the session time belong to. Its time is replaced, never added, on each commit, so the
    attempt's total counts every session exactly once."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempt = models.ForeignKey(ScoAttempt, on_delete=models.CASCADE, related_name="sessions")
    entry = models.CharField(max_length=16, blank=True)
    mode = models.CharField(max_length=16, default="normal")  # "review": shown, nothing recorded
    last_sequence = models.PositiveIntegerField(default=0)
    last_payload_hash = models.CharField(max_length=64, blank=True)
    seconds = models.FloatField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    terminated_at = models.DateTimeField(null=True, blank=True)
    navigation_request = models.CharField(max_length=255, blank=True)
    # When the one-time launch grant was exchanged for the player page (scorm.tokens): a grant
    # opens the player once, so a copied player address is worth nothing.
    opened_at = models.DateTimeField(null=True, blank=True)
    # What the sequencer decided when this launch ended (scorm.services.sequencing): the activity
    # to deliver next and whether as a new attempt, or that the package session ended.
    sequencing_outcome = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return str(self.key)


class CommitRecord(models.Model):
    """Append-only history: what each accepted commit changed, for disputes and reports."""

    session = models.ForeignKey(ScoSession, on_delete=models.CASCADE, related_name="commits")
    sequence = models.PositiveIntegerField()
    received_at = models.DateTimeField(default=timezone.now)
    is_terminate = models.BooleanField(default=False)
    # Flattened CMI element -> new value, for the elements this commit changed.
    changes = models.JSONField(default=dict, blank=True)
    session_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "sequence"], name="one_commit_per_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.sequence}"


class Interaction(models.Model):
    """A question the content asked, as the learner last answered it in an attempt."""

    attempt = models.ForeignKey(ScoAttempt, on_delete=models.CASCADE, related_name="interactions")
    index = models.PositiveIntegerField()
    interaction_id = models.CharField(max_length=4000)
    type = models.CharField(max_length=32, blank=True)
    description = models.TextField(blank=True)
    learner_response = models.TextField(blank=True)
    correct_responses = models.JSONField(default=list, blank=True)
    result = models.CharField(max_length=32, blank=True)
    weighting = models.FloatField(null=True, blank=True)
    latency_seconds = models.FloatField(null=True, blank=True)
    timestamp = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["attempt", "index"]
        constraints = [models.UniqueConstraint(fields=["attempt", "index"], name="one_interaction_per_index")]

    def __str__(self) -> str:
        return self.interaction_id


class Objective(models.Model):
    """An objective the content tracked in an attempt."""

    attempt = models.ForeignKey(ScoAttempt, on_delete=models.CASCADE, related_name="objectives")
    index = models.PositiveIntegerField()
    objective_id = models.CharField(max_length=4000)
    completion = models.CharField(max_length=16, blank=True)
    success = models.CharField(max_length=16, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    score_raw = models.FloatField(null=True, blank=True)
    progress_measure = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "index"]
        constraints = [models.UniqueConstraint(fields=["attempt", "index"], name="one_objective_per_index")]

    def __str__(self) -> str:
        return self.objective_id
