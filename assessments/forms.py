"""Reading a learner's answers from the quiz form, and the admin forms of assessments.

The quiz page is one plain HTML form that works without JavaScript (the script only adds
autosave and the timer). Field names carry the item's position and, for matching and
ordering, the option's key: `q3`, `q4-<pair key>`, `q5-<item key>`.
"""

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from assessments.models import AttemptItem
from assessments.permissions import banks_editable
from assessments.question_kinds import PARTIAL_CREDIT_KINDS, QuestionKind
from competencies.models import CompetencyFramework, CompetencyNode

MAX_ANSWER_LENGTH = 5000  # a survey answer longer than a page is cut, not refused


def field_name(item: AttemptItem, key: str = "") -> str:
    return f"q{item.position}-{key}" if key else f"q{item.position}"


def _ordering_response(item: AttemptItem, data: QueryDict) -> list[str] | None:
    """The items in the learner's order: by the position chosen for each; items given no
    position follow in the order shown. None when no position was chosen at all."""
    chosen = {}
    for key in item.spec["display"]:
        value = data.get(field_name(item, key), "")
        if value.isdigit():
            chosen[key] = int(value)
    if not chosen:
        return None
    shown = item.spec["display"]
    return sorted(shown, key=lambda key: (chosen.get(key, len(shown) + 1), shown.index(key)))


def answer_from_form(item: AttemptItem, data: QueryDict):
    """One item's response, in the format assessments.grading expects."""
    kind = item.spec["kind"]
    if kind == QuestionKind.MULTIPLE:
        return data.getlist(field_name(item))
    if kind == QuestionKind.MATCHING:
        return {
            pair["key"]: data.get(field_name(item, pair["key"]))
            for pair in item.spec["pairs"]
            if data.get(field_name(item, pair["key"]))
        }
    if kind == QuestionKind.ORDERING:
        return _ordering_response(item, data)
    value = data.get(field_name(item))
    return value[:MAX_ANSWER_LENGTH] if value is not None else None


def answers_from_form(items: list[AttemptItem], data: QueryDict) -> dict[int, object]:
    """The responses of every item on the form, keyed by position."""
    return {item.position: answer_from_form(item, data) for item in items}


class QuestionForm(WagtailAdminModelForm):
    """The question editor: the bank is one of the author's partners' banks, and what each
    kind needs is checked together with its options."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "bank" in self.fields and self.for_user is not None:
            self.fields["bank"].queryset = banks_editable(self.for_user)
        if "competencies" in self.fields:
            self._competency_choices(self.fields["competencies"])

    def _competency_choices(self, field: forms.ModelMultipleChoiceField) -> None:
        """Tick boxes for the competencies of current frameworks, one group per framework; a
        competency the question already has stays on offer after its framework is superseded."""
        chosen = list(self.instance.competencies.values_list("pk", flat=True)) if self.instance.pk else []
        field.queryset = CompetencyNode.objects.filter(
            Q(framework__status=CompetencyFramework.Status.CURRENT) | Q(pk__in=chosen)
        ).select_related("framework")
        groups: dict[CompetencyFramework, list[tuple[int, str]]] = {}
        for node in field.queryset:
            groups.setdefault(node.framework, []).append((node.pk, f"{node.code} {node.name}"))
        field.choices = [(str(framework), choices) for framework, choices in groups.items()]
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        field.help_text = _(
            "Tick the competencies this question measures. Learners see their post-test score per "
            "competency, and a good enough score counts as evidence of the competency."
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        options = [
            form.cleaned_data
            for form in self.formsets["options"].forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for field, message in question_problems(kind, cleaned, options):
            self.add_error(field, message)
        return cleaned


def question_problems(kind: str, data: dict, options: list[dict]) -> list[tuple[str | None, str]]:
    """What is missing or contradictory for this kind of question, as (field, message)."""
    problems = []
    with_text = [o for o in options if (o.get("text") or "").strip()]
    correct = [o for o in with_text if o.get("is_correct")]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(with_text) < 2:
            problems.append((None, _("Add at least two options.")))
        if kind == QuestionKind.SINGLE and len(correct) != 1:
            problems.append((None, _("Tick exactly one option as correct.")))
        if kind == QuestionKind.MULTIPLE and not correct:
            problems.append((None, _("Tick at least one option as correct.")))
    elif kind == QuestionKind.MATCHING:
        pairs = [o for o in with_text if (o.get("match_text") or "").strip()]
        if len(pairs) < 2:
            problems.append((None, _("Add at least two pairs: a left side and the right side it matches.")))
        if any(not (o.get("match_text") or "").strip() for o in with_text):
            problems.append((None, _("Every left side needs the right side it matches.")))
    elif kind == QuestionKind.ORDERING:
        if len(with_text) < 2:
            problems.append((None, _("Add at least two items, in the correct order.")))
    elif kind == QuestionKind.TRUE_FALSE:
        if data.get("true_false_answer") is None:
            problems.append(("true_false_answer", _("Say whether the statement is true or false.")))
    elif kind == QuestionKind.NUMERIC:
        if data.get("numeric_answer") is None:
            problems.append(("numeric_answer", _("Enter the correct number.")))
    elif kind == QuestionKind.SHORT_TEXT:
        if not (data.get("accepted_answers") or "").strip():
            problems.append(("accepted_answers", _("Enter at least one accepted answer.")))
    elif kind == QuestionKind.LIKERT and with_text and not 2 <= len(with_text) <= 10:
        problems.append(
            (None, _("A rating scale has 2 to 10 labels (or none, for the usual five-point scale)."))
        )
    if kind not in PARTIAL_CREDIT_KINDS and data.get("partial_credit") not in (None, "", "all_or_nothing"):
        problems.append(
            ("partial_credit", _("Partial credit applies only to multiple response, matching and ordering."))
        )
    return problems


class BankImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("The columns are described on this page. Nothing is imported if any row has a problem."),
    )
