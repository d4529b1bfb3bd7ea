"""The public side honours the holder's choice to mask their family name: the signed PDF
prints the full name and cannot be re-masked, so it is not offered to the public while the
name is masked; the holder (and the course's partner in the admin) still open it, and anyone
can still check a copy the holder hands them."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates.tests.factories import issued_certificate
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def certificate():
    return issued_certificate(title="ความมั่นคงปลอดภัยไซเบอร์", title_en="Cybersecurity")


def pdf_address(certificate) -> str:
    return reverse("certificates:pdf", args=[certificate.public_id])


def test_the_public_page_offers_no_pdf_of_a_masked_name(client, certificate):
    assert not certificate.holder_name_public
    page = client.get(reverse("certificates:verify", args=[certificate.public_id])).content.decode()

    assert pdf_address(certificate) not in page
    assert "ทองดี" not in page
    assert 'data-testid="pdf-withheld"' in page
    assert reverse("certificates:credential", args=[certificate.public_id]) in page


def test_anonymous_and_other_people_cannot_open_the_pdf_of_a_masked_name(client, certificate):
    anonymous = client.get(pdf_address(certificate))
    client.force_login(UserFactory())
    stranger = client.get(pdf_address(certificate))

    for response in (anonymous, stranger):
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")
        assert b"%PDF" not in response.content
        assert "ทองดี".encode() not in response.content


def test_the_json_summary_names_no_pdf_while_the_name_is_masked(client, certificate):
    summary = client.get(
        reverse("certificates:verify", args=[certificate.public_id]), {"format": "json"}
    ).json()

    assert summary["holder_name_masked"] is True
    assert summary["pdf_url"] is None
    assert "ทองดี" not in str(summary)
    assert "Thongdee" not in str(summary)


def test_the_credential_names_no_one(client, certificate):
    credential = client.get(reverse("certificates:credential", args=[certificate.public_id])).content.decode()

    assert "ทองดี" not in credential
    assert "Thongdee" not in credential
    assert certificate.learner.email not in credential


def test_the_signed_in_holder_opens_their_pdf(client, certificate):
    client.force_login(certificate.learner)

    page = client.get(reverse("certificates:verify", args=[certificate.public_id])).content.decode()
    response = client.get(pdf_address(certificate))

    assert pdf_address(certificate) in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == certificate.pdf.read()


def test_a_full_name_shown_by_choice_offers_the_pdf_to_everyone(client, certificate):
    certificate.holder_name_public = True
    certificate.save(update_fields=["holder_name_public"])

    page = client.get(reverse("certificates:verify", args=[certificate.public_id])).content.decode()
    response = client.get(pdf_address(certificate))
    summary = client.get(
        reverse("certificates:verify", args=[certificate.public_id]), {"format": "json"}
    ).json()

    assert pdf_address(certificate) in page
    assert response.status_code == 200
    assert summary["pdf_url"].endswith(pdf_address(certificate))


def test_a_copy_the_holder_hands_over_still_checks_as_genuine(client, certificate):
    upload = SimpleUploadedFile("certificate.pdf", certificate.pdf.read(), content_type="application/pdf")

    page = client.post(reverse("certificates:pdf-check"), {"file": upload}).content.decode()

    assert "ของแท้" in page
    assert certificate.number in page
    assert "ทองดี" not in page
