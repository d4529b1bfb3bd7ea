"""Which questions an attempt gets, and how each is shown (its *spec*).

Everything random comes from one `random.Random(seed)` whose seed is stored with the
attempt, so the draw, the order of questions and options and the option keys of an attempt
can be reproduced exactly from the bank and the seed.

Option keys are random per attempt and carry no meaning. Nothing in a rendered question
reveals its answer: ordering items and the right-hand side of matching questions are always
shown shuffled (their stored order *is* the answer; a shuffle that happens to come out in
that order reveals nothing, since every place starts blank), and the spec's answer fields
are read only by grading and by review pages after submission.
"""

import random
from dataclasses import dataclass

from django.db.models import QuerySet

from assessments.models import Question
from assessments.question_kinds import QuestionKind


@dataclass(frozen=True)
class DrawRule:
    """Take `count` questions (None: all) with this topic and difficulty ("" = any)."""

    topic: str = ""
    difficulty: str = ""
    count: int | None = None

    def matches(self, question: Question) -> bool:
        return (not self.topic or question.topic.strip().casefold() == self.topic.strip().casefold()) and (
            not self.difficulty or question.difficulty == self.difficulty
        )


def questions_available(bank_questions: QuerySet[Question]) -> list[Question]:
    return list(
        bank_questions.filter(is_active=True).prefetch_related("options", "competencies").order_by("pk")
    )


def draws_per_rule(
    *, questions: list[Question], rules: list[DrawRule], at_random: bool, rng: random.Random | None = None
) -> list[list[Question]]:
    """What each rule takes, in order; a question taken by one rule is not there for a later one.

    Fixed selections take the first `count` matching questions in bank order; random ones
    draw `count` of them. A rule asking for more questions than match gets all that match
    (authors are told when they save the quiz: assessments.selectors.draw_shortfalls)."""
    taken: set[int] = set()
    picks = []
    for rule in rules:
        candidates = [q for q in questions if rule.matches(q) and q.pk not in taken]
        count = len(candidates) if rule.count is None else min(rule.count, len(candidates))
        chosen = rng.sample(candidates, count) if at_random else candidates[:count]
        taken.update(q.pk for q in chosen)
        picks.append(chosen)
    return picks


def questions_draw(
    *, questions: list[Question], rules: list[DrawRule], at_random: bool, rng: random.Random
) -> list[Question]:
    """The questions of an attempt: every question without rules, else what the rules take."""
    if not rules:
        return list(questions)
    return [q for chosen in draws_per_rule(questions=questions, rules=rules, at_random=at_random, rng=rng)
            for q in chosen]  # fmt: skip


def _key(rng: random.Random, used: set[str]) -> str:
    while True:
        key = f"{rng.getrandbits(32):08x}"
        if key not in used:
            used.add(key)
            return key


def _shuffled(items: list, rng: random.Random) -> list:
    """A shuffled copy. Shuffled order may by chance be the correct one; that gives nothing
    away, because ordering and matching answers start blank and the order is not the answer."""
    result = list(items)
    rng.shuffle(result)
    return result


def question_spec(question: Question, *, rng: random.Random, shuffle_options: bool) -> dict:
    """The question as this attempt shows and grades it (see assessments.grading for the format)."""
    used: set[str] = set()
    kind = question.kind
    options = list(question.options.all())
    spec = {
        "question_id": question.pk,
        "kind": kind,
        "text": question.text,
        "topic": question.topic,
        # The competency nodes the question measured when drawn (per-competency scores, evidence).
        "competencies": sorted(node.pk for node in question.competencies.all()),
        "difficulty": question.difficulty,
        "points": str(question.points),
        "partial_credit": question.partial_credit,
        "feedback_correct": question.feedback_correct,
        "feedback_incorrect": question.feedback_incorrect,
        "explanation": question.explanation,
    }
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        spec["options"] = [
            {"key": _key(rng, used), "text": o.text, "correct": o.is_correct, "option_id": o.pk}
            for o in options
        ]
        keys = [o["key"] for o in spec["options"]]
        spec["display"] = _shuffled(keys, rng) if shuffle_options else keys
    elif kind == QuestionKind.TRUE_FALSE:
        spec["options"] = [
            {"key": _key(rng, used), "value": value, "text": "",
             "correct": value == question.true_false_answer, "option_id": f"tf-{str(value).lower()}"}
            for value in (True, False)
        ]  # fmt: skip
        spec["display"] = [o["key"] for o in spec["options"]]
    elif kind == QuestionKind.ORDERING:
        spec["options"] = [{"key": _key(rng, used), "text": o.text, "option_id": o.pk} for o in options]
        spec["display"] = _shuffled([o["key"] for o in spec["options"]], rng)
    elif kind == QuestionKind.MATCHING:
        choice_keys = {o.pk: _key(rng, used) for o in options if o.match_text}
        spec["pairs"] = [
            {"key": _key(rng, used), "text": o.text, "match": choice_keys[o.pk], "option_id": o.pk}
            for o in options
            if o.text and o.pk in choice_keys
        ]
        spec["choices"] = _shuffled(
            [{"key": choice_keys[o.pk], "text": o.match_text} for o in options if o.pk in choice_keys], rng
        )
        pair_keys = [p["key"] for p in spec["pairs"]]
        spec["display"] = _shuffled(pair_keys, rng) if shuffle_options else pair_keys
    elif kind == QuestionKind.NUMERIC:
        spec["answer"] = str(question.numeric_answer)
        spec["tolerance"] = str(question.numeric_tolerance)
    elif kind == QuestionKind.SHORT_TEXT:
        spec["accepted"] = question.accepted_answer_list()
        spec["case_sensitive"] = question.case_sensitive
    elif kind == QuestionKind.LIKERT:
        labels = [o.text for o in options if o.text] or [""] * 5
        spec["options"] = [{"key": str(i), "text": label} for i, label in enumerate(labels, start=1)]
        spec["display"] = [o["key"] for o in spec["options"]]
    return spec


def attempt_questions(
    *, questions: list[Question], rules: list[DrawRule], at_random: bool, shuffle_questions: bool,
    shuffle_options: bool, seed: int,
) -> list[dict]:  # fmt: skip
    """The specs of an attempt, in the order shown: reproducible from the same bank and seed."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible shuffle, not a secret
    drawn = questions_draw(questions=questions, rules=rules, at_random=at_random, rng=rng)
    if shuffle_questions:
        rng.shuffle(drawn)
    return [question_spec(q, rng=rng, shuffle_options=shuffle_options) for q in drawn]
