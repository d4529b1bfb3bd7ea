"""The agency dashboard in Chromium, the way an HR manager uses it: the ministry's figures
and charts, a filter changed through the plain GET form, then drilling down ministry →
department (a click on a bar) → division (a link in the table under a chart) → its people."""

import re

import pytest

from analytics.models import AggregateCell, Measure, PersonContribution
from analytics.tests.test_dashboards import FY, cell, cells, contribution
from competencies.models import CompetencyFramework, CompetencyNode
from courses.tests.factories import course_with_lessons
from organisations.models import OrganisationUnit
from organisations.tests.factories import OrganisationUnitFactory
from people.tests.factories import RoleGroupFactory, hr_manager_of, learner_in
from tests.browsing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed():
    kind = OrganisationUnit.Kind
    ministry = OrganisationUnitFactory(
        code="MDES", kind=kind.MINISTRY, name_th="กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", name_en="MDES"
    )
    nso = OrganisationUnitFactory(code="MDES-NSO", parent=ministry, name_th="สำนักงานสถิติแห่งชาติ", name_en="NSO")
    tmd = OrganisationUnitFactory(code="MDES-TMD", parent=ministry, name_th="กรมอุตุนิยมวิทยา", name_en="TMD")
    ict = OrganisationUnitFactory(
        code="MDES-NSO-ICT", kind=kind.DIVISION, parent=nso,
        name_th="ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", name_en="ICT Centre",
    )  # fmt: skip
    hr = OrganisationUnitFactory(
        code="MDES-NSO-HR",
        kind=kind.DIVISION,
        parent=nso,
        name_th="กองบริหารทรัพยากรบุคคล",
        name_en="HR Division",
    )
    elsewhere = OrganisationUnitFactory(
        code="MOF", kind=kind.MINISTRY, name_th="กระทรวงการคลัง", name_en="MOF"
    )
    manager = hr_manager_of(ministry, email="hr@mdes.go.th", preferred_language="th")
    people = [
        learner_in(ict, first_name="วิภาวดี", last_name="ศรีสุข", title="miss"),
        learner_in(ict, first_name="ธนากร", last_name="มั่นคง", title="mr"),
        learner_in(hr, first_name="ปรียา", last_name="แก้วมณี", title="mrs"),
    ]
    outsider = learner_in(elsewhere, first_name="คนนอก", last_name="กระทรวงอื่น")
    # Whatever the live aggregation made of these people, the numbers here are set by hand.
    AggregateCell.objects.all().delete()
    PersonContribution.objects.all().delete()
    contribution(people[0], completions=3, hours=45)
    contribution(people[1], completions=1, hours=20, overdue=1)
    contribution(people[2], completions=2, hours=30)
    contribution(outsider, completions=9)
    ict_numbers = {
        "learners_completed": 2,
        "hours": 65,
        "mandatory_due": 2,
        "mandatory_done": 1,
        "overdue": 1,
    }
    cells(ict, staff=2, active=2, completions=4, **ict_numbers)
    cells(
        hr,
        staff=1,
        active=1,
        completions=2,
        learners_completed=1,
        hours=30,
        mandatory_due=1,
        mandatory_done=1,
    )
    cells(tmd, staff=6, active=3, completions=5, learners_completed=3, hours=90)
    cells(ict, fy=FY - 1, completions=11, hours=110)
    cells(elsewhere, staff=900, completions=900)
    for month, count in ((1, 2), (2, 3), (5, 4), (6, 2)):
        cell(ict if month < 5 else tmd, Measure.COMPLETIONS_MONTH, count, item=month)
    framework = CompetencyFramework.objects.create(code="DSC", version="2024", name_th="สมรรถนะดิจิทัลข้าราชการ")
    literacy = CompetencyNode.objects.create(framework=framework, code="DL", name_th="การรู้ดิจิทัล", sort_order=1)
    governance = CompetencyNode.objects.create(
        framework=framework, code="DG", name_th="ธรรมาภิบาลดิจิทัล", sort_order=2
    )
    tec = RoleGroupFactory(code="TEC", name_th="ผู้ปฏิบัติงานด้านเทคโนโลยีดิจิทัล")
    oth = RoleGroupFactory(code="OTH", name_th="ผู้ปฏิบัติงานอื่น ๆ")
    for unit, group, node, required, met in (
        (ict, tec, literacy, 2, 2),
        (ict, tec, governance, 2, 1),
        (hr, oth, literacy, 1, 0),
        (tmd, oth, literacy, 6, 3),
    ):
        cell(unit, Measure.COMPETENCY_REQUIRED, required, item=node.pk, role_group_id=group.pk)
        cell(unit, Measure.COMPETENCY_MET, met, item=node.pk, role_group_id=group.pk)
    for title, enrolments, completions in (("การคุ้มครองข้อมูลส่วนบุคคล", 7, 5), ("ความมั่นคงปลอดภัยไซเบอร์", 4, 1)):
        course = course_with_lessons(lessons=1, title=title)
        cell(ict, Measure.ENROLMENTS_COURSE, enrolments, item=course.pk)
        cell(ict, Measure.COMPLETIONS_COURSE, completions, item=course.pk)
    return manager, nso, ict


def figure(page, key: str) -> str:
    return page.locator(f'[data-figure="{key}"] .figure-card__number').inner_text().strip()


def wait_for_charts(page) -> None:
    page.wait_for_selector('[data-chart="chart-data-by_unit"][data-drawn="true"]')


def test_an_hr_manager_drills_down_from_ministry_to_people(site_tree, live_server, page, screenshot):
    manager, nso, ict = seed()
    sign_in(page, live_server, manager, "/dashboard/")
    main = page.get_by_role("main")
    assert "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม" in main.locator("h1").inner_text()
    assert f"ปีงบประมาณ {FY}" in main.locator("h1").inner_text()
    assert figure(page, "staff") == "9"
    assert figure(page, "completions") == "11"
    assert "กระทรวงการคลัง" not in main.inner_text()
    assert "900" not in main.inner_text()
    wait_for_charts(page)
    page.wait_for_selector('[data-chart="chart-data-gaps"][data-drawn="true"] .heatmaplayer')
    # With the chart drawn, its table folds away; the numbers are one click off.
    assert page.locator("#table-by_unit details").get_attribute("open") is None
    assert page.locator('.site-nav a[href="/dashboard/"][aria-current="page"]').count() == 1
    screenshot("dashboard-ministry")

    # The previous fiscal year, through the GET form.
    page.locator("select[name=fy]").select_option(str(FY - 1))
    page.locator(".dashboard-filters button[type=submit]").click()
    page.wait_for_url(re.compile(rf"fy={FY - 1}"))
    assert figure(page, "completions") == "11"  # 11 completions, all in the ICT centre
    assert figure(page, "staff") == "9"  # head count is "now"
    page.locator("select[name=fy]").select_option(str(FY))
    page.locator(".dashboard-filters button[type=submit]").click()
    page.wait_for_url(re.compile(rf"fy={FY}(&|$)"))
    wait_for_charts(page)

    # A click on the National Statistical Office's bar drills into it.
    bar = (
        page.locator('[data-chart="chart-data-by_unit"] .barlayer .trace').first.locator(".point path").first
    )
    page.locator('[data-chart="chart-data-by_unit"]').scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(rf"unit={nso.pk}"))
    crumbs = page.get_by_role("navigation", name=re.compile(".")).filter(has=page.locator("ol"))
    assert "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม" in crumbs.inner_text()
    assert figure(page, "staff") == "3"
    assert figure(page, "compliance") == "66.7"
    wait_for_charts(page)
    screenshot("dashboard-department")

    # The division's link in the table under the chart opens its people.
    page.locator("#table-by_unit summary").click()
    page.locator("#table-by_unit").get_by_role("link", name="ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร").click()
    page.wait_for_url(re.compile(rf"unit={ict.pk}"))
    people = page.locator("#table-people")
    assert "นางสาววิภาวดี ศรีสุข" in people.inner_text()
    assert "นายธนากร มั่นคง" in people.inner_text()
    assert "แก้วมณี" not in people.inner_text()  # in the other division
    assert "คนนอก" not in page.get_by_role("main").inner_text()
    rows = {
        row.locator("th").inner_text(): row.locator("td").all_inner_texts()
        for row in people.locator("tbody tr").all()
    }
    assert rows["นางสาววิภาวดี ศรีสุข"][3:6] == ["3", "4.5", "0"]
    crumb_links = page.locator(".dashboard-breadcrumb li").all_inner_texts()
    assert crumb_links == [
        "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
        "สำนักงานสถิติแห่งชาติ",
        "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
    ]
    screenshot("dashboard-division-people")


def test_without_javascript_the_numbers_and_links_are_all_there(site_tree, live_server, browser):
    manager, nso, _ict = seed()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server, manager, "/dashboard/")
        table = page.locator("#table-by_unit table")
        assert table.is_visible()
        assert "สำนักงานสถิติแห่งชาติ" in table.inner_text()
        assert page.locator('[data-chart="chart-data-by_unit"]').is_hidden()
        page.locator("#table-by_unit").get_by_role("link", name="สำนักงานสถิติแห่งชาติ").click()
        page.wait_for_url(re.compile(rf"unit={nso.pk}"))
        assert page.locator('[data-figure="staff"] .figure-card__number').inner_text().strip() == "3"
        page.screenshot(path="test-artifacts/dashboard-no-javascript.png", full_page=True)
    finally:
        context.close()
