"""The public side: the check page, codes, uploaded files, JSON, status lists, rate limits and
the command line; and revoking, suspending, reinstating as the public sees it."""

import io
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certificates import documents, rendering
from certificates.proofs import proof_verify
from certificates.services.status import (
    StatusChangeRefused,
    certificate_reinstate,
    certificate_revoke,
    certificate_suspend,
)
from certificates.signing.development_pki import dev_keys_ensure, dev_signing_config
from certificates.signing.pdf_signing import Attachment, pdf_sign
from certificates.signing.signers import signing_setup
from certificates.status_list import index_is_set
from certificates.tests.factories import issued_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def certificate():
    return issued_certificate(title="ความมั่นคงปลอดภัยไซเบอร์", title_en="Cybersecurity")


def _upload(client, data: bytes, **headers):
    return client.post(
        reverse("certificates:pdf-check"),
        {"file": SimpleUploadedFile("certificate.pdf", data, content_type="application/pdf")},
        **headers,
    )


def test_check_page_shows_the_certificate_with_the_name_masked(client, certificate):
    page = client.get(reverse("certificates:verify", args=[certificate.public_id])).content.decode()
    assert "ใช้ได้" in page  # valid
    assert "ความมั่นคงปลอดภัยไซเบอร์" in page
    assert certificate.number in page
    assert "นางสาวสุดารัตน์ ท." in page
    assert "ทองดี" not in page
    assert "Miss Sudarat T." in page
    assert "Thongdee" not in page
    assert certificate.pdf_sha256 in page
    certificate.holder_name_public = True
    certificate.save()
    page = client.get(reverse("certificates:verify", args=[certificate.public_id])).content.decode()
    assert "นางสาวสุดารัตน์ ทองดี" in page


def test_holder_chooses_their_name_on_the_public_page(client, certificate):
    client.force_login(certificate.learner)
    mine = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.number in mine
    assert certificate.verification_code_display in mine
    client.post(
        reverse("certificates:holder-name", args=[certificate.public_id]), {"holder_name_public": "1"}
    )
    certificate.refresh_from_db()
    assert certificate.holder_name_public
    # Nobody else can change it.
    from people.tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(
        reverse("certificates:holder-name", args=[certificate.public_id]), {"holder_name_public": "0"}
    )
    assert response.status_code == 404


def test_unknown_public_id_is_not_found(client):
    assert client.get(reverse("certificates:verify", args=["no-such-certificate"])).status_code == 404


def test_typed_code_finds_the_certificate_whatever_the_case_and_look_alikes(client, certificate):
    code = certificate.verification_code
    typed = f" {code[:4].lower()} - {code[4:].lower()} ".replace("0", "o").replace("1", "l")
    response = client.get(reverse("certificates:verify-start"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify", args=[certificate.public_id])
    wrong = client.get(reverse("certificates:verify-start"), {"code": "ZZZZ-ZZZZ"}).content.decode()
    assert "ไม่พบประกาศนียบัตรที่มีรหัสนี้" in wrong


def test_uploaded_original_is_genuine(client, certificate):
    page = _upload(client, certificate.pdf.read()).content.decode()
    assert "ของแท้" in page
    assert certificate.number in page


def test_uploaded_files_altered_or_not_ours(client, certificate):
    original = certificate.pdf.read()
    # One byte changed in the page content (inside the signed range).
    position = original.index(b"stream") + 40
    changed = original[:position] + bytes([original[position] ^ 0x01]) + original[position + 1 :]
    assert "ถูกแก้ไข" in _upload(client, changed).content.decode()
    # Not a PDF at all.
    assert "ไม่ใช่ไฟล์ PDF" in _upload(client, b"hello").content.decode()


def test_json_verdicts_for_machines(client, certificate, tmp_path):
    original = certificate.pdf.read()
    genuine = _upload(client, original, HTTP_ACCEPT="application/json").json()
    assert genuine["verdict"] == "genuine"
    assert genuine["certificate"]["number"] == certificate.number
    assert genuine["certificate"]["status"] == "valid"
    # The same certificate drawn again and signed with someone else's key, credential and all.
    dev_keys_ensure(tmp_path, organisation="Somebody else")
    foreign = signing_setup(dev_signing_config(tmp_path))
    unsigned = rendering.certificate_pdf(
        documents.certificate_text(certificate), documents.design_of(None), documents.labels()
    )
    credential = Attachment(
        filename="credential.json", data=json.dumps(certificate.credential).encode(),
        mime_type="application/ld+json", description="Open Badges 3.0 credential",
    )  # fmt: skip
    resigned = pdf_sign(
        unsigned, attachments=[credential], setup=foreign, reason="x", location="y", signer_name="Thaksa"
    )
    verdict = _upload(client, resigned, HTTP_ACCEPT="application/json").json()
    assert verdict["verdict"] == "not_ours"
    status = client.get(
        reverse("certificates:verify", args=[certificate.public_id]), HTTP_ACCEPT="application/json"
    ).json()
    assert status["status"] == "valid"
    assert status["pdf_sha256"] == certificate.pdf_sha256
    assert status["holder_name"]["en"] == "Miss Sudarat T."


def test_revoke_suspend_reinstate_show_at_once_on_page_and_status_lists(client, certificate):
    def page():
        return client.get(reverse("certificates:verify", args=[certificate.public_id])).content.decode()

    def listed(purpose):
        entry = next(e for e in certificate.credential["credentialStatus"] if e["statusPurpose"] == purpose)
        credential = json.loads(
            client.get(entry["statusListCredential"]).content
        )  # the URL in the credential
        assert proof_verify(credential).verified
        return index_is_set(credential["credentialSubject"]["encodedList"], int(entry["statusListIndex"]))

    assert not listed("revocation")
    assert not listed("suspension")
    certificate_suspend(certificate=certificate, reason="under_review", note="complaint 12/2569")
    assert "ระงับ" in page()
    assert listed("suspension")
    assert "complaint" not in page()  # the note is internal
    certificate_reinstate(certificate=certificate)
    assert not listed("suspension")
    assert "ใช้ได้" in page()
    certificate_revoke(certificate=certificate, reason="misconduct")
    assert "เพิกถอน" in page()
    assert listed("revocation")
    with pytest.raises(StatusChangeRefused):
        certificate_reinstate(certificate=certificate)  # revocation is final
    response = client.get(
        reverse("certificates:status-list", args=["revocation", certificate.status_list_number])
    )
    assert "max-age=300" in response["Cache-Control"]
    # A list no certificate is in is not signed for a stranger.
    empty = certificate.status_list_number + 1
    assert client.get(reverse("certificates:status-list", args=["revocation", empty])).status_code == 404


def test_expired_certificate_says_so(client):
    certificate = issued_certificate(validity_months=12)
    certificate.valid_until = timezone.localdate().replace(year=timezone.localdate().year - 1)
    certificate.save()
    page = client.get(reverse("certificates:verify", args=[certificate.public_id])).content.decode()
    assert "หมดอายุ" in page


def test_checks_are_rate_limited(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_RATE = "3/m"
    url = reverse("certificates:verify", args=[certificate.public_id])
    codes = [client.get(url).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]


def test_pdf_and_credential_downloads(client, certificate):
    client.force_login(certificate.learner)  # the name is masked: the PDF is the holder's
    pdf = client.get(reverse("certificates:pdf", args=[certificate.public_id]) + "?download=1")
    assert pdf["Content-Type"] == "application/pdf"
    assert f"{certificate.number}.pdf" in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content) == certificate.pdf.read()
    credential = client.get(reverse("certificates:credential", args=[certificate.public_id])).json()
    assert credential == certificate.credential
    assert proof_verify(credential).verified


def test_command_line_verdicts(certificate, tmp_path):
    genuine = tmp_path / "genuine.pdf"
    genuine.write_bytes(certificate.pdf.read())
    out = io.StringIO()
    call_command("certificates_verify", str(genuine), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["verdict"] == "genuine"
    assert result["certificate"]["number"] == certificate.number
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("certificates_verify", str(broken), stdout=out)
    assert exit_info.value.code == 1
    assert out.getvalue().startswith(("NOT_PDF", "NOT_OURS"))


def test_a_credential_swapped_in_after_signing_is_altered_and_names_the_certificate(certificate):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.embed import EmbeddedFileObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from certificates.services.verification import pdf_verify

    forged = {**certificate.credential, "validUntil": "2099-12-31T23:59:59Z"}
    writer = IncrementalPdfFileWriter(io.BytesIO(certificate.pdf.read()))
    spec_ref = writer.root["/Names"]["/EmbeddedFiles"]["/Names"].raw_get(1)
    replacement = EmbeddedFileObject.from_file_data(
        writer, data=json.dumps(forged).encode(), mime_type="application/ld+json"
    )
    spec_ref.get_object()["/EF"] = generic.DictionaryObject(
        {
            generic.pdf_name("/F"): replacement.ef_stream_ref,
            generic.pdf_name("/UF"): replacement.ef_stream_ref,
        }
    )
    writer.mark_update(spec_ref)
    output = io.BytesIO()
    writer.write(output)

    verdict = pdf_verify(output.getvalue())
    assert verdict.verdict == "altered"
    assert verdict.certificate == certificate  # what it claims to be, for the person checking
