"""An HR manager's staff import never tells whether an address has an account elsewhere on
the platform: an address nobody has and an address of someone in another agency (or in no
unit) give the same page, byte for byte, at the preview and after the confirmation. The
account elsewhere is not changed; the platform administrators are asked to place the person."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from people.models import User
from people.services import role_assign
from people.tests.factories import PASSWORD, UserFactory, hr_manager_of, learner_in
from people.tests.test_staff_import import csv_file, person_row, upload

pytestmark = pytest.mark.django_db

NOBODY = "nobody.yet@a1.go.th"
ELSEWHERE = "kept.elsewhere@a2.go.th"
UNPLACED = "not.placed@a1.go.th"
PLACEHOLDER = "ADDRESS@EXAMPLE"


@pytest.fixture
def world(public_service):
    learner_in(public_service["DEPT-A2"], email=ELSEWHERE, first_name="เดิม", last_name="ที่อื่น")
    UserFactory.create(email=UNPLACED)
    administrator = UserFactory.create(email="platform.admin@thaksa.test", preferred_language="en")
    role_assign(user=administrator, role="platform_admin")
    manager = hr_manager_of(public_service["DEPT-A1"])
    return {"units": public_service, "manager": manager, "administrator": administrator}


def page_as_seen(client, address: str, **values) -> str:
    """The preview of a one-row file, with what differs on every render (the address itself, the
    form tokens, the script nonces) taken out."""
    html = upload(client, csv_file(person_row(email=address, **values))).content.decode()
    html = html.replace(address, PLACEHOLDER)
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r'(name="(?:csrfmiddlewaretoken|token)" value=")[^"]*"', r'\1"', html)


@pytest.mark.parametrize("existing", [ELSEWHERE, UNPLACED])
@pytest.mark.parametrize(
    "values",
    [{}, {"first_name_th": ""}, {"unit_code": "DEPT-B1"}, {"position_level": "ไม่มีระดับนี้"}],
    ids=["a correct row", "a missing name", "a unit not managed", "a wrong level"],
)
def test_the_preview_is_the_same_for_an_address_nobody_has(client, world, existing, values):
    client.login(username=world["manager"].email, password=PASSWORD)

    assert page_as_seen(client, existing, **values) == page_as_seen(client, NOBODY, **values)


def test_the_control_a_platform_administrator_sees_the_account(client, world):
    client.login(username=world["administrator"].email, password=PASSWORD)

    assert page_as_seen(client, ELSEWHERE) != page_as_seen(client, NOBODY)
    assert 'data-testid="referral-note"' not in page_as_seen(client, NOBODY)


def test_the_manager_is_told_what_happens_to_an_address_already_in_use(client, world):
    client.login(username=world["manager"].email, password=PASSWORD)

    assert 'data-testid="referral-note"' in page_as_seen(client, NOBODY)


def confirm(client, address: str) -> list[str]:
    preview = upload(client, csv_file(person_row(email=address)))
    response = client.post(reverse("staff:import"), {"confirm": "1", "token": preview.context["token"]})
    assert response.status_code == 302
    return [str(message).replace(address, PLACEHOLDER) for message in get_messages(response.wsgi_request)]


def test_the_confirmation_reads_the_same_and_leaves_the_account_elsewhere_alone(
    client, world, django_capture_on_commit_callbacks
):
    client.login(username=world["manager"].email, password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        for_nobody = confirm(client, NOBODY)
    with django_capture_on_commit_callbacks(execute=True):
        for_elsewhere = confirm(client, ELSEWHERE)

    assert for_nobody == for_elsewhere
    assert User.objects.get(email=NOBODY).profile.unit == world["units"]["DIV-A1-HR"]
    kept = User.objects.get(email=ELSEWHERE)
    assert kept.profile.unit == world["units"]["DEPT-A2"]
    assert (kept.first_name, kept.last_name) == ("เดิม", "ที่อื่น")
    assert [message.to for message in mail.outbox] == [[world["administrator"].email]]
    referral = mail.outbox[0]
    assert ELSEWHERE in referral.body
    assert NOBODY not in referral.body
    assert world["manager"].email in referral.body
    assert "DEPT-A2" in referral.body
    assert "DIV-A1-HR" in referral.body
