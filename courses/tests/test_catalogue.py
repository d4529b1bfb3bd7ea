"""The catalogue finds Thai words inside Thai phrases, filters, and costs the same number of
queries whatever the number of courses and lessons."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Topic
from courses.services import enrolment_request
from courses.tests.factories import course_with_lessons
from organisations.tests.factories import ContentPartnerFactory
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [course.title for course in response.context["courses_page"]]


def test_thai_word_finds_a_course_whose_title_runs_it_together_with_other_words(client):
    pdpa = course_with_lessons(
        title="การคุ้มครองข้อมูลส่วนบุคคลสำหรับหน่วยงานภาครัฐ", title_en="Personal Data Protection for Government"
    )
    course_with_lessons(
        title="ความตระหนักรู้ด้านความมั่นคงปลอดภัยไซเบอร์",
        title_en="Cybersecurity Awareness",
        topic=Topic.objects.create(slug="cybersecurity", name_th="ความมั่นคงปลอดภัยไซเบอร์"),
    )

    assert titles(client.get("/courses/", {"q": "ข้อมูลส่วนบุคคล"})) == [pdpa.title]
    assert titles(client.get("/courses/", {"q": "หน่วยงานภาครัฐ"})) == [pdpa.title]
    assert titles(client.get("/courses/", {"q": "cybersecurity"})) == ["ความตระหนักรู้ด้านความมั่นคงปลอดภัยไซเบอร์"]
    assert titles(client.get("/courses/", {"q": "Personal Data"})) == [pdpa.title]
    nothing = client.get("/courses/", {"q": "ภาษีเงินได้"})
    assert titles(nothing) == []
    assert "ภาษีเงินได้" in nothing.content.decode()


def test_filters_by_topic_partner_level_and_hours(client):
    chula = ContentPartnerFactory(code="chula")
    security = Topic.objects.create(slug="cybersecurity", name_th="ความมั่นคงปลอดภัยไซเบอร์")
    short = course_with_lessons(partner=chula, topic=security, estimated_hours="1.5", level="beginner")
    course_with_lessons(partner=chula, estimated_hours="6", level="advanced")
    course_with_lessons(estimated_hours="1")

    assert titles(client.get("/courses/", {"topic": "cybersecurity"})) == [short.title]
    assert titles(client.get("/courses/", {"partner": "chula", "hours": "short"})) == [short.title]
    assert len(titles(client.get("/courses/", {"level": "beginner"}))) == 2


def build_catalogue(count: int, *, lessons: int = 2):
    partners = [ContentPartnerFactory() for _ in range(3)]
    return [course_with_lessons(partner=partners[n % 3], lessons=lessons) for n in range(count)]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_catalogue_runs_the_same_queries_for_5_and_50_courses(client, signed_in):
    learner = UserFactory()
    if signed_in:
        client.force_login(learner)
    courses = build_catalogue(5)
    enrolment_request(user=learner, course=courses[0])
    client.get("/courses/")  # warm Wagtail's site cache, as any running server has
    with_5 = queries_for(client, "/courses/")
    with_5_searched = queries_for(client, "/courses/?q=หลักสูตร&level=beginner")

    for course in build_catalogue(45):
        enrolment_request(user=learner, course=course)
    with_50 = queries_for(client, "/courses/")

    assert with_50 == with_5
    assert queries_for(client, "/courses/?q=หลักสูตร&level=beginner") == with_5_searched


def test_course_page_runs_the_same_queries_for_5_and_50_lessons(client):
    learner = UserFactory()
    client.force_login(learner)
    small, large = course_with_lessons(lessons=5, modules=2), course_with_lessons(lessons=50, modules=5)
    for course in (small, large):
        enrolment_request(user=learner, course=course)
    client.get(small.url)

    assert queries_for(client, large.url) == queries_for(client, small.url)
