"""The SCORM activity: a package placed in a lesson, reporting through the completion interface."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from courses.blocks import ActivityBlock
from scorm.services.attempts import RetakePolicy
from scorm.views.chooser import scorm_package_chooser_viewset

ScormPackageChooserBlock = scorm_package_chooser_viewset.get_block_class(
    name="ScormPackageChooserBlock", module_path="scorm.blocks"
)


class ScormBlock(ActivityBlock):
    """A SCORM package the learner works through inside the lesson page.

    The package reports completion, success and a score; the block decides what counts:
    completing the package, or passing it. Its state is the record that counts over all
    attempts (scorm.services.commits.activity_state), so it never goes backwards."""

    package = ScormPackageChooserBlock(label=_("SCORM package"))
    required_outcome = blocks.ChoiceBlock(
        label=_("counts as done when the learner has"),
        choices=[("completed", _("completed the package")), ("passed", _("passed the package"))],
        default="completed",
    )
    retake = blocks.ChoiceBlock(
        label=_("after completing, opening it again"),
        choices=[
            (RetakePolicy.REVIEW, _("shows the completed attempt for review")),
            (RetakePolicy.NEW_ATTEMPT, _("starts a new attempt")),
        ],
        default=RetakePolicy.REVIEW,
    )
    score_policy = blocks.ChoiceBlock(
        label=_("score that counts"),
        choices=[("best", _("best attempt")), ("last", _("last attempt"))],
        default="best",
    )
    is_post_test = blocks.BooleanBlock(
        label=_("its score is the course's post-test score"),
        required=False,
        help_text=_("Use this when the package ends with the course's final test."),
    )
    height = blocks.IntegerBlock(
        label=_("player height (pixels)"), default=640, min_value=360, max_value=1400
    )

    class Meta:
        icon = "media"
        label = _("SCORM package")
        template = "scorm/blocks/scorm.html"

    def merge_state(self, stored: dict, reported: dict) -> dict:
        return {
            **stored,
            **reported,
            "completed": bool(stored.get("completed") or reported.get("completed")),
            "passed": bool(stored.get("passed") or reported.get("passed")),
            # A report without a score (a new attempt not yet scored) keeps the one that counted.
            "score": stored.get("score") if reported.get("score") is None else reported["score"],
        }

    def is_complete(self, value, state: dict) -> bool:
        if value["required_outcome"] == "passed":
            return bool(state.get("passed"))
        return bool(state.get("completed"))

    def requirement(self, value) -> str:
        if value["required_outcome"] == "passed":
            return str(_("Pass the SCORM package."))
        return str(_("Complete the SCORM package."))

    def post_test_score(self, value, state: dict):
        return state.get("score") if value["is_post_test"] else None

    def partner_error(self, value, *, partner_id: int) -> StructBlockValidationError | None:
        """A lesson shows only its own course partner's packages: the chooser's narrower list
        is only a help, so the lesson checks its blocks when it is cleaned
        (courses.blocks.lesson_body_partner_check)."""
        package = value.get("package")
        if package is None or package.partner_id == partner_id:
            return None
        return StructBlockValidationError(
            block_errors={
                "package": ValidationError(
                    _(
                        "This SCORM package belongs to another content partner. A lesson can "
                        "use only the packages of its own course's partner: choose one of those."
                    ),
                    code="other_partner",
                )
            }
        )
