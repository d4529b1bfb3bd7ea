"""Nothing stored is served from /media/ without the permission check of the page that links
it; only Wagtail's image renditions, public by nature, are (lms/urls.py, as in `make run`).

Every kind of stored file is found from the model registry (each FileField and ImageField,
with the name its own `upload_to` gives), plus the SCORM package files the importer writes
through the storage API, so a new kind of upload is tried here without anybody listing it."""

import pytest
import wagtail_factories
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.test import Client
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from people.tests.factories import learner

pytestmark = pytest.mark.django_db

SECRET = b"%PDF-1.7 someone's personal record"
PUBLIC_BY_NATURE = {"wagtailimages.Rendition.file"}
WRITTEN_THROUGH_STORAGE = ["scorm/packages/1/v1-0123abcd/index.html", "scorm/uploads/2026/12/package.zip"]


def stored_kinds() -> list[tuple[str, models.FileField]]:
    return [
        (f"{model._meta.label}.{field.name}", field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def stored_name(field: models.FileField) -> str:
    """Where a file of this field lands, by the field's own rules."""
    name = field.generate_filename(field.model(), "probe-record.pdf")
    return default_storage.save(name, ContentFile(SECRET))


@pytest.fixture
def visitors():
    another_learner = Client()
    another_learner.force_login(learner())
    return {"anonymous": Client(), "another learner": another_learner}


def test_every_stored_kind_is_found():
    found = {label for label, _field in stored_kinds()}

    assert {
        "wagtaildocs.Document.file", "wagtailimages.Image.file", "wagtailimages.Rendition.file",
        "certificates.Certificate.pdf", "analytics.ExportJob.file", "scorm.PackageVersion.source",
    } <= found  # fmt: skip


@pytest.mark.parametrize(("label", "field"), stored_kinds(), ids=[label for label, _f in stored_kinds()])
def test_no_stored_file_is_served_raw_but_image_renditions(label, field, visitors):
    name = stored_name(field)
    try:
        answers = {who: client.get(default_storage.url(name)) for who, client in visitors.items()}
    finally:
        default_storage.delete(name)

    for who, response in answers.items():
        if label in PUBLIC_BY_NATURE:
            assert response.status_code == 200, who
        else:
            assert response.status_code == 404, (label, who)
            assert SECRET not in b"".join(getattr(response, "streaming_content", [response.content]))


@pytest.mark.parametrize("name", WRITTEN_THROUGH_STORAGE)
def test_scorm_files_are_not_served_from_media(name, visitors):
    saved = default_storage.save(name, ContentFile(SECRET))
    try:
        answers = [client.get(default_storage.url(saved)).status_code for client in visitors.values()]
    finally:
        default_storage.delete(saved)

    assert answers == [404, 404]


def test_a_private_document_is_served_only_through_its_permission_check(visitors):
    collection = Collection.get_first_root_node().add_child(name="เอกสารภายใน")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    document = wagtail_factories.DocumentFactory(collection=collection)
    owner = Client()
    owner.force_login(learner())

    serve_view = visitors["anonymous"].get(document.url)
    raw = [client.get(document.file.url).status_code for client in visitors.values()]
    signed_in = owner.get(document.url)

    assert document.url.startswith("/documents/")
    assert serve_view.status_code == 302
    assert "/account/sign-in/" in serve_view["Location"]
    assert raw == [404, 404]
    assert signed_in.status_code == 200


def test_an_original_image_is_not_served_but_its_rendition_on_a_page_is(visitors):
    image = wagtail_factories.ImageFactory()
    rendition = image.get_rendition("fill-64x64")

    assert get_image_model().objects.filter(pk=image.pk).exists()
    for client in visitors.values():
        assert client.get(image.file.url).status_code == 404
        assert client.get(rendition.url).status_code == 200
