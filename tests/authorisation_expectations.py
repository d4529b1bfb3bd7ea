"""What each role gets at each URL: the data of the authorisation matrix
(tests/test_authorisation_matrix.py). One entry per URL pattern of the URL configuration (keyed
by its route) and per page model and page route (`page <model> <route>`); the arguments are
objects of *this* partner, unit and learner (tests/authorisation_world.py).

A row lists one outcome per role, in this order:

    anonymous  learner  other_learner  other_partner_author  other_partner_reviewer
    partner_author  partner_reviewer  hr_manager  other_hr_manager  platform_reviewer  dpo
    platform_admin

ok      2xx
on      a redirect onwards (an allowed action, or a page that sends the person elsewhere)
in      a redirect to the site's or the admin's sign-in
home    Wagtail's refusal: back to the admin's home with "you do not have permission"
403 404 405 429 …  that status

`post(...)` entries are requested with an (empty) POST: those addresses change something, so a
GET proves nothing about who may act. Every request is rolled back.
"""

from dataclasses import dataclass, replace

from tests.authorisation_world import ROLES

_WORDS = {"ok": "ok", "on": "redirect", "in": "sign-in", "home": "admin-home"}


@dataclass(frozen=True)
class Entry:
    outcomes: dict[str, str]
    method: str = "get"
    # Listings of partner content: the world object (by name) whose title the page shows, and
    # the roles it is shown to; every other role that gets the page must not find it there.
    secret: str | None = None
    shown_to: frozenset[str] = frozenset()

    def showing(self, secret: str, *roles: str) -> "Entry":
        return replace(self, secret=secret, shown_to=frozenset(roles))


def _row(row: str) -> dict[str, str]:
    words = row.split()
    assert len(words) == len(ROLES), row
    return {role: _WORDS.get(word, word) for role, word in zip(ROLES, words, strict=True)}


def get(row: str) -> Entry:
    return Entry(_row(row))


def post(row: str) -> Entry:
    return Entry(_row(row), method="post")


ADMIN_USERS = get("in in in ok ok ok ok in in ok ok ok")
PLATFORM_ADMIN_ONLY = get("in in in home home home home in in home home ok")
NO_ONE = get("in in in home home home home in in home home home")
PUBLIC = get("ok ok ok ok ok ok ok ok ok ok ok ok")
ADMIN_USERS_POST_ONLY = get("in in in 405 405 405 405 in in 405 405 405")
PAGE_EDITORS_AND_REVIEWERS = get("in in in ok ok ok ok in in ok home home")
ADMIN_NOT_FOUND = get("in in in 404 404 404 404 in in 404 404 404")
DPO_ONLY = get("in in in home home home home in in home ok home")
SIGNED_IN = get("in ok ok ok ok ok ok ok ok ok ok ok")
TOKEN_ONLY = get("401 401 401 401 401 401 401 401 401 401 401 401")
API_NOT_FOUND = get("404 404 404 404 404 404 404 404 404 404 404 404")

EXPECTED: dict[str, Entry] = {
    "healthz": PUBLIC,
    "admin/": ADMIN_USERS,
    "admin/test404/": ADMIN_USERS,
    "admin/api/main/^pages/": ADMIN_USERS,
    "admin/api/main/^pages/<int:pk>/": get("in in in 404 404 ok ok in in ok 404 404"),
    "admin/api/main/^pages/find/": ADMIN_NOT_FOUND,
    "admin/api/main/^pages/<int:pk>/action/<str:action_name>/": ADMIN_USERS_POST_ONLY,
    "admin/api/main/^documents/": ADMIN_USERS,
    "admin/api/main/^documents/<int:pk>/": get("in in in 404 404 ok ok in in 404 404 404"),
    "admin/api/main/^documents/find/": ADMIN_NOT_FOUND,
    "admin/api/main/^images/": ADMIN_USERS,
    "admin/api/main/^images/<int:pk>/": get("in in in 404 404 ok ok in in 404 404 404"),
    "admin/api/main/^images/find/": ADMIN_NOT_FOUND,
    "admin/failwhale/": get("in in in 500 500 500 500 in in 500 500 500"),
    "admin/pages/": get("in in in on on on on in in on home home"),
    "admin/pages/<int:parent_page_id>/": get("in in in on on ok ok in in ok home home"),
    "admin/pages/<int:parent_page_id>/results/": get("in in in on on ok ok in in ok home home"),
    "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/": ADMIN_NOT_FOUND,
    "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/": get(
        "in in in home home ok ok in in home home home"
    ),
    "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/preview/": get(  # noqa: E501 - a route is one string
        "in in in home home ok ok in in home home home"
    ),
    "admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/": PAGE_EDITORS_AND_REVIEWERS,  # noqa: E501 - a route is one string
    "admin/pages/create/<slug:app_label>/<slug:model_name>": ADMIN_USERS,
    "admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/results/": PAGE_EDITORS_AND_REVIEWERS,  # noqa: E501 - a route is one string
    "admin/pages/<int:page_id>/usage/": get("in in in home home ok ok in in ok home home"),
    "admin/pages/<int:page_id>/edit/": get("in in in home home ok ok in in ok home home"),
    "admin/pages/<int:page_id>/edit/preview/": get("in in in home home ok ok in in ok home home"),
    "admin/pages/<int:page_id>/view_draft/": get("in in in home home ok ok in in ok home home"),
    "admin/pages/<int:parent_page_id>/add_subpage/": get("in in in home home ok ok in in home home home"),
    "admin/pages/<int:page_id>/delete/": get("in in in home home home home in in ok home home"),
    "admin/pages/<int:page_id>/unpublish/": get("in in in home home home home in in ok home home"),
    "admin/pages/<int:page_id>/convert_alias/": ADMIN_NOT_FOUND,
    "admin/pages/search/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/pages/search/results/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/pages/<int:page_to_move_id>/move/": get("in in in home home home home in in ok home home"),
    "admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/": get(
        "in in in home home home home in in home home home"
    ),
    "admin/pages/<int:page_to_move_id>/set_position/": ADMIN_USERS_POST_ONLY,
    "admin/pages/<int:page_id>/copy/": get("in in in home home ok ok in in ok home home"),
    "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/": get(
        "in in in home home home ok in in home home home"
    ),
    "admin/pages/workflow/collect_action_data/<int:page_id>/<slug:action_name>/<int:task_state_id>/": get(
        "in in in home home home ok in in home home home"
    ),
    "admin/pages/workflow/confirm_cancellation/<int:page_id>/": ADMIN_USERS,
    "admin/pages/workflow/preview/<int:page_id>/<int:task_id>/": get(
        "in in in home home home ok in in home home home"
    ),
    "admin/pages/<int:page_id>/privacy/": get("in in in home home home home in in ok home home"),
    "admin/pages/<int:page_id>/lock/": ADMIN_USERS_POST_ONLY,
    "admin/pages/<int:page_id>/unlock/": ADMIN_USERS_POST_ONLY,
    "admin/pages/<int:page_id>/revisions/": get("in in in on on on on in in on on on"),
    "admin/pages/<int:page_id>/revisions/<int:revision_id>/view/": get(
        "in in in home home ok ok in in ok home home"
    ),
    "admin/pages/<int:page_id>/revisions/<int:revision_id>/revert/": get(
        "in in in home home ok ok in in ok home home"
    ),
    "admin/pages/<int:page_id>/revisions/<int:revision_id>/unschedule/": get(
        "in in in home home home home in in ok home home"
    ),
    "admin/pages/^(?P<pk>\\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\\d+)\\.\\.\\.(?P<revision_id_b>live|latest|\\d+)/$": get(  # noqa: E501 - a route is one string
        "in in in home home ok ok in in ok home home"
    ),
    "admin/pages/<int:page_id>/workflow_history/": get("in in in home home ok ok in in ok home home"),
    "admin/pages/<int:page_id>/workflow_history/detail/<int:workflow_state_id>/": get(
        "in in in home home ok ok in in ok home home"
    ),
    "admin/pages/<int:page_id>/history/": get("in in in home home ok ok in in ok home home"),
    "admin/pages/<int:page_id>/history/results/": get("in in in home home ok ok in in ok home home"),
    "admin/choose-page/": ADMIN_USERS,
    "admin/choose-page/<int:parent_page_id>/": ADMIN_USERS,
    "admin/choose-page/search/": ADMIN_USERS,
    "admin/choose-page/chosen-multiple/": ADMIN_USERS,
    "admin/choose-external-link/": ADMIN_USERS,
    "admin/choose-email-link/": ADMIN_USERS,
    "admin/choose-phone-link/": ADMIN_USERS,
    "admin/choose-anchor-link/": ADMIN_USERS,
    "admin/tag-autocomplete/": ADMIN_USERS,
    "admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/": ADMIN_NOT_FOUND,
    "admin/collections/": NO_ONE,
    "admin/collections/add/": NO_ONE,
    "admin/collections/<int:pk>/": NO_ONE,
    "admin/collections/<int:pk>/delete/": ADMIN_NOT_FOUND,
    "admin/collections/<int:collection_id>/privacy/": NO_ONE,
    "admin/workflows/list/": NO_ONE,
    "admin/workflows/list/results/": NO_ONE,
    "admin/workflows/add/": NO_ONE,
    "admin/workflows/enable/<int:pk>/": ADMIN_USERS_POST_ONLY,
    "admin/workflows/disable/<int:pk>/": NO_ONE,
    "admin/workflows/edit/<int:pk>/": NO_ONE,
    "admin/workflows/usage/<int:pk>/": NO_ONE,
    "admin/workflows/usage/<int:pk>/results/": NO_ONE,
    "admin/workflows/remove/<int:page_pk>/": ADMIN_USERS_POST_ONLY,
    "admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/": ADMIN_USERS_POST_ONLY,
    "admin/workflows/tasks/add/<str:app_label>/<str:model_name>/": NO_ONE,
    "admin/workflows/tasks/select_type/": NO_ONE,
    "admin/workflows/tasks/index/": NO_ONE,
    "admin/workflows/tasks/index/results/": NO_ONE,
    "admin/workflows/tasks/edit/<int:pk>/": NO_ONE,
    "admin/workflows/tasks/disable/<int:pk>/": NO_ONE,
    "admin/workflows/tasks/enable/<int:pk>/": ADMIN_USERS_POST_ONLY,
    "admin/workflows/task_chooser/": ADMIN_USERS,
    "admin/workflows/task_chooser/results/": ADMIN_USERS,
    "admin/workflows/task_chooser/create/": ADMIN_USERS,
    "admin/workflows/task_chooser/<int:task_id>/": ADMIN_USERS,
    "admin/reports/locked/": get("in in in home ok home ok in in ok home home"),
    "admin/reports/locked/results/": get("in in in home ok home ok in in ok home home"),
    "admin/reports/workflow/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/reports/workflow/results/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/reports/workflow_tasks/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/reports/workflow_tasks/results/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/reports/site-history/": ADMIN_USERS,
    "admin/reports/site-history/results/": ADMIN_USERS,
    "admin/reports/aging-pages/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/reports/aging-pages/results/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/reports/page-types-usage/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/reports/page-types-usage/results/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/account/": ADMIN_USERS,
    "admin/logout/": ADMIN_USERS_POST_ONLY,
    "admin/dismissibles/": ADMIN_USERS,
    "admin/editing-sessions/ping/<str:app_label>/<str:model_name>/<str:object_id>/<int:session_id>/": ADMIN_USERS_POST_ONLY,  # noqa: E501 - a route is one string
    "admin/editing-sessions/release/<int:session_id>/": ADMIN_USERS_POST_ONLY,
    "admin/block-preview/": ADMIN_NOT_FOUND,
    "admin/forms/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/forms/results/": PAGE_EDITORS_AND_REVIEWERS,
    "admin/forms/submissions/<int:page_id>/": ADMIN_NOT_FOUND,
    "admin/forms/submissions/<int:page_id>/results/": ADMIN_NOT_FOUND,
    "admin/forms/submissions/<int:page_id>/delete/": NO_ONE,
    "admin/redirects/": NO_ONE,
    "admin/redirects/results/": NO_ONE,
    "admin/redirects/add/": NO_ONE,
    "admin/redirects/<int:redirect_id>/": NO_ONE,
    "admin/redirects/<int:redirect_id>/delete/": NO_ONE,
    "admin/redirects/import/": NO_ONE,
    "admin/redirects/import/process/": NO_ONE,
    "admin/settings/<slug:app_name>/<slug:model_name>/": get(
        "in in in home home home home in in home home on"
    ),
    "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/preview/": get(
        "in in in home home home home in in home home 404"
    ),
    "admin/embeds/chooser/": ADMIN_USERS,
    "admin/embeds/chooser/upload/": ADMIN_USERS,
    "admin/snippets/": ADMIN_USERS,
    "admin/documents/": get("in in in ok ok ok ok in in home home home"),
    "admin/documents/results/": get("in in in ok ok ok ok in in home home home"),
    "admin/documents/add/": get("in in in ok ok ok ok in in home home home"),
    "admin/documents/edit/<int:document_id>/": get("in in in home home ok ok in in home home home"),
    "admin/documents/delete/<int:document_id>/": get("in in in home home ok ok in in home home home"),
    "admin/documents/multiple/add/": get("in in in ok ok ok ok in in home home home"),
    "admin/documents/multiple/<int:doc_id>/": ADMIN_USERS_POST_ONLY,
    "admin/documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/": ADMIN_USERS_POST_ONLY,
    "admin/documents/multiple/<int:doc_id>/delete/": ADMIN_USERS_POST_ONLY,
    "admin/documents/multiple/delete_upload/<int:uploaded_file_id>/": ADMIN_USERS_POST_ONLY,
    "admin/documents/usage/<int:document_id>/": get("in in in home home ok ok in in home home home"),
    "admin/images/": get("in in in ok ok ok ok in in home home home"),
    "admin/images/results/": get("in in in ok ok ok ok in in home home home"),
    "admin/images/<int:image_id>/": get("in in in home home ok ok in in home home home"),
    "admin/images/<int:image_id>/delete/": get("in in in home home ok ok in in home home home"),
    "admin/images/<int:image_id>/generate_url/": get("in in in 404 404 404 404 in in home home home"),
    "admin/images/<int:image_id>/generate_url/output/": get("in in in 404 404 404 404 in in home home home"),
    "admin/images/<int:image_id>/preview/<str:filter_spec>/": get(
        "in in in home home ok ok in in home home home"
    ),
    "admin/images/add/": get("in in in ok ok ok ok in in home home home"),
    "admin/images/usage/<int:image_id>/": get("in in in home home ok ok in in home home home"),
    "admin/images/multiple/add/": get("in in in ok ok ok ok in in home home home"),
    "admin/images/multiple/<int:image_id>/": ADMIN_USERS_POST_ONLY,
    "admin/images/multiple/create_from_uploaded_image/<int:uploaded_file_id>/": ADMIN_USERS_POST_ONLY,
    "admin/images/multiple/<int:image_id>/delete/": ADMIN_USERS_POST_ONLY,
    "admin/images/multiple/delete_upload/<int:uploaded_file_id>/": ADMIN_USERS_POST_ONLY,
    "admin/snippets/organisations/organisationunit/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/organisationunit/results/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/organisationunit/add/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/organisationunit/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/organisationunit/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/organisationunit/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/organisationunit/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/organisationunit/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/organisationunit/copy/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/choose/organisations/organisationunit/": ADMIN_USERS,
    "admin/snippets/choose/organisations/organisationunit/results/": ADMIN_USERS,
    "admin/snippets/choose/organisations/organisationunit/chosen/<str:pk>/": ADMIN_USERS,
    "admin/snippets/choose/organisations/organisationunit/chosen-multiple/": ADMIN_USERS,
    "admin/snippets/choose/organisations/organisationunit/create/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/contentpartner/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/contentpartner/results/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/contentpartner/add/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/contentpartner/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/contentpartner/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/contentpartner/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/contentpartner/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/contentpartner/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/organisations/contentpartner/copy/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/choose/organisations/contentpartner/": ADMIN_USERS,
    "admin/snippets/choose/organisations/contentpartner/results/": ADMIN_USERS,
    "admin/snippets/choose/organisations/contentpartner/chosen/<str:pk>/": ADMIN_USERS,
    "admin/snippets/choose/organisations/contentpartner/chosen-multiple/": ADMIN_USERS,
    "admin/snippets/choose/organisations/contentpartner/create/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/competencies/competencynode/": ADMIN_USERS,
    "admin/snippets/competencies/competencynode/results/": ADMIN_USERS,
    "admin/snippets/competencies/competencynode/add/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/competencies/competencynode/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/competencies/competencynode/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/competencies/competencynode/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/competencies/competencynode/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/competencies/competencynode/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/competencies/competencynode/copy/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/competencies/competencynode/inspect/<int:pk>/": ADMIN_USERS,
    "admin/snippets/choose/competencies/competencynode/": ADMIN_USERS,
    "admin/snippets/choose/competencies/competencynode/results/": ADMIN_USERS,
    "admin/snippets/choose/competencies/competencynode/chosen/<str:pk>/": ADMIN_USERS,
    "admin/snippets/choose/competencies/competencynode/chosen-multiple/": ADMIN_USERS,
    "admin/snippets/choose/competencies/competencynode/create/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/rolegroup/": ADMIN_USERS,
    "admin/snippets/people/rolegroup/results/": ADMIN_USERS,
    "admin/snippets/people/rolegroup/add/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/rolegroup/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/rolegroup/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/rolegroup/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/rolegroup/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/rolegroup/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/rolegroup/copy/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/rolegroup/inspect/<int:pk>/": ADMIN_USERS,
    "admin/snippets/choose/people/rolegroup/": ADMIN_USERS,
    "admin/snippets/choose/people/rolegroup/results/": ADMIN_USERS,
    "admin/snippets/choose/people/rolegroup/chosen/<str:pk>/": ADMIN_USERS,
    "admin/snippets/choose/people/rolegroup/chosen-multiple/": ADMIN_USERS,
    "admin/snippets/choose/people/rolegroup/create/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/learnerprofile/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/learnerprofile/results/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/learnerprofile/add/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/learnerprofile/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/learnerprofile/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/learnerprofile/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/learnerprofile/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/learnerprofile/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/learnerprofile/copy/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/choose/people/learnerprofile/": ADMIN_USERS,
    "admin/snippets/choose/people/learnerprofile/results/": ADMIN_USERS,
    "admin/snippets/choose/people/learnerprofile/chosen/<str:pk>/": ADMIN_USERS,
    "admin/snippets/choose/people/learnerprofile/chosen-multiple/": ADMIN_USERS,
    "admin/snippets/choose/people/learnerprofile/create/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/roleassignment/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/roleassignment/results/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/roleassignment/add/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/roleassignment/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/roleassignment/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/roleassignment/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/roleassignment/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/roleassignment/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/people/roleassignment/copy/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/choose/people/roleassignment/": ADMIN_USERS,
    "admin/snippets/choose/people/roleassignment/results/": ADMIN_USERS,
    "admin/snippets/choose/people/roleassignment/chosen/<str:pk>/": ADMIN_USERS,
    "admin/snippets/choose/people/roleassignment/chosen-multiple/": ADMIN_USERS,
    "admin/snippets/choose/people/roleassignment/create/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/topic/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/topic/results/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/topic/add/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/topic/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/topic/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/topic/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/topic/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/topic/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/topic/copy/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/choose/courses/topic/": ADMIN_USERS,
    "admin/snippets/choose/courses/topic/results/": ADMIN_USERS,
    "admin/snippets/choose/courses/topic/chosen/<str:pk>/": ADMIN_USERS,
    "admin/snippets/choose/courses/topic/chosen-multiple/": ADMIN_USERS,
    "admin/snippets/choose/courses/topic/create/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/enrolment/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/enrolment/results/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/enrolment/add/": NO_ONE,
    "admin/snippets/courses/enrolment/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/enrolment/delete/<int:pk>/": NO_ONE,
    "admin/snippets/courses/enrolment/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/enrolment/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/enrolment/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/snippets/courses/enrolment/copy/<int:pk>/": NO_ONE,
    "admin/snippets/choose/courses/enrolment/": ADMIN_USERS,
    "admin/snippets/choose/courses/enrolment/results/": ADMIN_USERS,
    "admin/snippets/choose/courses/enrolment/chosen/<str:pk>/": ADMIN_USERS,
    "admin/snippets/choose/courses/enrolment/chosen-multiple/": ADMIN_USERS,
    "admin/snippets/choose/courses/enrolment/create/": NO_ONE,
    "admin/snippets/certificates/certificatetemplate/": get("in in in ok ok ok ok in in ok home ok"),
    "admin/snippets/certificates/certificatetemplate/results/": get("in in in ok ok ok ok in in ok home ok"),
    "admin/snippets/certificates/certificatetemplate/add/": get(
        "in in in ok home ok home in in home home ok"
    ),
    "admin/snippets/certificates/certificatetemplate/edit/<int:pk>/": get(
        "in in in 404 404 ok 404 in in 404 404 ok"
    ),
    "admin/snippets/certificates/certificatetemplate/delete/<int:pk>/": get(
        "in in in 404 404 ok 404 in in 404 404 ok"
    ),
    "admin/snippets/certificates/certificatetemplate/usage/<int:pk>/": get(
        "in in in 404 404 ok home in in home 404 ok"
    ),
    "admin/snippets/certificates/certificatetemplate/history/<int:pk>/": get(
        "in in in 404 404 ok home in in home 404 ok"
    ),
    "admin/snippets/certificates/certificatetemplate/history-results/<int:pk>/": get(
        "in in in 404 404 ok home in in home 404 ok"
    ),
    "admin/snippets/certificates/certificatetemplate/copy/<int:pk>/": get(
        "in in in 404 404 ok home in in home 404 ok"
    ),
    "admin/snippets/certificates/certificatetemplate/inspect/<int:pk>/": get(
        "in in in 404 404 ok ok in in ok 404 ok"
    ),
    "admin/snippets/certificates/certificatetemplate/preview/": get(
        "in in in ok home ok home in in home home ok"
    ),
    "admin/snippets/certificates/certificatetemplate/preview/<int:pk>/": get(
        "in in in home home ok home in in home home ok"
    ),
    "admin/snippets/choose/certificates/certificatetemplate/": ADMIN_USERS,
    "admin/snippets/choose/certificates/certificatetemplate/results/": ADMIN_USERS,
    "admin/snippets/choose/certificates/certificatetemplate/chosen/<str:pk>/": get(
        "in in in 404 404 ok ok in in ok 404 ok"
    ),
    "admin/snippets/choose/certificates/certificatetemplate/chosen-multiple/": ADMIN_USERS,
    "admin/snippets/choose/certificates/certificatetemplate/create/": get(
        "in in in ok home ok home in in home home ok"
    ),
    "admin/sites/": NO_ONE,
    "admin/sites/results/": NO_ONE,
    "admin/sites/new/": NO_ONE,
    "admin/sites/edit/<int:pk>/": NO_ONE,
    "admin/sites/delete/<int:pk>/": NO_ONE,
    "admin/sites/history/<int:pk>/": NO_ONE,
    "admin/sites/history-results/<int:pk>/": NO_ONE,
    "admin/sites/usage/<int:pk>/": NO_ONE,
    "admin/sites/copy/<int:pk>/": NO_ONE,
    "admin/documents/chooser/": ADMIN_USERS,
    "admin/documents/chooser/results/": ADMIN_USERS,
    "admin/documents/chooser/chosen/<str:pk>/": get("in in in home home ok ok in in home home home"),
    "admin/documents/chooser/chosen-multiple/": ADMIN_USERS,
    "admin/documents/chooser/create/": get("in in in ok ok ok ok in in home home home"),
    "admin/images/chooser/": ADMIN_USERS,
    "admin/images/chooser/results/": ADMIN_USERS,
    "admin/images/chooser/chosen/<str:pk>/": get("in in in home home ok ok in in home home home"),
    "admin/images/chooser/chosen-multiple/": ADMIN_USERS,
    "admin/images/chooser/create/": get("in in in ok ok ok ok in in home home home"),
    "admin/images/chooser/<int:image_id>/select_format/": get(
        "in in in home home ok ok in in home home home"
    ),
    "admin/users/": PLATFORM_ADMIN_ONLY,
    "admin/users/results/": PLATFORM_ADMIN_ONLY,
    "admin/users/new/": PLATFORM_ADMIN_ONLY,
    "admin/users/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/users/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/users/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/users/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/users/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/users/copy/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/groups/": NO_ONE,
    "admin/groups/results/": NO_ONE,
    "admin/groups/new/": NO_ONE,
    "admin/groups/edit/<int:pk>/": NO_ONE,
    "admin/groups/delete/<int:pk>/": NO_ONE,
    "admin/groups/history/<int:pk>/": NO_ONE,
    "admin/groups/history-results/<int:pk>/": NO_ONE,
    "admin/groups/usage/<int:pk>/": NO_ONE,
    "admin/privacy_processing/": DPO_ONLY,
    "admin/privacy_processing/results/": DPO_ONLY,
    "admin/privacy_processing/new/": DPO_ONLY,
    "admin/privacy_notices/": DPO_ONLY,
    "admin/privacy_notices/results/": DPO_ONLY,
    "admin/privacy_notices/new/": DPO_ONLY,
    "admin/competencies_framework/": ADMIN_USERS,
    "admin/competencies_framework/results/": ADMIN_USERS,
    "admin/competencies_framework/new/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_framework/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_framework/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_framework/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_framework/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_framework/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_framework/inspect/<int:pk>/": ADMIN_USERS,
    "admin/competencies_requirement/": ADMIN_USERS,
    "admin/competencies_requirement/results/": ADMIN_USERS,
    "admin/competencies_requirement/new/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_requirement/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_requirement/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_requirement/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_requirement/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_requirement/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_requirement/inspect/<int:pk>/": ADMIN_USERS,
    "admin/competencies_requirement/copy/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_mapping/": ADMIN_USERS,
    "admin/competencies_mapping/results/": ADMIN_USERS,
    "admin/competencies_mapping/new/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_mapping/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_mapping/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_mapping/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_mapping/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_mapping/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/competencies_mapping/inspect/<int:pk>/": ADMIN_USERS,
    "admin/competencies_mapping/copy/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/scorm_package_chooser/": ADMIN_USERS,
    "admin/scorm_package_chooser/results/": ADMIN_USERS,
    "admin/scorm_package_chooser/chosen/<str:pk>/": get("in in in 404 404 ok ok in in ok 404 ok"),
    "admin/scorm_package_chooser/chosen-multiple/": ADMIN_USERS,
    "admin/scorm_package_chooser/create/": NO_ONE,
    "admin/question_bank_chooser/": ADMIN_USERS,
    "admin/question_bank_chooser/results/": ADMIN_USERS,
    "admin/question_bank_chooser/chosen/<str:pk>/": get("in in in 404 404 ok ok in in ok 404 ok"),
    "admin/question_bank_chooser/chosen-multiple/": ADMIN_USERS,
    "admin/question_bank_chooser/create/": get("in in in ok home ok home in in home home ok"),
    "admin/assessments_bank/": get("in in in ok ok ok ok in in ok home ok"),
    "admin/assessments_bank/results/": get("in in in ok ok ok ok in in ok home ok"),
    "admin/assessments_bank/new/": get("in in in ok home ok home in in home home ok"),
    "admin/assessments_bank/edit/<int:pk>/": get("in in in 404 home ok home in in home home ok"),
    "admin/assessments_bank/delete/<int:pk>/": get("in in in 404 404 ok 404 in in 404 404 ok"),
    "admin/assessments_bank/history/<int:pk>/": get("in in in 404 404 ok home in in home 404 ok"),
    "admin/assessments_bank/history-results/<int:pk>/": get("in in in 404 404 ok home in in home 404 ok"),
    "admin/assessments_bank/usage/<int:pk>/": get("in in in 404 404 ok home in in home 404 ok"),
    "admin/assessments_question/": get("in in in ok ok ok ok in in ok home ok"),
    "admin/assessments_question/results/": get("in in in ok ok ok ok in in ok home ok"),
    "admin/assessments_question/new/": get("in in in ok home ok home in in home home ok"),
    "admin/assessments_question/edit/<int:pk>/": get("in in in 404 home ok home in in home home ok"),
    "admin/assessments_question/delete/<int:pk>/": get("in in in 404 404 ok 404 in in 404 404 ok"),
    "admin/assessments_question/history/<int:pk>/": get("in in in 404 404 ok home in in home 404 ok"),
    "admin/assessments_question/history-results/<int:pk>/": get("in in in 404 404 ok home in in home 404 ok"),
    "admin/assessments_question/usage/<int:pk>/": get("in in in 404 404 ok home in in home 404 ok"),
    "admin/assessments_question/copy/<int:pk>/": get("in in in home home ok home in in home home ok"),
    "admin/audit-log/": DPO_ONLY,
    "admin/privacy/processing.csv": DPO_ONLY,
    "admin/competencies/import/": get("in in in 403 403 403 403 in in 403 403 ok"),
    "admin/scorm/": ADMIN_USERS,
    "admin/scorm/add/": get("in in in ok home ok home in in home home ok"),
    "admin/scorm/<int:package_id>/": get("in in in 404 404 ok ok in in ok 404 ok"),
    "admin/scorm/<int:package_id>/attempts/": get("in in in 404 404 ok ok in in ok 404 ok"),
    "admin/scorm/<int:package_id>/questions/": get("in in in 404 404 ok ok in in ok 404 ok"),
    "admin/scorm/versions/<int:version_id>/status/": get("in in in 404 404 ok ok in in ok 404 ok"),
    "admin/scorm/versions/<int:version_id>/review/": get("in in in 404 404 ok ok in in ok 404 ok"),
    "admin/scorm/review/": get("in in in home home home home in in ok home ok"),
    "admin/scorm/attempts/<int:registration_id>/": get("in in in 404 404 ok ok in in ok 404 ok"),
    "admin/assessments/banks/<int:bank_id>/import/": get("in in in 404 404 ok 404 in in 404 404 ok"),
    "admin/assessments/banks/<int:bank_id>/export/<str:file_format>/": get(
        "in in in 404 404 ok ok in in ok 404 ok"
    ),
    "admin/assessments/quizzes/": get("in in in ok ok ok ok in in ok home ok"),
    "admin/assessments/quizzes/<int:lesson_id>/<str:block_id>/": get(
        "in in in 404 404 ok ok in in ok 404 ok"
    ),
    "admin/assessments/courses/<int:course_id>/survey/": get("in in in 404 404 ok ok in in ok 404 ok"),
    "admin/certificates/": get("in in in ok ok ok ok in in ok home ok"),
    "admin/certificates/<int:pk>/": get("in in in 404 404 ok ok in in ok 404 ok"),
    "admin/certificates/<int:pk>/status/": post("in in in 404 404 on 404 in in 404 404 on"),
    "admin/certificates/<int:pk>/reissue/": post("in in in 404 404 on 404 in in 404 404 on"),
    "admin/data-subject-requests/": DPO_ONLY,
    "admin/data-subject-requests/retention/": DPO_ONLY,
    "admin/sprite/": PUBLIC,
    # The admin has no sign-in of its own: everybody is sent to the site's (identity/).
    "admin/login/": get("in 403 403 home home home home 403 403 home home home"),
    "admin/password_reset/": PUBLIC,
    "admin/password_reset/done/": PUBLIC,
    "admin/password_reset/confirm/<uidb64>/<token>/": PUBLIC,
    "admin/password_reset/complete/": PUBLIC,
    "admin/jsi18n/": PUBLIC,
    "admin/^.*/$": ADMIN_NOT_FOUND,
    "documents/^(\\d+)/(.*)$": PUBLIC,
    "documents/authenticate_with_password/<int:restriction_id>/": get(
        "404 404 404 404 404 404 404 404 404 404 404 404"
    ),
    "account/": SIGNED_IN,
    "account/sign-in/": get("ok on on on on on on on on on on on"),
    "account/sign-out/": get("405 405 405 405 405 405 405 405 405 405 405 405"),
    "account/password/": SIGNED_IN,
    "account/password-reset/": PUBLIC,
    "account/password-reset/sent/": PUBLIC,
    "account/password-reset/<uidb64>/<token>/": PUBLIC,
    "account/password-reset/complete/": PUBLIC,
    # identity/: allauth's pages for the second step and sign-in with a provider.
    "account/confirm/": SIGNED_IN,
    "account/connections/": SIGNED_IN,
    "account/sign-in/again/": get("in in in in in in in in in in in in"),
    "account/sign-in/cancelled/": PUBLIC,
    "account/sign-in/failed/": get("401 401 401 401 401 401 401 401 401 401 401 401"),
    # No provider is configured in the world: an unknown provider is not found.
    "account/sign-in/oidc/^(?P<provider_id>[^/]+)/login/": API_NOT_FOUND,
    "account/sign-in/oidc/^(?P<provider_id>[^/]+)/login/callback/": API_NOT_FOUND,
    "account/sign-out/confirm/": get("on ok ok ok ok ok ok ok ok ok ok ok"),
    "account/two-step/": SIGNED_IN,
    # The code page belongs to a sign-in under way; without one it sends people to sign in
    # (through allauth's name for it, account/sign-in/again/).
    "account/two-step/authenticate/": get("on on on on on on on on on on on on"),
    "account/two-step/done/": get("in on on on on on on on on on on on"),
    "account/two-step/reauthenticate/": get("in on on on on on on on on on on on"),
    # Nobody in the world has an authenticator: there are no codes to show or app to remove.
    "account/two-step/recovery-codes/": get("in 404 404 404 404 404 404 404 404 404 404 404"),
    "account/two-step/recovery-codes/download/": get("in 404 404 404 404 404 404 404 404 404 404 404"),
    "account/two-step/totp/deactivate/": get("in 404 404 404 404 404 404 404 404 404 404 404"),
    # Changing a second step first asks "confirm it is you" (account/confirm/), unless the
    # person signed in moments ago; the world's people were signed in without a password.
    "account/two-step/recovery-codes/generate/": get("on on on on on on on on on on on on"),
    "account/two-step/totp/activate/": get("on on on on on on on on on on on on"),
    "account/two-step/webauthn/": SIGNED_IN,
    "account/two-step/webauthn/add/": get("on on on on on on on on on on on on"),
    "account/two-step/webauthn/reauthenticate/": get("in on on on on on on on on on on on"),
    # "Confirm it is you" comes first for everybody (identity/tests/test_two_step.py: after it,
    # someone else's key is not found).
    "account/two-step/webauthn/keys/<int:pk>/remove/": get("on on on on on on on on on on on on"),
    "account/two-step/webauthn/keys/<int:pk>/edit/": get("on on on on on on on on on on on on"),
    "language/": get("405 405 405 405 405 405 405 405 405 405 405 405"),
    "privacy/": PUBLIC,
    "privacy/version/<int:version>/": PUBLIC,
    "privacy/acknowledge/": get("405 405 405 405 405 405 405 405 405 405 405 405"),
    "privacy/choices/": SIGNED_IN,
    "my/competencies/": SIGNED_IN,
    "my/privacy/requests/": SIGNED_IN,
    "my/privacy/requests/export/": get("in 405 405 405 405 405 405 405 405 405 405 405"),
    "my/privacy/requests/new/": get("in 405 405 405 405 405 405 405 405 405 405 405"),
    "my/": SIGNED_IN,
    "my/transcript/": SIGNED_IN,
    "competencies/frameworks/": PUBLIC,
    "competencies/frameworks/<str:code>/<str:version>/": PUBLIC,
    "competencies/people/<int:user_id>/": get("in on 404 404 404 404 404 ok 404 404 404 ok"),
    "competencies/people/<int:user_id>/assessments/": post("in 404 404 404 404 404 404 400 404 404 404 400"),
    "competencies/people/<int:user_id>/assessments/<int:evidence_id>/withdraw/": post(
        "in 404 404 404 404 404 404 on 404 404 404 404"
    ),
    "competencies/evidence/import/": get("in 403 403 403 403 403 403 ok ok 403 403 ok"),
    "competencies/evidence/import/template.csv": get("in 403 403 403 403 403 403 ok ok 403 403 ok"),
    "dashboard/assignments/": get("in 403 403 403 403 403 403 ok ok 403 403 ok"),
    "dashboard/assignments/new/": get("in 403 403 403 403 403 403 ok ok 403 403 ok"),
    "dashboard/assignments/<int:pk>/": get("in 403 403 403 403 403 403 ok 404 403 403 ok"),
    "dashboard/assignments/<int:pk>/deactivate/": post("in 403 403 403 403 403 403 on 404 403 403 on"),
    "dashboard/staff/import/": get("in 403 403 403 403 403 403 ok ok 403 403 ok"),
    "dashboard/": get("in 403 403 on on on on ok ok on 403 ok"),
    "dashboard/partner/": get("in 403 403 ok ok ok ok 403 403 ok 403 ok"),
    "dashboard/export/<slug:table_key>.<str:fmt>": get("in 403 403 403 403 403 403 ok ok 403 403 ok"),
    "dashboard/report.pdf": get("in 403 403 403 403 403 403 ok ok 403 403 ok"),
    "dashboard/exports/<int:job_id>/": get("in 404 404 404 404 404 404 ok 404 404 404 404"),
    "dashboard/exports/<int:job_id>/download/": get("in 404 404 404 404 404 404 404 404 404 404 404"),
    "scorm/launch/<int:lesson_id>/<str:block_id>/": post("in on 403 403 403 403 403 403 403 403 403 403"),
    "scorm/preview/<int:version_id>/": get("in 403 403 403 403 on on 403 403 on 403 on"),
    # A live launch grant is the capability (whoever holds it opens the player, once: each
    # request here is rolled back); the content and commit tokens need the player's session.
    "scorm/player/<str:token>/": PUBLIC,
    "scorm/content/<str:token>/<path:path>": get("403 403 403 403 403 403 403 403 403 403 403 403"),
    "scorm/commit/<str:token>/": post("415 415 415 415 415 415 415 415 415 415 415 415"),
    "quiz/start/<int:lesson_id>/<str:block_id>/": post("in on on on on on on on on on on on"),
    "quiz/<int:attempt_id>/": get("in ok 404 404 404 404 404 404 404 404 404 404"),
    "quiz/<int:attempt_id>/save/": post("in on 404 404 404 404 404 404 404 404 404 404"),
    "quiz/<int:attempt_id>/submit/": post("in on 404 404 404 404 404 404 404 404 404 404"),
    "certificates/verify/": PUBLIC,
    "certificates/verify/file/": get("on on on on on on on on on on 429 429"),
    "certificates/mine/": SIGNED_IN,
    "certificates/issuer/": PUBLIC,
    "certificates/status/<str:purpose>/<int:number>/": PUBLIC,
    "certificates/<str:public_id>/": PUBLIC,
    "certificates/<str:public_id>/certificate.pdf": get("403 ok 403 403 403 ok ok 403 403 ok 403 ok"),
    "certificates/<str:public_id>/credential.json": PUBLIC,
    "certificates/<str:public_id>/name/": post("in on 404 404 404 404 404 404 404 404 404 404"),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": PUBLIC,
    "_util/login/": PUBLIC,
    "page themes.homepage": PUBLIC,
    "page courses.catalogueindexpage": PUBLIC,
    "page courses.partnersectionpage": PUBLIC,
    "page courses.coursepage": PUBLIC,
    "page courses.coursepage continue/": get("in on on on on on on on on on on on"),
    "page courses.coursepage enrol/": post("in on on on on on on on on on on on"),
    "page courses.coursepage unenrol/": post("in on on on on on on on on on on on"),
    "page courses.modulepage": get("on on on on on on on on on on on on"),
    "page courses.lessonpage": get("in ok on on on on on on on on on on"),
    "page courses.lessonpage open/<str:block_id>/": post("in on on on on on on on on on on on"),
    "page courses.lessonpage progress/": post("403 ok 403 403 403 403 403 403 403 403 403 403"),
    "^media/(?P<path>images/[^/]+)$": PUBLIC,
    "admin/data-subject-requests/<int:pk>/": DPO_ONLY,
    "admin/data-subject-requests/<int:pk>/erase/": ADMIN_USERS_POST_ONLY,
    "admin/data-subject-requests/<int:pk>/handle/": ADMIN_USERS_POST_ONLY,
    "admin/data-subject-requests/<int:pk>/reject/": ADMIN_USERS_POST_ONLY,
    "admin/privacy/notices/<int:pk>/new-draft/": DPO_ONLY,
    "admin/privacy/notices/<int:pk>/publish/": DPO_ONLY,
    "admin/privacy_notices/delete/<int:pk>/": get("in in in on on on on in in on on on"),
    "admin/privacy_notices/edit/<int:pk>/": get("in in in on on on on in in on on on"),
    "admin/privacy_notices/history-results/<int:pk>/": DPO_ONLY,
    "admin/privacy_notices/history/<int:pk>/": DPO_ONLY,
    "admin/privacy_notices/inspect/<int:pk>/": DPO_ONLY,
    "admin/privacy_notices/usage/<int:pk>/": DPO_ONLY,
    "admin/privacy_processing/delete/<int:pk>/": DPO_ONLY,
    "admin/privacy_processing/edit/<int:pk>/": DPO_ONLY,
    "admin/privacy_processing/history-results/<int:pk>/": DPO_ONLY,
    "admin/privacy_processing/history/<int:pk>/": DPO_ONLY,
    "admin/privacy_processing/inspect/<int:pk>/": DPO_ONLY,
    "admin/privacy_processing/usage/<int:pk>/": DPO_ONLY,
    "my/privacy/requests/<int:pk>/": get("in ok 404 404 404 404 404 404 404 404 404 404"),
    "my/privacy/requests/<int:pk>/download/<str:token>/": get(
        "in 404 404 404 404 404 404 404 404 404 404 404"
    ),
    # Webhooks: platform administrators only; the delivery log is read-only.
    # API applications: platform administrators only (api/wagtail_hooks.py).
    "admin/api_applications/": PLATFORM_ADMIN_ONLY,
    "admin/api_applications/results/": PLATFORM_ADMIN_ONLY,
    "admin/api_applications/new/": PLATFORM_ADMIN_ONLY,
    "admin/api_applications/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/api_applications/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/api_applications/inspect/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/api_applications/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/api_applications/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/api_applications/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/api-applications/<int:pk>/new-secret/": PLATFORM_ADMIN_ONLY,
    # The REST API answers tokens only: a browser's session is not a token (401 for everyone),
    # the catalogue, certificate checks, the schema and its documentation are public.
    "api/v1/schema/": PUBLIC,
    "api/v1/docs/": PUBLIC,
    "api/v1/courses/": PUBLIC,
    "api/v1/courses/<int:pk>/": PUBLIC,
    "api/v1/certificates/verify/<str:code>/": API_NOT_FOUND,
    "api/v1/me/": TOKEN_ONLY,
    "api/v1/units/": TOKEN_ONLY,
    "api/v1/units/<int:pk>/figures/": TOKEN_ONLY,
    "api/v1/people/": TOKEN_ONLY,
    "api/v1/people/<int:pk>/": TOKEN_ONLY,
    "api/v1/people/<int:pk>/transcript/": TOKEN_ONLY,
    "api/v1/people/<int:pk>/competencies/": TOKEN_ONLY,
    # A form post is not JSON: refused before anything else (the matrix posts no body).
    "api/v1/people/sync/": post("415 415 415 415 415 415 415 415 415 415 415 415"),
    "api/v1/enrolments/": TOKEN_ONLY,
    "api/v1/assignments/": TOKEN_ONLY,
    "api/v1/assignments/<int:pk>/": TOKEN_ONLY,
    "api/v1/enrolments/<int:pk>/": TOKEN_ONLY,
    "api/v1/certificates/": TOKEN_ONLY,
    "api/v1/^.*$": API_NOT_FOUND,
    # The OAuth2 / OpenID Connect provider.
    "o/^\\.well-known/openid-configuration/?$": PUBLIC,
    "o/.well-known/jwks.json": PUBLIC,
    # Without an application's request: sign in first, then "this application cannot sign you in".
    "o/authorize/": get("in 400 400 400 400 400 400 400 400 400 400 400"),
    "o/token/": post("400 400 400 400 400 400 400 400 400 400 400 400"),
    "o/revoke_token/": post("400 400 400 400 400 400 400 400 400 400 400 400"),
    "o/introspect/": get("403 403 403 403 403 403 403 403 403 403 403 403"),
    "o/userinfo/": get("401 401 401 401 401 401 401 401 401 401 401 401"),
    "o/logout/": get("on ok ok ok ok ok ok ok ok ok ok ok"),
    "admin/webhook_subscriptions/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_subscriptions/results/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_subscriptions/new/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_subscriptions/edit/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_subscriptions/delete/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_subscriptions/history/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_subscriptions/history-results/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_subscriptions/usage/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/webhooks/subscriptions/<int:pk>/secret/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_deliveries/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_deliveries/results/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_deliveries/inspect/<int:pk>/": PLATFORM_ADMIN_ONLY,
    "admin/webhook_deliveries/new/": NO_ONE,
    "admin/webhook_deliveries/edit/<int:pk>/": NO_ONE,
    "admin/webhook_deliveries/delete/<int:pk>/": NO_ONE,
    "admin/webhook_deliveries/history/<int:pk>/": NO_ONE,
    "admin/webhook_deliveries/history-results/<int:pk>/": NO_ONE,
    "admin/webhook_deliveries/usage/<int:pk>/": NO_ONE,
    "admin/webhooks/deliveries/<int:pk>/replay/": PLATFORM_ADMIN_ONLY,
}

# Who sees this partner's content in the admin's listings and choosers.
_PARTNER = ("partner_author", "partner_reviewer")
_PARTNER_AND_PLATFORM = (*_PARTNER, "platform_reviewer", "platform_admin")
for _key, _secret, _roles in [
    ("admin/snippets/certificates/certificatetemplate/", "design", _PARTNER_AND_PLATFORM),
    ("admin/snippets/certificates/certificatetemplate/results/", "design", _PARTNER_AND_PLATFORM),
    ("admin/snippets/choose/certificates/certificatetemplate/", "design", _PARTNER_AND_PLATFORM),
    ("admin/snippets/choose/certificates/certificatetemplate/results/", "design", _PARTNER_AND_PLATFORM),
    ("admin/scorm/", "package", _PARTNER_AND_PLATFORM),
    ("admin/scorm_package_chooser/", "package", _PARTNER_AND_PLATFORM),
    ("admin/scorm_package_chooser/results/", "package", _PARTNER_AND_PLATFORM),
    ("admin/question_bank_chooser/", "bank", _PARTNER_AND_PLATFORM),
    ("admin/question_bank_chooser/results/", "bank", _PARTNER_AND_PLATFORM),
    ("admin/assessments_bank/", "bank", _PARTNER_AND_PLATFORM),
    ("admin/assessments_bank/results/", "bank", _PARTNER_AND_PLATFORM),
    ("admin/documents/chooser/", "document", _PARTNER),
    ("admin/images/chooser/", "image", _PARTNER),
    ("admin/api/main/^documents/", "document", _PARTNER),
    ("admin/api/main/^images/", "image", _PARTNER),
    ("admin/certificates/", "certificate", _PARTNER_AND_PLATFORM),
]:
    EXPECTED[_key] = EXPECTED[_key].showing(_secret, *_roles)

# Addresses where a POST changes a learner's records: a GET must answer 405 and change nothing.
GET_CHANGES_NOTHING = [
    "scorm/launch/<int:lesson_id>/<str:block_id>/",
    "quiz/start/<int:lesson_id>/<str:block_id>/",
    "page courses.coursepage enrol/",
    "page courses.coursepage unenrol/",
    "page courses.lessonpage open/<str:block_id>/",
    "page courses.lessonpage progress/",
]
