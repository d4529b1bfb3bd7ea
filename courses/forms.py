"""The catalogue's search and filter form (GET, so every result page has a shareable URL)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CourseCompetencyTarget, CourseLanguage, CourseLevel, Topic
from lms.bilingual import in_active_language
from organisations.models import ContentPartner


class BilingualModelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search courses"), required=False, max_length=200)
    topic = BilingualModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )
    competency = forms.ChoiceField(label=_("Competency"), required=False)
    partner = BilingualModelChoiceField(
        label=_("Offered by"),
        queryset=ContentPartner.objects.filter(is_active=True).order_by("name_th"),
        to_field_name="code",
        required=False,
        empty_label=_("All partners"),
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *CourseLanguage.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *CourseLevel.choices]
    )
    hours = forms.ChoiceField(
        label=_("Learning hours"),
        required=False,
        choices=[
            ("", _("Any length")),
            ("short", _("Up to 2 hours")),
            ("medium", _("More than 2, up to 5 hours")),
            ("long", _("More than 5 hours")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Best match / newest")),
            ("newest", _("Newest")),
            ("title", _("Title")),
            ("hours", _("Shortest first")),
        ],
    )

    def __init__(self, *args, partner_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if partner_fixed:
            del self.fields["partner"]
        targets = (
            CourseCompetencyTarget.objects.filter(course__live=True)
            .values_list("competency_code", "competency_name_th", "competency_name_en")
            .order_by("competency_code")
            .distinct()
        )
        names = {code: in_active_language(thai, english) for code, thai, english in targets}
        self.fields["competency"].choices = [("", _("All competencies")), *sorted(names.items())]
