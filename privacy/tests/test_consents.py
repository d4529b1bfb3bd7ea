"""Consent for optional purposes: never pre-ticked, given or withdrawn in one click, and the
one check everything asks."""

import pytest
from django.urls import reverse

from people.tests.factories import learner
from privacy.models import ConsentPurpose, ConsentRecord
from privacy.selectors import consent_given, consenting_q
from privacy.services import consent_decide
from privacy.tests.factories import published_notice

pytestmark = pytest.mark.django_db
EMAIL = ConsentPurpose.OPTIONAL_EMAIL


def _signed_in(client):
    user = learner()
    client.force_login(user)
    return user


def test_the_notice_form_leaves_optional_purposes_unticked_and_a_no_is_recorded(client):
    notice = published_notice()
    user = _signed_in(client)
    page = client.get(reverse("privacy:notice")).content.decode()
    assert f'name="{EMAIL.value}" value="1">' in page  # present, not checked
    client.post(reverse("privacy:acknowledge"), {"notice": notice.pk, "next": "/my/"})
    assert not consent_given(user, EMAIL)
    assert ConsentRecord.objects.get(user=user).given is False


def test_ticking_on_the_notice_form_consents(client):
    notice = published_notice()
    user = _signed_in(client)
    client.post(reverse("privacy:acknowledge"), {"notice": notice.pk, EMAIL.value: "1", "next": "/my/"})
    assert consent_given(user, EMAIL)


def test_withdrawal_is_one_click_and_takes_effect_everywhere(client):
    user = _signed_in(client)
    client.post(reverse("privacy:choices"), {"purpose": EMAIL.value, "given": "1"})
    assert consent_given(user, EMAIL)
    page = client.get(reverse("privacy:choices")).content.decode()
    assert "ถอนความยินยอม" in page
    response = client.post(reverse("privacy:choices"), {"purpose": EMAIL.value, "given": "0"})
    assert response.status_code == 302
    assert not consent_given(user, EMAIL)
    assert not type(user).objects.filter(consenting_q(EMAIL), pk=user.pk).exists()
    history = client.get(reverse("privacy:choices")).content.decode()
    assert history.count("<tr>") == 3  # the header, the consent and the withdrawal


def test_an_unknown_purpose_changes_nothing(client):
    user = _signed_in(client)
    client.post(reverse("privacy:choices"), {"purpose": "marketing", "given": "1"})
    assert not ConsentRecord.objects.filter(user=user).exists()


def test_the_filter_and_the_single_check_agree():
    yes, no, withdrawn, never = learner(), learner(), learner(), learner()
    consent_decide(user=yes, purpose=EMAIL, given=True)
    consent_decide(user=no, purpose=EMAIL, given=False)
    consent_decide(user=withdrawn, purpose=EMAIL, given=True)
    consent_decide(user=withdrawn, purpose=EMAIL, given=False)
    people = [yes, no, withdrawn, never]
    filtered = set(type(yes).objects.filter(consenting_q(EMAIL), pk__in=[p.pk for p in people]))
    assert filtered == {p for p in people if consent_given(p, EMAIL)} == {yes}


def test_repeating_a_decision_writes_nothing_new():
    user = learner()
    consent_decide(user=user, purpose=EMAIL, given=True)
    assert consent_decide(user=user, purpose=EMAIL, given=True) is None
    assert ConsentRecord.objects.filter(user=user).count() == 1


def test_choices_need_a_sign_in(client):
    response = client.get(reverse("privacy:choices"))
    assert response.status_code == 302
    assert "sign-in" in response["Location"]
