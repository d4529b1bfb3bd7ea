"""The reminder settings on "my account"."""

import pytest
from django.urls import reverse

from assignments.models import ReminderPreference
from people.tests.factories import PASSWORD, hr_manager_of, learner_in

pytestmark = pytest.mark.django_db


def test_a_learner_chooses_weekly_reminders_on_my_account(client, public_service):
    person = learner_in(public_service["DEPT-A1"], preferred_language="en")
    client.login(username=person.email, password=PASSWORD)

    page = client.get(reverse("account:profile")).content.decode()
    assert 'name="reminders-frequency"' in page
    assert 'name="reminders-manager_digest"' not in page  # for HR managers only

    response = client.post(
        reverse("account:profile"), {"reminders-frequency": "weekly", "save_reminders": "1"}
    )

    assert response.status_code == 302
    assert ReminderPreference.objects.get(user=person).frequency == "weekly"
    person.refresh_from_db()
    assert person.first_name  # the details form was not submitted: names untouched


def test_an_hr_manager_turns_the_manager_digest_off(client, public_service):
    manager = hr_manager_of(public_service["DEPT-A1"], preferred_language="en")
    client.login(username=manager.email, password=PASSWORD)

    client.post(reverse("account:profile"), {"reminders-frequency": "daily", "save_reminders": "1"})

    preference = ReminderPreference.objects.get(user=manager)
    assert (preference.frequency, preference.manager_digest) == ("daily", False)
