"""New versions of packages in published lessons wait for a platform reviewer; a lesson shows
only its own partner's packages."""

import hashlib
import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils.translation import gettext
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import LessonPage
from courses.tests.factories import LessonBodyFactory, course_with_lessons, enrolled
from organisations.tests.factories import ContentPartnerFactory
from people.models import Role
from people.services import role_assign
from people.tests.factories import UserFactory
from scorm.devtools.package_builder import ScoSpec, package_build
from scorm.models import PackageVersion, ReviewStatus, ScormPackage
from scorm.selectors import lessons_using_package
from scorm.services.packages import package_upload
from scorm.tests.factories import launch, package_ready, scorm_lesson
from scorm.wagtail_hooks import PackageReviewMenuItem

pytestmark = pytest.mark.django_db

OTHER_PARTNER_MESSAGE = (
    "This SCORM package belongs to another content partner. A lesson can use only the packages of its "
    "own course's partner: choose one of those."
)


def person(role, partner=None, **fields):
    user = UserFactory(**fields)
    role_assign(user=user, role=role, partner=partner)
    return user


def upload(zip_bytes: bytes, *, partner=None, package=None, user=None) -> PackageVersion:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the import is queued on commit
        version = package_upload(
            partner=partner or package.partner,
            title="การคุ้มครองข้อมูลส่วนบุคคล",
            uploaded_file=SimpleUploadedFile("course.zip", zip_bytes, content_type="application/zip"),
            package=package,
            user=user,
        )
    version.refresh_from_db()
    return version


def first_version():
    return package_build(
        title="PDPA",
        scos=[
            ScoSpec("INTRO", "บทนำ", href="intro/index.html", html="<p>บทนำ</p>"),
            ScoSpec("QUIZ", "แบบทดสอบ", href="quiz/index.html", mastery_score=80),
        ],
        files={"shared/style.css": "body { color: black; }", "shared/old.js": "var old;"},
    )


def second_version():
    return package_build(
        title="PDPA",
        scos=[
            ScoSpec("INTRO", "บทนำ (ฉบับปรับปรุง)", href="intro/index.html", html="<p>บทนำ</p>"),
            ScoSpec("QUIZ", "แบบทดสอบ", href="quiz/start.html", mastery_score=70),
            ScoSpec("EXTRA", "ภาคผนวก", href="extra/index.html"),
        ],
        files={"shared/style.css": "body { color: navy; }", "shared/new.js": "var fresh;"},
    )


@pytest.fixture
def partner():
    return ContentPartnerFactory()


@pytest.fixture
def author(partner):
    return person(Role.PARTNER_AUTHOR, partner, email="author@example.ac.th")


@pytest.fixture
def reviewer():
    return person(Role.PLATFORM_REVIEWER)


@pytest.fixture
def in_published_lesson(partner, author):
    """Version 1 of a package, in use in a published lesson; version 2 uploaded by the author."""
    first = upload(first_version(), partner=partner, user=author)
    lesson = scorm_lesson(package=first.package)
    second = upload(second_version(), package=first.package, user=author)
    return first, second, lesson


def section(html: str, heading_id: str) -> str:
    """The HTML of the page's <section> labelled by `heading_id`."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_import_records_every_file_with_its_size_and_sha256(partner):
    zip_bytes = first_version()
    version = upload(zip_bytes, partner=partner)
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        expected = {
            name: [len(archive.read(name)), hashlib.sha256(archive.read(name)).hexdigest()]
            for name in archive.namelist()
        }
    assert version.files == expected
    assert version.file_count == len(expected)


def test_a_package_in_no_published_lesson_gets_its_new_version_at_once(partner, author):
    first = upload(first_version(), partner=partner, user=author)
    unpublished = scorm_lesson(package=first.package)
    unpublished.unpublish()

    second = upload(second_version(), package=first.package, user=author)

    assert second.review_status == ReviewStatus.NOT_NEEDED
    assert ScormPackage.objects.get().current_version == second


def test_a_new_version_of_a_package_in_a_lesson_under_review_waits_too(partner, author):
    """The page workflow approves the lesson with the version its reviewer previewed; a new
    upload during moderation must not become what learners get once the lesson is published."""
    first = upload(first_version(), partner=partner, user=author)
    lesson = scorm_lesson(package=first.package)
    lesson.unpublish()
    draft = LessonPage.objects.get(pk=lesson.pk)
    draft.save_revision(user=author)
    draft.get_workflow().start(draft, author)  # the platform's partner-then-platform review
    assert draft.workflow_in_progress

    second = upload(second_version(), package=first.package, user=author)

    assert second.review_status == ReviewStatus.PENDING
    assert ScormPackage.objects.get().current_version == first
    assert [found.pk for found in lessons_using_package(first.package)] == [lesson.pk]


def test_a_new_version_waits_while_learners_keep_the_one_in_use_until_it_is_approved(
    client, in_published_lesson, reviewer, author
):
    first, second, lesson = in_published_lesson
    assert second.status == PackageVersion.Status.READY
    assert second.review_status == ReviewStatus.PENDING
    early = enrolled(UserFactory(), lesson)
    assert launch(early, lesson).session.attempt.registration.version == first

    client.force_login(reviewer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("scorm_admin:review", args=[second.pk]), {"decision": "approve", "note": ""}
        )

    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.review_status, second.reviewed_by) == (ReviewStatus.APPROVED, reviewer)
    assert second.reviewed_at is not None
    late = enrolled(UserFactory(), lesson)
    assert launch(late, lesson).session.attempt.registration.version == second
    # The learner who started on version 1 finishes on it.
    assert launch(early, lesson).session.attempt.registration.version == first
    assert [message.to for message in mail.outbox] == [[author.email]]
    assert "การคุ้มครองข้อมูลส่วนบุคคล" in mail.outbox[0].subject


def test_a_rejected_version_keeps_the_one_in_use_and_the_author_reads_the_note(
    client, in_published_lesson, reviewer, author
):
    first, second, lesson = in_published_lesson
    review_url = reverse("scorm_admin:review", args=[second.pk])
    client.force_login(reviewer)

    refused = client.post(review_url, {"decision": "reject", "note": "  "})
    assert refused.status_code == 200
    assert refused.context["form"].errors["note"]
    second.refresh_from_db()
    assert second.review_status == ReviewStatus.PENDING

    note = "แบบทดสอบเปิดเว็บไซต์ภายนอก กรุณาลบลิงก์ออก"
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(review_url, {"decision": "reject", "note": note}).status_code == 302

    second.refresh_from_db()
    assert (second.review_status, second.review_note) == (ReviewStatus.REJECTED, note)
    assert ScormPackage.objects.get().current_version == first
    assert launch(enrolled(UserFactory(), lesson), lesson).session.attempt.registration.version == first
    assert note in mail.outbox[0].body
    client.force_login(author)
    assert note in client.get(reverse("scorm_admin:detail", args=[first.package_id])).content.decode()


def test_the_review_page_shows_the_files_items_and_launch_addresses_that_changed(
    client, in_published_lesson, reviewer
):
    _first, second, lesson = in_published_lesson
    client.force_login(reviewer)

    page = client.get(reverse("scorm_admin:review", args=[second.pk])).content.decode()

    files = section(page, "files-heading")
    rows = {
        path: change
        for change, path in re.findall(r'<tr class="scorm-review__(\w+)"><td><code>([^<]+)</code>', files)
    }
    assert rows["shared/new.js"] == "added"
    assert rows["quiz/start.html"] == "added"
    assert rows["extra/index.html"] == "added"
    assert rows["shared/old.js"] == "removed"
    assert rows["quiz/index.html"] == "removed"
    assert rows["shared/style.css"] == "changed"
    assert rows["imsmanifest.xml"] == "changed"
    assert "intro/index.html" not in rows  # same content: not listed

    launches = section(page, "launch-heading")
    assert re.findall(r"<mark><code>([^<]+)</code></mark>", launches) == [
        "quiz/start.html",
        "extra/index.html",
    ]

    structure = section(page, "structure-heading")
    assert "บทนำ (ฉบับปรับปรุง)" in structure  # the item retitled
    assert "ภาคผนวก" in structure  # the item added
    quiz = structure[structure.index("<code>QUIZ</code>") :]
    assert re.search(r"<del>80(\.0)?</del>.*<mark>70(\.0)?</mark>", quiz, re.S)  # the mastery score lowered

    assert f'href="{reverse("scorm:preview", args=[second.pk])}"' in page
    assert "sandbox=" in page
    assert lesson.title in section(page, "lessons-heading")


def test_only_a_platform_reviewer_from_outside_the_partner_may_decide(
    client, in_published_lesson, reviewer, author, partner
):
    _first, second, _lesson = in_published_lesson
    review_url = reverse("scorm_admin:review", args=[second.pk])
    partner_reviewer = person(Role.PARTNER_REVIEWER, partner)

    for insider in (author, partner_reviewer):
        client.force_login(insider)
        queue = client.get(reverse("scorm_admin:review_queue"))
        assert queue.status_code in {302, 403}  # the admin sends those refused back to its dashboard
        assert review_url not in queue.content.decode()
        page = client.get(review_url)
        assert page.status_code == 200  # the partner's people may read what changed
        assert 'value="approve"' not in page.content.decode()
        assert client.post(review_url, {"decision": "approve"}).status_code == 403
    second.refresh_from_db()
    assert second.review_status == ReviewStatus.PENDING

    # A platform reviewer who also works for the partner does not decide on its content either.
    reviewer_inside = person(Role.PLATFORM_REVIEWER)
    role_assign(user=reviewer_inside, role=Role.PARTNER_REVIEWER, partner=partner)
    client.force_login(reviewer_inside)
    assert client.post(review_url, {"decision": "approve"}).status_code == 403

    client.force_login(author)
    # The author's package page says a version waits and links to its changes.
    assert (
        f'href="{review_url}"'
        in client.get(reverse("scorm_admin:detail", args=[second.package_id])).content.decode()
    )
    assert f'href="{review_url}"' not in client.get(reverse("scorm_admin:index")).content.decode()

    client.force_login(reviewer)
    queue = client.get(reverse("scorm_admin:review_queue")).content.decode()
    assert f'href="{review_url}"' in queue
    assert f'href="{review_url}"' in client.get(reverse("scorm_admin:index")).content.decode()
    assert 'value="approve"' in client.get(review_url).content.decode()
    assert client.post(review_url, {"decision": "approve"}).status_code == 302
    second.refresh_from_db()
    assert second.review_status == ReviewStatus.APPROVED


def test_nobody_approves_a_version_they_uploaded(client, partner):
    admin = person(Role.PLATFORM_ADMIN)
    first = upload(first_version(), partner=partner, user=admin)
    scorm_lesson(package=first.package)
    second = upload(second_version(), package=first.package, user=admin)
    client.force_login(admin)
    assert (
        client.post(reverse("scorm_admin:review", args=[second.pk]), {"decision": "approve"}).status_code
        == 403
    )


def test_the_menu_counts_the_versions_waiting_for_the_reviewer(in_published_lesson, reviewer, author):
    request = RequestFactory().get("/admin/")
    item = PackageReviewMenuItem("Package review", "/admin/scorm/review/")
    request.user = author
    assert not item.is_shown(request)
    request.user = reviewer
    assert item.is_shown(request)
    assert "1" in str(item.render_component(request).label)


def test_only_the_published_content_of_a_lesson_counts_as_using_a_package(partner):
    package = package_ready(partner=partner).package
    other = package_ready(partner=partner).package
    lesson = scorm_lesson(package=other)
    assert lessons_using_package(package) == []
    assert lessons_using_package(other) == [LessonPage.objects.get(pk=lesson.pk)]

    # A draft that adds the package is not what learners see.
    course = course_with_lessons(partner=partner, lessons=1)
    draft = LessonPage.objects.child_of(course).get()
    draft.body = LessonBodyFactory(**{"0__scorm__package": package})
    draft.save_revision()
    assert lessons_using_package(package) == []


def _lesson_with(package, *, lesson):
    lesson.body = LessonBodyFactory(**{"0__scorm__package": package})
    return lesson


def test_a_lesson_cannot_be_saved_with_another_partners_package(partner):
    other_package = package_ready(partner=ContentPartnerFactory()).package
    own_package = package_ready(partner=partner).package
    lesson = LessonPage.objects.child_of(course_with_lessons(partner=partner, lessons=1)).get()

    with pytest.raises(ValidationError) as refused:
        _lesson_with(other_package, lesson=lesson).full_clean()
    errors = refused.value.error_dict["body"][0].block_errors[0].block_errors["package"]
    assert gettext(OTHER_PARTNER_MESSAGE) in errors.messages

    _lesson_with(own_package, lesson=lesson).full_clean()


def _lesson_form(package, **fields):
    return nested_form_data(
        {
            "title": "บทเรียน SCORM",
            "slug": "scorm-lesson",
            "title_en": "",
            "is_required": "on",
            "minimum_minutes": "0",
            "body": streamfield(
                [
                    (
                        "scorm",
                        {
                            "package": package.pk,
                            "required_outcome": "completed",
                            "retake": "review",
                            "score_policy": "best",
                            "height": "640",
                        },
                    )
                ]
            ),
            **fields,
        }
    )


def test_the_lesson_editor_refuses_another_partners_package_when_adding_and_editing(client, partner, author):
    other_package = package_ready(partner=ContentPartnerFactory()).package
    own_package = package_ready(partner=partner).package
    course = course_with_lessons(partner=partner, lessons=1)
    lesson = LessonPage.objects.child_of(course).get()
    client.force_login(author)  # an author can post any package's number, whatever the chooser lists
    message = gettext(OTHER_PARTNER_MESSAGE)

    def package_errors(response) -> str:
        return str(
            response.context["form"].errors["body"].as_data()[0].block_errors[0].block_errors["package"]
        )

    added = client.post(
        reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk]),
        _lesson_form(other_package),
    )
    assert added.status_code == 200
    assert message in package_errors(added)
    assert not LessonPage.objects.filter(slug="scorm-lesson").exists()

    edit_url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    edited = client.post(edit_url, _lesson_form(other_package, slug=lesson.slug, title=lesson.title))
    assert edited.status_code == 200
    assert message in package_errors(edited)

    saved = client.post(edit_url, _lesson_form(own_package, slug=lesson.slug, title=lesson.title))
    assert saved.status_code == 302
    draft = LessonPage.objects.get(pk=lesson.pk).get_latest_revision_as_object()
    assert [child.value["package"] for child in draft.body] == [own_package]


def test_the_chooser_offers_only_the_lesson_partners_packages(client, partner):
    admin = person(Role.PLATFORM_ADMIN)
    own_package = package_ready(partner=partner, title="ของพันธมิตรเอง").package
    other_package = package_ready(partner=ContentPartnerFactory(), title="ของพันธมิตรอื่น").package
    lesson = LessonPage.objects.child_of(course_with_lessons(partner=partner, lessons=1)).get()
    client.force_login(admin)
    chooser = reverse("scorm_package_chooser:choose")

    everything = client.get(chooser).json()["html"]
    assert own_package.title in everything
    assert other_package.title in everything

    editing = client.get(chooser, HTTP_REFERER=reverse("wagtailadmin_pages:edit", args=[lesson.pk])).json()[
        "html"
    ]
    assert own_package.title in editing
    assert other_package.title not in editing


def test_choosing_another_partners_package_by_its_id_finds_nothing(client, partner):
    """The chooser's "chosen" answers (one, several) read the same packages as its list: an
    author who types another partner's package id learns nothing, not even its title."""
    own_package = package_ready(partner=partner, title="ของพันธมิตรเอง").package
    other_package = package_ready(partner=ContentPartnerFactory(), title="ของพันธมิตรอื่น").package
    client.force_login(person(Role.PARTNER_AUTHOR, partner))

    chosen = client.get(reverse("scorm_package_chooser:chosen", args=[own_package.pk]))
    assert chosen.status_code == 200
    assert own_package.title in str(chosen.json())
    assert client.get(reverse("scorm_package_chooser:chosen", args=[other_package.pk])).status_code == 404
    several = str(
        client.get(
            reverse("scorm_package_chooser:chosen_multiple"), {"id": [own_package.pk, other_package.pk]}
        ).json()
    )
    assert own_package.title in several
    assert other_package.title not in several


# Who may do what with a version waiting for review: the queue (GET), the review page (GET) and
# the decision (POST, the only state change). "refused" is the admin's redirect or a 403/404.
REVIEW_MATRIX = [
    # who,                          queue,  page,   decide
    ("platform_admin", True, True, True),
    ("platform_reviewer", True, True, True),
    ("partner_author", False, True, False),
    ("partner_reviewer", False, True, False),
    ("other_partner_author", False, False, False),
    ("learner", False, False, False),
]


def _who(name: str, partner):
    other = ContentPartnerFactory()
    return {
        "platform_admin": lambda: person(Role.PLATFORM_ADMIN),
        "platform_reviewer": lambda: person(Role.PLATFORM_REVIEWER),
        "partner_author": lambda: person(Role.PARTNER_AUTHOR, partner),
        "partner_reviewer": lambda: person(Role.PARTNER_REVIEWER, partner),
        "other_partner_author": lambda: person(Role.PARTNER_AUTHOR, other),
        "learner": UserFactory,
    }[name]()


@pytest.mark.parametrize(("who", "queue", "page", "decide"), REVIEW_MATRIX)
def test_review_authorisation_matrix(client, in_published_lesson, partner, who, queue, page, decide):
    _first, second, _lesson = in_published_lesson
    client.force_login(_who(who, partner))
    review_url = reverse("scorm_admin:review", args=[second.pk])

    assert (client.get(reverse("scorm_admin:review_queue")).status_code == 200) is queue
    assert (client.get(review_url).status_code == 200) is page
    # A GET never decides; only the POST does, and only for those allowed.
    second.refresh_from_db()
    assert second.review_status == ReviewStatus.PENDING
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(review_url, {"decision": "reject", "note": "ไม่ผ่าน"})
    second.refresh_from_db()
    assert (second.review_status == ReviewStatus.REJECTED) is decide
    if not decide:
        assert response.status_code in {302, 403, 404}
