"""Reads about quizzes: what a learner sees of a quiz and an attempt, and the reports
authors and admins read (item analysis, quiz statistics, learning gain, survey results)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from assessments import statistics
from assessments.blocks import QuizBlock, ReviewPolicy, pass_is_shown, score_is_shown
from assessments.drawing import DrawRule, draws_per_rule, questions_available
from assessments.grading import correct_response
from assessments.models import AttemptItem, Question, QuestionBank, QuizAttempt, QuizPurpose
from assessments.question_kinds import CHOICE_KINDS, QuestionKind
from assessments.services.attempts import counted_attempt, quiz_find
from competencies.models import CompetencyNode
from courses.models import CoursePage, Enrolment, LessonPage
from courses.selectors import course_lessons
from people.permissions import can_view_partner_content, content_partners_visible


def draw_shortfalls(*, bank: QuestionBank, rules: list[DrawRule]) -> list[str]:
    """Why the bank cannot give what the rules ask for, one sentence per rule (empty if it can)."""
    available = questions_available(bank.questions.all())
    if not available:
        return [_("The bank has no questions in use yet: add questions to it first.")]
    picks = draws_per_rule(questions=available, rules=rules, at_random=False)
    return [
        _(
            "Rule %(number)s asks for %(count)s questions but the bank has only %(got)s more that "
            "match: lower the number, or add questions with that topic and difficulty to the bank."
        )
        % {"number": number, "count": rule.count, "got": len(chosen)}
        for number, (rule, chosen) in enumerate(zip(rules, picks, strict=True), start=1)
        if rule.count is not None and len(chosen) < rule.count
    ]


# ---------------------------------------------------------------------------
# The learner's side
# ---------------------------------------------------------------------------


@dataclass
class QuizCard:
    """What the quiz block shows a learner in the lesson."""

    enrolment: Enrolment | None
    attempts: list[QuizAttempt] = field(default_factory=list)
    in_progress: QuizAttempt | None = None
    counted: QuizAttempt | None = None
    attempts_left: int | None = None  # None: unlimited
    gain: statistics.LearningGain | None = None

    @property
    def can_start(self) -> bool:
        return self.enrolment is not None and self.in_progress is None and self.attempts_left != 0

    @property
    def submitted(self) -> list[QuizAttempt]:
        return [a for a in self.attempts if a.is_submitted]


def quiz_card(*, enrolment: Enrolment | None, lesson: LessonPage, block_id: str, value) -> QuizCard:
    """`enrolment` is the learner's, if they may work in this lesson now (the lesson page has
    already decided that)."""
    if enrolment is None:
        return QuizCard(enrolment=None)
    attempts = list(QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson, block_id=block_id))
    used = len(attempts)
    card = QuizCard(
        enrolment=enrolment,
        attempts=attempts,
        in_progress=next((a for a in attempts if not a.is_submitted), None),
        counted=counted_attempt(attempts, value["counted_attempt"]),
        attempts_left=max(0, value["max_attempts"] - used) if value["max_attempts"] else None,
    )
    if value["purpose"] == QuizPurpose.POST_TEST:
        card.gain = learning_gain_for(enrolment=enrolment)
    return card


def attempt_for_learner(*, user, attempt_id: int) -> QuizAttempt:
    attempt = (
        QuizAttempt.objects.select_related("lesson", "course", "enrolment")
        .filter(pk=attempt_id, user=user)
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def _counted_score(attempts: list[QuizAttempt], purpose: str) -> Decimal | None:
    if not attempts:
        return None
    policy = (
        "first" if purpose == QuizPurpose.PRE_TEST else attempts[0].settings.get("counted_attempt", "best")
    )
    counted = counted_attempt(attempts, policy)
    return counted.score_percent if counted else None


def _tests_submitted() -> QuerySet[QuizAttempt]:
    return QuizAttempt.objects.filter(
        status=QuizAttempt.Status.SUBMITTED, purpose__in=[QuizPurpose.PRE_TEST, QuizPurpose.POST_TEST]
    ).order_by("number", "pk")


def _gain_of(attempts: list[QuizAttempt]) -> statistics.LearningGain | None:
    """Pre-test (the first attempt: what the learner knew before) against the post-test's
    counted score, from one learner's submitted tests; None unless both were taken."""
    pre = _counted_score([a for a in attempts if a.purpose == QuizPurpose.PRE_TEST], QuizPurpose.PRE_TEST)
    post = _counted_score([a for a in attempts if a.purpose == QuizPurpose.POST_TEST], QuizPurpose.POST_TEST)
    if pre is None or post is None:
        return None
    return statistics.learning_gain(float(pre), float(post))


def learning_gain_for(*, enrolment: Enrolment) -> statistics.LearningGain | None:
    return _gain_of(list(_tests_submitted().filter(enrolment=enrolment)))


@dataclass
class ReviewedItem:
    item: AttemptItem
    given: str  # the learner's answer, readable
    expected: str = ""  # the full-marks answer, readable; only when the review policy shows answers


@dataclass
class AttemptResult:
    attempt: QuizAttempt
    show_score: bool
    show_answers: bool
    attempts_left: int | None
    show_pass: bool
    items: list[ReviewedItem]
    topics: list[tuple[str, Decimal]]  # per-topic percentage, when the score is shown
    competencies: list[tuple[str, Decimal]]  # per-competency percentage, when the score is shown
    gain: statistics.LearningGain | None


def attempt_result(*, attempt: QuizAttempt) -> AttemptResult:
    """What the learner may see of a submitted attempt, according to the quiz's review policy."""
    review = attempt.settings.get("review", ReviewPolicy.ANSWERS)
    max_attempts = attempt.settings.get("max_attempts") or 0
    statuses = list(
        QuizAttempt.objects.filter(
            enrolment=attempt.enrolment_id, lesson=attempt.lesson_id, block_id=attempt.block_id
        ).values_list("status", flat=True)
    )
    attempts_left = max(0, max_attempts - len(statuses)) if max_attempts else None
    # "Once no attempts are left": every allowed attempt submitted, none still open.
    all_used = attempts_left == 0 and QuizAttempt.Status.IN_PROGRESS not in statuses
    show_answers = review == ReviewPolicy.ANSWERS or (review == ReviewPolicy.ANSWERS_AFTER_LAST and all_used)
    show_score = score_is_shown(purpose=attempt.purpose, review=review)
    attempt_items = list(attempt.items.all())
    items = [
        ReviewedItem(
            item=item,
            given=response_text(item.spec, item.response),
            expected=expected_text(item.spec) if show_answers else "",
        )
        for item in attempt_items
    ]
    return AttemptResult(
        attempt=attempt,
        show_score=show_score,
        show_answers=show_answers,
        attempts_left=attempts_left,
        show_pass=pass_is_shown(attempt.purpose),
        items=items,
        topics=_topic_scores(attempt_items) if show_score else [],
        competencies=_competency_scores(attempt_items) if show_score else [],
        gain=learning_gain_for(enrolment=attempt.enrolment)
        if attempt.purpose == QuizPurpose.POST_TEST
        else None,
    )


def _percentages_by(items: list[AttemptItem], groups: Callable[[dict], Iterable]) -> dict:
    """Per group (topic, competency…): the percentage of its graded items' points earned."""
    earned: dict = defaultdict(Decimal)
    possible: dict = defaultdict(Decimal)
    for item in items:
        if item.fraction is None:
            continue
        for group in groups(item.spec):
            earned[group] += item.points or 0
            possible[group] += Decimal(item.spec["points"])
    return {group: earned[group] * 100 / possible[group] for group in possible if possible[group] > 0}


def _topic_scores(items: list[AttemptItem]) -> list[tuple[str, Decimal]]:
    percentages = _percentages_by(items, lambda spec: [spec["topic"]] if spec.get("topic") else [])
    return [(topic, percentages[topic].quantize(Decimal("1"))) for topic in sorted(percentages)]


def competency_percentages(items: list[AttemptItem]) -> dict[int, Decimal]:
    """Per competency node id: the percentage (two decimals) of the points of the graded items
    tagged with it that the learner earned. Tags are those the question had when it was drawn
    (the item's spec); attempts drawn before questions had competencies have none."""
    return {
        node_id: percent.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for node_id, percent in _percentages_by(items, _competencies_of).items()
    }


def _competencies_of(spec: dict) -> list[int]:
    return spec.get("competencies") or []


def _competency_scores(items: list[AttemptItem]) -> list[tuple[str, Decimal]]:
    percentages = _percentages_by(items, _competencies_of)
    nodes = CompetencyNode.objects.filter(pk__in=percentages)  # in the frameworks' order
    return [(node.name, percentages[node.pk].quantize(Decimal("1"))) for node in nodes]


# ---------------------------------------------------------------------------
# Reports for authors and admins
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizRef:
    """A quiz in a lesson, as reports list it."""

    lesson: LessonPage
    block_id: str
    title: str
    purpose: str
    course: CoursePage

    @property
    def purpose_label(self) -> str:
        return QuizPurpose(self.purpose).label


def course_quizzes(*, course: CoursePage) -> list[QuizRef]:
    """Every quiz in a course's lessons, in the course's order."""
    return _quizzes_in(course_lessons(course=course), course)


def _quizzes_in(lessons, course: CoursePage) -> list[QuizRef]:
    return [
        QuizRef(lesson, block_id, value["title"], value["purpose"], course)
        for lesson in lessons
        for block_id, block, value in lesson.activities()
        if isinstance(block, QuizBlock)
    ]


def quizzes_visible(user) -> list[QuizRef]:
    """Every quiz block in the live lessons of courses of the partners this person may see."""
    courses = CoursePage.objects.filter(partner__in=content_partners_visible(user)).order_by("path")
    return [quiz for course in courses for quiz in course_quizzes(course=course)]


def quiz_visible(*, user, lesson_id: int, block_id: str) -> QuizRef:
    lesson = LessonPage.objects.filter(pk=lesson_id).specific().first()
    if lesson is None or not can_view_partner_content(user, lesson.course.partner_id):
        raise Http404
    try:
        quiz = quiz_find(lesson=lesson, block_id=block_id)
    except ValidationError as error:
        raise Http404 from error
    return QuizRef(lesson, block_id, quiz.value["title"], quiz.value["purpose"], lesson.course)


def quiz_submitted_attempts(*, lesson: LessonPage, block_id: str) -> QuerySet[QuizAttempt]:
    return QuizAttempt.objects.filter(lesson=lesson, block_id=block_id, status=QuizAttempt.Status.SUBMITTED)


def _choices_of(item: AttemptItem) -> tuple[str, ...]:
    """The stable ids of the options the learner chose (option keys differ per attempt)."""
    spec, response = item.spec, item.response
    if spec["kind"] not in CHOICE_KINDS or response in (None, "", []):
        return ()
    chosen = set(response) if isinstance(response, list) else {response}
    return tuple(str(o["option_id"]) for o in spec.get("options", []) if o["key"] in chosen)


def _items_by_attempt(attempts: QuerySet[QuizAttempt]) -> dict[int, list[AttemptItem]]:
    items: dict[int, list[AttemptItem]] = defaultdict(list)
    for item in AttemptItem.objects.filter(attempt__in=attempts).only(
        "attempt_id", "fraction", "spec", "response"
    ):
        items[item.attempt_id].append(item)
    return items


def attempt_records(
    attempts: QuerySet[QuizAttempt], items_by_attempt: dict[int, list[AttemptItem]]
) -> list[statistics.AttemptRecord]:
    """The attempts as assessments.statistics reads them. Questions are named by the id in
    their spec, so a question deleted from the bank since is still one question."""
    return [
        statistics.AttemptRecord(
            attempt_id=attempt.pk,
            score_percent=float(attempt.score_percent or 0),
            passed=bool(attempt.passed),
            items=tuple(
                statistics.ItemResponse(
                    question_id=item.spec["question_id"],
                    fraction=float(item.fraction) if item.fraction is not None else None,
                    choices=_choices_of(item),
                )
                for item in items_by_attempt[attempt.pk]
            ),
        )
        for attempt in attempts.order_by("pk")
        if attempt.score_percent is not None
    ]


@dataclass
class ItemRow:
    """One line of the item analysis: the question, its numbers, and its options' counts."""

    question: Question | None
    text: str
    kind: str
    stats: statistics.ItemStatistics
    options: list[tuple[str, bool, int]]  # (option text, is correct, times chosen)


@dataclass
class QuizReport:
    quiz: QuizRef
    stats: statistics.QuizStatistics
    items: list[ItemRow]
    gain: statistics.LearningGain | None
    gain_learners: int


def quiz_report(*, quiz: QuizRef) -> QuizReport:
    attempts = quiz_submitted_attempts(lesson=quiz.lesson, block_id=quiz.block_id)
    items_by_attempt = _items_by_attempt(attempts)
    records = attempt_records(attempts, items_by_attempt)
    item_stats = statistics.item_analysis(records)
    questions = Question.objects.in_bulk([s.question_id for s in item_stats])
    # The latest wording of each question, as learners last saw it.
    sample_specs = {
        item.spec["question_id"]: item.spec
        for attempt_id in sorted(items_by_attempt)
        for item in items_by_attempt[attempt_id]
    }
    rows = []
    for stat in item_stats:
        spec = sample_specs.get(stat.question_id, {})
        options = []
        if spec.get("kind") in CHOICE_KINDS:
            for index, option in enumerate(spec.get("options", [])):
                text = _option_text(option, index, spec["kind"])
                options.append(
                    (text, bool(option.get("correct")), stat.choice_counts.get(str(option["option_id"]), 0))
                )
        question = questions.get(stat.question_id)
        rows.append(ItemRow(question, spec.get("text", ""), spec.get("kind", ""), stat, options))
    gain, learners = None, 0
    if quiz.purpose == QuizPurpose.POST_TEST:
        gain, learners = course_learning_gain(course=quiz.course)
    return QuizReport(quiz, statistics.quiz_statistics(records), rows, gain, learners)


def course_learning_gain(*, course: CoursePage) -> tuple[statistics.LearningGain | None, int]:
    """The mean learning gain over the course's learners who took both tests, and how many did."""
    by_enrolment: dict[int, list[QuizAttempt]] = defaultdict(list)
    for attempt in _tests_submitted().filter(enrolment__course=course):
        by_enrolment[attempt.enrolment_id].append(attempt)
    gains = [gain for attempts in by_enrolment.values() if (gain := _gain_of(attempts)) is not None]
    return statistics.mean_learning_gain((gain.pre, gain.post) for gain in gains), len(gains)


@dataclass
class SurveyQuestionSummary:
    text: str
    kind: str
    rating: statistics.RatingSummary | None = None
    labels: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)

    @property
    def distribution(self) -> list[tuple[str, int]]:
        return list(zip(self.labels, self.rating.counts, strict=False)) if self.rating else []


@dataclass
class SurveySummary:
    quiz: QuizRef
    respondents: int
    questions: list[SurveyQuestionSummary]


def course_survey_results(*, course: CoursePage) -> list[SurveySummary]:
    """Each evaluation survey of the course: per rating item the mean and distribution, per
    free-text item the answers given (each learner's latest submission counts once)."""
    summaries = []
    surveys = [q for q in course_quizzes(course=course) if q.purpose == QuizPurpose.SURVEY]
    for quiz in surveys:
        latest: dict[int, QuizAttempt] = {}
        for attempt in quiz_submitted_attempts(lesson=quiz.lesson, block_id=quiz.block_id).order_by("number"):
            latest[attempt.enrolment_id] = attempt
        by_question: dict[int, SurveyQuestionSummary] = {}
        ratings: dict[int, list[int]] = defaultdict(list)
        for item in AttemptItem.objects.filter(attempt__in=list(latest.values())).order_by("position"):
            spec = item.spec
            summary = by_question.setdefault(
                spec["question_id"],
                SurveyQuestionSummary(
                    text=spec["text"],
                    kind=spec["kind"],
                    labels=[_option_text(o, i, spec["kind"]) for i, o in enumerate(spec.get("options", []))],
                ),
            )
            if spec["kind"] == QuestionKind.LIKERT and item.response:
                ratings[spec["question_id"]].append(int(item.response))
            elif spec["kind"] == QuestionKind.FREE_TEXT and (item.response or "").strip():
                summary.answers.append(item.response.strip())
        for question_id, summary in by_question.items():
            if summary.kind == QuestionKind.LIKERT:
                summary.rating = statistics.rating_summary(ratings[question_id], len(summary.labels) or 5)
        summaries.append(SurveySummary(quiz, len(latest), list(by_question.values())))
    return summaries


# ---------------------------------------------------------------------------
# Questions as the quiz page and the result page show them
# ---------------------------------------------------------------------------


@dataclass
class Choice:
    key: str
    text: str
    selected: bool = False


@dataclass
class Row:
    """A matching pair (pick its right side) or an ordering item (pick its position)."""

    key: str
    text: str
    name: str
    options: list[Choice]


@dataclass
class QuestionView:
    position: int
    kind: str
    text: str
    points: str
    name: str
    choices: list[Choice] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    value: str = ""
    answered: bool = False


def _option_text(option: dict, index: int, kind: str) -> str:
    if kind == QuestionKind.TRUE_FALSE:
        return _("True") if option.get("value") else _("False")
    if kind == QuestionKind.LIKERT and not option["text"]:
        from assessments.question_kinds import LIKERT_DEFAULT_LABELS

        return str(LIKERT_DEFAULT_LABELS[index]) if index < len(LIKERT_DEFAULT_LABELS) else str(index + 1)
    return option["text"]


def question_view(item: AttemptItem) -> QuestionView:
    """The question of one item with the learner's saved answer filled in; never its answer key."""
    spec, response = item.spec, item.response
    kind = spec["kind"]
    name = f"q{item.position}"
    view = QuestionView(item.position, kind, spec["text"], spec["points"], name, answered=item.answered)
    options = {o["key"]: (index, o) for index, o in enumerate(spec.get("options", []))}
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE, QuestionKind.LIKERT):
        chosen = set(response) if isinstance(response, list) else {response}
        view.choices = [
            Choice(key, _option_text(options[key][1], options[key][0], kind), key in chosen)
            for key in spec["display"]
        ]
    elif kind == QuestionKind.MATCHING:
        given = response if isinstance(response, dict) else {}
        pairs = {p["key"]: p for p in spec["pairs"]}
        view.rows = [
            Row(key, pairs[key]["text"], f"{name}-{key}",
                [Choice(c["key"], c["text"], given.get(key) == c["key"]) for c in spec["choices"]])
            for key in spec["display"]
        ]  # fmt: skip
    elif kind == QuestionKind.ORDERING:
        order = response if isinstance(response, list) else []
        count = len(spec["display"])
        view.rows = [
            Row(key, options[key][1]["text"], f"{name}-{key}",
                [Choice(str(n), str(n), key in order and order.index(key) + 1 == n)
                 for n in range(1, count + 1)])
            for key in spec["display"]
        ]  # fmt: skip
    else:
        view.value = response if isinstance(response, str) else ""
    return view


def response_text(spec: dict, response) -> str:
    """A response as one readable line, for the result page and exports."""
    kind = spec["kind"]
    if response in (None, "", [], {}):
        return ""
    options = {o["key"]: (index, o) for index, o in enumerate(spec.get("options", []))}
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE, QuestionKind.LIKERT):
        found = options.get(response)
        return _option_text(found[1], found[0], kind) if found else ""
    if kind == QuestionKind.MULTIPLE:
        keys = [key for key in spec["display"] if key in set(response)]
        return "; ".join(_option_text(options[key][1], options[key][0], kind) for key in keys)
    if kind == QuestionKind.MATCHING:
        choices = {c["key"]: c["text"] for c in spec["choices"]}
        return "; ".join(
            f"{pair['text']} → {choices.get(response.get(pair['key']), '—')}"
            for pair in spec["pairs"]
            if isinstance(response, dict)
        )
    if kind == QuestionKind.ORDERING:
        return " → ".join(options[key][1]["text"] for key in response if key in options)
    return str(response)


def expected_text(spec: dict) -> str:
    """The answer that earns full marks, as one readable line (all accepted forms of a short answer)."""
    kind = spec["kind"]
    if kind == QuestionKind.SHORT_TEXT:
        return " / ".join(spec.get("accepted", []))
    if kind == QuestionKind.NUMERIC:
        tolerance = Decimal(spec.get("tolerance") or 0)
        answer = Decimal(spec["answer"]).normalize()
        return f"{answer:f} ± {tolerance.normalize():f}" if tolerance else f"{answer:f}"
    return response_text(spec, correct_response(spec))
