"""Hostile uploads to the admin's images and documents: disguised pages and drawings are
refused, pictures lose everything but their pixels (EXIF GPS, comments, appended scripts), no
uploaded name chooses where or as what a file is stored, sizes are limited with a message
that says what to do, and documents of an unsafe type download as attachments, unsniffed."""

import io
import re

import pytest
from django.utils import translation
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from lms import uploads
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^[0-9a-f]{32}\.[a-z]+$")
GPS_IFD = 0x8825


@pytest.fixture
def editor(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    person = UserFactory(is_superuser=True, preferred_language="en")
    client.force_login(person)
    return client


def upload_image(client, name: str, data: bytes, content_type: str = "image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/admin/images/add/",
        {
            "title": "ภาพทดสอบ",
            "file": SimpleUploadedFile(name, data, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def upload_document(client, name: str, data: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/admin/documents/add/",
        {
            "title": "เอกสารทดสอบ",
            "file": SimpleUploadedFile(name, data, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def picture(image_format: str = "JPEG", **save) -> bytes:
    output = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(output, format=image_format, **save)
    return output.getvalue()


def jpeg_with_gps() -> bytes:
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (13.0, 45.0, 0.0), 3: "E", 4: (100.0, 31.0, 0.0)}  # Bangkok
    return picture("JPEG", exif=exif.tobytes(), comment=b"<script>alert(1)</script>")


def stored_image() -> bytes:
    image = Image.objects.get()
    with image.file.open("rb") as stored:
        return bytes(stored.read())


def test_the_gps_control_a_plain_pillow_save_keeps_it():
    assert GPS_IFD in PILImage.open(io.BytesIO(jpeg_with_gps())).getexif()


def test_a_jpeg_comes_out_without_exif_gps_or_comments(editor):
    response = upload_image(editor, "holiday.jpg", jpeg_with_gps())

    assert response.status_code == 302
    data = stored_image()
    stored = PILImage.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert stored.size == (40, 30)
    assert GPS_IFD not in stored.getexif()
    assert len(stored.getexif()) == 0
    assert b"Exif" not in data
    assert b"PhoneMaker" not in data
    assert b"<script" not in data


def test_a_polyglot_keeps_its_picture_and_loses_its_page(editor):
    polyglot = picture("PNG") + b"<html><script>document.cookie</script></html>"

    assert upload_image(editor, "cover.png", polyglot, "image/png").status_code == 302

    data = stored_image()
    assert b"<script" not in data
    assert b"<html" not in data
    assert PILImage.open(io.BytesIO(data)).format == "PNG"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.png", b"<html><body><script>alert(document.domain)</script></body></html>"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'),
        ("../../evil.html", picture("PNG")),
    ],
    ids=["html as png", "svg as png", "svg", "a picture named as a page"],
)
def test_a_page_or_drawing_disguised_as_a_picture_is_refused(editor, name, data):
    response = upload_image(editor, name, data, "image/png")

    assert response.status_code == 200
    assert not Image.objects.exists()
    assert "error" in response.content.decode().lower()


@pytest.mark.parametrize("name", ["../../evil.png", "ภาพปก หลักสูตร.png", "a" * 300 + ".png"])
def test_an_image_is_stored_under_a_generated_name(editor, name):
    assert upload_image(editor, name, picture("PNG"), "image/png").status_code == 302

    image = Image.objects.get()
    folder, _slash, stored = image.file.name.rpartition("/")
    assert folder == "original_images"
    assert GENERATED.match(stored)
    assert image.title == "ภาพทดสอบ"


@pytest.mark.parametrize("name", ["../../ประกาศ การประชุม.txt", "..\\..\\notes.txt"])
def test_a_document_is_stored_and_downloaded_under_a_generated_name(editor, client, name):
    assert upload_document(editor, name, b"plain words", "text/plain").status_code == 302

    document = Document.objects.get()
    folder, _slash, stored = document.file.name.rpartition("/")
    assert folder == "documents"
    assert GENERATED.match(stored)
    assert stored.endswith(".txt")
    assert document.title == "เอกสารทดสอบ"


def test_a_page_cannot_be_uploaded_as_a_document(editor):
    response = upload_document(editor, "../../evil.html", b"<script>alert(1)</script>", "text/html")

    assert response.status_code == 200
    assert not Document.objects.exists()


def test_a_document_of_an_unsafe_type_downloads_as_an_attachment_unsniffed(editor, client):
    upload_document(editor, "report.csv", b"name\n<script>alert(1)</script>\n", "text/html")
    document = Document.objects.get()
    client.logout()

    response = client.get(document.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_the_control_plain_text_is_shown_in_the_browser(editor, client):
    upload_document(editor, "notes.txt", b"plain words", "text/plain")
    document = Document.objects.get()

    response = client.get(document.url)

    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_oversized_image_or_document_is_refused_with_what_to_do(editor, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    big_picture = picture("PNG", pnginfo=None) + b"\0" * 2000

    image_page = upload_image(editor, "big.png", big_picture, "image/png").content.decode()
    document_page = upload_document(editor, "big.txt", b"x" * 2000, "text/plain").content.decode()

    for page in (image_page, document_page):
        assert "files here may be at most 1000" in page
        assert "Make it smaller" in page
    assert not Image.objects.exists()
    assert not Document.objects.exists()


def test_the_size_message_is_in_the_persons_language(editor, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    person = UserFactory(is_superuser=True, preferred_language="th")
    editor.force_login(person)
    with translation.override("th"):
        expected = str(uploads.TOO_LARGE).split("%(")[0]

    page = upload_image(editor, "big.png", picture("PNG") + b"\0" * 2000, "image/png").content.decode()

    assert expected in page


def test_an_animation_keeps_its_frames_and_loses_its_comment():
    frames = [PILImage.new("RGB", (10, 10), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    original = io.BytesIO()
    frames[0].save(
        original, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0,
        comment=b"<script>alert(1)</script>",
    )  # fmt: skip
    assert b"<script" in original.getvalue()
    assert getattr(PILImage.open(io.BytesIO(original.getvalue())), "n_frames", 1) == 3

    data, extension, content_type = uploads.image_reencode(original.getvalue())

    assert (extension, content_type) == ("gif", "image/gif")
    assert getattr(PILImage.open(io.BytesIO(data)), "n_frames", 1) == 3
    assert b"<script" not in data
