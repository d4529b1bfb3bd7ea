"""What the platform does with each model that holds personal data, when a person asks for a
copy of their data (export) and when they are erased (erasure).

Every model of the model registry that links to a person, directly or through a record that
belongs to a person, or that has a field holding a personal detail (a name, an e-mail
address, an employee number, an IP address...) must have a `Policy` here:
`subject_rights.discovery.personal_data_models` finds them from `apps.get_models()` and
`subject_rights/tests/test_policies.py` fails for any model without one. A new model that
links to a person therefore fails CI until someone decides what its export and erasure are.

Erasure never deletes the account: the `User` row stays, anonymised (a placeholder address,
no names, no usable password), so every record that points at it becomes pseudonymous.
That is what keeps the aggregates (analytics) and the issued certificates right: the
learning records that count stay, without a name.

Kinds of erasure:
- ANONYMISE: the listed fields of the person's rows get the listed values;
- DELETE: the person's rows are deleted (and their stored files);
- KEEP: kept as they are, for the reason given (an aggregate, a legal record, content that
  belongs to the organisation; a link to the account is pseudonymous once it is anonymised);
- CUSTOM: a function in `subject_rights.erasure` (`CUSTOM_ERASERS`) does what the reason says.

A policy's `subject` is the ORM path from the model to the person the row is *about*
(their own records); `actors` are paths to a person who *acted* on a row about someone or
something else (who decided an enrolment, who uploaded a package). Export includes both,
marked; erasure applies to the subject's rows, and actor links simply point at the
anonymised account afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ANONYMISE = "anonymise"
DELETE = "delete"
KEEP = "keep"
CUSTOM = "custom"
ERASURE_KINDS = (ANONYMISE, DELETE, KEEP, CUSTOM)

# Why a link to the account may stay: it points at the anonymised account afterwards.
PSEUDONYMOUS = "kept: it points at the anonymised account, so it names no one"


@dataclass(frozen=True)
class Policy:
    model: str  # "app_label.ModelName"
    subject: str | None  # ORM path to the person the row is about; None: no such person
    export: tuple[str, ...]  # the fields a person receives in their export
    erasure: str  # one of ERASURE_KINDS
    reason: str  # what erasure does and why (the DPO's record)
    actors: tuple[str, ...] = ()
    anonymise: Mapping[str, Any] = field(default_factory=dict)
    # Personal fields of the person's rows that erasure keeps on purpose, each with why.
    keeps: Mapping[str, str] = field(default_factory=dict)
    section: str = ""  # the export's section name; the model's label if empty

    @property
    def app_label(self) -> str:
        return self.model.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.section or self.model.lower().replace(".", "_")


POLICIES: tuple[Policy, ...] = (
    # --- people -------------------------------------------------------------------------
    Policy(
        "people.User",
        subject="pk",
        export=(
            "email",
            "title",
            "first_name",
            "last_name",
            "first_name_en",
            "last_name_en",
            "preferred_language",
            "is_active",
            "national_id_hash",
            "date_joined",
            "last_login",
        ),
        erasure=CUSTOM,
        reason=(
            "anonymised, never deleted: a placeholder address at erased.invalid, names, title and "
            "the national ID's keyed hash cleared, an unusable password, groups and permissions "
            "removed, sessions ended, the search index updated. Whether the account counts as "
            "current staff (is_active) is left as it was: analytics counts only active accounts, "
            "and erasure must not change the figures (see subject_rights.erasure)."
        ),
        section="account",
    ),
    Policy(
        "people.LearnerProfile",
        subject="user",
        export=(
            "unit__name_th",
            "employment_type",
            "position_title",
            "position_type",
            "position_level",
            "role_group__code",
            "employee_number",
            "updated_at",
        ),
        erasure=ANONYMISE,
        anonymise={"position_title": "", "position_level": "", "employee_number": ""},
        reason=(
            "position title, level and employee number cleared; unit, employment type, position "
            "type and role group kept: they are the dimensions the dashboards count by"
        ),
        section="profile",
    ),
    Policy(
        "people.RoleAssignment",
        subject="user",
        actors=("granted_by",),
        export=("role", "unit__name_th", "partner__name_th", "granted_at"),
        erasure=DELETE,
        reason="the person's roles end (their groups follow); who granted a role to others: " + PSEUDONYMOUS,
        section="roles",
    ),
    # --- courses ------------------------------------------------------------------------
    Policy(
        "courses.Enrolment",
        subject="user",
        actors=("decided_by",),
        export=(
            "course__title",
            "status",
            "source",
            "requested_at",
            "enrolled_at",
            "due_date",
            "last_activity_at",
            "progress_percent",
            "score",
            "completed_at",
            "withdrawn_at",
        ),
        erasure=KEEP,
        reason="learning records the dashboards and certificates count; " + PSEUDONYMOUS,
        section="enrolments",
    ),
    Policy(
        "courses.LessonProgress",
        subject="enrolment__user",
        export=(
            "enrolment__course__title",
            "lesson__title",
            "status",
            "seconds_spent",
            "reached_end",
            "activities",
            "first_visited_at",
            "last_seen_at",
            "completed_at",
        ),
        erasure=KEEP,
        reason="completion rests on it; " + PSEUDONYMOUS,
        section="lesson_progress",
    ),
    Policy(
        "courses.LearningHoursEntry",
        subject="user",
        export=("course__title", "fiscal_year", "hours", "credited_at"),
        erasure=KEEP,
        reason="learning hours per fiscal year are counted in the dashboards; " + PSEUDONYMOUS,
        section="learning_hours",
    ),
    # --- SCORM --------------------------------------------------------------------------
    Policy(
        "scorm.Registration",
        subject="enrolment__user",
        export=(
            "enrolment__course__title",
            "lesson__title",
            "block_id",
            "number",
            "is_open",
            "completed",
            "success",
            "score",
            "total_seconds",
            "started_at",
            "last_commit_at",
            "completed_at",
        ),
        erasure=KEEP,
        reason="the package's result that lesson completion rests on; " + PSEUDONYMOUS,
        section="scorm_registrations",
    ),
    Policy(
        "scorm.ScoAttempt",
        subject="registration__enrolment__user",
        export=(
            "registration_id",
            "sco__title",
            "number",
            "cmi",
            "suspend_data",
            "location",
            "completion",
            "success",
            "score_raw",
            "score_min",
            "score_max",
            "score_scaled",
            "progress_measure",
            "total_seconds",
            "started_at",
            "last_commit_at",
        ),
        erasure=CUSTOM,
        reason=(
            "results kept; what the content may hold of the person is cleared: the learner's name "
            "and id in the CMI data, comments from the learner, suspend data and location"
        ),
        section="scorm_attempts",
    ),
    Policy(
        "scorm.ScoSession",
        subject="attempt__registration__enrolment__user",
        export=(
            "attempt_id",
            "entry",
            "mode",
            "seconds",
            "started_at",
            "terminated_at",
            "navigation_request",
        ),
        erasure=KEEP,
        reason="when and how long each launch lasted: the summary of the commit history; " + PSEUDONYMOUS,
        section="scorm_sessions",
    ),
    Policy(
        "scorm.CommitRecord",
        subject="session__attempt__registration__enrolment__user",
        export=("session_id", "sequence", "received_at", "is_terminate", "changes", "session_seconds"),
        erasure=DELETE,
        reason="raw history of what the content sent (it may hold typed text); the attempt keeps the result",
        section="scorm_commits",
    ),
    Policy(
        "scorm.Interaction",
        subject="attempt__registration__enrolment__user",
        export=(
            "attempt_id",
            "interaction_id",
            "type",
            "description",
            "learner_response",
            "result",
            "weighting",
            "latency_seconds",
            "timestamp",
        ),
        erasure=CUSTOM,
        reason="results kept; free-text answers (fill-in, long fill-in, other) cleared",
        section="scorm_interactions",
    ),
    Policy(
        "scorm.Objective",
        subject="attempt__registration__enrolment__user",
        export=(
            "attempt_id",
            "objective_id",
            "completion",
            "success",
            "score_scaled",
            "score_raw",
            "progress_measure",
        ),
        erasure=KEEP,
        reason="statuses and scores only; " + PSEUDONYMOUS,
        section="scorm_objectives",
    ),
    Policy(
        "scorm.ScormPackage",
        subject=None,
        actors=("created_by",),
        export=("title", "partner__name_th", "created_at"),
        erasure=KEEP,
        reason="a partner's content; who created it: " + PSEUDONYMOUS,
        section="scorm_packages_created",
    ),
    Policy(
        "scorm.PackageVersion",
        subject=None,
        actors=("uploaded_by", "reviewed_by"),
        export=("package__title", "number", "created_at", "review_status", "reviewed_at", "review_note"),
        erasure=KEEP,
        reason="a partner's content and its review record; who uploaded or reviewed it: " + PSEUDONYMOUS,
        section="scorm_versions_handled",
    ),
    # --- assessments --------------------------------------------------------------------
    Policy(
        "assessments.QuizAttempt",
        subject="user",
        export=(
            "course__title",
            "lesson__title",
            "block_id",
            "title",
            "purpose",
            "number",
            "status",
            "started_at",
            "deadline",
            "submitted_at",
            "submitted_by",
            "score_points",
            "max_points",
            "score_percent",
            "passed",
        ),
        erasure=KEEP,
        reason="scores count in completion, item analysis and learning gain; " + PSEUDONYMOUS,
        section="quiz_attempts",
    ),
    Policy(
        "assessments.AttemptItem",
        subject="attempt__user",
        export=("attempt_id", "position", "spec", "response", "answered", "fraction", "points"),
        erasure=CUSTOM,
        reason="graded answers kept for item statistics; free-text answers cleared",
        section="quiz_answers",
    ),
    # --- competencies -------------------------------------------------------------------
    Policy(
        "competencies.CompetencyEvidence",
        subject="user",
        actors=("recorded_by",),
        export=(
            "node__code",
            "node__name_th",
            "level",
            "source",
            "reference",
            "course__title",
            "achieved_on",
            "valid_until",
            "note",
            "withdrawn_at",
            "created_at",
        ),
        erasure=ANONYMISE,
        anonymise={"note": ""},
        reason="levels count in the competency dashboards, so kept; the free-text note cleared",
        section="competency_evidence",
    ),
    # --- certificates -------------------------------------------------------------------
    Policy(
        "certificates.Certificate",
        subject="learner",
        actors=("status_changed_by",),
        export=(
            "number",
            "verification_code",
            "public_id",
            "course__title",
            "completed_at",
            "issued_at",
            "valid_until",
            "status",
            "status_changed_at",
            "status_reason",
            "content",
            "pdf_sha256",
            "credential",
            "holder_name_public",
        ),
        erasure=CUSTOM,
        reason=(
            "stays verifiable: the holder's printed name is replaced by a pseudonym on the check "
            "page, the stored PDF (which prints the name) is deleted, the signed credential (which "
            "holds only a salted hash of the old address) and the PDF's recorded hash are kept, so "
            "the holder's own copy still checks as genuine"
        ),
        section="certificates",
    ),
    # --- analytics ----------------------------------------------------------------------
    Policy(
        "analytics.PersonContribution",
        subject="user",
        export=("unit__name_th", "position_type", "role_group_id", "employment_type", "values", "updated_at"),
        erasure=KEEP,
        reason="the person's numbers in the dashboards' cells, which must not change; " + PSEUDONYMOUS,
        section="dashboard_contribution",
    ),
    Policy(
        "analytics.ExportJob",
        subject="requested_by",
        export=("kind", "status", "filename", "created_at", "finished_at"),
        erasure=DELETE,
        reason="exports the person asked for (other people's data), with their files",
        section="dashboard_exports",
    ),
    # --- assignments --------------------------------------------------------------------
    Policy(
        "assignments.Assignment",
        subject="people",
        actors=("created_by",),
        export=(
            "course__title",
            "campaign",
            "unit__name_th",
            "due_date",
            "is_mandatory",
            "is_active",
            "created_at",
        ),
        erasure=KEEP,
        reason="an HR decision about many people, counted in the dashboards; " + PSEUDONYMOUS,
        section="assignments_naming_you",
    ),
    Policy(
        "assignments.AssignmentMember",
        subject="user",
        export=(
            "assignment__course__title",
            "assignment__campaign",
            "assigned_at",
            "due_date",
            "reminder_point",
        ),
        erasure=KEEP,
        reason="mandatory training counted in the dashboards (assigned, overdue); " + PSEUDONYMOUS,
        section="assignments",
    ),
    Policy(
        "assignments.ReminderPreference",
        subject="user",
        export=("frequency", "manager_digest"),
        erasure=DELETE,
        reason="a setting of the account, of no use once it is anonymised",
        section="reminder_preference",
    ),
    Policy(
        "assignments.ReminderSent",
        subject="user",
        export=("kind", "sent_on", "items"),
        erasure=DELETE,
        reason="which reminders were mailed to the person: operational only",
        section="reminders_sent",
    ),
    # --- organisations ------------------------------------------------------------------
    Policy(
        "organisations.ContentPartner",
        subject=None,
        export=(),
        erasure=KEEP,
        reason=(
            "the contact address is a partner's office address, linked to no account; the DPO "
            "corrects it by hand if a person asks"
        ),
    ),
    Policy(
        "themes.SiteBranding",
        subject=None,
        export=(),
        erasure=KEEP,
        reason="the site's published contact address and telephone, an office's, linked to no account",
    ),
    # --- privacy and audit --------------------------------------------------------------
    Policy(
        "privacy.NoticeAcknowledgement",
        subject="user",
        export=("notice__version", "acknowledged_at"),
        erasure=KEEP,
        reason="proof that the person was informed (PDPA s.23); " + PSEUDONYMOUS,
        section="privacy_notices_acknowledged",
    ),
    Policy(
        "privacy.ConsentRecord",
        subject="user",
        export=("purpose", "given", "notice__version", "decided_at"),
        erasure=KEEP,
        reason="proof of consent given and withdrawn (PDPA s.19); " + PSEUDONYMOUS,
        section="consents",
    ),
    Policy(
        "privacy.PrivacyNotice",
        subject=None,
        actors=("published_by",),
        export=("version", "published_at"),
        erasure=KEEP,
        reason="the published notice; who published it: " + PSEUDONYMOUS,
        section="privacy_notices_published",
    ),
    Policy(
        "audit.AuditEvent",
        subject="subject",
        actors=("actor",),
        export=("occurred_at", "action", "actor_id", "what", "ip_address", "user_agent", "path"),
        erasure=KEEP,
        reason=(
            "append-only accountability record holding people by id only (pseudonymous once the "
            "account is anonymised); exported as who viewed the person's records and what they "
            "did themselves; leaves only through audit_prune after AUDIT_RETENTION_DAYS"
        ),
        keeps={
            "ip_address": "where a sign-in or a view came from: the log cannot change (append-only)",
            "user_agent": "the browser of a sign-in or a view: the log cannot change (append-only)",
        },
        section="audit_log",
    ),
    # --- subject rights -----------------------------------------------------------------
    Policy(
        "subject_rights.DataSubjectRequest",
        subject="person",
        actors=("handled_by",),
        export=(
            "kind",
            "details",
            "status",
            "received_at",
            "due_at",
            "handled_at",
            "outcome_note",
            "expires_at",
        ),
        erasure=CUSTOM,
        reason=(
            "kept as the record that the request was answered (PDPA s.39); the person's own "
            "words cleared and export files deleted"
        ),
        section="data_subject_requests",
    ),
    # --- api: applications and the tokens people granted them -----------------------------
    Policy(
        "api.Application",
        subject=None,
        actors=("user",),
        export=("name", "client_id", "created"),
        erasure=KEEP,
        reason="an agency's or partner's application, registered by platform administrators; "
        "its owner link (unused by Thaksa): " + PSEUDONYMOUS,
        section="api_applications_owned",
    ),
    Policy(
        "oauth2_provider.AccessToken",
        subject="user",
        export=("application__name", "scope", "created", "expires"),
        erasure=DELETE,
        reason="access an application was given to act for the person: deleted, so it ends at once",
        section="api_access_tokens",
    ),
    Policy(
        "oauth2_provider.RefreshToken",
        subject="user",
        export=("application__name", "created", "revoked"),
        erasure=DELETE,
        reason="the person's standing permission for an application: deleted, so it cannot renew access",
        section="api_refresh_tokens",
    ),
    Policy(
        "oauth2_provider.IDToken",
        subject="user",
        export=("application__name", "scope", "created", "expires"),
        erasure=DELETE,
        reason="records of the ID tokens issued to applications about the person (their content is not kept)",
        section="api_id_tokens",
    ),
    Policy(
        "oauth2_provider.Grant",
        subject="user",
        export=("application__name", "scope", "created", "expires"),
        erasure=DELETE,
        reason="authorization codes not yet exchanged (they last a minute)",
        section="api_grants",
    ),
    Policy(
        "oauth2_provider.DeviceGrant",
        subject="user",
        export=("client_id", "scope", "expires"),
        erasure=DELETE,
        reason="device sign-in requests (Thaksa does not offer the device flow; none are made)",
        section="api_device_grants",
    ),
    # --- webhooks -----------------------------------------------------------------------
    Policy(
        "webhooks.Delivery",
        subject="person",
        export=(
            "subscription__application__name",
            "event_type",
            "message_id",
            "status",
            "created_at",
            "delivered_at",
            "payload",
        ),
        erasure=DELETE,
        reason="the log of events sent about the person to API applications (ids, employee number, "
        "course); what a receiving application already holds is its own to erase",
        section="webhook_deliveries",
    ),
    Policy(
        "webhooks.DeliveryAttempt",
        subject="delivery__person",
        export=("delivery__message_id", "number", "attempted_at", "response_status", "error"),
        erasure=DELETE,
        reason="the attempts of a delivery about the person, deleted with it",
        section="webhook_delivery_attempts",
    ),
    Policy(
        "webhooks.OverdueNotice",
        subject="enrolment__user",
        export=("enrolment__course__title", "due_date", "announced_at"),
        erasure=DELETE,
        reason="which overdue assigned courses were announced to applications; an erased account "
        "is inactive, so nothing is announced again",
        section="webhook_overdue_notices",
    ),
    # --- Django and Wagtail -------------------------------------------------------------
    Policy(
        "sessions.Session",
        subject=None,
        export=("expire_date",),
        erasure=CUSTOM,
        reason="the person's sessions are deleted: they are signed out everywhere",
        section="sessions",
    ),
    Policy(
        "wagtailusers.UserProfile",
        subject="user",
        export=("preferred_language", "current_time_zone", "avatar", "theme", "contrast", "density"),
        erasure=DELETE,
        reason="admin preferences and the avatar picture (deleted with its file)",
        section="admin_profile",
    ),
    Policy(
        "wagtailcore.Page",
        subject=None,
        actors=("owner", "locked_by"),
        export=("title", "url_path", "first_published_at", "last_published_at"),
        erasure=KEEP,
        reason="course content belongs to its partner; owner and lock: " + PSEUDONYMOUS,
        section="pages_owned",
    ),
    Policy(
        "wagtailcore.Revision",
        subject=None,
        actors=("user",),
        export=("object_str", "created_at"),
        erasure=KEEP,
        reason="editorial history of content; its author: " + PSEUDONYMOUS,
        section="revisions_made",
    ),
    Policy(
        "wagtailcore.PageLogEntry",
        subject=None,
        actors=("user",),
        export=("label", "action", "timestamp"),
        erasure=KEEP,
        reason="editorial history of pages; who acted: " + PSEUDONYMOUS,
        section="page_history",
    ),
    Policy(
        "wagtailcore.ModelLogEntry",
        subject=None,
        actors=("user",),
        export=("label", "action", "timestamp"),
        erasure=CUSTOM,
        reason=(
            "admin history kept; entries about the person's own account are relabelled with the "
            "pseudonym and lose their details (the label and data held the name)"
        ),
        section="admin_history",
    ),
    Policy(
        "wagtailcore.WorkflowState",
        subject=None,
        actors=("requested_by",),
        export=("status", "created_at"),
        erasure=KEEP,
        reason="moderation history of content; who asked: " + PSEUDONYMOUS,
        section="moderation_requested",
    ),
    Policy(
        "wagtailcore.TaskState",
        subject=None,
        actors=("finished_by",),
        export=("status", "started_at", "finished_at", "comment"),
        erasure=KEEP,
        reason="moderation decisions on content; who decided: " + PSEUDONYMOUS,
        section="moderation_decided",
    ),
    Policy(
        "wagtailcore.Comment",
        subject="user",
        actors=("resolved_by",),
        export=("page__title", "text", "created_at", "updated_at", "resolved_at"),
        erasure=KEEP,
        reason="editorial comments on content, part of its review record; " + PSEUDONYMOUS,
        section="page_comments",
    ),
    Policy(
        "wagtailcore.CommentReply",
        subject="user",
        export=("comment__page__title", "text", "created_at", "updated_at"),
        erasure=KEEP,
        reason="replies in an editorial discussion, part of its review record; " + PSEUDONYMOUS,
        section="page_comment_replies",
    ),
    Policy(
        "wagtailcore.PageSubscription",
        subject="user",
        export=("page__title", "comment_notifications"),
        erasure=DELETE,
        reason="notification settings of the account",
        section="page_subscriptions",
    ),
    Policy(
        "wagtailcore.UploadedFile",
        subject="uploaded_by_user",
        export=("file",),
        erasure=DELETE,
        reason="an upload in progress in the admin, with its file",
        section="uploads_in_progress",
    ),
    Policy(
        "wagtailcore.APIToken",
        subject="user",
        export=("name", "prefix", "created", "revoked_at", "last_used_at"),
        erasure=DELETE,
        reason="the account's API tokens stop working",
        section="api_tokens",
    ),
    Policy(
        "wagtailadmin.EditingSession",
        subject="user",
        export=("last_seen_at", "is_editing"),
        erasure=DELETE,
        reason="who is editing what right now: transient",
        section="editing_sessions",
    ),
    Policy(
        "wagtailadmin.FormState",
        subject="user",
        export=("data", "last_updated_at"),
        erasure=DELETE,
        reason="unsaved admin form contents: transient, may hold typed text",
        section="unsaved_admin_forms",
    ),
    Policy(
        "wagtaildocs.Document",
        subject=None,
        actors=("uploaded_by_user",),
        export=("title", "created_at"),
        erasure=KEEP,
        reason="course documents belong to their partner; the uploader: " + PSEUDONYMOUS,
        section="documents_uploaded",
    ),
    Policy(
        "wagtailimages.Image",
        subject=None,
        actors=("uploaded_by_user",),
        export=("title", "created_at"),
        erasure=KEEP,
        reason="course images belong to their partner; the uploader: " + PSEUDONYMOUS,
        section="images_uploaded",
    ),
    # --- identity: sign-in providers and the second step (django-allauth) -----------------
    Policy(
        "socialaccount.SocialAccount",
        subject="user",
        export=("provider", "extra_data", "date_joined", "last_login"),
        erasure=DELETE,
        reason="the link to a sign-in provider such as ThaID (the provider's identifier kept only "
        "as a keyed hash, the names it gave, the national ID's keyed hash): deleted, so the "
        "provider no longer signs anybody in to the erased account",
        section="sign_in_providers",
    ),
    Policy(
        "account.EmailAddress",
        subject="user",
        export=("email", "verified", "primary"),
        erasure=DELETE,
        reason="an address a sign-in provider gave, as django-allauth records it: deleted",
        section="sign_in_addresses",
    ),
    Policy(
        "socialaccount.SocialToken",
        subject="account__user",
        export=("app__name", "expires_at"),
        erasure=DELETE,
        reason="a provider's tokens (Thaksa does not keep them: SOCIALACCOUNT_STORE_TOKENS is off)",
        section="sign_in_provider_tokens",
    ),
    Policy(
        "account.EmailConfirmation",
        subject="email_address__user",
        export=("created", "sent"),
        erasure=DELETE,
        reason="address confirmations (Thaksa sends none: ACCOUNT_EMAIL_VERIFICATION is none)",
        section="sign_in_address_confirmations",
    ),
    Policy(
        "mfa.Authenticator",
        subject="user",
        export=("type", "created_at", "last_used_at"),
        erasure=DELETE,
        reason="the person's authenticator app and recovery codes (their secrets are not exported): "
        "deleted, so nothing of theirs can sign in to the erased account",
        section="two_step_verification",
    ),
    # --- django-axes (sign-in lockout), when installed ----------------------------------
    Policy(
        "axes.AccessAttempt",
        subject=None,
        export=("username", "ip_address", "user_agent", "attempt_time", "failures_since_start"),
        erasure=CUSTOM,
        reason="failed sign-ins under the person's address are deleted (they name the address)",
        section="sign_in_attempts",
    ),
    Policy(
        "axes.AccessLog",
        subject=None,
        export=("username", "ip_address", "user_agent", "attempt_time", "logout_time"),
        erasure=CUSTOM,
        reason="sign-ins under the person's address are deleted (they name the address)",
        section="sign_ins",
    ),
    Policy(
        "axes.AccessFailureLog",
        subject=None,
        export=("username", "ip_address", "user_agent", "attempt_time", "locked_out"),
        erasure=CUSTOM,
        reason="failed sign-ins under the person's address are deleted (they name the address)",
        section="sign_in_failures",
    ),
)

POLICIES_BY_MODEL: dict[str, Policy] = {policy.model: policy for policy in POLICIES}
