"""Question banks and what learners do with them.

A `QuestionBank` belongs to a content partner and holds `Question`s of nine kinds
(assessments.question_kinds); choices, pairs, ordering items and rating labels are
`QuestionOption` rows. A quiz is not a model: it is a `QuizBlock` placed in a lesson, and
is named by (lesson, block id). A learner's go at a quiz is a `QuizAttempt`; the questions
it drew are `AttemptItem`s, each holding a *spec*, a snapshot of the question as it was
shown (option keys are random per attempt, so nothing in the page reveals the answer), so
that later edits to the bank never change a recorded attempt's grade.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from assessments.question_kinds import Difficulty, PartialCredit, QuestionKind


class QuestionBank(models.Model):
    """A partner's collection of questions, from which quizzes take fixed or random questions."""

    partner = models.ForeignKey(
        "organisations.ContentPartner",
        on_delete=models.PROTECT,
        related_name="question_banks",
        verbose_name=_("content partner"),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["partner__code", "title"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self):
        return self.title


class Question(ClusterableModel):
    """One question. Fields that only some kinds use say so in their help text."""

    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="questions", verbose_name=_("question bank")
    )
    kind = models.CharField(_("question type"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    topic = models.CharField(
        _("topic"), max_length=100, blank=True, help_text=_("Random draws can pick questions by topic.")
    )
    competencies = models.ManyToManyField(
        "competencies.CompetencyNode",
        blank=True,
        related_name="questions",
        verbose_name=_("competencies"),
        help_text=_("The competencies this question measures; post-test scores are reported per competency."),
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=1)
    partial_credit = models.CharField(
        _("partial credit"),
        max_length=20,
        choices=PartialCredit.choices,
        default=PartialCredit.ALL_OR_NOTHING,
        help_text=_("Multiple response, matching and ordering only."),
    )
    true_false_answer = models.BooleanField(
        _("the statement is true"), null=True, blank=True, help_text=_("True-or-false questions only.")
    )
    numeric_answer = models.DecimalField(
        _("correct number"),
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Numeric questions only."),
    )
    numeric_tolerance = models.DecimalField(
        _("accepted difference"),
        max_digits=18,
        decimal_places=6,
        default=0,
        help_text=_("Numeric questions only: answers this far from the correct number also count."),
    )
    accepted_answers = models.TextField(
        _("accepted answers"),
        blank=True,
        help_text=_(
            "Short-text questions only: one accepted answer per line. Spaces, invisible characters "
            "and Thai or Arabic digits are normalised before comparing."
        ),
    )
    case_sensitive = models.BooleanField(
        _("capital letters matter"), default=False, help_text=_("Short-text questions only.")
    )
    feedback_correct = models.TextField(_("feedback when correct"), blank=True)
    feedback_incorrect = models.TextField(_("feedback when not correct"), blank=True)
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Why the answer is right; shown according to the quiz's review policy."),
    )
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Questions not in use are never given in new attempts.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["bank", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["bank", "is_active", "topic", "difficulty"])]

    def __str__(self):
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"

    def accepted_answer_list(self) -> list[str]:
        return [line.strip() for line in self.accepted_answers.splitlines() if line.strip()]


class QuestionOption(Orderable):
    """A choice (single / multiple response), a pair (matching), an item (ordering, in the
    correct order) or a label of a rating scale."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(
        _("text"),
        max_length=500,
        blank=True,
        help_text=_("Matching: the left side; empty for an extra right side."),
    )
    is_correct = models.BooleanField(
        _("correct"), default=False, help_text=_("Single choice and multiple response.")
    )
    match_text = models.CharField(
        _("matches"), max_length=500, blank=True, help_text=_("Matching only: the right side.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return f"{self.text} → {self.match_text}" if self.match_text else self.text


class QuizPurpose(models.TextChoices):
    PRE_TEST = "pre_test", _("Pre-test")
    POST_TEST = "post_test", _("Post-test")
    PRACTICE = "practice", _("Practice")
    SURVEY = "survey", _("Evaluation survey")


class QuizAttempt(models.Model):
    """A learner's go at one quiz (a quiz block in a lesson), graded on the server at submission."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    class SubmittedBy(models.TextChoices):
        LEARNER = "learner", _("the learner")
        DEADLINE = "deadline", _("the time limit")

    enrolment = models.ForeignKey(
        "courses.Enrolment",
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("enrolment"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("course")
    )
    # A deleted lesson leaves its attempts behind (lesson = NULL) for the record.
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("lesson")
    )
    block_id = models.CharField(_("quiz block"), max_length=64)
    title = models.CharField(_("quiz"), max_length=255)
    purpose = models.CharField(_("purpose"), max_length=20, choices=QuizPurpose.choices)
    number = models.PositiveIntegerField(_("attempt"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    seed = models.BigIntegerField(_("random seed"))
    settings = models.JSONField(_("quiz settings when started"), default=dict)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    last_saved_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.CharField(_("submitted by"), max_length=20, choices=SubmittedBy.choices, blank=True)
    score_points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(_("out of"), max_digits=8, decimal_places=2, null=True, blank=True)
    score_percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson", "block_id", "number"], name="quiz_attempt_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["lesson", "block_id", "status"]),
            models.Index(fields=["status", "deadline"]),
        ]

    def __str__(self):
        return f"{self.title} · {self.user} · {self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class AttemptItem(models.Model):
    """One question in one attempt: the spec it was shown with, the learner's answer, its grade."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        related_name="attempt_items",
        verbose_name=_("question"),
    )
    spec = models.JSONField(_("question as shown"))
    response = models.JSONField(_("answer"), null=True, blank=True)
    answered = models.BooleanField(_("answered"), default=False)
    fraction = models.DecimalField(
        _("share of the marks"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("attempt item")
        verbose_name_plural = _("attempt items")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position_unique")
        ]

    def __str__(self):
        return f"{self.attempt_id} · {self.position}"
