"""Another partner's certificate design is out of reach through every admin view of designs:
its history, usage, copy, the chooser's list and choosing it by id (the authorisation matrix,
tests/test_authorisation_matrix.py, found these open)."""

import pytest
from django.urls import reverse

from certificates.models import CertificateTemplate
from organisations.tests.factories import ContentPartnerFactory
from people.models import Role
from people.services import role_assign
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _author_of(partner):
    author = UserFactory.create()
    role_assign(user=author, role=Role.PARTNER_AUTHOR, partner=partner)
    return author


def test_another_partners_design_is_not_found_through_any_design_view(client):
    partner, other = ContentPartnerFactory.create(), ContentPartnerFactory.create()
    mine = CertificateTemplate.objects.create(name="แบบของเรา", partner=partner)
    theirs = CertificateTemplate.objects.create(name="แบบของเขา", partner=other)
    client.force_login(_author_of(partner))
    viewset = CertificateTemplate.snippet_viewset
    chooser = viewset.chooser_viewset

    for view in ("history", "history_results", "usage", "copy", "inspect", "edit", "delete"):
        url_name = viewset.get_url_name(view)
        assert client.get(reverse(url_name, args=[theirs.pk])).status_code == 404, view
        assert client.get(reverse(url_name, args=[mine.pk])).status_code == 200, view
    assert client.get(reverse(chooser.get_url_name("chosen"), args=[theirs.pk])).status_code == 404
    assert client.get(reverse(chooser.get_url_name("chosen"), args=[mine.pk])).status_code == 200

    for view in ("choose", "choose_results"):
        response = client.get(reverse(chooser.get_url_name(view)))
        # The modal's first answer is JSON carrying the HTML; its results are HTML.
        listing = (
            str(response.json())
            if response["Content-Type"] == "application/json"
            else response.content.decode()
        )
        assert "แบบของเรา" in listing, view
        assert "แบบของเขา" not in listing, view
    several = str(
        client.get(reverse(chooser.get_url_name("chosen_multiple")), {"id": [mine.pk, theirs.pk]}).json()
    )
    assert "แบบของเรา" in several
    assert "แบบของเขา" not in several
