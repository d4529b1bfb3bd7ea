from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from competencies.models import RoleGroup


class RoleGroupViewSet(SnippetViewSet):
    model = RoleGroup
    icon = "tag"
    menu_label = _("Role groups")
    add_to_admin_menu = True
    menu_order = 310
    search_fields = ["code", "name_th", "name_en"]
    search_backend_name = None
    list_display = ["code", "name_th", "name_en", "parent"]


register_snippet(RoleGroupViewSet)
