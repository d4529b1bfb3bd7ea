"""The public framework pages: no sign-in, Thai by default, an anchor for every competency
(certificates link to them), descriptors and requirements, superseded versions pointing to
the version that superseded them, drafts hidden."""

import re

import pytest
from django.urls import reverse

from competencies.models import CompetencyFramework, CompetencyNode
from competencies.services.frameworks import framework_import, frameworks_load_shipped
from competencies.tests.factories import FrameworkFactory, NodeFactory
from competencies.views.frameworks import framework_node_url
from people.models import Role
from people.services import role_assign
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    frameworks_load_shipped()


def in_english(client):
    client.force_login(UserFactory(preferred_language="en"))


def test_the_list_shows_every_published_framework_without_signing_in(client, shipped):
    FrameworkFactory(code="SECRET", name_th="กรอบที่ยังเป็นร่าง", status=CompetencyFramework.Status.DRAFT)
    response = client.get("/competencies/frameworks/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="th">' in page
    for framework in CompetencyFramework.objects.exclude(code="SECRET"):
        assert framework.name_th in page
        assert reverse("competencies:framework-detail", args=[framework.code, framework.version]) in page
    assert "กรอบที่ยังเป็นร่าง" not in page
    # Current frameworks come before superseded ones.
    assert page.index("สมรรถนะสนับสนุนการทำงานด้านดิจิทัล") < page.index("ทักษะด้านดิจิทัลของข้าราชการ")


def test_a_framework_page_shows_its_tree_with_an_anchor_per_competency_descriptors_and_requirements(
    client, shipped
):
    tpqi = CompetencyFramework.objects.get(code="TPQI-DSC")
    response = client.get("/competencies/frameworks/TPQI-DSC/2024/")
    assert response.status_code == 200
    page = response.content.decode()
    anchors = set(re.findall(r'id="competency-([^"]+)"', page))
    assert anchors == set(tpqi.nodes.values_list("code", flat=True))
    # Competences sit inside their area.
    area = page.index('id="competency-LIT"')
    assert area < page.index('id="competency-LIT-1"') < page.index('id="competency-GOV"')
    assert "ใช้งานคอมพิวเตอร์ อุปกรณ์เคลื่อนที่ และบริการคลาวด์" in page  # Thai by default
    assert "เลือกใช้เครื่องมือดิจิทัลให้เหมาะกับงาน" in page  # a level descriptor of Digital Literacy
    assert "ผู้ปฏิบัติงาน กลุ่ม Non-IT" in page
    assert "TPQI-NONIT-OP" in page
    assert "ปฏิบัติได้" in page  # level 3, by name
    assert 'href="#competency-LIT-1"' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_a_superseded_version_says_so_and_links_to_the_version_that_superseded_it(client, shipped):
    in_english(client)
    page = client.get("/competencies/frameworks/OCSC-DS/2018/").content.decode()
    assert "This version has been superseded" in page
    assert 'Superseded by <a href="/competencies/frameworks/TPQI-DSC/2024/">' in page
    # Its competencies link to the ones they map to on the newer framework's page.
    assert 'href="/competencies/frameworks/TPQI-DSC/2024/#competency-LIT"' in page
    newer = client.get("/competencies/frameworks/TPQI-DSC/2024/").content.decode()
    assert "This version has been superseded" not in newer
    assert 'href="/competencies/frameworks/OCSC-DS/2018/"' in newer  # "replaces"
    assert 'href="/competencies/frameworks/OCSC-DS/2018/#competency-1"' in newer  # mapped from


def test_an_unknown_framework_or_a_draft_is_not_found(client):
    FrameworkFactory(code="DRAFTED", version="1", status=CompetencyFramework.Status.DRAFT)
    assert client.get("/competencies/frameworks/NOPE/1/").status_code == 404
    assert client.get("/competencies/frameworks/DRAFTED/2/").status_code == 404
    assert client.get("/competencies/frameworks/DRAFTED/1/").status_code == 404
    admin = UserFactory()
    role_assign(user=admin, role=Role.PLATFORM_ADMIN)
    client.force_login(admin)
    assert client.get("/competencies/frameworks/DRAFTED/1/").status_code == 200


def test_framework_node_url_points_at_the_competency_on_its_framework_page(client):
    node = NodeFactory(framework=FrameworkFactory(code="DIGCOMP", version="2.2"), code="4.2")
    url = framework_node_url(node)
    assert url == "/competencies/frameworks/DIGCOMP/2.2/#competency-4.2"
    path, anchor = url.split("#")
    assert f'id="{anchor}"' in client.get(path).content.decode()


def test_a_framework_without_core_competencies_does_not_call_anything_optional(client):
    framework_import(
        document={
            "framework": {"code": "PLAIN", "version": "1", "name_th": "กรอบธรรมดา"},
            "scale": {"levels": [{"value": 1, "name_th": "หนึ่ง"}]},
            "nodes": [{"code": "X", "name_th": "สมรรถนะเอ็กซ์"}],
        }
    )
    in_english(client)
    page = client.get("/competencies/frameworks/PLAIN/1/").content.decode()
    assert "สมรรถนะเอ็กซ์" in page
    assert "optional" not in page
    assert "core: for everyone" not in page
    assert CompetencyNode.objects.count() == 1
