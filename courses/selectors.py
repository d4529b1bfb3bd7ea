"""Reads about courses: the catalogue, a course's outline for one learner, "my learning",
hours and the transcript. Each runs a fixed number of queries, however many courses,
lessons or enrolments there are."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When

from courses.forms import CatalogueFilterForm
from courses.models import (
    OPEN_STATUSES,
    CoursePage,
    Enrolment,
    LearningHoursEntry,
    LessonPage,
    LessonProgress,
    ModulePage,
)
from lms.thai_calendar import FiscalYear, current_fiscal_year
from lms.thai_text import segment_words
from organisations.models import ContentPartner
from people.models import User

CATALOGUE_PAGE_SIZE = 12
HOURS_RANGES = {"short": (None, Decimal(2)), "medium": (Decimal(2), Decimal(5)), "long": (Decimal(5), None)}
SORTS = {
    "title": ["title"],
    "newest": ["-first_published_at"],
    "hours": ["estimated_hours", "title"],
}
# Enrolments a learner sees as theirs; withdrawn and turned-down ones are history.
CURRENT_STATUSES = [Enrolment.Status.PENDING, Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED]


def course_search_ids(*, query: str) -> list[int]:
    """Ids of live courses matching every word of `query`, best match first. Thai words are
    found inside Thai phrases because index and query are segmented alike (lms.thai_text)."""
    words = segment_words(query.strip())
    if not words:
        return []
    return [course.pk for course in CoursePage.objects.live().search(words, operator="and")]


def catalogue_courses(
    *,
    query: str = "",
    topic=None,
    competency: str = "",
    partner: ContentPartner | None = None,
    language: str = "",
    level: str = "",
    hours: str = "",
    sort: str = "",
) -> QuerySet[CoursePage]:
    """Published courses matching the filters, in the requested order (relevance when
    searching, newest first otherwise)."""
    courses = CoursePage.objects.live().public().select_related("partner", "topic", "cover_image")
    if topic is not None:
        courses = courses.filter(topic=topic)
    if competency:
        courses = courses.filter(competency_targets__competency_code=competency)
    if partner is not None:
        courses = courses.filter(partner=partner)
    if language:
        courses = courses.filter(language=language)
    if level:
        courses = courses.filter(level=level)
    if hours in HOURS_RANGES:
        low, high = HOURS_RANGES[hours]
        if low is not None:
            courses = courses.filter(estimated_hours__gt=low)
        if high is not None:
            courses = courses.filter(estimated_hours__lte=high)
    if query.strip():
        ids = course_search_ids(query=query)
        courses = courses.filter(pk__in=ids)
        if sort not in SORTS:
            rank = Case(
                *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)],
                output_field=IntegerField(),
            )
            return courses.order_by(rank, "pk") if ids else courses
    return courses.order_by(*SORTS.get(sort, SORTS["newest"]), "pk")


def catalogue_page(*, courses: QuerySet[CoursePage], page_number, user: User) -> PaginatorPage:
    """One page of courses, each with `enrolment` (the learner's current one, or None)."""
    page = Paginator(courses.prefetch_related("cover_image__renditions"), CATALOGUE_PAGE_SIZE).get_page(
        page_number
    )
    by_course: dict[int, list[Enrolment]] = defaultdict(list)
    if user.is_authenticated:
        for enrolment in Enrolment.objects.filter(
            user=user, course__in=[course.pk for course in page], status__in=CURRENT_STATUSES
        ).order_by("-requested_at"):
            by_course[enrolment.course_id].append(enrolment)
    for course in page:
        course.enrolment = _current_of(by_course[course.pk])
    return page


def catalogue_page_context(*, request, partner: ContentPartner | None = None) -> dict:
    form = CatalogueFilterForm(request.GET or None, partner_fixed=partner is not None)
    filters = form.cleaned_data if form.is_valid() else {}
    courses = catalogue_courses(
        query=filters.get("q", ""),
        topic=filters.get("topic"),
        competency=filters.get("competency", ""),
        partner=partner or filters.get("partner"),
        language=filters.get("language", ""),
        level=filters.get("level", ""),
        hours=filters.get("hours", ""),
        sort=filters.get("sort", ""),
    )
    page = catalogue_page(courses=courses, page_number=request.GET.get("page"), user=request.user)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return {
        "filter_form": form,
        "courses_page": page,
        "query": filters.get("q", ""),
        "is_filtered": any(filters.get(name) for name in form.fields if name != "sort"),
        "query_without_page": query_without_page.urlencode(),
    }


def prerequisites_missing(*, user: User, course: CoursePage) -> list[CoursePage]:
    """The course's prerequisites the learner has not completed, in the author's order."""
    required = list(CoursePage.objects.filter(required_by__course=course).order_by("required_by__sort_order"))
    if not required:
        return []
    completed = set(
        Enrolment.objects.filter(
            user=user, course__in=required, status=Enrolment.Status.COMPLETED
        ).values_list("course_id", flat=True)
    )
    return [prerequisite for prerequisite in required if prerequisite.pk not in completed]


def _current_of(enrolments: list[Enrolment]) -> Enrolment | None:
    """**The learner's current enrolment** among theirs in one course (newest first): the
    open one (waiting for approval or in progress), else the latest completion. The course
    page and the catalogue's badge both ask this."""
    for statuses in (OPEN_STATUSES, [Enrolment.Status.COMPLETED]):
        for enrolment in enrolments:
            if enrolment.status in statuses:
                return enrolment
    return None


def current_enrolment(*, user: User, course: CoursePage) -> Enrolment | None:
    """The learner's current enrolment in the course (`_current_of`), else their latest
    withdrawn or turned-down one, which the course page still speaks of."""
    if not user.is_authenticated:
        return None
    enrolments = list(
        Enrolment.objects.filter(user=user, course=course).select_related("user").order_by("-requested_at")
    )
    return _current_of(enrolments) or (enrolments[0] if enrolments else None)


@dataclass
class LessonEntry:
    lesson: LessonPage
    number: int
    state: str  # completed, in_progress, not_started, locked
    progress: LessonProgress | None = None


@dataclass
class ModuleEntry:
    module: ModulePage | None
    lessons: list[LessonEntry] = field(default_factory=list)


@dataclass
class CourseOutline:
    course: CoursePage
    enrolment: Enrolment | None
    modules: list[ModuleEntry]
    lessons: list[LessonEntry]

    @property
    def can_learn(self) -> bool:
        return self.enrolment is not None and self.enrolment.is_open_for_learning

    @property
    def progress_percent(self) -> int:
        return self.enrolment.progress_percent if self.can_learn else 0

    def entry_for(self, lesson: LessonPage) -> LessonEntry | None:
        return next((entry for entry in self.lessons if entry.lesson.pk == lesson.pk), None)

    def neighbours(self, lesson: LessonPage) -> tuple[LessonEntry | None, LessonEntry | None]:
        index = next(i for i, entry in enumerate(self.lessons) if entry.lesson.pk == lesson.pk)
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following

    @property
    def resume_entry(self) -> LessonEntry | None:
        """Where "continue" takes the learner: the lesson they were in if unfinished, else the
        next unfinished lesson after it, else the first unfinished one, else the last visited."""
        open_entries = [entry for entry in self.lessons if entry.state != "locked"]
        if not open_entries:
            return None
        last_id = self.enrolment.last_lesson_id if self.enrolment else None
        last = next((entry for entry in open_entries if entry.lesson.pk == last_id), None)
        if last is None:
            return next((entry for entry in open_entries if entry.state != "completed"), open_entries[0])
        # From the last visited lesson onwards, then from the start: the first unfinished one.
        start = open_entries.index(last)
        for entry in open_entries[start:] + open_entries[:start]:
            if entry.state != "completed":
                return entry
        return last


def enrolment_for_work_in(*, lesson: LessonPage, user) -> Enrolment | None:
    """The learner's enrolment if they may work in this lesson now: enrolled, and the lesson
    not locked. Cheaper than the full outline, which only courses with ordered lessons need."""
    course = lesson.course
    enrolment = current_enrolment(user=user, course=course)
    if enrolment is None or not enrolment.is_open_for_learning:
        return None
    if course.lessons_in_order:
        entry = course_outline(course=course, user=user).entry_for(lesson)
        if entry is None or entry.state == "locked":
            return None
    return enrolment


def course_lessons(*, course: CoursePage) -> list[LessonPage]:
    """The course's live lessons in reading order, modules or not."""
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def course_outline(*, course: CoursePage, user: User) -> CourseOutline:
    """The course's live modules and lessons in order, each with this learner's state."""
    modules = {module.path: ModuleEntry(module) for module in ModulePage.objects.live().child_of(course)}
    lessons = course_lessons(course=course)
    enrolment = current_enrolment(user=user, course=course)
    can_learn = enrolment is not None and enrolment.is_open_for_learning
    progress = {}
    if can_learn:
        progress = {row.lesson_id: row for row in LessonProgress.objects.filter(enrolment=enrolment)}

    direct = ModuleEntry(None)
    entries, sections = [], [direct]
    blocked = False
    for number, lesson in enumerate(lessons, start=1):
        row = progress.get(lesson.pk)
        if not can_learn or blocked:
            state = "locked"
        elif row is None:
            state = "not_started"
        else:
            state = "completed" if row.status == LessonProgress.Status.COMPLETED else "in_progress"
        if course.lessons_in_order and lesson.is_required and state != "completed":
            blocked = True
        entry = LessonEntry(lesson=lesson, number=number, state=state, progress=row)
        entries.append(entry)
        module = modules.get(lesson.path[: -lesson.steplen])
        if module is None:
            if sections[-1] is not direct:
                direct = ModuleEntry(None)
                sections.append(direct)
            direct.lessons.append(entry)
        else:
            if module not in sections:
                sections.append(module)
            module.lessons.append(entry)
    return CourseOutline(
        course=course,
        enrolment=enrolment,
        modules=[section for section in sections if section.lessons],
        lessons=entries,
    )


def hours_by_fiscal_year(*, user: User, fiscal_years: list[FiscalYear]) -> dict[int, Decimal]:
    totals = dict(
        LearningHoursEntry.objects.filter(user=user, fiscal_year__in=[fy.year for fy in fiscal_years])
        .values_list("fiscal_year")
        .annotate(total=Sum("hours"))
    )
    return {fy.year: totals.get(fy.year, Decimal(0)) for fy in fiscal_years}


@dataclass
class MyLearning:
    assigned: list[Enrolment]
    in_progress: list[Enrolment]
    pending: list[Enrolment]
    completed: list[Enrolment]
    this_year: FiscalYear
    last_year: FiscalYear
    hours_this_year: Decimal
    hours_last_year: Decimal

    @property
    def overdue_count(self) -> int:
        return sum(enrolment.is_overdue for enrolment in self.assigned)


def my_learning(*, user: User) -> MyLearning:
    """A learner's courses, grouped as they think of them, and their hours this fiscal year
    and last. Assigned courses come first, the most urgent due date first."""
    enrolments = list(
        Enrolment.objects.filter(user=user, status__in=CURRENT_STATUSES)
        .select_related("user", "course__partner", "course__topic", "last_lesson")
        .order_by("-last_activity_at", "-requested_at")
    )
    active = [e for e in enrolments if e.status == Enrolment.Status.ACTIVE]
    assigned = sorted(
        [e for e in active if e.source == Enrolment.Source.ASSIGNMENT],
        key=lambda e: (e.due_date is None, e.due_date or 0),
    )
    this_year = current_fiscal_year()
    hours = hours_by_fiscal_year(user=user, fiscal_years=[this_year, this_year.previous()])
    return MyLearning(
        assigned=assigned,
        in_progress=[e for e in active if e.source != Enrolment.Source.ASSIGNMENT],
        pending=[e for e in enrolments if e.status == Enrolment.Status.PENDING],
        completed=sorted(
            [e for e in enrolments if e.status == Enrolment.Status.COMPLETED],
            key=lambda e: e.completed_at,
            reverse=True,
        ),
        this_year=this_year,
        last_year=this_year.previous(),
        hours_this_year=hours[this_year.year],
        hours_last_year=hours[this_year.previous().year],
    )


def transcript(*, user: User) -> QuerySet[Enrolment]:
    """Completed courses, most recent first, with the hours credited for each."""
    return (
        Enrolment.objects.filter(user=user, status=Enrolment.Status.COMPLETED)
        .select_related("course__partner", "hours_entry")
        .order_by("-completed_at")
    )


def partner_learners(*, partner_id: int) -> QuerySet[User]:
    """People who have enrolled in (or asked to join) one of this partner's courses: the
    learners a partner's reports and its API applications may see, by name and agency."""
    enrolled = Enrolment.objects.filter(course__partner_id=partner_id).values("user_id")
    return User.objects.filter(pk__in=enrolled)
