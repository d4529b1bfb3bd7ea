"""A person's competency gaps, the learner's /my/competencies/ page, and the HR manager's view
of a staff member with the manager's assessment."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from competencies.models import CompetencyEvidence, CompetencyFramework, CompetencyMapping
from competencies.selectors import competency_gaps
from competencies.tests import builders
from people.civil_service import EmploymentType
from people.models import LearnerProfile
from people.services import role_assign
from people.tests.factories import RoleGroupFactory, UserFactory, hr_manager_of, learner_in

pytestmark = pytest.mark.django_db

MY_PAGE = "/my/competencies/"


@pytest.fixture
def tpqi():
    """TPQI 2024 (levels 1–4): area A (A1, A2) and area B (B1); the role group OPS requires
    A1 ≥ 2, A2 ≥ 3 and B1 ≥ 1."""
    framework = builders.framework(code="TPQI", version="2024", levels=4)
    literacy = builders.node(framework, "A", "Digital literacy", sort_order=1)
    governance = builders.node(framework, "B", "Digital governance", sort_order=2)
    nodes = {
        "framework": framework,
        "A1": builders.node(framework, "A1", "Using devices", parent=literacy, sort_order=1),
        "A2": builders.node(framework, "A2", "Searching for information", parent=literacy, sort_order=2),
        "B1": builders.node(framework, "B1", "Digital laws", parent=governance, sort_order=1),
    }
    group = RoleGroupFactory(code="OPS", name_en="Operational staff", framework=framework)
    builders.requirement(group, nodes["A1"], 2)
    builders.requirement(group, nodes["A2"], 3)
    builders.requirement(group, nodes["B1"], 1)
    nodes["group"] = group
    return nodes


@pytest.fixture
def staff_member(public_service, tpqi):
    """A person in DIV-A1-HR in the role group OPS, reading English: A1 at 3, A2 at 1, no B1."""
    person = learner_in(public_service["DIV-A1-HR"], preferred_language="en", first_name_en="Malee")
    LearnerProfile.objects.filter(user=person).update(role_group=tpqi["group"])
    builders.evidence(person, tpqi["A1"], 3, valid_until=dt.date(2099, 12, 31))
    builders.evidence(person, tpqi["A2"], 1)
    return person


def gaps_by_code(user) -> dict:
    return {gap.node.code: gap for gap in competency_gaps(user=user)}


# Gaps -------------------------------------------------------------------------------------


def test_gaps_compare_each_requirement_with_the_best_valid_level(staff_member):
    gaps = gaps_by_code(staff_member)

    assert list(gaps) == ["A1", "A2", "B1"]
    assert (gaps["A1"].required_level, gaps["A1"].current_level, gaps["A1"].gap) == (2, 3, 0)
    assert gaps["A1"].met
    assert (gaps["A2"].required_level, gaps["A2"].current_level, gaps["A2"].gap) == (3, 1, 2)
    assert (gaps["B1"].required_level, gaps["B1"].current_level, gaps["B1"].gap) == (1, 0, 1)


def test_a_person_without_a_role_group_has_no_targets(public_service, tpqi):
    person = learner_in(public_service["DIV-A1-HR"])
    builders.evidence(person, tpqi["A1"], 1)

    assert competency_gaps(user=person) == []
    assert competency_gaps(user=UserFactory()) == []  # no learner profile at all


def test_courses_that_close_a_gap_are_live_public_and_reach_the_level_best_first(staff_member, tpqi):
    a2, b1 = tpqi["A2"], tpqi["B1"]
    old = builders.framework(code="OCSC", version="2018", status=CompetencyFramework.Status.SUPERSEDED)
    old_search = builders.node(old, "S2", "Searching (2018)")
    old_law = builders.node(old, "L1", "Laws (2018)")
    old_related = builders.node(old, "R1", "Related skill")
    CompetencyMapping.objects.create(source=old_search, target=a2)  # exact, towards A2
    CompetencyMapping.objects.create(source=b1, target=old_law)  # exact, from B1
    CompetencyMapping.objects.create(
        source=old_related, target=a2, relation=CompetencyMapping.Relation.RELATED
    )
    builders.course_targeting((a2, 4), title="Deep search")
    builders.course_targeting((a2, 3), title="Searching well")
    builders.course_targeting((old_search, 3), title="Archive course")
    builders.course_targeting((a2, 4), title="Zeta search")  # enough, but a fourth
    builders.course_targeting((a2, 2), title="Quick tips")  # not enough
    builders.course_targeting((old_related, 4), title="Related only")  # not the same competency
    builders.course_targeting((a2, 3), title="Draft course").unpublish()
    restricted = builders.course_targeting((a2, 3), title="Agency only")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    builders.course_targeting((old_law, 2), title="Law basics")

    gaps = gaps_by_code(staff_member)

    assert [course.title for course in gaps["A2"].courses] == [
        "Archive course",
        "Searching well",
        "Deep search",
    ]
    assert [course.title for course in gaps["B1"].courses] == ["Law basics"]


# The learner's page --------------------------------------------------------------------------


def test_the_learner_page_shows_each_area_requirement_evidence_and_courses(client, staff_member, tpqi):
    other = builders.framework(code="DIGCOMP", version="2.2", levels=8)
    safety = builders.node(other, "4.1", "Protecting devices")
    builders.evidence(staff_member, safety, 5)
    builders.evidence(
        staff_member,
        tpqi["B1"],
        2,
        reference="old",
        achieved_on=dt.date(2020, 1, 1),
        valid_until=dt.date(2021, 1, 1),
    )
    course = builders.course_targeting((tpqi["A2"], 3), title="Searching well")
    client.force_login(staff_member)

    response = client.get(MY_PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Operational staff (OPS)" in html
    # Areas in the framework's order, each competency linked to its place on the framework page.
    assert html.index("Digital literacy") < html.index("Digital governance")
    assert 'href="/competencies/frameworks/TPQI/2024/#competency-A2"' in html
    assert 'href="/competencies/frameworks/DIGCOMP/2.2/#competency-4.1"' in html
    assert "Targets met" in html
    assert re.search(r"<dd>\s*1 of 3\s*</dd>", html)
    # Required against current, in the table the chart is drawn from.
    assert 'data-required="3" data-current="1"' in html
    assert "Not yet: 2 levels to go" in html
    assert "Not yet: 1 level to go" in html
    assert "level 3 (Advanced)" in html
    assert "valid until 31 December 2099" in html
    assert "expired after 1 January 2021" in html
    assert "Courses that would close this gap" in html
    assert f'href="{course.url}"' in html
    # Evidence for a competency the role group does not require is listed too.
    assert "Other competencies with evidence" in html
    assert "Protecting devices" in html
    assert "analytics/vendor/plotly/plotly-cartesian" in html
    assert re.search(r"<script defer src=\"[^\"]*plotly-cartesian[^\"]*\"", html)


def test_the_learner_page_marks_met_targets(client, staff_member, tpqi):
    builders.evidence(staff_member, tpqi["A2"], 3, reference="better")
    builders.evidence(staff_member, tpqi["B1"], 1)
    client.force_login(staff_member)

    html = client.get(MY_PAGE).content.decode()

    assert re.search(r"<dd>\s*3 of 3\s*</dd>", html)
    assert "Not yet" not in html
    assert "Courses that would close this gap" not in html


def test_without_a_role_group_the_page_says_to_ask_the_hr_office(client, public_service, tpqi):
    person = learner_in(public_service["DIV-A1-HR"], preferred_language="en")
    builders.evidence(person, tpqi["A1"], 2)
    client.force_login(person)

    html = client.get(MY_PAGE).content.decode()

    assert "Ask your HR office to set your role group" in html
    assert "Other competencies with evidence" in html
    assert "Using devices" in html


def test_a_person_without_a_learner_profile_or_evidence_sees_both_empty_states(client):
    person = UserFactory(preferred_language="en")
    client.force_login(person)

    html = client.get(MY_PAGE).content.decode()

    assert "Ask your HR office to set your role group" in html
    assert "You have no competency evidence yet" in html


def test_a_role_group_without_requirements_says_so(client, public_service):
    person = learner_in(public_service["DIV-A1-HR"], preferred_language="en")
    LearnerProfile.objects.filter(user=person).update(role_group=RoleGroupFactory(name_en="Others"))
    client.force_login(person)

    html = client.get(MY_PAGE).content.decode()

    assert "No competency targets are set for the role group Others yet." in html


def test_the_learner_page_needs_signing_in(client):
    response = client.get(MY_PAGE)

    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


# The HR manager's view -----------------------------------------------------------------------


def person_url(person) -> str:
    return reverse("competencies:person", args=[person.pk])


def test_the_hr_manager_of_the_unit_sees_the_staff_member_profile(client, public_service, staff_member):
    client.force_login(hr_manager_of(public_service["DEPT-A1"], preferred_language="en"))

    response = client.get(person_url(staff_member))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Competencies of" in html
    assert "Malee" in html
    assert 'data-required="3" data-current="1"' in html
    assert "Record your assessment" in html


def test_a_platform_admin_sees_any_staff_member_profile(client, staff_member):
    admin = UserFactory()
    role_assign(user=admin, role="platform_admin")
    client.force_login(admin)

    assert client.get(person_url(staff_member)).status_code == 200


@pytest.mark.parametrize("who", ["hr_of_another_subtree", "learner", "hr_of_a_sibling_unit"])
def test_anyone_else_gets_not_found(client, public_service, staff_member, who):
    viewer = {
        "hr_of_another_subtree": lambda: hr_manager_of(public_service["DEPT-A2"]),
        "learner": lambda: learner_in(public_service["DIV-A1-HR"]),
        "hr_of_a_sibling_unit": lambda: hr_manager_of(public_service["DIV-A1-ICT"]),
    }[who]()
    client.force_login(viewer)

    assert client.get(person_url(staff_member)).status_code == 404
    response = client.post(
        reverse("competencies:assessment-record", args=[staff_member.pk]), {"node": "", "level": 1}
    )
    assert response.status_code == 404


def test_an_unknown_person_is_not_found_either(client, public_service):
    client.force_login(hr_manager_of(public_service["MIN-A"]))

    assert client.get(reverse("competencies:person", args=[987654])).status_code == 404


def test_a_person_looking_at_their_own_staff_page_is_sent_to_their_page(client, staff_member):
    client.force_login(staff_member)

    response = client.get(person_url(staff_member))

    assert response.status_code == 302
    assert response["Location"] == MY_PAGE


# The manager's assessment -----------------------------------------------------------------


@pytest.fixture
def manager(client, public_service):
    hr = hr_manager_of(public_service["DEPT-A1"], preferred_language="en")
    client.force_login(hr)
    return hr


def assess(client, person, node, level, **fields):
    return client.post(
        reverse("competencies:assessment-record", args=[person.pk]),
        {"node": node.pk, "level": level, **fields},
    )


def manager_rows(person):
    return CompetencyEvidence.objects.filter(user=person, source=CompetencyEvidence.Source.MANAGER)


def test_a_manager_assessment_counts_and_a_new_one_replaces_it(client, manager, staff_member, tpqi):
    response = assess(client, staff_member, tpqi["B1"], 2, note="Led the PDPA review")

    assert response.status_code == 302
    (row,) = manager_rows(staff_member)
    assert (row.level, row.reference, row.recorded_by, row.note) == (
        2,
        f"manager:{manager.pk}",
        manager,
        "Led the PDPA review",
    )
    assert row.achieved_on == timezone.localdate()
    assert gaps_by_code(staff_member)["B1"].met

    until = timezone.localdate() + dt.timedelta(days=365)
    assess(client, staff_member, tpqi["B1"], 1, valid_until=until.isoformat())

    (row,) = manager_rows(staff_member)
    assert (row.level, row.valid_until, row.note) == (1, until, "")


def test_two_managers_assessments_are_kept_apart(client, manager, public_service, staff_member, tpqi):
    assess(client, staff_member, tpqi["B1"], 1)
    client.force_login(hr_manager_of(public_service["MIN-A"]))
    assess(client, staff_member, tpqi["B1"], 2)

    assert sorted(manager_rows(staff_member).values_list("level", flat=True)) == [1, 2]


def test_a_manager_withdraws_their_own_assessment_only(client, manager, public_service, staff_member, tpqi):
    assess(client, staff_member, tpqi["B1"], 2)
    (row,) = manager_rows(staff_member)
    withdraw_url = reverse("competencies:assessment-withdraw", args=[staff_member.pk, row.pk])
    page = client.get(person_url(staff_member)).content.decode()
    assert withdraw_url in page

    client.force_login(hr_manager_of(public_service["MIN-A"]))
    assert client.post(withdraw_url).status_code == 404
    client.force_login(manager)
    assert client.get(withdraw_url).status_code == 405

    response = client.post(withdraw_url)

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.withdrawn_at is not None
    assert gaps_by_code(staff_member)["B1"].current_level == 0
    assert withdraw_url not in client.get(person_url(staff_member)).content.decode()


@pytest.mark.parametrize(
    ("level", "valid_until", "message"),
    [
        (5, "", "The scale of TPQI goes from 1 to 4."),
        (0, "", "Ensure this value is greater than or equal to 1."),
        (2, "2020-01-01", "The date is in the past."),
    ],
)
def test_an_invalid_assessment_is_explained_and_records_nothing(
    client, manager, staff_member, tpqi, level, valid_until, message
):
    response = assess(client, staff_member, tpqi["B1"], level, valid_until=valid_until)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not manager_rows(staff_member).exists()


def test_only_competencies_of_frameworks_in_use_can_be_assessed(client, manager, staff_member, tpqi):
    draft = builders.framework(code="DRAFT", version="0.1", status=CompetencyFramework.Status.DRAFT)
    unused = builders.node(draft, "D1", "Not in use")
    current = builders.framework(code="DIGCOMP", version="2.2", levels=8)
    in_use = builders.node(current, "1.1", "Browsing")

    assert assess(client, staff_member, unused, 1).status_code == 400
    assert assess(client, staff_member, in_use, 6).status_code == 302
    assert list(manager_rows(staff_member).values_list("node__code", flat=True)) == ["1.1"]


def test_assessing_needs_a_post(client, manager, staff_member):
    assert client.get(reverse("competencies:assessment-record", args=[staff_member.pk])).status_code == 405


def test_a_superseded_framework_in_use_by_the_role_group_can_be_assessed(client, manager, staff_member, tpqi):
    CompetencyFramework.objects.filter(pk=tpqi["framework"].pk).update(
        status=CompetencyFramework.Status.SUPERSEDED
    )

    assert assess(client, staff_member, tpqi["A2"], 4).status_code == 302
    assert gaps_by_code(staff_member)["A2"].met


def test_a_manager_cannot_assess_themselves(client, public_service, tpqi):
    hr = hr_manager_of(public_service["DEPT-A1"])
    LearnerProfile.objects.create(
        user=hr, unit=public_service["DIV-A1-HR"], employment_type=EmploymentType.CIVIL_SERVANT
    )
    client.force_login(hr)

    assert assess(client, hr, tpqi["A1"], 4).status_code == 404
    assert not manager_rows(hr).exists()
