"""Competencies in the Wagtail admin: frameworks, competencies, role groups, role requirements
and mappings under one "Competencies" menu, and "Import a framework".

Frameworks are shared by the whole platform: everyone with admin access may look at them
(partner authors choose competencies for their courses with the competency chooser), and only
platform administrators change them (people.permissions.is_platform_admin), as the
certificate designs' permission policy does for its partners. Frameworks are best changed by
importing their file again (competencies.services.frameworks); the editors are for small
corrections. Nothing that evidence or a course points at can be deleted here either."""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from competencies.models import (
    CompetencyFramework,
    CompetencyMapping,
    CompetencyNode,
    ProficiencyLevel,
    RoleRequirement,
)
from competencies.services.frameworks import nodes_in_use
from competencies.views import frameworks as views
from people.models import RoleGroup
from people.permissions import is_platform_admin


class PlatformAdminEditsPolicy(ModelPermissionPolicy):
    """Everyone with admin access looks (and chooses); platform administrators change."""

    def user_has_permission(self, user, action):
        if action in ("view", "choose"):
            return user.is_active and user.has_perm("wagtailadmin.access_admin")
        return is_platform_admin(user)


for model in (CompetencyFramework, CompetencyNode, RoleGroup, RoleRequirement, CompetencyMapping):
    register_permission_policy(model, PlatformAdminEditsPolicy(model))


class _RefuseDeletingUsedCompetencies:
    """Deleting a competency (or its framework) would delete the evidence recorded for it and
    untag questions, and a course's target protects it: refuse, saying what points at it."""

    def competencies_of(self, instance):
        if isinstance(instance, CompetencyFramework):
            return instance.nodes.all()
        return CompetencyNode.objects.filter(pk=instance.pk)

    def form_valid(self, form):
        in_use = nodes_in_use(self.competencies_of(self.object))
        if in_use:
            messages.error(
                self.request,
                _("“%(object)s” cannot be deleted: %(uses)s. Change those first.")
                % {
                    "object": self.object,
                    "uses": "; ".join(f"{node.code}: {uses}" for node, uses in in_use.items()),
                },
            )
            return redirect(self.get_success_url())
        return super().form_valid(form)


class _WithRelated:
    """Listings fetch the related rows they show in one query."""

    related: tuple[str, ...] = ()

    def get_base_queryset(self):
        return super().get_base_queryset().select_related(*self.related)


def _index(base, *related):
    return type("IndexView", (_WithRelated, base), {"related": related})


def _framework_of(attribute: str):
    def code_and_version(instance) -> str:
        framework = getattr(instance, attribute).framework if attribute else instance.framework
        return "" if framework is None else f"{framework.code} {framework.version}"

    return code_and_version


class RequirementForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        node, level = cleaned.get("node"), cleaned.get("required_level")
        if node is not None and level is not None:
            highest = (
                ProficiencyLevel.objects.filter(scale__framework=node.framework_id).order_by("-value").first()
            )
            if highest is None or not 1 <= level <= highest.value:
                self.add_error(
                    "required_level",
                    _("Choose a level of the framework's scale (1–%(highest)s).")
                    % {"highest": highest.value if highest else 0},
                )
        return cleaned


class MappingForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("source"), cleaned.get("target")
        if source is not None and target is not None and source.framework_id == target.framework_id:
            self.add_error("target", _("Map to a competency of another framework."))
        return cleaned


class FrameworkViewSet(ModelViewSet):
    model = CompetencyFramework
    icon = "list-ul"
    menu_label = _("Frameworks")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["name_th", "code", "version", "status", "publisher"]
    list_filter = ["status", "code"]
    search_fields = ["code", "version", "name_th", "name_en", "publisher"]
    search_backend_name = None
    delete_view_class = type("FrameworkDeleteView", (_RefuseDeletingUsedCompetencies, generic.DeleteView), {})
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("code"), FieldPanel("version"), FieldPanel("status")]),
        FieldPanel("name_th"),
        FieldPanel("name_en"),
        FieldRowPanel([FieldPanel("publisher"), FieldPanel("published_on")]),
        FieldRowPanel([FieldPanel("source_url"), FieldPanel("supersedes")]),
        FieldPanel("description_th"),
        FieldPanel("description_en"),
    ])  # fmt: skip


class CompetencyChooserFilterForm(BaseFilterForm):
    """The competency chooser: search by code or name, and keep to one framework."""

    q = forms.CharField(
        label=_("Search term"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Code or name")}),
    )
    framework = forms.ModelChoiceField(
        label=_("framework"),
        queryset=CompetencyFramework.objects.all(),
        required=False,
        empty_label=_("All frameworks"),
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            objects = objects.filter(
                Q(code__icontains=query) | Q(name_th__icontains=query) | Q(name_en__icontains=query)
            )
            self.is_searching, self.search_query = True, query
        if self.cleaned_data.get("framework"):
            objects = objects.filter(framework=self.cleaned_data["framework"])
        return super().filter(objects)


class _CompetencyChooseMixin:
    filter_form_class = CompetencyChooserFilterForm

    def get_object_list(self):
        return CompetencyNode.objects.select_related("framework")

    @property
    def columns(self):
        return [*super().columns, Column("framework", label=_("framework"))]


class CompetencyChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = type("CompetencyChooseView", (_CompetencyChooseMixin, snippet_chooser.ChooseView), {})
    choose_results_view_class = type(
        "CompetencyChooseResultsView", (_CompetencyChooseMixin, snippet_chooser.ChooseResultsView), {}
    )


class CompetencyViewSet(SnippetViewSet):
    """Competencies as a snippet, so that any form can offer Wagtail's snippet chooser for them."""

    model = CompetencyNode
    icon = "list-ol"
    menu_label = _("Competencies")
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = [
        "code",
        "name_th",
        "name_en",
        Column("framework", label=_("framework"), accessor=_framework_of("")),
        "kind",
        BooleanColumn("is_core", label=_("core")),
    ]
    list_filter = ["framework", "kind", "is_core"]
    index_view_class = _index(snippet_views.IndexView, "framework")
    search_fields = ["code", "name_th", "name_en"]
    search_backend_name = None
    chooser_viewset_class = CompetencyChooserViewSet
    delete_view_class = type(
        "CompetencyDeleteView", (_RefuseDeletingUsedCompetencies, snippet_views.DeleteView), {}
    )
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("framework"), FieldPanel("parent")]),
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("is_core"), FieldPanel("sort_order")]),
        FieldPanel("name_th"),
        FieldPanel("name_en"),
        MultiFieldPanel(
            [FieldPanel("description_th"), FieldPanel("description_en")], heading=_("Description")
        ),
    ])  # fmt: skip


class RoleGroupViewSet(SnippetViewSet):
    model = RoleGroup
    icon = "tag"
    menu_label = _("Role groups")
    add_to_admin_menu = False
    inspect_view_enabled = True
    search_fields = ["code", "name_th", "name_en"]
    search_backend_name = None
    list_display = [
        "code",
        "name_th",
        "name_en",
        "parent",
        Column("framework", label=_("framework"), accessor=_framework_of("")),
    ]
    list_filter = ["framework"]
    index_view_class = _index(snippet_views.IndexView, "framework", "parent")


class RoleRequirementViewSet(ModelViewSet):
    model = RoleRequirement
    icon = "order"
    menu_label = _("Role requirements")
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = [
        "role_group",
        "node",
        Column("framework", label=_("framework"), accessor=_framework_of("node")),
        "required_level",
    ]
    list_filter = ["node__framework", "role_group"]
    index_view_class = _index(generic.IndexView, "role_group", "node__framework")
    search_fields = ["role_group__code", "node__code", "node__name_th"]
    search_backend_name = None
    edit_handler = ObjectList(
        [FieldPanel("role_group"), FieldPanel("node"), FieldPanel("required_level")],
        base_form_class=RequirementForm,
    )


class MappingViewSet(ModelViewSet):
    model = CompetencyMapping
    icon = "resubmit"
    menu_label = _("Mappings")
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = [
        "source",
        Column("source_framework", label=_("from framework"), accessor=_framework_of("source")),
        "target",
        Column("target_framework", label=_("to framework"), accessor=_framework_of("target")),
        "relation",
    ]
    list_filter = ["source__framework", "target__framework", "relation"]
    index_view_class = _index(generic.IndexView, "source__framework", "target__framework")
    search_fields = ["source__code", "target__code"]
    search_backend_name = None
    edit_handler = ObjectList(
        [FieldPanel("source"), FieldPanel("target"), FieldPanel("relation")], base_form_class=MappingForm
    )


register_snippet(CompetencyViewSet)
register_snippet(RoleGroupViewSet)
framework_viewset = FrameworkViewSet("competencies_framework")
requirement_viewset = RoleRequirementViewSet("competencies_requirement")
mapping_viewset = MappingViewSet("competencies_mapping")


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [framework_viewset, requirement_viewset, mapping_viewset]


admin_urlpatterns = [path("import/", views.framework_import_view, name="framework_import")]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "competencies/",
            include((admin_urlpatterns, "competencies_admin"), namespace="competencies_admin"),
        )
    ]


class PlatformAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_platform_admin(request.user)


@hooks.register("register_admin_menu_item")
def register_menu():
    menu = Menu(
        items=[
            MenuItem(
                _("Frameworks"), reverse("competencies_framework:index"), icon_name="list-ul", order=100
            ),
            MenuItem(
                _("Competencies"),
                reverse(CompetencyNode.snippet_viewset.get_url_name("list")),
                icon_name="list-ol",
                order=200,
            ),
            MenuItem(
                _("Role groups"),
                reverse(RoleGroup.snippet_viewset.get_url_name("list")),
                icon_name="tag",
                order=300,
            ),
            MenuItem(
                _("Role requirements"),
                reverse("competencies_requirement:index"),
                icon_name="order",
                order=400,
            ),
            MenuItem(_("Mappings"), reverse("competencies_mapping:index"), icon_name="resubmit", order=500),
            PlatformAdminMenuItem(
                _("Import a framework"),
                reverse("competencies_admin:framework_import"),
                icon_name="upload",
                order=600,
            ),
        ]
    )
    return SubmenuMenuItem(_("Competencies"), menu, icon_name="list-ul", order=310)
