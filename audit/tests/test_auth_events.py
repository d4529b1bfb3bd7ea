"""Sign-ins, failed sign-ins, sign-outs, lockouts, password changes and role changes each leave
one entry, with who, whose, and the client's address."""

import pytest
from django.conf import settings
from django.core import mail

from audit.models import Action, AuditEvent
from people.models import Role, RoleAssignment
from people.services import role_assign, role_revoke
from people.tests.factories import PASSWORD, learner

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


def _only(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, events
    return events[0]


def test_a_sign_in_is_recorded_once_with_the_person_and_their_address(client):
    user = learner()
    client.post(
        "/account/sign-in/",
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 400,
    )
    event = _only(Action.SIGN_IN)
    assert (event.actor_id, event.ip_address, event.path) == (user.pk, ADDRESS, "/account/sign-in/")
    assert event.user_agent.startswith("Mozilla/5.0")
    assert len(event.user_agent) == 200


def test_a_failed_sign_in_names_the_account_by_number_not_by_address(client):
    user = learner()
    client.post("/account/sign-in/", {"username": user.email, "password": "wrong"}, REMOTE_ADDR=ADDRESS)
    event = _only(Action.SIGN_IN_FAILED)
    assert (event.actor_id, event.subject_id, event.attempted, event.ip_address) == (
        None,
        user.pk,
        "",
        ADDRESS,
    )


def test_a_failed_sign_in_with_an_unknown_address_keeps_the_address_tried(client):
    client.post(
        "/account/sign-in/", {"username": "Nobody@Example.org", "password": "wrong"}, REMOTE_ADDR=ADDRESS
    )
    event = _only(Action.SIGN_IN_FAILED)
    assert (event.subject_id, event.attempted) == (None, "nobody@example.org")


def test_repeated_failures_record_the_lockout(client):
    user = learner()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/account/sign-in/", {"username": user.email, "password": "wrong"}, REMOTE_ADDR=ADDRESS)
    event = _only(Action.LOCKOUT)
    assert (event.subject_id, event.ip_address) == (user.pk, ADDRESS)


def test_a_sign_out_is_recorded(client):
    user = learner()
    client.force_login(user)
    client.post("/account/sign-out/", REMOTE_ADDR=ADDRESS)
    event = _only(Action.SIGN_OUT)
    assert (event.actor_id, event.ip_address) == (user.pk, ADDRESS)


def test_changing_ones_password_is_recorded_as_a_change_by_oneself(client):
    user = learner()
    client.force_login(user)
    client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "new-secret-pass-2570",
            "new_password2": "new-secret-pass-2570",
        },
        REMOTE_ADDR=ADDRESS,
    )
    event = _only(Action.PASSWORD_CHANGED)
    assert (event.actor_id, event.subject_id, event.ip_address) == (user.pk, user.pk, ADDRESS)


def test_a_password_set_through_a_reset_link_is_recorded_as_a_reset(client):
    user = learner()
    client.post("/account/password-reset/", {"email": user.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/password-reset/" in line)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "new-secret-pass-2570", "new_password2": "new-secret-pass-2570"},
        REMOTE_ADDR=ADDRESS,
    )
    event = _only(Action.PASSWORD_RESET)
    assert (event.actor_id, event.subject_id, event.ip_address) == (None, user.pk, ADDRESS)
    assert not AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED).exists()


def test_a_role_granted_and_revoked_through_the_services_is_recorded(public_service):
    admin, manager = learner(), learner()
    assignment = role_assign(
        user=manager, role=Role.HR_MANAGER, unit=public_service["DEPT-A1"], granted_by=admin
    )
    role_assign(
        user=manager, role=Role.HR_MANAGER, unit=public_service["DEPT-A1"], granted_by=admin
    )  # no change
    granted = _only(Action.ROLE_GRANTED)
    assert (granted.actor_id, granted.subject_id) == (admin.pk, manager.pk)
    assert granted.detail["role"] == Role.HR_MANAGER
    assert granted.detail["unit_id"] == public_service["DEPT-A1"].pk

    role_revoke(assignment=assignment)
    revoked = _only(Action.ROLE_REVOKED)
    assert (revoked.subject_id, revoked.what) == (manager.pk, "people.roleassignment:hr_manager")


def test_a_role_granted_in_the_admin_names_the_administrator_and_their_address(client):
    admin = learner(is_superuser=True)
    person = learner()
    client.force_login(admin)
    response = client.post(
        "/admin/snippets/people/roleassignment/add/",
        {"user": person.email, "role": Role.PLATFORM_REVIEWER},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RoleAssignment.objects.filter(user=person, role=Role.PLATFORM_REVIEWER).exists()
    event = _only(Action.ROLE_GRANTED)
    assert (event.actor_id, event.subject_id, event.ip_address) == (admin.pk, person.pk, ADDRESS)
