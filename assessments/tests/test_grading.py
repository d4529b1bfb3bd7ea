"""Grading one response against the spec of the question the learner saw.

Expected fractions are worked out by hand in the comments, from the rules a course author
reads in the partial-credit policy names.
"""

from decimal import Decimal

import pytest

from assessments.grading import Grade, correct_response, grade, is_answered, numeric_value
from lms.thai_text import thai_digits_to_arabic, thai_text_normalise

ZWSP = "\u200b"
NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"


def fraction(spec: dict, response) -> Decimal | None:
    return grade(spec, response).fraction


# ----------------------------------------------------------------------------------------
# Specs as stored with an attempt

SINGLE = {
    "kind": "single",
    "options": [
        {"key": "k1", "text": "ชื่อและนามสกุล", "correct": True},
        {"key": "k2", "text": "ราคาน้ำมัน", "correct": False},
        {"key": "k3", "text": "พยากรณ์อากาศ", "correct": False},
    ],
}

TRUE_FALSE = {
    "kind": "true_false",
    "options": [
        {"key": "true", "text": "จริง", "correct": False},
        {"key": "false", "text": "เท็จ", "correct": True},
    ],
}


def multiple(policy: str) -> dict:
    """Two correct options (a, b) and three wrong ones (c, d, e): C = 2, W = 3, n = 5."""
    return {
        "kind": "multiple",
        "partial_credit": policy,
        "options": [
            {"key": "a", "text": "เลขประจำตัวประชาชน", "correct": True},
            {"key": "b", "text": "ที่อยู่อีเมล", "correct": True},
            {"key": "c", "text": "ชื่อกรม", "correct": False},
            {"key": "d", "text": "ที่อยู่สำนักงาน", "correct": False},
            {"key": "e", "text": "วันหยุดราชการ", "correct": False},
        ],
    }


def matching(policy: str) -> dict:
    """Three pairs (P = 3); choice c4 is a distractor that matches nothing."""
    return {
        "kind": "matching",
        "partial_credit": policy,
        "pairs": [
            {"key": "p1", "text": "PDPA", "match": "c1"},
            {"key": "p2", "text": "DPO", "match": "c2"},
            {"key": "p3", "text": "Data breach", "match": "c3"},
        ],
        "choices": [
            {"key": "c1", "text": "พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล"},
            {"key": "c2", "text": "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล"},
            {"key": "c3", "text": "การละเมิดข้อมูลส่วนบุคคล"},
            {"key": "c4", "text": "ลายมือชื่ออิเล็กทรอนิกส์"},
        ],
    }


def ordering(policy: str) -> dict:
    """Four steps (N = 4), listed in the correct order."""
    return {
        "kind": "ordering",
        "partial_credit": policy,
        "options": [
            {"key": "o1", "text": "ระบุเหตุการณ์"},
            {"key": "o2", "text": "ประเมินความเสี่ยง"},
            {"key": "o3", "text": "แจ้ง สคส. ภายใน 72 ชั่วโมง"},
            {"key": "o4", "text": "แจ้งเจ้าของข้อมูล"},
        ],
    }


NUMERIC = {"kind": "numeric", "answer": "3.5", "tolerance": "0.05"}

SHORT_TEXT = {
    "kind": "short_text",
    "accepted": ["ข้อมูลส่วนบุคคล", "personal data"],
    "case_sensitive": False,
}

LIKERT = {"kind": "likert", "options": [{"key": str(point), "text": str(point)} for point in range(1, 6)]}

FREE_TEXT = {"kind": "free_text"}

AON = "all_or_nothing"
RMW = "right_minus_wrong"
PER_OPTION = "per_option"


# ----------------------------------------------------------------------------------------
# The Grade itself


def test_grade_correct_is_true_only_for_full_marks():
    assert Grade(fraction=Decimal("1.0000"), answered=True).correct is True
    assert Grade(fraction=Decimal("0.9999"), answered=True).correct is False
    assert Grade(fraction=Decimal(0), answered=False).correct is False
    assert Grade(fraction=None, answered=True).correct is None


def test_fractions_are_decimals_with_four_places():
    result = fraction(multiple(PER_OPTION), ["a", "c"])
    assert isinstance(result, Decimal)
    assert str(result) == "0.6000"


# ----------------------------------------------------------------------------------------
# Single choice and true/false


@pytest.mark.parametrize(
    ("spec", "response", "expected", "answered"),
    [
        (SINGLE, "k1", Decimal(1), True),
        (SINGLE, "k2", Decimal(0), True),
        (SINGLE, None, Decimal(0), False),
        (SINGLE, "", Decimal(0), False),
        (TRUE_FALSE, "false", Decimal(1), True),
        (TRUE_FALSE, "true", Decimal(0), True),
        (TRUE_FALSE, None, Decimal(0), False),
    ],
)
def test_single_and_true_false(spec, response, expected, answered):
    result = grade(spec, response)
    assert result.fraction == expected
    assert result.answered is answered
    assert result.correct is (expected == 1)


def test_single_with_an_unknown_key_is_unanswered():
    assert grade(SINGLE, "k9") == Grade(fraction=Decimal(0), answered=False)


# ----------------------------------------------------------------------------------------
# Multiple response, C = 2 correct (a, b), W = 3 wrong (c, d, e)


@pytest.mark.parametrize(
    ("response", "aon", "rmw", "per_option"),
    [
        # Both right ones and nothing else: full marks under every policy.
        (["a", "b"], "1", "1", "1"),
        (["b", "a"], "1", "1", "1"),
        # One right only: rmw (1 - 0) / 2 = 0.5; per_option (1 + 3) / 5 = 0.8.
        (["a"], "0", "0.5", "0.8"),
        # One right, one wrong: rmw (1 - 1) / 2 = 0; per_option (1 + 2) / 5 = 0.6.
        (["a", "c"], "0", "0", "0.6"),
        # Both right plus one wrong: rmw (2 - 1) / 2 = 0.5; per_option (2 + 2) / 5 = 0.8.
        (["a", "b", "c"], "0", "0.5", "0.8"),
        # Everything: rmw (2 - 3) / 2 is below zero, so 0; per_option (2 + 0) / 5 = 0.4.
        (["a", "b", "c", "d", "e"], "0", "0", "0.4"),
        # Only wrong ones: rmw 0; per_option (0 + 1) / 5 = 0.2.
        (["c", "d"], "0", "0", "0.2"),
    ],
)
def test_multiple_partial_credit(response, aon, rmw, per_option):
    assert fraction(multiple(AON), response) == Decimal(aon)
    assert fraction(multiple(RMW), response) == Decimal(rmw)
    assert fraction(multiple(PER_OPTION), response) == Decimal(per_option)


@pytest.mark.parametrize("policy", [AON, RMW, PER_OPTION])
def test_multiple_choosing_nothing_scores_nothing(policy):
    # Under per_option an empty answer would otherwise "judge" the three wrong options
    # correctly and earn 3/5.
    assert grade(multiple(policy), []) == Grade(fraction=Decimal(0), answered=False)


def test_multiple_rounds_to_four_places_half_up():
    spec = {
        "kind": "multiple",
        "partial_credit": RMW,
        "options": [
            {"key": "x", "text": "x", "correct": True},
            {"key": "y", "text": "y", "correct": True},
            {"key": "z", "text": "z", "correct": True},
        ],
    }
    assert fraction(spec, ["x"]) == Decimal("0.3333")  # 1/3
    assert fraction(spec, ["x", "y"]) == Decimal("0.6667")  # 2/3


def test_multiple_ignores_unknown_and_repeated_keys():
    assert fraction(multiple(AON), ["a", "b", "zzz"]) == 1
    # Choosing "a" twice is still one right option: per_option (1 + 2) / 5 = 0.6.
    assert fraction(multiple(PER_OPTION), ["a", "a", "c"]) == Decimal("0.6")
    assert grade(multiple(AON), ["zzz"]).answered is False


def test_multiple_without_a_policy_is_all_or_nothing():
    spec = multiple(AON)
    del spec["partial_credit"]
    assert fraction(spec, ["a"]) == 0
    assert fraction(spec, ["a", "b"]) == 1


# ----------------------------------------------------------------------------------------
# Matching, P = 3 pairs: p1 → c1, p2 → c2, p3 → c3


@pytest.mark.parametrize(
    ("response", "aon", "rmw", "per_option"),
    [
        ({"p1": "c1", "p2": "c2", "p3": "c3"}, "1", "1", "1"),
        # Two right, one left out: rmw (2 - 0) / 3; per_option 2 / 3.
        ({"p1": "c1", "p2": "c2"}, "0", "0.6667", "0.6667"),
        # Two right, one given the distractor: rmw (2 - 1) / 3; per_option 2 / 3.
        ({"p1": "c1", "p2": "c2", "p3": "c4"}, "0", "0.3333", "0.6667"),
        # One right, one wrong, one left out: rmw (1 - 1) / 3 = 0; per_option 1 / 3.
        ({"p1": "c1", "p2": "c3"}, "0", "0", "0.3333"),
        # All wrong.
        ({"p1": "c2", "p2": "c3", "p3": "c1"}, "0", "0", "0"),
    ],
)
def test_matching_partial_credit(response, aon, rmw, per_option):
    assert fraction(matching(AON), response) == Decimal(aon)
    assert fraction(matching(RMW), response) == Decimal(rmw)
    assert fraction(matching(PER_OPTION), response) == Decimal(per_option)


@pytest.mark.parametrize("response", [{}, None, {"p9": "c1"}, {"p1": "c9"}])
def test_matching_unanswered(response):
    assert grade(matching(PER_OPTION), response) == Grade(fraction=Decimal(0), answered=False)


def test_matching_ignores_unknown_pairs_and_choices():
    response = {"p1": "c1", "p2": "c2", "p3": "c3", "p9": "c1", "p1x": "zzz"}
    assert fraction(matching(AON), response) == 1
    # p3 given an unknown choice counts as left out, not as a wrong match: rmw (2 - 0) / 3.
    assert fraction(matching(RMW), {"p1": "c1", "p2": "c2", "p3": "zzz"}) == Decimal("0.6667")


# ----------------------------------------------------------------------------------------
# Ordering, N = 4: o1, o2, o3, o4


@pytest.mark.parametrize(
    ("response", "aon", "partial"),
    [
        (["o1", "o2", "o3", "o4"], "1", "1"),
        # First two swapped: o3 and o4 in place, 2 / 4.
        (["o2", "o1", "o3", "o4"], "0", "0.5"),
        # Reversed: nothing in place.
        (["o4", "o3", "o2", "o1"], "0", "0"),
        # Last one missing: not a permutation, but three in place, 3 / 4.
        (["o1", "o2", "o3"], "0", "0.75"),
        # One key repeated: only the first position is right, 1 / 4.
        (["o1", "o1", "o1", "o1"], "0", "0.25"),
    ],
)
def test_ordering_partial_credit(response, aon, partial):
    assert fraction(ordering(AON), response) == Decimal(aon)
    assert fraction(ordering(PER_OPTION), response) == Decimal(partial)
    assert fraction(ordering(RMW), response) == Decimal(partial)


@pytest.mark.parametrize("response", [[], None, ["zzz"], "o1 o2 o3 o4"])
def test_ordering_unanswered(response):
    assert grade(ordering(PER_OPTION), response) == Grade(fraction=Decimal(0), answered=False)


# ----------------------------------------------------------------------------------------
# Numeric: 3.5 ± 0.05


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("3.5", 1),
        ("3.55", 1),  # exactly at the tolerance counts
        ("3.45", 1),
        ("3.551", 0),
        ("3.449", 0),
        ("๓.๕", 1),  # Thai digits
        ("  3.50 ", 1),
        ("+3.5", 1),
        ("-3.5", 0),
        ("abc", 0),
        ("3,5", 0),  # a decimal comma is not a number here
    ],
)
def test_numeric(response, expected):
    result = grade(NUMERIC, response)
    assert result.fraction == expected
    assert result.answered is True


@pytest.mark.parametrize("response", ["", "   ", None, 3.5])
def test_numeric_unanswered(response):
    assert grade(NUMERIC, response) == Grade(fraction=Decimal(0), answered=False)


def test_numeric_thousands_separators_and_minus_signs():
    thousands = {"kind": "numeric", "answer": "1250"}
    assert grade(thousands, "1,250").correct is True
    assert grade(thousands, "๑,๒๕๐").correct is True
    assert grade(thousands, "1 250").correct is True
    assert grade(thousands, "1\u2009250").correct is True
    negative = {"kind": "numeric", "answer": "-2"}
    assert grade(negative, "\u22122").correct is True  # Unicode minus
    assert grade(negative, "-2").correct is True
    assert grade(negative, "2").correct is False


def test_numeric_without_tolerance_needs_the_exact_value():
    spec = {"kind": "numeric", "answer": "7"}
    assert grade(spec, "7.000").correct is True
    assert grade(spec, "7.0001").correct is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", Decimal(42)),
        ("-0.5", Decimal("-0.5")),
        ("\u22122", Decimal(-2)),
        ("+7", Decimal(7)),
        (".5", Decimal("0.5")),
        ("๓.๕", Decimal("3.5")),
        ("1,250", Decimal(1250)),
        ("1,250,000.75", Decimal("1250000.75")),
        ("1\u202f250", Decimal(1250)),
        (" 12 ", Decimal(12)),
    ],
)
def test_numeric_value_reads_numbers(text, expected):
    assert numeric_value(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", " ", "abc", "12a", "1.2.3", "1e5", "NaN", "Infinity", "1,25", "--2", ".", "-", "1 2", None, 5],
)
def test_numeric_value_refuses_what_is_not_a_number(text):
    assert numeric_value(text) is None


def test_numeric_value_is_never_a_float():
    assert isinstance(numeric_value("0.1"), Decimal)
    assert numeric_value("0.1") + numeric_value("0.2") == Decimal("0.3")


# ----------------------------------------------------------------------------------------
# Short text


@pytest.mark.parametrize(
    "response",
    [
        "ข้อมูลส่วนบุคคล",
        f"ข้อมูล{ZWSP}ส่วนบุคคล",  # a zero-width space from a Thai input method
        "ข้อมูล ส่วน  บุคคล",  # spaces between Thai words
        "  ข้อมูลส่วนบุคคล\n",
        "personal data",
        "Personal   Data",
    ],
)
def test_short_text_accepts_other_ways_of_typing_an_answer(response):
    assert grade(SHORT_TEXT, response) == Grade(fraction=Decimal(1), answered=True)


@pytest.mark.parametrize("response", ["ข้อมูลทั่วไป", "personaldata", "ข้อมูล"])
def test_short_text_wrong_answers(response):
    assert grade(SHORT_TEXT, response) == Grade(fraction=Decimal(0), answered=True)


def test_short_text_thai_digits_equal_arabic_digits():
    spec = {"kind": "short_text", "accepted": ["มาตรา 26"]}
    assert grade(spec, "มาตรา ๒๖").correct is True


def test_short_text_nikhahit_and_sara_aa_equal_sara_am():
    spec = {"kind": "short_text", "accepted": ["ทำลายข้อมูล"]}
    assert grade(spec, f"ท{NIKHAHIT}{SARA_AA}ลายข้อมูล").correct is True


def test_short_text_case():
    insensitive = {"kind": "short_text", "accepted": ["PDPA"], "case_sensitive": False}
    assert grade(insensitive, "pdpa").correct is True
    sensitive = {"kind": "short_text", "accepted": ["PDPA"], "case_sensitive": True}
    assert grade(sensitive, "pdpa") == Grade(fraction=Decimal(0), answered=True)
    assert grade(sensitive, "PDPA").correct is True


@pytest.mark.parametrize("response", ["", "   ", "\t\n", ZWSP, None, ["ข้อมูลส่วนบุคคล"]])
def test_short_text_unanswered(response):
    assert grade(SHORT_TEXT, response) == Grade(fraction=Decimal(0), answered=False)


# ----------------------------------------------------------------------------------------
# Survey kinds: answered or not, never graded


def test_likert():
    assert grade(LIKERT, "4") == Grade(fraction=None, answered=True)
    assert grade(LIKERT, "4").correct is None
    assert grade(LIKERT, "6") == Grade(fraction=None, answered=False)
    assert grade(LIKERT, None) == Grade(fraction=None, answered=False)
    assert grade(LIKERT, 4) == Grade(fraction=None, answered=False)


def test_free_text():
    assert grade(FREE_TEXT, "เนื้อหาเข้าใจง่าย") == Grade(fraction=None, answered=True)
    assert grade(FREE_TEXT, "  \n ") == Grade(fraction=None, answered=False)
    assert grade(FREE_TEXT, None) == Grade(fraction=None, answered=False)


# ----------------------------------------------------------------------------------------
# is_answered and garbage


def test_is_answered():
    assert is_answered(SINGLE, "k2") is True
    assert is_answered(SINGLE, None) is False
    assert is_answered(NUMERIC, "abc") is True
    assert is_answered(LIKERT, "1") is True
    assert is_answered(multiple(PER_OPTION), []) is False


ALL_SPECS = [
    SINGLE,
    TRUE_FALSE,
    multiple(AON),
    multiple(RMW),
    multiple(PER_OPTION),
    matching(AON),
    matching(RMW),
    matching(PER_OPTION),
    ordering(AON),
    ordering(PER_OPTION),
    NUMERIC,
    SHORT_TEXT,
    LIKERT,
    FREE_TEXT,
]
GARBAGE = [None, 42, 3.5, True, [], {}, {"zzz": [1, 2]}, [["a"], {"b": 1}], [None, 7]]


@pytest.mark.parametrize(
    "spec", ALL_SPECS, ids=lambda spec: f"{spec['kind']}-{spec.get('partial_credit', '')}"
)
@pytest.mark.parametrize("response", GARBAGE, ids=repr)
def test_garbage_never_raises_and_counts_as_unanswered(spec, response):
    result = grade(spec, response)
    assert result.answered is False
    assert result.fraction in (Decimal(0), None)


def test_wrong_types_are_unanswered():
    assert grade(multiple(AON), {"a": True, "b": True}).answered is False
    assert grade(SINGLE, 1).answered is False
    assert grade(matching(AON), [("p1", "c1")]).answered is False


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="kind"):
        grade({"kind": "essay"}, "text")


# ----------------------------------------------------------------------------------------
# correct_response


def test_correct_response_for_each_kind():
    assert correct_response(SINGLE) == "k1"
    assert correct_response(TRUE_FALSE) == "false"
    assert correct_response(multiple(RMW)) == ["a", "b"]
    assert correct_response(matching(AON)) == {"p1": "c1", "p2": "c2", "p3": "c3"}
    assert correct_response(ordering(AON)) == ["o1", "o2", "o3", "o4"]
    assert correct_response(NUMERIC) == "3.5"
    assert correct_response(SHORT_TEXT) == "ข้อมูลส่วนบุคคล"
    assert correct_response(LIKERT) is None
    assert correct_response(FREE_TEXT) is None


@pytest.mark.parametrize(
    "spec", ALL_SPECS, ids=lambda spec: f"{spec['kind']}-{spec.get('partial_credit', '')}"
)
def test_correct_response_earns_full_marks(spec):
    expected = None if spec["kind"] in ("likert", "free_text") else Decimal(1)
    assert fraction(spec, correct_response(spec)) == expected


# ----------------------------------------------------------------------------------------
# The Thai text helpers on their own


def test_thai_digits_to_arabic():
    assert thai_digits_to_arabic("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert thai_digits_to_arabic("พ.ศ. ๒๕๖๙") == "พ.ศ. 2569"
    assert thai_digits_to_arabic("2569") == "2569"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ข้อมูล ส่วนบุคคล", "ข้อมูลส่วนบุคคล"),
        (f"ข้อ{ZWSP}มูล", "ข้อมูล"),
        ("ข้อ\u00adมูล", "ข้อมูล"),  # soft hyphen
        ("ข้อ\ufeffมูล\u2060", "ข้อมูล"),
        (f"ท{NIKHAHIT}{SARA_AA}", "ทำ"),
        ("ก\u0e48\u0e38", "ก\u0e38\u0e48"),  # tone mark typed before sara u: NFC reorders
        ("ปี ๒๕๖๙", "ปี 2569"),  # the space before digits is not between Thai letters
        ("ไฟล์\u00a0\u00a0PDF", "ไฟล์ pdf"),
        ("a\u3000b\tc\n\nd", "a b c d"),
        ("  Personal   DATA  ", "personal data"),
        ("Straße", "strasse"),  # casefold, not just lower
        ("", ""),
    ],
)
def test_thai_text_normalise(text, expected):
    assert thai_text_normalise(text) == expected


def test_thai_text_normalise_can_keep_case():
    assert thai_text_normalise(" PDPA  Act ", case_sensitive=True) == "PDPA Act"
