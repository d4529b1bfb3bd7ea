"""Reminder digests: one e-mail per person per day, on a schedule that does not flood."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from assignments.models import ReminderPreference, ReminderSent
from assignments.services.assignments import assignment_deactivate
from assignments.services.reminders import reminders_send
from assignments.tests.factories import assignment_of
from courses.models import Enrolment
from courses.selectors import course_lessons
from courses.services import lesson_progress_record
from courses.tests.factories import complete, course_with_lessons
from people.tests.factories import hr_manager_of, learner_in

pytestmark = pytest.mark.django_db

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def site_address(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://thaksa.example"


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BANGKOK)


def mails_to(outbox, person) -> list:
    return [mail for mail in outbox if mail.to == [person.email]]


def next_monday(after: dt.date) -> dt.date:
    return after + dt.timedelta(days=(7 - after.weekday()) % 7 or 7)


def test_one_digest_a_day_lists_every_course_that_reached_a_reminder(public_service, mailoutbox):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit, preferred_language="en")
    first = assignment_of(unit, course=course_with_lessons(lessons=1, title_en="Data protection"), days=7)
    assignment_of(unit, course=course_with_lessons(lessons=1, title_en="Cyber security"), days=1)

    reminders_send(now=at(TODAY, 9))
    reminders_send(now=at(TODAY, 10))

    [mail] = mails_to(mailoutbox, person)
    assert mail.subject == "Reminder: 2 assigned courses need your attention"
    assert "Data protection" in mail.body
    assert "Cyber security" in mail.body
    assert first.due_date.strftime("%B") in mail.body  # English dates for an English reader
    assert ReminderSent.objects.get(user=person).items == 2


def test_nothing_is_sent_before_eight_in_the_morning_bangkok_time(public_service, mailoutbox):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    assignment_of(unit, days=1)

    reminders_send(now=at(TODAY, 7, 59))
    assert mails_to(mailoutbox, person) == []

    reminders_send(now=at(TODAY, 8, 0))
    assert len(mails_to(mailoutbox, person)) == 1


def test_reminders_come_7_days_and_1_day_before_on_the_day_then_weekly_while_overdue(
    public_service, mailoutbox
):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    due = TODAY + dt.timedelta(days=12)
    assignment_of(unit, due_date=due)

    sent_on = []
    for offset in range(-10, 17):
        day = due + dt.timedelta(days=offset)
        before = len(mails_to(mailoutbox, person))
        reminders_send(now=at(day, 9))
        reminders_send(now=at(day, 15))
        sent = len(mails_to(mailoutbox, person)) - before
        assert sent <= 1
        if sent:
            sent_on.append(offset)

    assert sent_on == [-7, -1, 0, 1, 8, 15]


def test_a_person_assigned_5_days_before_the_due_date_gets_the_first_reminder_at_once(
    public_service, mailoutbox
):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    assignment_of(unit, days=5)

    reminders_send(now=at(TODAY))
    reminders_send(now=at(TODAY + dt.timedelta(days=1)))

    assert len(mails_to(mailoutbox, person)) == 1


def test_no_reminders_for_people_who_chose_none(public_service, mailoutbox):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    ReminderPreference.objects.create(user=person, frequency=ReminderPreference.Frequency.NONE)
    assignment_of(unit, days=1)

    reminders_send(now=at(TODAY))

    assert mails_to(mailoutbox, person) == []


def test_weekly_reminders_come_on_mondays_and_list_everything_due_within_a_week_or_overdue(
    public_service, mailoutbox
):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit, preferred_language="en")
    ReminderPreference.objects.create(user=person, frequency=ReminderPreference.Frequency.WEEKLY)
    monday = next_monday(TODAY + dt.timedelta(days=3))
    assignment_of(
        unit,
        course=course_with_lessons(lessons=1, title_en="Overdue course"),
        due_date=monday - dt.timedelta(days=2),
    )
    assignment_of(
        unit,
        course=course_with_lessons(lessons=1, title_en="Soon course"),
        due_date=monday + dt.timedelta(days=5),
    )
    assignment_of(
        unit,
        course=course_with_lessons(lessons=1, title_en="Later course"),
        due_date=monday + dt.timedelta(days=20),
    )

    for offset in range(-6, 0):
        reminders_send(now=at(monday + dt.timedelta(days=offset)))
    assert mails_to(mailoutbox, person) == []

    reminders_send(now=at(monday))

    [mail] = mails_to(mailoutbox, person)
    assert "Overdue course" in mail.body
    assert "Soon course" in mail.body
    assert "Later course" not in mail.body


@pytest.mark.parametrize("case", ["completed", "inactive", "deactivated"])
def test_no_reminder_for_a_completed_course_an_inactive_person_or_a_deactivated_assignment(
    public_service, mailoutbox, case
):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    course = course_with_lessons(lessons=1)
    assignment = assignment_of(unit, course=course, days=1)
    if case == "completed":
        lesson_progress_record(
            enrolment=Enrolment.objects.get(user=person, course=course),
            lesson=course_lessons(course=course)[0],
            reached_end=True,
        )
    elif case == "inactive":
        person.is_active = False
        person.save()
    else:
        assignment_deactivate(assignment=assignment)

    reminders_send(now=at(TODAY))

    assert mails_to(mailoutbox, person) == []


def test_a_course_completed_before_it_was_assigned_is_never_reminded(public_service, mailoutbox):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    course = course_with_lessons(lessons=1)
    complete(person, course)
    assignment_of(unit, course=course, days=1)

    reminders_send(now=at(TODAY))

    assert mails_to(mailoutbox, person) == []


def test_the_digest_is_in_thai_by_default_with_a_plain_text_and_an_html_part_and_absolute_links(
    public_service, mailoutbox
):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    course = course_with_lessons(lessons=1, title="การคุ้มครองข้อมูลส่วนบุคคล")
    due = TODAY + dt.timedelta(days=1)
    assignment_of(unit, course=course, due_date=due)

    reminders_send(now=at(TODAY))

    [mail] = mails_to(mailoutbox, person)
    thai_due = f"{due.day} "  # then the Thai month name and the Buddhist-era year
    assert f"{due.year + 543}" in mail.body
    assert thai_due in mail.body
    assert "การคุ้มครองข้อมูลส่วนบุคคล" in mail.body
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert f'href="https://thaksa.example{course.url}"' in html
    assert "https://thaksa.example/my/" in mail.body


def test_manager_digest_lists_only_the_managers_own_overdue_staff_grouped_by_unit(public_service, mailoutbox):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"], preferred_language="en")
    in_division = learner_in(units["DIV-A1-HR"], first_name_en="Malee", last_name_en="Srisuk")
    in_dept = learner_in(units["DEPT-A1"], first_name_en="Somsak", last_name_en="Dee")
    elsewhere = learner_in(units["DEPT-A2"], first_name_en="Outside", last_name_en="Person")
    monday = next_monday(TODAY + dt.timedelta(days=3))
    due = monday - dt.timedelta(days=2)
    course = course_with_lessons(lessons=1)
    assignment_of(units["MIN-A"], course=course, due_date=due)  # the ministry's HR: covers all three

    reminders_send(now=at(monday))

    [digest] = mails_to(mailoutbox, manager)
    body = digest.body
    assert digest.subject == "2 people in your units are overdue with assigned courses"
    assert in_division.email in body
    assert in_dept.email in body
    assert elsewhere.email not in body
    # Grouped by unit, in tree order: the department, then its division.
    positions = [
        body.index(units["DEPT-A1"].name_en),
        body.index(in_dept.email),
        body.index(units["DIV-A1-HR"].name_en),
        body.index(in_division.email),
    ]
    assert positions == sorted(positions)


def test_a_long_manager_digest_counts_everyone_and_lists_the_first_lines(
    public_service, mailoutbox, monkeypatch
):
    from assignments.services import reminders

    units = public_service
    manager = hr_manager_of(units["DEPT-A1"], preferred_language="en")
    people = [learner_in(units["DEPT-A1"], first_name_en=f"Person{n}", last_name_en="Late") for n in range(3)]
    monday = next_monday(TODAY + dt.timedelta(days=3))
    assignment_of(
        units["DEPT-A1"], course=course_with_lessons(lessons=1), due_date=monday - dt.timedelta(days=2)
    )
    monkeypatch.setattr(reminders, "MANAGER_DIGEST_MAX_LINES", 2)

    reminders_send(now=at(monday))

    [digest] = mails_to(mailoutbox, manager)
    assert digest.subject == "3 people in your units are overdue with assigned courses"
    assert sum(person.email in digest.body for person in people) == 2
    assert "Only the first lines are listed here" in digest.body


def test_manager_digest_comes_on_mondays_and_otherwise_only_when_someone_new_is_overdue(
    public_service, mailoutbox
):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"], preferred_language="en")
    first = learner_in(units["DEPT-A1"])
    late_joiner = learner_in(units["DIV-A1-ICT"])
    monday = next_monday(TODAY + dt.timedelta(days=3))
    assignment_of(units["DEPT-A1"], due_date=monday - dt.timedelta(days=3))
    assignment_of(units["DEPT-A1"], due_date=monday + dt.timedelta(days=1), people=[late_joiner])

    sent_on = []
    for offset in range(0, 8):
        before = len(mails_to(mailoutbox, manager))
        reminders_send(now=at(monday + dt.timedelta(days=offset)))
        if len(mails_to(mailoutbox, manager)) > before:
            sent_on.append(offset)

    # Monday; Wednesday (the second course became overdue on Wednesday); the next Monday.
    assert sent_on == [0, 2, 7]
    wednesday = mails_to(mailoutbox, manager)[1].body
    lines = {line for line in wednesday.splitlines() if "@" in line}
    assert any(late_joiner.email in line and "[new]" in line for line in lines)
    assert any(first.email in line and "[new]" not in line for line in lines)


def test_managers_who_turned_the_digest_off_get_none(public_service, mailoutbox):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"])
    ReminderPreference.objects.create(user=manager, manager_digest=False)
    learner_in(units["DEPT-A1"])
    monday = next_monday(TODAY + dt.timedelta(days=3))
    assignment_of(units["DEPT-A1"], due_date=monday - dt.timedelta(days=1))

    reminders_send(now=at(monday))

    assert mails_to(mailoutbox, manager) == []
