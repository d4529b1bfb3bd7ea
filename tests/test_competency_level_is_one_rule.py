""" "The level a person holds" means one thing wherever it is shown.

One person whose role group requires three competencies, with evidence for every edge case:
a higher level withdrawn, a level valid until today (the last day counts), a level for good,
a level that expired yesterday, a level achieved only tomorrow, a manager's assessment.
`best_levels` (the one definition), the profile (`competency_profile`: level, evidence that
counts, expired evidence), the gaps, the overview's "met" count, the dashboard's people table
and the refresh of dated changes must agree, today and tomorrow.
"""

import datetime as dt

import pytest
from django.utils import timezone

from analytics.selectors.agency import dashboard
from analytics.selectors.contract import DashboardFilters
from analytics.services import aggregates_rebuild, people_with_dated_changes
from competencies.models import CompetencyEvidence
from competencies.selectors import best_levels, competency_gaps, competency_overview, competency_profile
from competencies.services.evidence import manager_assessment_record
from competencies.tests import builders
from lms.thai_calendar import fiscal_year_of
from people.models import RoleGroup
from people.tests.factories import hr_manager_of, learner_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)
LAST_YEAR = TODAY - dt.timedelta(days=365)


@pytest.fixture
def person_with_evidence(public_service):
    unit = public_service["DEPT-A1"]
    framework = builders.framework(levels=4)
    area = builders.node(framework, "1", "Data")
    nodes = {
        code: builders.node(framework, code, f"Competency {code}", parent=area, sort_order=number)
        for number, code in enumerate(["1.1", "1.2", "1.3"])
    }
    role_group = RoleGroup.objects.create(code="ANALYST", name_th="นักวิเคราะห์", name_en="Analyst")
    for code, level in [("1.1", 3), ("1.2", 2), ("1.3", 1)]:
        builders.requirement(role_group, nodes[code], level)
    manager = hr_manager_of(unit, preferred_language="en")
    person = learner_in(unit, first_name="Malee", last_name="Tester")
    person.profile.role_group = role_group
    person.profile.save()

    withdrawn = builders.evidence(person, nodes["1.1"], 4, achieved_on=LAST_YEAR)
    CompetencyEvidence.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    builders.evidence(person, nodes["1.1"], 3, achieved_on=LAST_YEAR, valid_until=TODAY)
    builders.evidence(person, nodes["1.1"], 2, achieved_on=LAST_YEAR)
    builders.evidence(person, nodes["1.2"], 3, achieved_on=LAST_YEAR, valid_until=YESTERDAY)
    builders.evidence(person, nodes["1.2"], 4, achieved_on=TOMORROW)
    manager_assessment_record(person=person, node=nodes["1.3"], level=1, manager=manager)
    return {"person": person, "nodes": nodes, "manager": manager, "unit": unit}


def test_the_profile_gaps_and_dashboard_show_the_level_best_levels_gives(person_with_evidence):
    person, nodes = person_with_evidence["person"], person_with_evidence["nodes"]
    ids = {code: node.pk for code, node in nodes.items()}

    # The rule itself: the withdrawn 4 and the not-yet-achieved 4 do not count, the last day does.
    held_today = best_levels(user_ids=[person.pk], on=TODAY).get(person.pk, {})
    assert held_today == {ids["1.1"]: 3, ids["1.3"]: 1}
    # Tomorrow the level valid until today has ended and the new one has begun.
    held_tomorrow = best_levels(user_ids=[person.pk], on=TOMORROW).get(person.pk, {})
    assert held_tomorrow == {ids["1.1"]: 2, ids["1.2"]: 4, ids["1.3"]: 1}

    for on, held in [(TODAY, held_today), (TOMORROW, held_tomorrow)]:
        # The profile: its level, and the evidence it lists as counting or expired.
        profile = competency_profile(user=person, on=on)
        assert {node_id: entry.level for node_id, entry in profile.items() if entry.level} == held
        for node_id, entry in profile.items():
            counting = set(CompetencyEvidence.objects.valid_on(on).filter(user=person, node_id=node_id))
            assert set(entry.evidence) == counting
            assert all(item.is_valid_on(on) for item in entry.evidence)
            assert not any(item.is_valid_on(on) for item in entry.expired)
            assert entry.level == max((item.level for item in entry.evidence), default=None)
        # The gaps and the overview read the same levels.
        gaps = {gap.node.pk: gap for gap in competency_gaps(user=person, on=on)}
        assert {node_id: gap.current_level for node_id, gap in gaps.items()} == {
            node_id: held.get(node_id, 0) for node_id in ids.values()
        }
        overview = competency_overview(user=person, on=on)
        assert overview.met_count == sum(gap.met for gap in gaps.values())

    # The dashboard's people table counts the one gap of today (1.2: required 2, holds none).
    aggregates_rebuild(resume=False)
    board = dashboard(
        viewer=person_with_evidence["manager"],
        filters=DashboardFilters(
            fiscal_year=fiscal_year_of(TODAY).year, unit_id=person_with_evidence["unit"].pk
        ),
    )
    people_table = board.tables["people"]
    gaps_column = [column.key for column in people_table.columns].index("gaps")
    [row] = people_table.rows
    assert row[gaps_column] == sum(not gap.met for gap in competency_gaps(user=person, on=TODAY)) == 1

    # Evidence that ends today or begins tomorrow changes the figures by itself: refreshed.
    assert person.pk in people_with_dated_changes(since=TODAY, today=TOMORROW)
