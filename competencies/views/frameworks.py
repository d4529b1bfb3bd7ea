"""Competency frameworks on the web: the public pages (the list, and one framework's tree with
its levels, descriptors, role requirements and mappings), and the admin's "Import a framework".

The public pages need no sign-in: certificates and course pages link to a competency on them
(`framework_node_url`), and anyone checking a credential must be able to read what it means.
Draft frameworks are shown only to platform administrators."""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competencies.importing import framework_file_read
from competencies.models import (
    CompetencyFramework,
    CompetencyMapping,
    CompetencyNode,
    LevelDescriptor,
    ProficiencyLevel,
    RoleRequirement,
)
from competencies.services.frameworks import (
    FrameworkChanges,
    FrameworkImportRefused,
    frameworks_import,
    frameworks_preview,
)
from lms.import_preview import (
    PreviewGone,
    import_preview_discard,
    import_preview_keep,
    import_preview_take,
    uploads_in_memory,
)
from lms.spreadsheets.reading import MAX_FILE_BYTES, file_too_large_message
from people.permissions import is_platform_admin

# The public pages ----------------------------------------------------------------------------


def framework_node_url(node: CompetencyNode) -> str:
    """The public page of the competency's framework, scrolled to the competency."""
    framework = node.framework
    return reverse("competencies:framework-detail", args=[framework.code, framework.version]) + (
        f"#competency-{quote(node.code, safe='._-')}"
    )


def _published(request):
    frameworks = CompetencyFramework.objects.all()
    if not is_platform_admin(request.user):
        frameworks = frameworks.exclude(status=CompetencyFramework.Status.DRAFT)
    return frameworks


def framework_list(request):
    frameworks = (
        _published(request)
        .annotate(
            competency_count=Count("nodes", distinct=True),
            status_order=Case(
                When(status=CompetencyFramework.Status.CURRENT, then=Value(0)),
                When(status=CompetencyFramework.Status.SUPERSEDED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .prefetch_related("superseded_by")
        .order_by("status_order", "code", "-version")
    )
    return TemplateResponse(request, "competencies/framework_list.html", {"frameworks": frameworks})


@dataclass
class NodeItem:
    """One competency on the page, with what belongs beside it and its children."""

    node: CompetencyNode
    descriptors: list = field(default_factory=list)  # (level, descriptor text)
    mappings: list = field(default_factory=list)  # (relation label, target node, its url)
    mapped_from: list = field(default_factory=list)  # (relation label, source node, its url)
    children: list = field(default_factory=list)


def framework_detail(request, code: str, version: str):
    framework = _published(request).select_related("supersedes").filter(code=code, version=version).first()
    if framework is None:
        raise Http404(_("There is no such competency framework."))
    levels = {level.value: level for level in ProficiencyLevel.objects.filter(scale__framework=framework)}
    nodes = list(framework.nodes.all())
    items = {node.pk: NodeItem(node) for node in nodes}
    for descriptor in LevelDescriptor.objects.filter(node__framework=framework).select_related("level"):
        items[descriptor.node_id].descriptors.append((descriptor.level, descriptor.text))
    mappings = CompetencyMapping.objects.select_related("source__framework", "target__framework")
    hide_drafts = not is_platform_admin(request.user)
    for mapping in mappings.filter(source__framework=framework):
        if not (hide_drafts and mapping.target.framework.status == CompetencyFramework.Status.DRAFT):
            items[mapping.source_id].mappings.append(
                (mapping.get_relation_display(), mapping.target, framework_node_url(mapping.target))
            )
    for mapping in mappings.filter(target__framework=framework):
        if not (hide_drafts and mapping.source.framework.status == CompetencyFramework.Status.DRAFT):
            items[mapping.target_id].mapped_from.append(
                (mapping.get_relation_display(), mapping.source, framework_node_url(mapping.source))
            )
    roots = []
    for node in nodes:
        item = items[node.pk]
        if node.parent_id in items:
            items[node.parent_id].children.append(item)
        else:
            roots.append(item)

    requirements = defaultdict(list)
    for requirement in (
        RoleRequirement.objects.filter(node__framework=framework)
        .select_related("role_group", "node")
        .order_by("role_group__sort_order", "role_group__code", "node__sort_order", "node__code")
    ):
        requirements[requirement.role_group].append(
            (requirement.node, levels.get(requirement.required_level))
        )
    superseded_by = framework.superseded_by.exclude(status=CompetencyFramework.Status.DRAFT).order_by(
        "-published_on", "-version"
    )
    return TemplateResponse(
        request,
        "competencies/framework_detail.html",
        {
            "framework": framework,
            "levels": list(levels.values()),
            "has_bands": any(level.band for level in levels.values()),
            "roots": roots,
            "has_core": any(node.is_core for node in nodes),
            "requirements": list(requirements.items()),
            "superseded_by": list(superseded_by),
            "is_superseded": framework.status == CompetencyFramework.Status.SUPERSEDED
            or superseded_by.exists(),
        },
    )


# Admin: importing a framework ---------------------------------------------------------------

_PREVIEW_PURPOSE = "competencies.framework_import"  # the file waits as in lms.import_preview


class FrameworkFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Framework file"),
        help_text=gettext_lazy("A framework in JSON, or a CSV sheet saved from Excel as “CSV UTF-8”."),
    )


@uploads_in_memory
def framework_import_view(request):
    """Upload → every problem, or a preview of what changes → confirm. Platform admins only."""
    if not is_platform_admin(request.user):
        # A plain 403 (Wagtail would turn PermissionDenied into a redirect to the dashboard).
        return TemplateResponse(
            request, "competencies/framework_import.html", {"forbidden": True}, status=403
        )
    form = FrameworkFileForm()
    context = {"form": form, "problems": [], "changes": [], "payload": ""}
    if request.method == "POST" and "payload" in request.POST:
        try:
            kept = import_preview_take(
                session=request.session,
                user_id=request.user.pk,
                purpose=_PREVIEW_PURPOSE,
                preview_id=request.POST["payload"],
            )
        except PreviewGone:
            messages.error(request, _("This preview has expired. Upload the file again."))
            return redirect("competencies_admin:framework_import")
        document = framework_file_read(name=kept.name, data=kept.data)
        try:
            imported = frameworks_import(documents=[document])
        except FrameworkImportRefused as refused:
            context["problems"] = refused.problems
        else:
            framework = imported[0]
            messages.success(
                request,
                _("“%(framework)s” was imported.") % {"framework": f"{framework.name} ({framework.version})"},
            )
            return redirect(reverse("competencies_framework:index"))
    elif request.method == "POST":
        # A new upload replaces the preview before it, whether or not it can be read.
        import_preview_discard(session=request.session, purpose=_PREVIEW_PURPOSE)
        form = FrameworkFileForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_FILE_BYTES:
                form.add_error("file", file_too_large_message(upload.size))
            else:
                data = upload.read()
                document = framework_file_read(name=upload.name, data=data)
                preview = frameworks_preview(documents=[document])
                context["problems"] = preview.problems
                if not preview.problems:
                    context["changes"] = [_change_rows(change) for change in preview.changes]
                    context["payload"] = import_preview_keep(
                        session=request.session,
                        user_id=request.user.pk,
                        purpose=_PREVIEW_PURPOSE,
                        name=upload.name,
                        data=data,
                    )
    return TemplateResponse(request, "competencies/framework_import.html", context)


@dataclass
class ChangeRow:
    label: str
    in_file: int
    added: int
    changed: int
    removed: int
    removed_codes: str = ""


def _change_rows(change: FrameworkChanges) -> dict:
    counts = change.document.counts()
    rows = [
        (_("Levels"), counts["levels"], change.levels),
        (_("Competencies"), counts["areas"] + counts["competences"] + counts["skills"], change.nodes),
        (_("Level descriptors"), counts["descriptors"], change.descriptors),
        (_("Role groups"), counts["role_groups"], change.role_groups),
        (_("Role requirements"), counts["requirements"], change.requirements),
        (_("Mappings"), counts["mappings"], change.mappings),
    ]
    return {
        "change": change,
        "framework": change.document.framework,
        "rows": [
            ChangeRow(
                label,
                in_file,
                len(diff.added),
                len(diff.changed),
                len(diff.removed),
                ", ".join(str(key) for key in diff.removed if isinstance(key, str | int)),
            )
            for label, in_file, diff in rows
        ],
    }
