import pytest
from django.core import mail

from people.tests.factories import PASSWORD, LearnerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_lands_on_my_account(client, public_service):
    profile = LearnerProfileFactory(unit=public_service["DIV-A1-ICT"])

    response = client.post(
        "/account/sign-in/", {"username": profile.user.email.upper(), "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/account/"
    assert profile.user.full_name("th") in response.text


def test_wrong_password_explains_what_to_do_in_thai(client):
    user = UserFactory()

    response = client.post("/account/sign-in/", {"username": user.email, "password": "wrong"})

    assert response.status_code == 200
    assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in response.text


def test_my_account_shows_where_the_person_works_from_ministry_down(client, public_service):
    profile = LearnerProfileFactory(unit=public_service["DIV-A1-ICT"], position_title="นักวิชาการคอมพิวเตอร์")
    client.force_login(profile.user)

    response = client.get("/account/")

    chain = " › ".join(public_service[c].name_th for c in ("MIN-A", "DEPT-A1", "DIV-A1-ICT"))
    assert chain in response.text
    assert "นักวิชาการคอมพิวเตอร์" in response.text
    assert "ข้าราชการ" in response.text


def test_person_updates_their_own_names(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/account/",
        {"title": "dr", "first_name": "ปิยะ", "last_name": "ใจงาม", "first_name_en": "Piya",
         "last_name_en": "Jaingam", "preferred_language": "th"},
        follow=True,
    )  # fmt: skip

    assert "บันทึกข้อมูลของท่านเรียบร้อยแล้ว" in response.text
    user.refresh_from_db()
    assert user.full_name("th") == "ดร.ปิยะ ใจงาม"


def test_my_account_requires_signing_in(client):
    response = client.get("/account/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=/account/")


def test_password_reset_sends_a_thai_email_with_a_working_link(client):
    user = UserFactory()

    client.post("/account/password-reset/", {"email": user.email})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "ตั้งรหัสผ่านใหม่สำหรับบัญชีทักษะ"
    link = next(line for line in message.body.splitlines() if "/account/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "บันทึกรหัสผ่านใหม่" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "new-secret-pass-2570", "new_password2": "new-secret-pass-2570"},
        follow=True,
    )
    assert "เปลี่ยนรหัสผ่านแล้ว" in done.text
    user.refresh_from_db()
    assert user.check_password("new-secret-pass-2570")


def test_sign_out_is_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())

    client.post("/account/sign-out/")

    assert client.get("/account/").status_code == 302
