"""What a lesson is made of.

Some blocks are *activities*: the learner has to do something with them (watch a video, open
a document, finish a SCORM package, pass a quiz) before the lesson counts as complete. They
subclass `ActivityBlock`, which is the one completion interface: the block says what its
stored state must look like to count as complete, and code that tracks the learner records
that state with `courses.services.activity_progress_record`. Activity blocks of other apps
(`scorm.blocks.ScormBlock`, `assessments.blocks.QuizBlock`) are named in the
`THAKSA_ACTIVITY_BLOCKS` setting and join `LESSON_BODY_BLOCKS` in the lesson page's `body`
field through `lesson_body_blocks()`, so courses imports none of them (they sit above it).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock

LESSON_RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "image", "hr"]


class ActivityBlock(blocks.StructBlock):
    """A block the learner must complete. Subclasses say when their recorded state counts."""

    def is_complete(self, value, state: dict) -> bool:
        return bool(state.get("complete"))

    def merge_state(self, stored: dict, reported: dict) -> dict:
        """The state to keep when a new report arrives; by default the newest value wins."""
        return {**stored, **reported}

    def requirement(self, value) -> str:
        """One sentence telling the learner what completes this activity."""
        raise NotImplementedError

    def post_test_score(self, value, state: dict):
        """The percentage this activity contributes as the course's post-test score, if any."""
        return None

    def partner_error(self, value, *, partner_id: int) -> StructBlockValidationError | None:
        """Why this block may not sit in a lesson of the partner's course, if it may not:
        activities that choose a partner's content (a SCORM package) say so."""
        return None


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("Information")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="info",
    )
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "info-circle"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class VideoBlock(ActivityBlock):
    """A video the learner must watch: an uploaded file (its playback is measured) or a
    video embedded from a provider such as YouTube (counted once it has been played)."""

    title = blocks.CharBlock(label=_("title"), required=False)
    video_file = DocumentChooserBlock(
        label=_("uploaded video"), required=False, help_text=_("An MP4 or WebM file uploaded as a document.")
    )
    embed = EmbedBlock(label=_("embedded video"), required=False, help_text=_("A YouTube or Vimeo link."))
    minimum_watched_percent = blocks.IntegerBlock(
        label=_("watched at least (%)"),
        min_value=0,
        max_value=100,
        default=80,
        help_text=_("Share of an uploaded video the learner must have played for the lesson to count."),
    )
    transcript = blocks.RichTextBlock(
        label=_("transcript"), required=False, features=["bold", "italic", "ul", "ol", "link"]
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("video_file")) == bool(value.get("embed")):
            message = _("Choose either an uploaded video or an embedded one.")
            raise StructBlockValidationError(
                block_errors={"video_file": ValidationError(message), "embed": ValidationError(message)}
            )
        return value

    def merge_state(self, stored: dict, reported: dict) -> dict:
        # Watching is never undone: a later, shorter report (another device) keeps the best.
        return {
            "watched_percent": max(stored.get("watched_percent", 0), reported.get("watched_percent", 0)),
            "played": bool(stored.get("played") or reported.get("played")),
        }

    def is_complete(self, value, state: dict) -> bool:
        if value.get("embed"):
            return bool(state.get("played"))
        return state.get("watched_percent", 0) >= value["minimum_watched_percent"]

    def requirement(self, value) -> str:
        if value.get("embed"):
            return str(_("Play the video."))
        return str(
            _("Watch at least %(percent)s%% of the video.") % {"percent": value["minimum_watched_percent"]}
        )


class LessonDocumentBlock(ActivityBlock):
    """A document the learner must open (a regulation, a handbook, a form)."""

    document = DocumentChooserBlock(label=_("document"))
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document to read")
        template = "courses/blocks/document.html"

    def is_complete(self, value, state: dict) -> bool:
        return bool(state.get("opened"))

    def requirement(self, value) -> str:
        return str(_("Open the document."))


class ResourcesBlock(blocks.StructBlock):
    """Optional downloads: templates, slides, further reading. Not tracked."""

    heading = blocks.CharBlock(label=_("heading"), required=False)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("document")), label=_("documents"))

    class Meta:
        icon = "download"
        label = _("Downloadable resources")
        template = "courses/blocks/resources.html"


LESSON_BODY_BLOCKS = [
    ("text", blocks.RichTextBlock(label=_("Text"), features=LESSON_RICH_TEXT_FEATURES, icon="pilcrow")),
    ("callout", CalloutBlock()),
    ("video", VideoBlock()),
    ("document", LessonDocumentBlock()),
    ("resources", ResourcesBlock()),
]


class LearningOutcomeBlock(blocks.StructBlock):
    text_th = blocks.CharBlock(label=_("outcome (Thai)"))
    text_en = blocks.CharBlock(label=_("outcome (English)"), required=False)

    class Meta:
        icon = "tick"
        label = _("Learning outcome")


def lesson_body_blocks() -> list[tuple[str, blocks.Block]]:
    """The lesson body's blocks: courses' own, then each activity block named in the
    `THAKSA_ACTIVITY_BLOCKS` setting ({stream name: dotted path}), in the setting's order.

    Read once, when the lesson page model is defined, the way Wagtail resolves its backends.
    The names and order are part of the stored stream: changing them needs a migration."""
    activities = [(name, import_string(path)()) for name, path in settings.THAKSA_ACTIVITY_BLOCKS.items()]
    return [*LESSON_BODY_BLOCKS, *activities]


def lesson_body_partner_check(*, body, partner_id: int) -> None:
    """A lesson uses only its own course partner's content: raise an error on each activity
    block of `body` (a lesson's stream) that belongs to another partner.

    A block alone cannot know which lesson it is in, so the lesson calls this when it is
    cleaned (courses.models.catalogue)."""
    block_errors = {}
    for index, child in enumerate(body):
        if isinstance(child.block, ActivityBlock):
            error = child.block.partner_error(child.value, partner_id=partner_id)
            if error is not None:
                block_errors[index] = error
    if block_errors:
        raise ValidationError({"body": StreamBlockValidationError(block_errors=block_errors)})
