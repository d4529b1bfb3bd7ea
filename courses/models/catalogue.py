"""The catalogue as a Wagtail page tree: catalogue → partner section → course → (module →) lesson.

Pages declare their structure and fields; what happens when a learner uses them lives in
`courses.services` and `courses.selectors`.
"""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.blocks import ActivityBlock, LearningOutcomeBlock, lesson_body_blocks, lesson_body_partner_check
from lms.bilingual import in_active_language
from lms.thai_text import segment_words


class Topic(index.Indexed, models.Model):
    """What a course is about (PDPA, data governance, cybersecurity, …): an editable list."""

    slug = models.SlugField(_("code"), max_length=64, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=128)
    name_en = models.CharField(_("name (English)"), max_length=128, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    search_fields = [index.SearchField("name_th"), index.SearchField("name_en")]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["sort_order", "name_th"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.name_th, self.name_en)


class CourseLevel(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CourseLanguage(models.TextChoices):
    THAI = "th", _("Thai")
    ENGLISH = "en", _("English")
    BOTH = "th-en", _("Thai and English")


class EnrolmentMode(models.TextChoices):
    OPEN = "open", _("Open: anyone can enrol")
    BY_APPROVAL = "approval", _("By approval: learners ask, an administrator approves")
    BY_ASSIGNMENT = "assignment", _("By assignment only: HR managers assign it")


class CatalogueIndexPage(Page):
    """The catalogue at /courses/: search, filters and every published course."""

    introduction_th = RichTextField(_("introduction (Thai)"), blank=True, features=["bold", "italic", "link"])
    introduction_en = RichTextField(
        _("introduction (English)"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction_th"), FieldPanel("introduction_en")]
    parent_page_types = ["themes.HomePage"]
    subpage_types = ["courses.PartnerSectionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    @property
    def introduction(self) -> str:
        return in_active_language(self.introduction_th, self.introduction_en)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_page_context

        return {**super().get_context(request, *args, **kwargs), **catalogue_page_context(request=request)}


class PartnerSectionPage(Page):
    """One content partner's part of the catalogue. Its authors edit only below this page.

    Created together with the partner (`courses.services.partner_section_ensure`)."""

    partner = models.OneToOneField(
        "organisations.ContentPartner",
        on_delete=models.PROTECT,
        related_name="section",
        verbose_name=_("content partner"),
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    introduction_th = RichTextField(_("introduction (Thai)"), blank=True, features=["bold", "italic", "link"])
    introduction_en = RichTextField(
        _("introduction (English)"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction_th"), FieldPanel("introduction_en")]
    parent_page_types = ["courses.CatalogueIndexPage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("partner section")

    @property
    def introduction(self) -> str:
        return in_active_language(self.introduction_th, self.introduction_en)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_page_context

        context = catalogue_page_context(request=request, partner=self.partner)
        return {**super().get_context(request, *args, **kwargs), **context}


class CoursePageForm(WagtailAdminPageForm):
    """The course editor: each competency appears once among the course's competencies."""

    def clean(self):
        cleaned = super().clean()
        targets = self.formsets.get("competency_targets")
        seen: set[str] = set()
        for form in targets.forms if targets is not None else []:
            if not form.is_valid() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            code = form.instance.competency_code
            if code in seen:
                form.add_error(
                    "competency",
                    _(
                        "Another row already has a competency with the code %(code)s. A course lists "
                        "each competency once: remove this row or choose another competency."
                    )
                    % {"code": code},
                )
            seen.add(code)
        return cleaned


class CoursePage(RoutablePageMixin, Page):
    """A course: what it is, who may enrol, and what completing it takes.

    `title` is the Thai title; `partner` follows the section the course sits in."""

    code = models.CharField(
        _("course code"), max_length=32, help_text=_("Unique across the platform, e.g. PDPA-GOV-101.")
    )
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    summary_th = models.TextField(_("summary (Thai)"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    partner = models.ForeignKey(
        "organisations.ContentPartner",
        on_delete=models.PROTECT,
        related_name="courses",
        editable=False,
        verbose_name=_("content partner"),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="courses", verbose_name=_("topic")
    )
    level = models.CharField(
        _("level"), max_length=16, choices=CourseLevel.choices, default=CourseLevel.BEGINNER
    )
    language = models.CharField(
        _("language"), max_length=8, choices=CourseLanguage.choices, default=CourseLanguage.THAI
    )
    estimated_hours = models.DecimalField(
        _("learning hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Credited to the learner's hours for the fiscal year in which they complete the course."),
    )
    learning_outcomes = StreamField(
        [("outcome", LearningOutcomeBlock())], blank=True, verbose_name=_("learning outcomes")
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover image"),
    )
    enrolment_mode = models.CharField(
        _("enrolment"), max_length=16, choices=EnrolmentMode.choices, default=EnrolmentMode.OPEN
    )
    lessons_in_order = models.BooleanField(
        _("lessons in order"),
        default=False,
        help_text=_("Each required lesson unlocks only when the required lessons before it are complete."),
    )
    completion_minimum_score = models.PositiveSmallIntegerField(
        _("minimum post-test score (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Leave empty if the course has no post-test."),
    )
    completion_minimum_minutes = models.PositiveIntegerField(
        _("minimum learning time (minutes)"),
        default=0,
        help_text=_("Time spent in the course's lessons before it can be completed; 0 for no minimum."),
    )
    certificate_on_completion = models.BooleanField(_("certificate on completion"), default=True)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("After this, learners must take the course again. Empty: it never expires."),
    )
    certificate_template = models.ForeignKey(
        "certificates.CertificateTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate design"),
        help_text=_("Empty: the partner's default design, else the platform's."),
    )
    certificate_shows_score = models.BooleanField(_("show the final score on the certificate"), default=False)

    base_form_class = CoursePageForm

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("code"), FieldPanel("title_en")]),
        FieldPanel("summary_th"),
        FieldPanel("summary_en"),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("level"), FieldPanel("language")]),
        FieldPanel("estimated_hours"),
        FieldPanel("cover_image"),
        FieldPanel("learning_outcomes"),
        InlinePanel(
            "competency_targets",
            heading=_("Competencies"),
            label=_("competency"),
            help_text=_("The competencies this course develops and the level a learner reaches."),
        ),
    ]
    learning_panels = [
        MultiFieldPanel(
            [FieldPanel("enrolment_mode"), InlinePanel("prerequisites", label=_("prerequisite"))],
            heading=_("Enrolment"),
        ),
        MultiFieldPanel(
            [
                HelpPanel(
                    content=_(
                        "A course is complete when every required lesson is complete (each lesson "
                        "says whether it is required), and the rules below are met."
                    )
                ),
                FieldPanel("lessons_in_order"),
                FieldPanel("completion_minimum_score"),
                FieldPanel("completion_minimum_minutes"),
            ],
            heading=_("Completion rule"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("certificate_on_completion"),
                FieldPanel("validity_months"),
                FieldPanel("certificate_template"),
                FieldPanel("certificate_shows_score"),
            ],
            heading=_("Certificate"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Course")),
            ObjectList(learning_panels, heading=_("Enrolment and completion")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("search_text"),
        index.FilterField("partner"),
        index.FilterField("topic"),
        index.FilterField("level"),
        index.FilterField("language"),
        index.FilterField("estimated_hours"),
    ]
    parent_page_types = ["courses.PartnerSectionPage"]
    subpage_types = ["courses.ModulePage", "courses.LessonPage"]
    exclude_fields_in_copy = ["code"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return in_active_language(self.title, self.title_en)

    @property
    def summary(self) -> str:
        return in_active_language(self.summary_th, self.summary_en)

    def outcomes(self) -> list[str]:
        return [
            in_active_language(block.value["text_th"], block.value["text_en"])
            for block in self.learning_outcomes
        ]

    def completion_valid_until(self, completed: dt.date | dt.datetime) -> dt.date | None:
        """The last day a completion on that day (a datetime is taken in Bangkok time) counts:
        for certificates, competency evidence and assignments alike. None: for good."""
        if isinstance(completed, dt.datetime):
            completed = timezone.localtime(completed).date()
        return completed + relativedelta(months=self.validity_months) if self.validity_months else None

    def search_text(self) -> str:
        """Everything a learner may type to find the course, with Thai cut into words."""
        parts = [self.title, self.title_en, self.code, self.summary_th, self.summary_en]
        parts += [f"{block.value['text_th']} {block.value['text_en']}" for block in self.learning_outcomes]
        if self.topic_id:
            parts += [self.topic.name_th, self.topic.name_en]
        if self.partner_id:
            parts += [self.partner.name_th, self.partner.name_en, self.partner.short_name_th]
        return segment_words(" ".join(part for part in parts if part))

    def clean(self):
        super().clean()
        if self.code:
            clash = CoursePage.objects.filter(code__iexact=self.code).exclude(pk=self.pk).first()
            if clash is not None:
                raise ValidationError(
                    {"code": _("Course %(title)s already uses this code.") % {"title": clash.title}}
                )
        design = self.certificate_template
        if design is not None and design.partner_id not in (None, self.partner_id) and self.partner_id:
            raise ValidationError(
                {
                    "certificate_template": _(
                        "This design belongs to another partner. Choose one of your partner's designs or a "
                        "platform design, or leave it empty for your partner's default."
                    )
                }
            )

    def save(self, *args, **kwargs):
        if self.partner_id is None and self.depth:
            section = PartnerSectionPage.objects.filter(path=self.path[: -self.steplen]).first()
            if section is not None:
                self.partner_id = section.partner_id
        return super().save(*args, **kwargs)

    # Learner actions live beside the course page; the views are thin (courses/views.py).
    @path("enrol/", name="enrol")
    def enrol_route(self, request):
        from courses.views.course_pages import course_enrol

        return course_enrol(request, course=self)

    @path("unenrol/", name="unenrol")
    def unenrol_route(self, request):
        from courses.views.course_pages import course_unenrol

        return course_unenrol(request, course=self)

    @path("continue/", name="continue")
    def continue_route(self, request):
        from courses.views.course_pages import course_continue

        return course_continue(request, course=self)

    @path("")
    def course_route(self, request):
        from courses.views.course_pages import course_detail

        return course_detail(request, course=self)


class CourseCompetencyTarget(Orderable):
    """A competency the course develops, and the proficiency level a learner reaches.

    `competency` is the framework node; the code and names are kept beside it as they were
    when the course was saved (certificates print them)."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="competency_targets")
    competency = models.ForeignKey(
        "competencies.CompetencyNode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_targets",
        verbose_name=_("competency"),
    )
    competency_code = models.CharField(_("competency code"), max_length=32)
    competency_name_th = models.CharField(_("competency (Thai)"), max_length=255)
    competency_name_en = models.CharField(_("competency (English)"), max_length=255, blank=True)
    target_level = models.PositiveSmallIntegerField(
        _("level reached"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )

    panels = [
        FieldRowPanel(
            [
                FieldPanel(
                    "competency",
                    help_text=_(
                        "A competency of a framework, for example DigComp 2.2 › 1.1 Browsing, searching "
                        "and filtering data."
                    ),
                ),
                FieldPanel(
                    "target_level",
                    help_text=_(
                        "The level a learner reaches by completing the course, on the scale of the "
                        "competency's framework (for example 1–8 for DigComp)."
                    ),
                ),
            ]
        ),
        FieldRowPanel(
            [
                FieldPanel("competency_code", read_only=True),
                FieldPanel("competency_name_th", read_only=True),
                FieldPanel("competency_name_en", read_only=True),
            ],
            heading=_("As printed on certificates"),
            help_text=_("Filled in from the competency when you save."),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("competency target")
        constraints = [
            models.UniqueConstraint(fields=["course", "competency_code"], name="unique_course_competency")
        ]

    @property
    def competency_name(self) -> str:
        return in_active_language(self.competency_name_th, self.competency_name_en)

    def clean(self):
        """A target names a competency of a framework at a level of that framework's scale.

        Rows saved before courses chose competencies from frameworks have only a code and names;
        they stay as they are until the author chooses the competency."""
        super().clean()
        if self.competency_id is None:
            if not self.competency_code:
                raise ValidationError({"competency": _("Choose the competency this course develops.")})
            return
        levels = self.scale_levels()
        if (
            levels
            and self.target_level is not None
            and self.target_level not in {level.value for level in levels}
        ):
            raise ValidationError(
                {
                    "target_level": _(
                        "Level %(level)s is not on the scale of %(framework)s. Choose one of: %(levels)s."
                    )
                    % {
                        "level": self.target_level,
                        "framework": self.competency.framework,
                        "levels": ", ".join(str(level) for level in levels),
                    }
                }
            )
        self.snapshot_from_competency()

    def scale_levels(self) -> list:
        """The levels of the chosen competency's framework (empty when it defines no scale)."""
        try:
            scale = self.competency.framework.scale
        except ObjectDoesNotExist:
            return []
        return list(scale.levels.all())

    def snapshot_from_competency(self) -> None:
        """Copy the competency's code and names, which certificates print."""
        node = self.competency
        self.competency_code = node.code
        self.competency_name_th = node.name_th
        self.competency_name_en = node.name_en

    def save(self, *args, **kwargs):
        if self.competency_id is not None:
            self.snapshot_from_competency()
        return super().save(*args, **kwargs)


class CoursePrerequisite(Orderable):
    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="prerequisites")
    prerequisite = models.ForeignKey(
        CoursePage,
        on_delete=models.CASCADE,
        related_name="required_by",
        verbose_name=_("course to complete first"),
    )

    panels = [FieldPanel("prerequisite")]

    class Meta(Orderable.Meta):
        verbose_name = _("prerequisite")
        constraints = [
            models.UniqueConstraint(fields=["course", "prerequisite"], name="unique_course_prerequisite"),
            models.CheckConstraint(
                condition=~models.Q(course=models.F("prerequisite")), name="not_own_prerequisite"
            ),
        ]


class ModulePage(Page):
    """A group of lessons inside a course (optional: lessons can sit directly in a course)."""

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    summary_th = models.TextField(_("summary (Thai)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("summary_th"),
        FieldPanel("summary_en"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    @property
    def display_title(self) -> str:
        return in_active_language(self.title, self.title_en)

    def serve(self, request, *args, **kwargs):
        course = CoursePage.objects.ancestor_of(self).first()
        return redirect(f"{course.url}#module-{self.pk}")


class LessonPageForm(WagtailAdminPageForm):
    """The lesson editor. A lesson being added has no place in the tree yet, so its activities'
    content partners are checked here against the course it is added to (LessonPage.clean checks the
    lessons that exist)."""

    def clean(self):
        cleaned = super().clean()
        if not self.instance.path and self.parent_page is not None and "body" in cleaned:
            course = CoursePage.objects.ancestor_of(self.parent_page, inclusive=True).first()
            if course is not None:
                try:
                    lesson_body_partner_check(body=cleaned["body"], partner_id=course.partner_id)
                except ValidationError as error:
                    self.add_error(None, error)
        return cleaned


class LessonPage(RoutablePageMixin, Page):
    """A lesson. Its identity for progress is the page itself, which survives every new
    revision; what completes it is reaching its end after a minimum time, plus every
    activity block in its body (`courses.blocks.ActivityBlock`)."""

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    is_required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Required lessons must be complete for the course to be complete."),
    )
    minimum_minutes = models.PositiveSmallIntegerField(
        _("minimum reading time (minutes)"),
        default=2,
        help_text=_("Time the learner spends on this lesson before it can be complete."),
    )
    body = StreamField(
        lesson_body_blocks(),
        verbose_name=_("lesson content"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldRowPanel([FieldPanel("is_required"), FieldPanel("minimum_minutes")]),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types = []
    base_form_class = LessonPageForm

    class Meta:
        verbose_name = _("lesson")

    @property
    def display_title(self) -> str:
        return in_active_language(self.title, self.title_en)

    @cached_property
    def course(self) -> CoursePage:
        return CoursePage.objects.ancestor_of(self).select_related("partner").get()

    def clean(self):
        super().clean()
        if self.path:  # a lesson being added is checked by LessonPageForm, which knows its parent
            lesson_body_partner_check(body=self.body, partner_id=self.course.partner_id)

    def activities(self) -> list[tuple[str, ActivityBlock, object]]:
        """The blocks that must be completed, as (stable block id, block, value)."""
        return [
            (child.id, child.block, child.value)
            for child in self.body
            if isinstance(child.block, ActivityBlock)
        ]

    @path("progress/", name="progress")
    def progress_route(self, request):
        from courses.views.course_pages import lesson_progress

        return lesson_progress(request, lesson=self)

    @path("open/<str:block_id>/", name="open-document")
    def open_document_route(self, request, block_id):
        from courses.views.course_pages import lesson_document_open

        return lesson_document_open(request, lesson=self, block_id=block_id)

    @path("")
    def lesson_route(self, request):
        from courses.views.course_pages import lesson_detail

        return lesson_detail(request, lesson=self)
