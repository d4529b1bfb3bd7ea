"""Admin for learner profiles and role assignments (platform administrators)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from audit.admin_views import AuditedSnippetEditView, AuditedSnippetIndexView
from lms.spreadsheets import formula_guard
from organisations.filters import WithinUnitFilter
from people.forms import LearnerProfileAdminForm, MoveToUnitForm, RoleAssignmentAdminForm, SetRoleGroupForm
from people.models import LearnerProfile, RoleAssignment
from people.services import learner_profiles_move, learner_profiles_set_role_group


def _export_value(record: object, accessor: str) -> object:
    """The value at a dotted path ("role_group.code"), or None when a relation on the way is
    empty: a profile without a role group, an HR manager's role without a partner."""
    value = record
    for name in accessor.split("."):
        if value is None:
            return None
        value = getattr(value, name)
    return value


class PeopleExportIndexView(AuditedSnippetIndexView):
    """The people listings' CSV and XLSX exports: an empty cell where a relation is empty
    (Wagtail's own lookup raises there, which ended the file at the first such row), and CSV
    text guarded against formulas like every spreadsheet Thaksa hands out (lms.spreadsheets)."""

    def to_row_dict(self, item):
        return {field: _export_value(item, field) for field in self.list_export}

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return formula_guard(value)
        return value


class LearnerProfileFilterSet(WagtailFilterSet):
    within = WithinUnitFilter(through="unit")

    class Meta:
        model = LearnerProfile
        fields = ["employment_type", "position_type", "position_level", "role_group"]


class LearnerProfileViewSet(SnippetViewSet):
    model = LearnerProfile
    index_view_class = PeopleExportIndexView
    edit_view_class = AuditedSnippetEditView
    icon = "user"
    menu_label = _("Learners")
    list_per_page = 50
    ordering = ["user__email"]
    search_fields = [
        "user__email", "user__first_name", "user__last_name",
        "user__first_name_en", "user__last_name_en", "employee_number",
    ]  # fmt: skip
    search_backend_name = None
    filterset_class = LearnerProfileFilterSet
    list_display = ["user", "unit", "employment_type", "position_level", "role_group"]
    list_export = [
        "user.email", "user.first_name", "user.last_name", "unit.code", "employment_type",
        "position_type", "position_level", "role_group.code", "employee_number",
    ]  # fmt: skip

    def get_form_class(self, for_update=False):
        return LearnerProfileAdminForm

    def get_queryset(self, request):
        return LearnerProfile.objects.select_related("user", "unit", "role_group")


class RoleAssignmentFilterSet(WagtailFilterSet):
    within = WithinUnitFilter(through="unit")

    class Meta:
        model = RoleAssignment
        fields = ["role", "partner"]


class RoleAssignmentViewSet(SnippetViewSet):
    model = RoleAssignment
    index_view_class = PeopleExportIndexView
    icon = "key"
    menu_label = _("Role assignments")
    list_per_page = 50
    ordering = ["role", "user__email"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    search_backend_name = None
    filterset_class = RoleAssignmentFilterSet
    list_display = ["user", "role", "unit", "partner", "granted_at"]
    list_export = ["user.email", "role", "unit.code", "partner.code", "granted_at"]

    def get_form_class(self, for_update=False):
        return RoleAssignmentAdminForm

    def get_queryset(self, request):
        return RoleAssignment.objects.select_related("user", "unit", "partner")


class PeopleViewSetGroup(SnippetViewSetGroup):
    items = (LearnerProfileViewSet, RoleAssignmentViewSet)
    menu_icon = "group"
    menu_label = _("People")
    menu_name = "people"


register_snippet(PeopleViewSetGroup)


class LearnerProfileBulkAction(SnippetBulkAction):
    models = [LearnerProfile]
    template_name = "people/admin/confirm_bulk_profile_change.html"

    def check_perm(self, profile):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", profile)


@hooks.register("register_bulk_action")
class MoveToUnitBulkAction(LearnerProfileBulkAction):
    display_name = _("Move to unit")
    action_type = "move_to_unit"
    aria_label = _("Move the selected learners to another organisation unit")
    action_priority = 20
    form_class = MoveToUnitForm

    def get_execution_context(self):
        return {"unit": self.cleaned_form.cleaned_data["unit"]}

    @classmethod
    def execute_action(cls, objects, unit=None, **kwargs):
        return learner_profiles_move(profiles=objects, unit=unit), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d learner has been moved to %(unit)s.",
            "%(count)d learners have been moved to %(unit)s.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "unit": self.cleaned_form.cleaned_data["unit"]}


@hooks.register("register_bulk_action")
class SetRoleGroupBulkAction(LearnerProfileBulkAction):
    display_name = _("Set role group")
    action_type = "set_role_group"
    aria_label = _("Set the role group of the selected learners")
    action_priority = 25
    form_class = SetRoleGroupForm

    def get_execution_context(self):
        return {"role_group": self.cleaned_form.cleaned_data["role_group"]}

    @classmethod
    def execute_action(cls, objects, role_group=None, **kwargs):
        return learner_profiles_set_role_group(profiles=objects, role_group=role_group), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "The role group of %(count)d learner has been set.",
            "The role group of %(count)d learners has been set.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
