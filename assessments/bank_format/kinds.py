"""Reading the cells of each kind of question (options, answers, pairs, items) and the cell
syntax they share (items split on "|", pairs on "=>", backslash escapes)."""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from assessments.bank_format.columns import (
    ESCAPE,
    LIKERT_MAX_LABELS,
    LIKERT_MIN_LABELS,
    MIN_OPTIONS,
    NUMBER_DECIMAL_PLACES,
    NUMBER_INTEGER_DIGITS,
    NUMBER_PATTERN,
    OPTION_MAX_CHARS,
    OPTION_NUMBER_PATTERN,
    OPTION_NUMBERS_SEPARATORS,
    OPTION_SEPARATOR,
    PAIR_ARROW,
    TRUE_FALSE_WORDS,
    YES_NO_WORDS,
    OptionRow,
    QuestionRow,
    RowReport,
    decimal_places,
)
from assessments.question_kinds import (
    QuestionKind,
)
from lms.spreadsheets.reading import column_token
from lms.thai_text import thai_digits_to_arabic

# Kinds ------------------------------------------------------------------------------------


def _single_read(question: QuestionRow, values: dict[str, str], report: RowReport) -> None:
    texts = _choices_read(values["options"], report)
    if texts is None:
        return  # the correct number can only be checked against valid options
    correct = _option_number_read(values["correct"], len(texts), report)
    question.options = [OptionRow(text, is_correct=number == correct) for number, text in enumerate(texts, 1)]


def _multiple_read(question: QuestionRow, values: dict[str, str], report: RowReport) -> None:
    texts = _choices_read(values["options"], report)
    if texts is None:
        return
    correct = _option_numbers_read(values["correct"], len(texts), report)
    question.options = [OptionRow(text, is_correct=number in correct) for number, text in enumerate(texts, 1)]


def _true_false_read(question: QuestionRow, values: dict[str, str], report: RowReport) -> None:
    value = values["correct"]
    answer = TRUE_FALSE_WORDS.get(thai_digits_to_arabic(column_token(value)))
    if answer is None:
        message = _("Write true or false in the correct column (or จริง / เท็จ).")
        if value:
            message = _("“%(value)s” is not true or false. Write true or false (or จริง / เท็จ).") % {
                "value": value
            }
        report.add("correct", message)
    question.true_false_answer = answer


def _matching_read(question: QuestionRow, values: dict[str, str], report: RowReport) -> None:
    pairs = _pairs_read(values["options"], report)
    if pairs is None:
        return
    if sum(bool(pair.text) for pair in pairs) < MIN_OPTIONS:
        report.add(
            "options",
            _(
                "A question of kind matching needs at least 2 pairs in the options column, each "
                "written left => right and separated by |, for example: ช้าง => elephant | "
                "แมว => cat."
            ),
        )
        return
    if not _duplicates_report([pair.text for pair in pairs if pair.text], report, _same_left_message):
        question.options = pairs


def _pairs_read(cell: str, report: RowReport) -> list[OptionRow] | None:
    """The pairs `left => right` of a matching question (`=> right`: an extra right side)."""
    pairs = []
    wrong = False
    for number, parts in enumerate(_items_split(cell), 1):
        left, right = parts[0].strip(), PAIR_ARROW.join(parts[1:]).strip()
        if len(parts) > 1 and right:
            pairs.append(OptionRow(left, match_text=right))
            wrong = _too_long_report(number, left, report) or wrong
            wrong = _too_long_report(number, right, report) or wrong
            continue
        wrong = True
        if len(parts) > 1:
            message = _(
                "Pair %(number)s has nothing after =>. Write the matching answer on the right, "
                "for example ช้าง => elephant."
            ) % {"number": number}
        elif left:
            message = _(
                "Pair %(number)s (“%(text)s”) has no =>. Write each pair as left => right, or as "
                "=> right for an extra answer that matches nothing."
            ) % {"number": number, "text": left}
        else:
            message = _empty_item_message(number)
        report.add("options", message)
    return None if wrong else pairs


def _same_left_message(first: int, second: int, text: str) -> str:
    return _(
        "Pairs %(first)s and %(second)s have the same left side (“%(text)s”). Make every left side different."
    ) % {"first": first, "second": second, "text": text}


def _ordering_read(question: QuestionRow, values: dict[str, str], report: RowReport) -> None:
    items = _items_read(values["options"], report)
    if items is None:
        return
    if len(items) < MIN_OPTIONS:
        report.add(
            "options",
            _(
                "A question of kind ordering needs at least 2 items in the options column, in the "
                "correct order and separated by |, for example: วางแผน | ลงมือทำ | ตรวจสอบ | ปรับปรุง."
            ),
        )
        return
    if not _duplicates_report(items, report, _same_options_message):
        question.options = [OptionRow(item) for item in items]


def _numeric_read(question: QuestionRow, values: dict[str, str], report: RowReport) -> None:
    value = values["correct"]
    answer = decimal_read(value)
    if answer is None:
        message = _(
            "A question of kind numeric needs its answer: write a number in the correct column, "
            "for example 12.5."
        )
        if value:
            message = _(
                "“%(value)s” is not a number. Write the answer as a number, for example 12.5 or "
                "-3 (a dot for decimals)."
            ) % {"value": value}
        report.add("correct", message)
    elif not _number_fits(answer):
        report.add("correct", _too_many_digits_message(value))
    question.numeric_answer = answer
    question.tolerance = _tolerance_read(values["tolerance"], report)


def _tolerance_read(value: str, report: RowReport) -> Decimal:
    if not value:
        return Decimal("0")
    tolerance = decimal_read(value)
    if tolerance is None or tolerance < 0:
        report.add(
            "tolerance",
            _(
                "“%(value)s” is not a tolerance. Write a number of 0 or more, for example 0.5 "
                "(answers within 0.5 of the correct one count as right), or leave it empty for "
                "an exact answer."
            )
            % {"value": value},
        )
        return Decimal("0")
    if not _number_fits(tolerance):
        report.add("tolerance", _too_many_digits_message(value))
    return tolerance


def _number_fits(value: Decimal) -> bool:
    """Whether the database keeps the number exactly (it would round more decimals away)."""
    return (
        decimal_places(value) <= NUMBER_DECIMAL_PLACES and abs(value) < Decimal(10) ** NUMBER_INTEGER_DIGITS
    )


def _too_many_digits_message(value: str) -> str:
    return _(
        "“%(value)s” has too many digits. Write at most %(places)s decimals and %(digits)s digits "
        "before the decimal point."
    ) % {"value": value, "places": NUMBER_DECIMAL_PLACES, "digits": NUMBER_INTEGER_DIGITS}


def _short_text_read(question: QuestionRow, values: dict[str, str], report: RowReport) -> None:
    answers = []
    for number, parts in enumerate(_items_split(values["correct"]), 1):
        answer = PAIR_ARROW.join(parts).strip()
        if not answer:
            report.add(
                "correct",
                _("Accepted answer %(number)s is empty. Remove the extra | or write the answer.")
                % {"number": number},
            )
        elif "\n" in answer:
            report.add(
                "correct",
                _(
                    "Accepted answer %(number)s has a line break. Write every accepted answer on "
                    "one line, separated by |."
                )
                % {"number": number},
            )
        answers.append(answer)
    if not answers:
        report.add(
            "correct",
            _(
                "A question of kind short_text needs at least one accepted answer in the correct "
                "column; separate several with |, for example: กรุงเทพมหานคร | กรุงเทพฯ | Bangkok."
            ),
        )
    question.accepted_answers = answers
    question.case_sensitive = _yes_no_read(values["case_sensitive"], report)


def _yes_no_read(value: str, report: RowReport) -> bool:
    if not value:
        return False
    answer = YES_NO_WORDS.get(thai_digits_to_arabic(column_token(value)))
    if answer is None:
        report.add(
            "case_sensitive",
            _(
                "“%(value)s” is not yes or no. Write yes if capital and small letters must match "
                "exactly, no if they need not, or leave it empty for no."
            )
            % {"value": value},
        )
        return False
    return answer


def _likert_read(question: QuestionRow, values: dict[str, str], report: RowReport) -> None:
    labels = _items_read(values["options"], report)
    if labels is None or not labels:
        return  # no labels: the default five-point scale
    if not LIKERT_MIN_LABELS <= len(labels) <= LIKERT_MAX_LABELS:
        report.add(
            "options",
            _(
                "A rating scale needs %(min)s to %(max)s labels separated by |, for example: "
                "ไม่เห็นด้วยอย่างยิ่ง | ไม่เห็นด้วย | เฉยๆ | เห็นด้วย | เห็นด้วยอย่างยิ่ง; or leave "
                "options empty for the standard 5-point scale."
            )
            % {"min": LIKERT_MIN_LABELS, "max": LIKERT_MAX_LABELS},
        )
        return
    if not _duplicates_report(labels, report, _same_options_message):
        question.options = [OptionRow(label) for label in labels]


def _free_text_read(question: QuestionRow, values: dict[str, str], report: RowReport) -> None:
    """Free text has nothing beyond the common columns (all checked already)."""


KIND_READERS: dict[str, Callable[[QuestionRow, dict[str, str], RowReport], None]] = {
    QuestionKind.SINGLE: _single_read,
    QuestionKind.MULTIPLE: _multiple_read,
    QuestionKind.TRUE_FALSE: _true_false_read,
    QuestionKind.MATCHING: _matching_read,
    QuestionKind.ORDERING: _ordering_read,
    QuestionKind.NUMERIC: _numeric_read,
    QuestionKind.SHORT_TEXT: _short_text_read,
    QuestionKind.LIKERT: _likert_read,
    QuestionKind.FREE_TEXT: _free_text_read,
}


# Cells ------------------------------------------------------------------------------------


def _choices_read(cell: str, report: RowReport) -> list[str] | None:
    """The options of a single or multiple question: at least two, all different."""
    texts = _items_read(cell, report)
    if texts is None:
        return None
    if len(texts) < MIN_OPTIONS:
        report.add(
            "options",
            _(
                "A choice question needs at least 2 options in the options column, separated by "
                "|, for example: เชียงใหม่ | ขอนแก่น | ภูเก็ต."
            ),
        )
        return None
    if _duplicates_report(texts, report, _same_options_message):
        return None
    return texts


def _items_read(cell: str, report: RowReport) -> list[str] | None:
    """A cell's items separated by "|", or None (reported) if one of them is empty."""
    items = [PAIR_ARROW.join(parts).strip() for parts in _items_split(cell)]
    wrong = False
    for number, item in enumerate(items, 1):
        if not item:
            report.add("options", _empty_item_message(number))
            wrong = True
        wrong = _too_long_report(number, item, report) or wrong
    return None if wrong else items


def _too_long_report(number: int, text: str, report: RowReport) -> bool:
    """Report an option (or a side of a pair) longer than the database keeps."""
    if len(text) <= OPTION_MAX_CHARS:
        return False
    report.add(
        "options",
        _("Option %(number)s is %(length)s characters long; an option holds at most %(limit)s. Shorten it.")
        % {"number": number, "length": len(text), "limit": OPTION_MAX_CHARS},
    )
    return True


def _empty_item_message(number: int) -> str:
    return _(
        "Option %(number)s is empty. Remove the extra | or write the option; write \\| for a | "
        "inside an option."
    ) % {"number": number}


def _same_options_message(first: int, second: int, text: str) -> str:
    return _("Options %(first)s and %(second)s are the same (“%(text)s”). Make every option different.") % {
        "first": first,
        "second": second,
        "text": text,
    }


def _duplicates_report(texts: list[str], report: RowReport, message: Callable[[int, int, str], str]) -> bool:
    """Report items written twice (ignoring case): a learner could not tell them apart."""
    seen: dict[str, int] = {}
    found = False
    for number, text in enumerate(texts, 1):
        key = text.casefold()
        if key in seen:
            report.add("options", message(seen[key], number, text))
            found = True
        else:
            seen[key] = number
    return found


def _items_split(cell: str) -> list[list[str]]:
    """Split a cell on "|", and each item on "=>", honouring the escapes \\|, \\=> and \\\\.

    A backslash before anything else is an ordinary character, so a Windows path such as
    C:\\Temp needs no escaping.
    """
    if not cell:
        return []
    items: list[list[str]] = [[""]]
    index = 0
    while index < len(cell):
        if cell.startswith((ESCAPE + ESCAPE, ESCAPE + OPTION_SEPARATOR), index):
            items[-1][-1] += cell[index + 1]
            index += 2
        elif cell.startswith(ESCAPE + PAIR_ARROW, index):
            items[-1][-1] += PAIR_ARROW
            index += 1 + len(PAIR_ARROW)
        elif cell.startswith(OPTION_SEPARATOR, index):
            items.append([""])
            index += 1
        elif cell.startswith(PAIR_ARROW, index):
            items[-1].append("")
            index += len(PAIR_ARROW)
        else:
            items[-1][-1] += cell[index]
            index += 1
    return items


def _option_number_read(value: str, count: int, report: RowReport) -> int | None:
    """The 1-based number of the one correct option of a single-choice question."""
    parts = [part for part in OPTION_NUMBERS_SEPARATORS.split(value) if part]
    if len(parts) > 1 and all(_option_number(part) is not None for part in parts):
        report.add(
            "correct",
            _(
                "A question of kind single has exactly one correct option. Write one number from "
                "1 to %(count)s, or change the kind to multiple if several options are correct."
            )
            % {"count": count},
        )
        return None
    number = _option_number(value)
    if number is None:
        report.add(
            "correct",
            _("Write the number of the correct option (1 to %(count)s), for example 2.") % {"count": count},
        )
        return None
    if not 1 <= number <= count:
        report.add("correct", _option_range_message(number, count))
        return None
    return number


def _option_numbers_read(value: str, count: int, report: RowReport) -> set[int]:
    """The 1-based numbers of the correct options of a multiple-response question."""
    numbers = set()
    wrong = out_of_range = False
    for part in OPTION_NUMBERS_SEPARATORS.split(value):
        number = _option_number(part) if part else None
        if part and number is None:
            wrong = True
        elif number is not None and not 1 <= number <= count:
            out_of_range = True
            report.add("correct", _option_range_message(number, count))
        elif number is not None:
            numbers.add(number)
    if wrong or not (numbers or out_of_range):
        report.add(
            "correct",
            _(
                "Write the numbers of the correct options (1 to %(count)s) separated by commas, "
                "for example 1,3. At least one option must be correct."
            )
            % {"count": count},
        )
    return numbers


def _option_range_message(number: int, count: int) -> str:
    return _(
        "There is no option %(number)s: this question has %(count)s options. Write a number from "
        "1 to %(count)s."
    ) % {"number": number, "count": count}


def _option_number(value: str) -> int | None:
    text = thai_digits_to_arabic(value.strip())
    if not OPTION_NUMBER_PATTERN.fullmatch(text):
        return None
    return int(Decimal(text))


def decimal_read(value: str) -> Decimal | None:
    """A number as authors write it: Thai digits, "," between thousands, a dot for decimals."""
    text = thai_digits_to_arabic(value.strip()).replace("\u2212", "-")  # the typographic minus
    if not NUMBER_PATTERN.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None
