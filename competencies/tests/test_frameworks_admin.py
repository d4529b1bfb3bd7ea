"""Competencies in the Wagtail admin: everyone with admin access looks, platform
administrators change; importing a framework shows every problem or a preview, and imports
only when confirmed; competencies that evidence points at cannot be deleted here either."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competencies.models import CompetencyEvidence, CompetencyFramework, CompetencyNode
from competencies.services.frameworks import framework_import
from competencies.tests.factories import EvidenceFactory, FrameworkFactory, NodeFactory
from competencies.tests.test_importing import BAD_CSV, small_framework
from people.models import Role
from people.services import role_assign
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/competencies/import/"


def person_with(role: str | None):
    user = UserFactory(preferred_language="en")
    if role is not None:
        role_assign(user=user, role=role)
    return user


@pytest.fixture
def admin(client):
    user = person_with(Role.PLATFORM_ADMIN)
    client.force_login(user)
    return user


@pytest.fixture
def reviewer(client):
    user = person_with(Role.PLATFORM_REVIEWER)
    client.force_login(user)
    return user


def upload(client, name: str, content: bytes):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def test_a_platform_admin_previews_then_confirms_an_import(client, admin):
    content = json.dumps(small_framework(), ensure_ascii=False).encode("utf-8")
    response = upload(client, "pilot.json", content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "สมรรถนะดิจิทัลทดลอง" in page
    assert "PDS 2025" in page
    assert "A new framework" in page
    assert not CompetencyFramework.objects.exists()  # nothing until confirmed
    table = response.context["changes"][0]["rows"]
    rows = {row.label: (row.in_file, row.added) for row in table}
    assert rows["Competencies"] == (5, 5)
    assert rows["Levels"] == (4, 4)
    assert rows["Role requirements"] == (2, 2)

    confirmed = client.post(IMPORT_URL, {"payload": response.context["payload"]})
    assert confirmed.status_code == 302
    framework = CompetencyFramework.objects.get(code="PDS")
    assert framework.nodes.count() == 5

    # The same file again: the preview says nothing changes.
    again = upload(client, "pilot.json", content)
    assert "importing changes nothing" in again.content.decode()
    changed = small_framework()
    changed["nodes"].pop()
    changed["requirements"].pop()
    preview = upload(client, "pilot.json", json.dumps(changed).encode())
    rows = {row.label: row for row in preview.context["changes"][0]["rows"]}
    assert (rows["Competencies"].removed, rows["Competencies"].removed_codes) == (1, "B-1")


def test_every_problem_is_listed_with_its_row_and_nothing_is_imported(client, admin):
    response = upload(client, "pilot.csv", BAD_CSV.encode("utf-8"))
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "row 6" in page
    assert "row 13" in page
    assert "row 16" in page
    assert "payload" not in response.context or not response.context["payload"]
    assert not CompetencyFramework.objects.exists()


def test_a_tampered_confirmation_imports_nothing(client, admin):
    response = upload(client, "pilot.json", json.dumps(small_framework()).encode())
    payload = response.context["payload"]
    tampered = client.post(IMPORT_URL, {"payload": payload[:-3] + "abc"}, follow=True)
    assert "expired" in tampered.content.decode()
    assert not CompetencyFramework.objects.exists()


def test_a_confirmation_is_checked_again_before_anything_is_written(client, admin):
    framework_import(document=small_framework())
    changed = small_framework()
    changed["nodes"] = [node for node in changed["nodes"] if node["code"] != "A-2"]
    response = upload(client, "pilot.json", json.dumps(changed).encode())
    EvidenceFactory(node=CompetencyNode.objects.get(code="A-2"))  # recorded after the preview
    confirmed = client.post(IMPORT_URL, {"payload": response.context["payload"]})
    assert confirmed.status_code == 200
    assert "1 evidence record" in confirmed.content.decode()
    assert CompetencyNode.objects.filter(code="A-2").exists()


def test_only_platform_admins_may_import(client):
    client.force_login(person_with(Role.PLATFORM_REVIEWER))
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, "pilot.json", json.dumps(small_framework()).encode()).status_code == 403
    client.force_login(person_with(None))  # no admin access at all: Wagtail sends them away
    assert client.get(IMPORT_URL).status_code == 302
    assert not CompetencyFramework.objects.exists()


def test_others_with_admin_access_look_but_do_not_change(client, reviewer):
    framework = framework_import(document=small_framework())
    node = framework.nodes.get(code="A-1")
    index = client.get(reverse("competencies_framework:index"))
    assert index.status_code == 200
    assert "สมรรถนะดิจิทัลทดลอง" in index.content.decode()
    assert reverse("competencies_framework:add") not in index.content.decode()
    assert client.get(reverse("competencies_framework:inspect", args=[framework.pk])).status_code == 200
    assert client.get(reverse("competencies_framework:edit", args=[framework.pk])).status_code in (302, 403)
    competencies = reverse(CompetencyNode.snippet_viewset.get_url_name("list"))
    listing = client.get(competencies, {"framework": framework.pk})
    assert listing.status_code == 200
    assert "ใช้คอมพิวเตอร์" in listing.content.decode()
    edit = reverse(CompetencyNode.snippet_viewset.get_url_name("edit"), args=[node.pk])
    assert client.post(edit, {"name_th": "เปลี่ยน"}).status_code in (302, 403)
    node.refresh_from_db()
    assert node.name_th == "ใช้คอมพิวเตอร์"
    assert IMPORT_URL not in client.get("/admin/").content.decode()


def test_a_platform_admin_edits_and_the_menu_offers_the_import(client, admin):
    framework = framework_import(document=small_framework())
    assert client.get(reverse("competencies_framework:edit", args=[framework.pk])).status_code == 200
    assert IMPORT_URL in client.get("/admin/").content.decode()
    for name in ("competencies_requirement:index", "competencies_mapping:index"):
        assert client.get(reverse(name), {"node__framework": framework.pk}).status_code == 200


def test_a_competency_with_evidence_cannot_be_deleted_in_the_admin(client, admin):
    node = NodeFactory(framework=FrameworkFactory())
    evidence = EvidenceFactory(node=node)
    delete = reverse(CompetencyNode.snippet_viewset.get_url_name("delete"), args=[node.pk])
    response = client.post(delete, follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert CompetencyEvidence.objects.filter(pk=evidence.pk).exists()
    framework_delete = reverse("competencies_framework:delete", args=[node.framework.pk])
    client.post(framework_delete)
    assert CompetencyNode.objects.filter(pk=node.pk).exists()
    unused = NodeFactory(framework=node.framework)
    client.post(reverse(CompetencyNode.snippet_viewset.get_url_name("delete"), args=[unused.pk]))
    assert not CompetencyNode.objects.filter(pk=unused.pk).exists()


def test_the_competency_chooser_searches_by_code_or_name_within_a_framework(client, reviewer):
    framework = framework_import(document=small_framework())
    other = NodeFactory(framework=FrameworkFactory(), code="A-1", name_en="Other framework competence")
    chooser = reverse(CompetencyNode.snippet_viewset.chooser_viewset.get_url_name("choose_results"))
    found = client.get(chooser, {"q": "คอมพิวเตอร์"}).content.decode()
    assert "A-1 Using computers" in found
    assert "A-2" not in found
    both = client.get(chooser, {"q": "A-1"}).content.decode()
    assert other.name_en in both
    only = client.get(chooser, {"q": "A-1", "framework": framework.pk}).content.decode()
    assert "A-1 Using computers" in only
    assert other.name_en not in only
