"""A certificate checked the way people will check it, in Chromium: a learner completes a
course and finds the certificate in "my certificates"; an employer opens the URL the QR code
holds, types the short code, uploads the genuine PDF and a doctored copy; the certificate is
revoked and the same page says so at once."""

import pytest
from django.test import override_settings

from certificates import documents
from certificates.models import Certificate
from certificates.services.status import certificate_revoke
from courses.tests.factories import complete, course_with_lessons
from people.tests.factories import learner
from tests.browsing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_certificate_from_completion_to_qr_page_upload_and_revocation(
    site_tree, live_server, page, screenshot, tmp_path
):
    with override_settings(WAGTAILADMIN_BASE_URL=live_server.url):
        course = course_with_lessons(
            lessons=1,
            title="ความมั่นคงปลอดภัยไซเบอร์สำหรับบุคลากรภาครัฐ",
            title_en="Cybersecurity for Public Servants",
            validity_months=24,
        )
        holder = learner(email="sudarat@example.go.th")
        complete(holder, course)  # the completion event issues the certificate after commit
        certificate = Certificate.objects.get(learner=holder)
        qr_url = documents.certificate_text(certificate).verification_url  # exactly what the QR code holds
    assert qr_url.startswith(live_server.url)

    # The holder finds it in "my certificates".
    sign_in(page, live_server, holder, "/certificates/mine/")
    mine = page.get_by_role("main")
    assert certificate.number in mine.inner_text()
    assert "ความมั่นคงปลอดภัยไซเบอร์สำหรับบุคลากรภาครัฐ" in mine.inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="ดาวน์โหลด PDF").click()
    genuine = tmp_path / "genuine.pdf"
    download_info.value.save_as(genuine)
    assert genuine.read_bytes() == certificate.pdf.read()
    screenshot("certificates-mine")
    page.context.clear_cookies()

    # An employer scans the QR code.
    page.goto(qr_url)
    status = page.get_by_role("status")
    assert "ใช้ได้" in status.inner_text()
    text = page.get_by_role("main").inner_text()
    assert "นางสาวสุดารัตน์ ท." in text
    assert "ทองดี" not in text
    assert certificate.pdf_sha256 in text
    screenshot("certificates-check-page")

    # Or types the code from paper, in lower case with a space.
    page.goto(live_server.url + "/certificates/verify/")
    code = certificate.verification_code
    page.get_by_role("textbox", name="รหัสตรวจสอบ").fill(f"{code[:4].lower()} {code[4:].lower()}")
    page.get_by_role("button", name="ตรวจสอบ", exact=True).click()
    page.wait_for_url(f"**/certificates/{certificate.public_id}/")

    # Uploads the PDF they were sent.
    page.get_by_label("ไฟล์ PDF ของประกาศนียบัตร").set_input_files(str(genuine))
    page.get_by_role("button", name="ตรวจสอบไฟล์นี้").click()
    verdict = page.get_by_role("alert")
    assert "ของแท้" in verdict.inner_text()
    screenshot("certificates-upload-genuine")

    # A copy with one byte changed.
    original = genuine.read_bytes()
    position = original.index(b"stream") + 40
    doctored = tmp_path / "doctored.pdf"
    doctored.write_bytes(original[:position] + bytes([original[position] ^ 0x20]) + original[position + 1 :])
    page.get_by_label("ไฟล์ PDF ของประกาศนียบัตร").set_input_files(str(doctored))
    page.get_by_role("button", name="ตรวจสอบไฟล์นี้").click()
    assert "ถูกแก้ไข" in page.get_by_role("alert").inner_text()
    screenshot("certificates-upload-altered")

    # Revoked: the same QR page says so straight away.
    certificate_revoke(certificate=certificate, reason=Certificate.Reason.ISSUED_IN_ERROR)
    page.goto(qr_url)
    assert "เพิกถอน" in page.get_by_role("status").inner_text()
    screenshot("certificates-revoked")
