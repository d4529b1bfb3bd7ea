"""The DPO's audit log in the admin: only for those who may read it, searchable, paged,
Buddhist-era dates, a CSV download that is itself recorded, and nothing to change."""

import csv
import datetime as dt
import io

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from audit.views import PAGE_SIZE
from lms.thai_calendar import buddhist_year
from people.models import Role
from people.services import role_assign
from people.tests.factories import hr_manager_of, learner

pytestmark = pytest.mark.django_db

URL = "/admin/audit-log/"


@pytest.fixture
def dpo():
    officer = learner()
    role_assign(user=officer, role=Role.DATA_PROTECTION_OFFICER)
    return officer


def _entry(action=Action.SIGN_IN, *, days_ago=0, **fields):
    event = AuditEvent(action=action, occurred_at=timezone.now() - dt.timedelta(days=days_ago), **fields)
    event.save()
    return event


def _finder(client):
    """What a search shows, leaving out the entries the test's own set-up made (the DPO's role,
    their sign-in)."""
    made_by_setup = Q(action=Action.ROLE_GRANTED) | Q(action=Action.SIGN_IN, what="")
    setup = set(AuditEvent.objects.filter(made_by_setup).values_list("pk", flat=True))

    def found(**query):
        return {row.what for row in client.get(URL, query).context["page"] if row.pk not in setup}

    return found


def test_the_menu_item_and_page_are_the_dpos(client, dpo):
    client.force_login(dpo)
    assert "/admin/audit-log/" in client.get("/admin/").text
    response = client.get(URL)
    assert response.status_code == 200
    assert reverse("audit_log") == URL


def test_an_administrator_reads_it_through_the_superuser(client):
    client.force_login(learner(is_superuser=True))
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("who", ["hr_manager", "learner", "platform_reviewer"])
def test_people_who_may_not_read_the_log_are_refused(client, public_service, who):
    if who == "hr_manager":
        person = hr_manager_of(public_service["DEPT-A1"])
    elif who == "platform_reviewer":
        person = role_assign(user=learner(), role=Role.PLATFORM_REVIEWER).user
    else:
        person = learner()
    client.force_login(person)
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] != URL
    assert client.get(URL + "?format=csv").status_code in (302, 403)
    if who == "platform_reviewer":  # in the admin, without the menu item
        assert "/admin/audit-log/" not in client.get("/admin/").text


def test_entries_show_buddhist_era_dates_and_people_by_address_and_number(client, dpo):
    manager, person = learner(email="manager@agency.go.th"), learner(email="staff@agency.go.th")
    _entry(
        Action.RECORDS_VIEWED,
        actor=manager,
        subject=person,
        what="competencies.profile",
        ip_address="192.0.2.1",
    )
    client.force_login(dpo)
    page = client.get(URL).text
    assert f"manager@agency.go.th (#{manager.pk})" in page
    assert f"staff@agency.go.th (#{person.pk})" in page
    assert str(buddhist_year(timezone.localdate().year)) in page
    assert "competencies.profile" in page
    for forbidden in ("/edit/", "/delete/", "/add/"):
        assert forbidden not in page.split("audit-search", 1)[1]


def test_the_search_finds_a_person_as_actor_or_subject_by_address_or_number(client, dpo):
    manager, person, other = learner(email="manager@agency.go.th"), learner(), learner()
    as_actor = _entry(Action.RECORDS_VIEWED, actor=manager, subject=other, what="as-actor")
    as_subject = _entry(Action.RECORDS_VIEWED, actor=person, subject=manager, what="as-subject")
    _entry(Action.SIGN_IN, actor=other, what="unrelated")
    tried = _entry(Action.SIGN_IN_FAILED, attempted="gone@agency.go.th", what="tried")
    client.force_login(dpo)
    found = _finder(client)

    assert found(person="MANAGER@agency.go.th") == {as_actor.what, as_subject.what}
    assert found(person=str(manager.pk)) == {as_actor.what, as_subject.what}
    assert found(person="gone@agency.go.th") == {tried.what}


def test_the_search_filters_by_action_dates_and_address(client, dpo):
    _entry(Action.SIGN_IN, days_ago=10, what="old", ip_address="192.0.2.1")
    _entry(Action.SIGN_IN, days_ago=0, what="today", ip_address="192.0.2.2")
    _entry(Action.SIGN_OUT, days_ago=0, what="signed-out", ip_address="192.0.2.2")
    client.force_login(dpo)
    today = timezone.localdate()
    found = _finder(client)

    assert found(action=Action.SIGN_OUT) == {"signed-out"}
    assert found(
        date_from=(today - dt.timedelta(days=11)).isoformat(),
        date_to=(today - dt.timedelta(days=9)).isoformat(),
    ) == {"old"}
    assert found(ip_address="192.0.2.2") == {"today", "signed-out"}
    assert found(date_from=today.isoformat()) == {"today", "signed-out"}


def test_a_backwards_date_range_says_what_is_wrong_and_shows_nothing(client, dpo):
    _entry(Action.SIGN_IN)
    client.force_login(dpo)
    response = client.get(URL, {"date_from": "2026-12-07", "date_to": "2026-12-01", "lms-language": "en"})
    assert list(response.context["page"]) == []
    assert response.context["form"].errors["date_to"]


def test_the_log_is_paged(client, dpo):
    for number in range(PAGE_SIZE + 1):
        _entry(Action.SIGN_OUT, what=f"entry-{number}")
    client.force_login(dpo)
    first = client.get(URL, {"action": Action.SIGN_OUT})
    assert len(first.context["rows"]) == PAGE_SIZE
    assert "action=sign_out&amp;p=2" in first.text
    assert [row["what"] for row in client.get(URL, {"action": Action.SIGN_OUT, "p": 2}).context["rows"]] == [
        "entry-0"
    ]


def test_the_csv_download_holds_the_filtered_entries_and_is_itself_recorded(client, dpo):
    _entry(Action.SIGN_IN, what='=HYPERLINK("http://evil")', ip_address="192.0.2.9")
    _entry(Action.SIGN_OUT, what="not-asked-for")
    client.force_login(dpo)

    response = client.get(
        URL, {"action": Action.SIGN_IN, "ip_address": "192.0.2.9", "format": "csv"}, REMOTE_ADDR="192.0.2.50"
    )

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[1][4] == '\'=HYPERLINK("http://evil")'  # guarded by lms.spreadsheets
    assert rows[1][6] == "192.0.2.9"
    recorded = AuditEvent.objects.get(action=Action.RECORDS_EXPORTED)
    assert (recorded.actor_id, recorded.what, recorded.ip_address) == (dpo.pk, "audit.log", "192.0.2.50")
    assert recorded.detail["filters"]["action"] == Action.SIGN_IN
    assert recorded.detail["rows"] == 1
