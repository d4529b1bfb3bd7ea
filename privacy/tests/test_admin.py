"""The DPO's admin screens: the record of processing (and its spreadsheet) and the notices."""

import csv
import io

import pytest
from django.urls import reverse

from people.models import Role
from people.services import role_assign
from people.tests.factories import learner
from privacy.models import PrivacyNotice
from privacy.tests.factories import ProcessingActivityFactory, notice_draft, published_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(client):
    person = learner()
    role_assign(user=person, role=Role.DATA_PROTECTION_OFFICER)
    client.force_login(person)
    return person


def test_the_dpo_downloads_the_record_of_processing(client, dpo):
    ProcessingActivityFactory(
        name_th='=HYPERLINK("http://evil")', lawful_basis="consent", consent_purpose="optional_email"
    )
    ProcessingActivityFactory(name_th="การจัดการเรียนรู้")
    response = client.get(reverse("privacy_admin:processing_csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    names = [row[0] for row in rows[1:]]
    assert "การจัดการเรียนรู้" in names
    assert not any(name.startswith("=") for name in names)  # formulas never run


def test_the_dpo_publishes_a_draft_and_cannot_edit_it_afterwards(client, dpo):
    ProcessingActivityFactory()
    draft = notice_draft()
    assert client.get(reverse("privacy_admin:publish", args=[draft.pk])).status_code == 200
    client.post(reverse("privacy_admin:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.version == 1
    assert draft.is_published
    response = client.post(
        reverse("privacy_notices:edit", args=[draft.pk]),
        {
            "introduction_th": "แก้",
            "introduction_en": "x",
            "rights_th": "x",
            "rights_en": "x",
            "controller_contact": "x",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.introduction_th != "แก้"
    client.post(reverse("privacy_admin:new_draft", args=[draft.pk]))
    assert (
        PrivacyNotice.objects.filter(version__isnull=True, introduction_th=draft.introduction_th).count() == 1
    )


def test_learners_and_hr_managers_get_none_of_it(client):
    published_notice()
    person = learner()
    client.force_login(person)
    assert client.get(reverse("privacy_admin:processing_csv")).status_code in (302, 403)
    draft = notice_draft()
    client.post(reverse("privacy_admin:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert not draft.is_published
