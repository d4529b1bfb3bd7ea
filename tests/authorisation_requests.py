"""How the authorisation matrix reaches every URL: the routes walked from the URL configuration,
the arguments each one gets from the world, and what a response means (an outcome)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, get_page_models

from tests.authorisation_world import World

CONTENT_HOST = urlsplit(settings.SCORM_CONTENT_ORIGIN).netloc


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route (the matrix's key) and its name (with namespaces)."""

    route: str
    name: str | None


def routes_walk() -> Iterator[Route]:
    """Every URL pattern of the project, Wagtail's admin included, from the URL configuration."""

    def walk(patterns, prefix: str, namespace: str | None) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
                yield Route(prefix + str(pattern.pattern), name)

    yield from walk(get_resolver().url_patterns, "", None)


def page_routes_walk() -> Iterator[str]:
    """What Wagtail's page tree serves (the catch-all `wagtail_serve` pattern): each page model,
    and each route of a routable page below its URL, as `page <model label> <route>`."""
    for model in get_page_models():
        if model is Page:
            continue
        routes = {""}
        if issubclass(model, RoutablePageMixin):
            routes |= {str(pattern.pattern) for pattern in model.get_subpage_urls()}
        for route in sorted(routes):
            yield f"page {model._meta.label_lower} {route}".rstrip()


# The page of the world each page model is reached through.
PAGE_OBJECTS = {
    "themes.homepage": "home",
    "courses.catalogueindexpage": "catalogue",
    "courses.partnersectionpage": "section",
    "courses.coursepage": "course",
    "courses.modulepage": "module",
    "courses.lessonpage": "lesson",
}


def page_route_url(world: World, key: str) -> str:
    _page, label, *route = key.split(" ")
    page = world.objects[PAGE_OBJECTS[label]]
    return str(page.url) + (route[0].replace("<str:block_id>", "document-1") if route else "")


# Objects of the world named by a namespace's `pk` (snippets, model viewsets, choosers).
PK_OBJECTS = {
    "organisations_organisationunit": "unit",
    "organisations_contentpartner": "partner",
    "competencies_competencynode": "node",
    "people_rolegroup": "role_group",
    "people_learnerprofile": "profile",
    "people_roleassignment": "role_assignment",
    "courses_topic": "topic",
    "courses_enrolment": "enrolment",
    "certificates_certificatetemplate": "design",
    "wagtailadmin_collections": "collection",
    "wagtailadmin_workflows": "workflow",
    "wagtailsites": "site",
    "wagtailusers_users": "learner_user",
    "wagtailusers_groups": "group",
    "competencies_framework": "framework",
    "competencies_requirement": "requirement",
    "competencies_mapping": "mapping",
    "assessments_bank": "bank",
    "assessments_question": "question",
    "certificates_admin": "certificate",
    "scorm_package_chooser": "package",
    "question_bank_chooser": "bank",
    "wagtaildocs_chooser": "document",
    "wagtailimages_chooser": "image",
    "wagtailadmin_api:pages": "lesson",
    "wagtailadmin_api:documents": "document",
    "wagtailadmin_api:images": "image",
    "assignments": "assignment",
    "privacy_processing": "processing",
    "privacy_notices": "notice",
    "privacy_admin": "notice",
    "subject_rights_admin": "subject_request",
    "subject-rights": "subject_request",
    "webhook_subscriptions": "webhook_subscription",
    "api_applications": "api_application",
    "api_admin": "api_application",
    "webhook_deliveries": "webhook_delivery",
}

# URL arguments by name (the same everywhere), as functions of the world.
ARGUMENTS = {
    "page_id": lambda w: w.lesson.pk,
    "parent_page_id": lambda w: w.course.pk,
    "page_to_move_id": lambda w: w.lesson.pk,
    "destination_id": lambda w: w.course.pk,
    "page_pk": lambda w: w.draft_lesson.pk,
    "workflow_pk": lambda w: w.workflow.pk,
    "task_id": lambda w: w.task.pk,
    "task_state_id": lambda w: w.task_state.pk,
    "workflow_state_id": lambda w: w.workflow_state.pk,
    "revision_id": lambda w: w.revision.pk,
    "collection_id": lambda w: w.collection.pk,
    "document_id": lambda w: w.document.pk,
    "doc_id": lambda w: w.document.pk,
    "image_id": lambda w: w.image.pk,
    "uploaded_file_id": lambda w: 1,
    "redirect_id": lambda w: w.redirect.pk,
    "restriction_id": lambda w: w.page_restriction.pk,
    "page_view_restriction_id": lambda w: w.page_restriction.pk,
    "filter_spec": lambda w: "original",
    "lesson_id": lambda w: w.lesson.pk,
    "attempt_id": lambda w: w.attempt.pk,
    "bank_id": lambda w: w.bank.pk,
    "file_format": lambda w: "csv",
    "course_id": lambda w: w.course.pk,
    "package_id": lambda w: w.package.pk,
    "version_id": lambda w: w.package_version.pk,
    "registration_id": lambda w: w.registration.pk,
    "user_id": lambda w: w.learner_user.pk,
    "evidence_id": lambda w: w.evidence.pk,
    "code": lambda w: w.framework.code,
    "version": lambda w: w.framework.version,
    "job_id": lambda w: w.export_job.pk,
    "table_key": lambda w: "by_unit",
    "fmt": lambda w: "csv",
    "public_id": lambda w: w.certificate.public_id,
    "purpose": lambda w: "revocation",
    "number": lambda w: 0,
    "uidb64": lambda w: "MQ",
    "token": lambda w: "not-a-token",
    "content_type_app_name": lambda w: "courses",
    "content_type_model_name": lambda w: "lessonpage",
    "app_label": lambda w: "wagtailcore",
    "app_name": lambda w: "wagtailimages",
    "model_name": lambda w: "page",
    "action": lambda w: "delete",
    "action_name": lambda w: "approve",
    "object_id": lambda w: w.lesson.pk,
    "session_id": lambda w: 1,
    "path": lambda w: "sco1/index.html",
    "revision_id_a": lambda w: "earliest",
    "revision_id_b": lambda w: "latest",
}

# Where the name alone does not say which object an argument means.
ARGUMENT_OVERRIDES = {
    "openid_connect_login": {"provider_id": "=thaid"},
    # No security key in the world (a real one needs a browser's credential): a number no key
    # has. identity/tests/test_two_step.py tries someone else's key.
    "mfa_remove_webauthn": {"pk": "=987654"},
    "mfa_edit_webauthn": {"pk": "=987654"},
    "openid_connect_callback": {"provider_id": "=thaid"},
    "api:course": {"pk": "course"},
    "api:enrolment": {"pk": "enrolment"},
    "api:assignment": {"pk": "assignment"},
    "api:person": {"pk": "learner_user"},
    "api:person-transcript": {"pk": "learner_user"},
    "api:person-competencies": {"pk": "learner_user"},
    "api:unit-figures": {"pk": "unit"},
    "webhooks_admin:secret": {"pk": "webhook_subscription"},
    "webhooks_admin:replay": {"pk": "webhook_delivery"},
    "wagtailadmin_pages:move_confirm": {"destination_id": "module"},
    "wagtailadmin_pages:revisions_view": {"page_id": "draft_lesson"},
    "wagtailadmin_pages:revisions_revert": {"page_id": "draft_lesson"},
    "wagtailadmin_pages:revisions_unschedule": {"page_id": "draft_lesson"},
    "wagtailadmin_pages:revisions_compare": {"pk": "draft_lesson"},
    "wagtailadmin_pages:workflow_action": {"page_id": "draft_lesson"},
    "wagtailadmin_pages:collect_workflow_action_data": {"page_id": "draft_lesson"},
    "wagtailadmin_pages:confirm_workflow_cancellation": {"page_id": "draft_lesson"},
    "wagtailadmin_pages:workflow_preview": {"page_id": "draft_lesson"},
    "wagtailadmin_pages:workflow_history_detail": {"page_id": "draft_lesson"},
    "wagtailforms:list_submissions": {"page_id": "course"},
    "wagtailforms:list_submissions_results": {"page_id": "course"},
    "wagtailforms:delete_submissions": {"page_id": "course"},
    "wagtailadmin_workflows:edit_task": {"pk": "task"},
    "wagtailadmin_workflows:disable_task": {"pk": "task"},
    "wagtailadmin_workflows:enable_task": {"pk": "task"},
    "wagtailadmin_workflows:add_task": {"app_label": "=wagtailcore", "model_name": "=groupapprovaltask"},
    "wagtailsettings:edit": {"app_name": "=themes", "model_name": "=sitebranding", "pk": "site"},
    "wagtailsettings:preview_on_edit": {"app_name": "=themes", "model_name": "=sitebranding", "pk": "site"},
    "wagtailadmin_editing_sessions:ping": {"model_name": "=page"},
    "wagtailadmin_api:pages:action": {"action_name": "=copy"},
    "assessments_admin:quiz_report": {"block_id": "=quiz-1"},
    "assessments:start": {"block_id": "=quiz-1"},
    "scorm:launch": {"block_id": "=scorm-1"},
    "scorm:player": {"token": "launch_token"},
    "scorm:content": {"token": "content_token"},
    "scorm:commit": {"token": "commit_token"},
}


def _namespace(name: str) -> str:
    return name.rpartition(":")[0]


def _pk_object(world: World, name: str) -> object:
    namespace = _namespace(name)
    for prefix in ("wagtailsnippets_", "wagtailsnippetchoosers_"):
        if namespace.startswith(prefix):
            return world.objects[PK_OBJECTS[namespace.removeprefix(prefix)]]
    return world.objects[PK_OBJECTS[namespace]]


def route_kwargs(world: World, route: Route, parameters: list[str]) -> dict[str, object]:
    overrides = ARGUMENT_OVERRIDES.get(route.name or "", {})
    kwargs: dict[str, object] = {}
    for parameter in parameters:
        override = overrides.get(parameter)
        if override is not None and override.startswith("="):
            kwargs[parameter] = override[1:]
        elif override is not None:
            value = world.objects[override]
            kwargs[parameter] = getattr(value, "pk", value)
        elif parameter == "pk":
            kwargs[parameter] = _pk_object(world, route.name or "").pk  # type: ignore[attr-defined]
        elif parameter == "block_id":
            kwargs[parameter] = "scorm-1"
        else:
            kwargs[parameter] = ARGUMENTS[parameter](world)
    return kwargs


_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def route_url(world: World, route: Route) -> str:
    """The address of a route, its arguments filled with the world's objects."""
    if route.name == "scorm:player":
        # A launch grant lives SCORM_LAUNCH_GRANT_SECONDS (two minutes): one signed when the
        # world was built may have expired by the time this entry runs, so sign it now.
        from scorm.tokens import Grant, launch_grant

        token = launch_grant(Grant.for_session(world.objects["sco_session"]))
        return reverse(route.name, kwargs={"token": token})
    if route.name == "wagtaildocs_serve":
        return reverse(route.name, args=[world.document.pk, world.document.filename])
    if route.route.startswith("^media/"):
        return str(settings.MEDIA_URL + world.rendition.file.name)
    if route.name is None:
        return "/" + re.sub(r"\^|\$|\.\*", "", route.route).replace("//", "/x/")
    parameters = [named or grouped for named, grouped in _PARAMETER.findall(route.route)]
    return reverse(route.name, kwargs=route_kwargs(world, route, parameters))


# What a response means for the matrix.
OK = "ok"  # 2xx
SIGN_IN = "sign-in"  # a redirect to the site's or the admin's sign-in page
ADMIN_HOME = "admin-home"  # Wagtail's "you do not have permission": back to the admin's home
REDIRECT = "redirect"  # any other redirect (an allowed action that goes on elsewhere)
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
OUTCOMES = {OK, SIGN_IN, ADMIN_HOME, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, "400", "401", "409", "503"}


def outcome_of(response) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return OK
    if status in (301, 302, 303, 307):
        target = urlsplit(response["Location"]).path
        if target in {reverse("account:sign-in"), reverse("wagtailadmin_login")}:
            return SIGN_IN
        if target == reverse("wagtailadmin_home"):
            return ADMIN_HOME
        return REDIRECT
    return str(status)
