"""The quiz activity: questions from a bank placed in a lesson, reporting through the
courses completion interface (courses.blocks.ActivityBlock)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from assessments.drawing import DrawRule
from assessments.models import QuizPurpose
from assessments.question_kinds import Difficulty
from assessments.views.chooser import question_bank_chooser_viewset
from courses.blocks import ActivityBlock

QuestionBankChooserBlock = question_bank_chooser_viewset.get_block_class(
    name="QuestionBankChooserBlock", module_path="assessments.blocks"
)


class CountedAttempt:
    BEST = "best"
    LAST = "last"
    FIRST = "first"
    CHOICES = [(BEST, _("the best attempt")), (LAST, _("the last attempt")), (FIRST, _("the first attempt"))]


class ReviewPolicy:
    NOTHING = "nothing"
    SCORE = "score"
    ANSWERS = "answers"
    ANSWERS_AFTER_LAST = "answers_after_last"
    CHOICES = [
        (NOTHING, _("nothing: only that the answers were received")),
        (SCORE, _("the score only")),
        (ANSWERS, _("the score and the answers, after each submission")),
        (ANSWERS_AFTER_LAST, _("the score; the answers once no attempts are left")),
    ]


def score_is_shown(*, purpose: str, review: str) -> bool:
    """Surveys have no score; a quiz whose review policy is "nothing" shows none."""
    return purpose != QuizPurpose.SURVEY and review != ReviewPolicy.NOTHING


def pass_is_shown(purpose: str) -> bool:
    """Passing means something for post-tests and practice; a pre-test only measures what the
    learner knew before, so it shows no pass mark and no "not passed"."""
    return purpose in (QuizPurpose.POST_TEST, QuizPurpose.PRACTICE)


class DrawRuleBlock(blocks.StructBlock):
    topic = blocks.CharBlock(label=_("topic"), required=False, help_text=_("Empty: any topic."))
    difficulty = blocks.ChoiceBlock(
        label=_("difficulty"),
        choices=Difficulty.choices,
        required=False,
        help_text=_("Empty: any difficulty."),
    )
    count = blocks.IntegerBlock(
        label=_("number of questions"), required=False, min_value=1, help_text=_("Empty: all that match.")
    )

    class Meta:
        icon = "list-ul"
        label = _("questions to take")


class QuizBlock(ActivityBlock):
    """A pre-test, post-test, practice quiz or evaluation survey. Graded only on the server.

    Its stored state (assessments.services.attempts.quiz_activity_state) is what counts over all the
    learner's attempts: `submitted` and `passed` never go back; `score` follows the block's
    "counted attempt" policy."""

    title = blocks.CharBlock(label=_("title"))
    purpose = blocks.ChoiceBlock(
        label=_("purpose"), choices=QuizPurpose.choices, default=QuizPurpose.POST_TEST
    )
    instructions = blocks.TextBlock(label=_("instructions"), required=False)
    bank = QuestionBankChooserBlock(label=_("question bank"))
    random_draw = blocks.BooleanBlock(
        label=_("draw questions at random"),
        required=False,
        help_text=_(
            "Off: the questions below (or the whole bank) in the bank's order. "
            "On: each attempt draws its own questions; a learner's attempt keeps its draw."
        ),
    )
    draws = blocks.ListBlock(
        DrawRuleBlock(),
        label=_("which questions"),
        min_num=0,
        help_text=_("Empty: every question in use in the bank."),
    )
    shuffle_questions = blocks.BooleanBlock(label=_("shuffle the questions"), required=False)
    shuffle_options = blocks.BooleanBlock(label=_("shuffle the options"), required=False, default=True)
    pass_mark_percent = blocks.IntegerBlock(label=_("pass mark (%)"), min_value=0, max_value=100, default=60)
    required_outcome = blocks.ChoiceBlock(
        label=_("the lesson counts it as done when the learner has"),
        choices=[("submitted", _("submitted an attempt")), ("passed", _("passed"))],
        default="passed",
    )
    max_attempts = blocks.IntegerBlock(
        label=_("attempts allowed"), min_value=0, default=0, help_text=_("0: as many as the learner wants.")
    )
    time_limit_minutes = blocks.IntegerBlock(
        label=_("time limit (minutes)"), min_value=0, default=0, help_text=_("0: no time limit.")
    )
    counted_attempt = blocks.ChoiceBlock(
        label=_("the score that counts is"), choices=CountedAttempt.CHOICES, default=CountedAttempt.BEST
    )
    review = blocks.ChoiceBlock(
        label=_("after submitting, the learner sees"),
        choices=ReviewPolicy.CHOICES,
        default=ReviewPolicy.ANSWERS,
    )

    class Meta:
        icon = "help"
        label = _("Quiz or survey")
        template = "assessments/blocks/quiz.html"

    def get_context(self, value, parent_context=None):
        """The learner's attempts and what they may do next (the lesson passes `lesson` and `block_id`)."""
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        request, lesson = parent_context.get("request"), parent_context.get("lesson")
        context["purpose_label"] = QuizPurpose(value["purpose"]).label
        context["is_survey"] = value["purpose"] == QuizPurpose.SURVEY
        context["show_score"] = score_is_shown(purpose=value["purpose"], review=value["review"])
        context["show_pass"] = pass_is_shown(value["purpose"])
        outline = parent_context.get("outline")
        if request is not None and lesson is not None and not getattr(request, "is_preview", False):
            from assessments.selectors import quiz_card

            # The lesson page has decided whether the learner may work here (enrolled, unlocked).
            enrolment = outline.enrolment if outline is not None and outline.can_learn else None
            context["quiz"] = quiz_card(
                enrolment=enrolment, lesson=lesson, block_id=parent_context.get("block_id"), value=value
            )
        return context

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["purpose"] == QuizPurpose.SURVEY and value["required_outcome"] == "passed":
            errors["required_outcome"] = ValidationError(
                _("A survey is not graded: choose “submitted an attempt”.")
            )
        if value["review"] == ReviewPolicy.ANSWERS_AFTER_LAST and not value["max_attempts"]:
            errors["review"] = ValidationError(
                _("“Once no attempts are left” needs a limit: set the number of attempts allowed.")
            )
        if value["random_draw"] and any(rule["count"] is None for rule in value["draws"]):
            errors["draws"] = ValidationError(_("For random draws, say how many questions each rule takes."))
        bank = value.get("bank")
        if bank is not None and not errors:
            from assessments.selectors import draw_shortfalls

            shortfalls = draw_shortfalls(bank=bank, rules=self.draw_rules(value))
            if shortfalls:
                errors["draws"] = ValidationError(" ".join(shortfalls))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    @staticmethod
    def draw_rules(value) -> list[DrawRule]:
        return [
            DrawRule(topic=rule["topic"] or "", difficulty=rule["difficulty"] or "", count=rule["count"])
            for rule in value["draws"]
        ]

    def merge_state(self, stored: dict, reported: dict) -> dict:
        return {
            **stored,
            **reported,
            "submitted": bool(stored.get("submitted") or reported.get("submitted")),
            "passed": bool(stored.get("passed") or reported.get("passed")),
        }

    def is_complete(self, value, state: dict) -> bool:
        if value["required_outcome"] == "passed" and value["purpose"] != QuizPurpose.SURVEY:
            return bool(state.get("passed"))
        return bool(state.get("submitted"))

    def requirement(self, value) -> str:
        if value["purpose"] == QuizPurpose.SURVEY:
            return str(_("Answer the survey “%(title)s”.") % {"title": value["title"]})
        if value["required_outcome"] == "passed":
            return str(
                _("Pass “%(title)s” with at least %(mark)s%%.")
                % {"title": value["title"], "mark": value["pass_mark_percent"]}
            )
        return str(_("Submit “%(title)s”.") % {"title": value["title"]})

    def post_test_score(self, value, state: dict):
        return state.get("score") if value["purpose"] == QuizPurpose.POST_TEST else None
