import datetime as dt
import json
import re
import time
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from courses.models import Enrolment, EnrolmentMode, LearningHoursEntry, LessonProgress
from courses.selectors import course_lessons
from courses.services import enrolment_assign, enrolment_request, lesson_progress_record, lesson_visit
from courses.tests.factories import CoursePageFactory, LessonPageFactory, course_with_lessons
from courses.views import course_pages
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_enrol_button_enrols_and_the_course_page_offers_to_start(client, learner):
    course = course_with_lessons()

    response = client.post(course.url + "enrol/", follow=True)

    assert Enrolment.objects.get(user=learner, course=course).status == Enrolment.Status.ACTIVE
    assert "เริ่มบทเรียนแรก" in response.content.decode()


def test_assignment_only_course_explains_why_enrolling_is_refused(client, learner):
    course = course_with_lessons(enrolment_mode=EnrolmentMode.BY_ASSIGNMENT)

    response = client.post(course.url + "enrol/", follow=True)

    assert not Enrolment.objects.exists()
    assert "ผู้บริหารงานบุคคล" in response.content.decode()


def test_lessons_are_closed_until_enrolled(client, learner):
    course = course_with_lessons()

    response = client.get(course_lessons(course=course)[0].url)

    assert response.status_code == 302
    assert response.url == course.url


def test_progress_report_from_the_page_completes_the_lesson(client, learner):
    course = course_with_lessons(lessons=2)
    enrolment_request(user=learner, course=course)
    lesson = course_lessons(course=course)[0]
    client.get(lesson.url)

    response = client.post(
        lesson.url + "progress/",
        json.dumps({"seconds": 5, "reached_end": True}),
        content_type="application/json",
    )

    assert response.json()["lesson_complete"] is True
    assert response.json()["course_progress_percent"] == 50
    assert LessonProgress.objects.get(lesson=lesson).status == LessonProgress.Status.COMPLETED


def test_malformed_progress_report_gets_a_clear_error_and_changes_nothing(client, learner):
    course = course_with_lessons()
    enrolment_request(user=learner, course=course)
    lesson = course_lessons(course=course)[0]
    client.post(lesson.url + "progress/", json.dumps({"visit": True}), content_type="application/json")

    response = client.post(lesson.url + "progress/", "{not json", content_type="application/json")
    negative = client.post(
        lesson.url + "progress/", json.dumps({"seconds": -50}), content_type="application/json"
    )

    assert response.status_code == 400
    assert "JSON" in response.json()["error"]
    assert negative.status_code == 400
    assert LessonProgress.objects.get(lesson=lesson).seconds_spent == 0


def test_reading_a_lesson_changes_nothing_and_the_pages_visit_report_does(client, learner):
    """A GET (a link, a prefetch, another site's image tag) records nothing; the page's script
    reports the visit with a POST, which makes the lesson the place to resume."""
    course = course_with_lessons(lessons=2)
    enrolment = enrolment_request(user=learner, course=course)
    second = course_lessons(course=course)[1]
    lesson_progress_record(enrolment=enrolment, lesson=course_lessons(course=course)[0], reached_end=True)

    assert client.get(second.url).status_code == 200
    assert not LessonProgress.objects.filter(lesson=second).exists()
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id != second.pk

    visit = client.post(
        second.url + "progress/", json.dumps({"visit": True}), content_type="application/json"
    )
    assert visit.status_code == 200
    assert LessonProgress.objects.filter(lesson=second).exists()
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == second.pk


def _finish_without_script(client, learner, *, page_opened_seconds_ago: int, monkeypatch) -> LessonProgress:
    """A one-minute lesson last visited three hours ago, whose page (served that many seconds
    ago) is finished with the form, as without JavaScript."""
    course = course_with_lessons(lessons=1, minimum_minutes=1)
    enrolment = enrolment_request(user=learner, course=course)
    lesson = course_lessons(course=course)[0]
    lesson_visit(enrolment=enrolment, lesson=lesson, now=timezone.now() - dt.timedelta(hours=3))
    served_at = time.time() - page_opened_seconds_ago
    with monkeypatch.context() as patch:
        patch.setattr(course_pages, "time", SimpleNamespace(time=lambda: served_at))
        page = client.get(lesson.url).content.decode()
    opened = re.search(r'name="opened" value="([^"]+)"', page)[1]
    client.post(lesson.url + "progress/", {"reached_end": "1", "opened": opened})
    return LessonProgress.objects.get(lesson=lesson)


def test_the_finish_form_without_script_counts_only_the_time_its_page_was_open(client, learner, monkeypatch):
    # The three hours since the last visit do not count: the page was open for a moment.
    hurried = _finish_without_script(client, learner, page_opened_seconds_ago=5, monkeypatch=monkeypatch)
    assert hurried.seconds_spent < 60
    assert hurried.status != LessonProgress.Status.COMPLETED
    # Two minutes with the page open complete it.
    read = _finish_without_script(client, learner, page_opened_seconds_ago=120, monkeypatch=monkeypatch)
    assert read.seconds_spent >= 120
    assert read.status == LessonProgress.Status.COMPLETED


def test_someone_not_enrolled_cannot_report_progress(client, learner):
    course = course_with_lessons()

    response = client.post(
        course_lessons(course=course)[0].url + "progress/",
        json.dumps({"reached_end": True}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not LessonProgress.objects.exists()


def test_continue_goes_to_the_next_unfinished_lesson(client, learner):
    course = course_with_lessons(lessons=3)
    enrolment = enrolment_request(user=learner, course=course)
    first, second, third = course_lessons(course=course)
    for lesson in (first, second):
        client.get(lesson.url)
        lesson_progress_record(enrolment=enrolment, lesson=lesson, reached_end=True)

    assert client.get(course.url + "continue/").url == third.url


def test_my_learning_shows_hours_this_fiscal_year_and_overdue_assignments(client, learner):
    done = course_with_lessons(lessons=1, estimated_hours=Decimal("2.5"))
    lesson_progress_record(
        enrolment=enrolment_request(user=learner, course=done),
        lesson=course_lessons(course=done)[0],
        reached_end=True,
    )
    late = course_with_lessons(title="หลักสูตรความปลอดภัยไซเบอร์")
    enrolment_assign(
        user=learner,
        course=late,
        assigned_by=UserFactory(),
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )

    page = client.get("/my/")
    html = page.content.decode()

    assert page.context["learning"].hours_this_year == Decimal("2.5")
    assert page.context["learning"].overdue_count == 1
    assert "<strong>เลยกำหนด</strong>" in html
    assert "learning-item--overdue" in html


def test_transcript_downloads_as_csv_with_buddhist_era_dates(client, learner):
    course = course_with_lessons(lessons=1, title="การคุ้มครองข้อมูลส่วนบุคคล", estimated_hours=Decimal("3"))
    enrolment = enrolment_request(user=learner, course=course)
    lesson_progress_record(enrolment=enrolment, lesson=course_lessons(course=course)[0], reached_end=True)
    completed_on = timezone.localtime(LearningHoursEntry.objects.get().credited_at)

    response = client.get("/my/transcript/", {"format": "csv"})
    text = response.content.decode("utf-8")

    assert response["Content-Type"].startswith("text/csv")
    assert text.startswith("\ufeff")
    assert "การคุ้มครองข้อมูลส่วนบุคคล" in text
    assert str(completed_on.year + 543) in text
    assert ",3.0," in text
    assert "ปีงบประมาณ" in client.get("/my/transcript/").content.decode()


def test_my_pages_need_sign_in(client):
    assert client.get("/my/").status_code == 302
    assert client.get("/my/transcript/").status_code == 302


def test_opening_a_required_document_is_recorded_and_leads_to_the_file(client, learner):
    document = Document.objects.create(
        title="ประกาศคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล", file=ContentFile(b"%PDF-1.4 test", name="notice.pdf")
    )
    course = CoursePageFactory()
    lesson = LessonPageFactory(parent=course, body__0__document__document=document)
    enrolment = enrolment_request(user=learner, course=course)
    assert 'action="' + lesson.url + 'open/document-1/"' in client.get(lesson.url).content.decode()

    assert client.get(lesson.url + "open/document-1/").status_code == 405  # a GET records nothing
    response = client.post(lesson.url + "open/document-1/")
    client.post(lesson.url + "progress/", json.dumps({"reached_end": True}), content_type="application/json")

    assert response.status_code == 302
    assert response.url == document.url
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert client.post(lesson.url + "open/missing/").status_code == 404


def test_author_preview_of_a_lesson_shows_it_without_recording_progress():
    course = course_with_lessons(lessons=1)
    lesson = course_lessons(course=course)[0]

    response = lesson.make_preview_request()

    assert response.status_code == 200
    html = response.content.decode()
    assert "เนื้อหาบทเรียนภาษาไทย" in html
    assert "ไม่มีการบันทึกความก้าวหน้า" in html
    assert not LessonProgress.objects.exists()
