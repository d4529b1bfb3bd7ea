"""Admin for organisation units and content partners (platform administrators)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from organisations.filters import WithinUnitFilter
from organisations.forms import OrganisationUnitForm
from organisations.models import ContentPartner, OrganisationUnit


class OrganisationUnitFilterSet(WagtailFilterSet):
    # Ministries and departments: a filter listing every division would be unusable.
    within = WithinUnitFilter(label=_("Within"), units=OrganisationUnit.objects.filter(depth__lte=2))

    class Meta:
        model = OrganisationUnit
        fields = ["kind", "is_active"]


class OrganisationUnitViewSet(SnippetViewSet):
    model = OrganisationUnit
    icon = "site"
    menu_label = _("Organisation units")
    ordering = ["path"]
    list_per_page = 50
    search_fields = ["name_th", "name_en", "code", "short_name_th", "short_name_en"]
    search_backend_name = None
    filterset_class = OrganisationUnitFilterSet
    list_display = [
        "admin_label",
        "code",
        "kind",
        "is_active",
    ]
    list_export = ["code", "kind", "name_th", "name_en", "short_name_th", "short_name_en", "is_active"]

    def get_form_class(self, for_update: bool = False) -> type[OrganisationUnitForm]:
        return OrganisationUnitForm


class ContentPartnerViewSet(SnippetViewSet):
    model = ContentPartner
    icon = "group"
    menu_label = _("Content partners")
    list_per_page = 50
    search_fields = ["name_th", "name_en", "code"]
    search_backend_name = None
    list_filter = ["kind", "is_active"]
    list_display = ["name_th", "name_en", "code", "kind", "is_active"]
    list_export = ["code", "kind", "name_th", "name_en", "website", "contact_email", "is_active"]


class OrganisationsViewSetGroup(SnippetViewSetGroup):
    items = (OrganisationUnitViewSet, ContentPartnerViewSet)
    menu_icon = "site"
    menu_label = _("Organisations")
    menu_name = "organisations"


register_snippet(OrganisationsViewSetGroup)
