"""Erasure end to end: a learner with records everywhere is erased; their name, e-mail
address and employee number are then in no text column of any table and on no page the
public or their HR manager can open; the dashboards' numbers do not move, even after a full
rebuild; and their certificate still verifies, with a pseudonymised holder."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from analytics.models import AggregateCell, ExportJob
from analytics.services import aggregates_rebuild
from assessments.models import AttemptItem
from certificates.models import Certificate
from certificates.services.verification import pdf_verify
from people.models import LearnerProfile, User
from scorm.models import CommitRecord, Interaction, ScoAttempt
from subject_rights.erasure import ERASED_DOMAIN, person_erase
from subject_rights.tests.scenario import (
    EMAIL,
    EMPLOYEE_NUMBER,
    FAMILY_EN,
    FAMILY_TH,
    GIVEN_EN,
    GIVEN_TH,
    IDENTIFYING,
    learner_with_everything,
    signed_in,
)

pytestmark = pytest.mark.django_db


def text_columns_containing(needle: str) -> list[str]:
    """Every "table.column" of the whole database (every table, not only models') whose text
    contains `needle` (JSON compared both as stored and with its escapes)."""
    hits = []
    variants = {needle.lower(), json.dumps(needle)[1:-1].lower()}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                quoted = f"LOWER(CAST({connection.ops.quote_name(column.name)} AS TEXT))"
                where = " OR ".join(f"{quoted} LIKE %s" for _ in variants)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {where}",  # noqa: S608
                    [f"%{variant}%" for variant in variants],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    return hits


def cells() -> dict[tuple[object, ...], int]:
    return {
        (
            c.fiscal_year,
            c.unit_id,
            c.position_type,
            c.role_group_id,
            c.employment_type,
            c.measure,
            c.item,
        ): c.value
        for c in AggregateCell.objects.exclude(value=0)
    }


def pages_seen_by_others(client_factory, scenario) -> str:
    """Every page the public and the HR manager open about the person, concatenated."""
    certificate = scenario.certificate
    public = client_factory()
    html = []
    for url in (
        reverse("certificates:verify", args=[certificate.public_id]),
        reverse("certificates:verify", args=[certificate.public_id]) + "?format=json",
        reverse("certificates:credential", args=[certificate.public_id]),
    ):
        response = public.get(url)
        assert response.status_code == 200, url
        html.append(response.content.decode())
    manager = signed_in(scenario.hr_manager)
    for url in (
        reverse("analytics:dashboard") + f"?unit={scenario.unit.pk}",
        reverse("competencies:person", args=[scenario.person.pk]),
        reverse("assignments:detail", args=[scenario.assignment.pk]),
    ):
        response = manager.get(url)
        assert response.status_code == 200, url
        html.append(response.content.decode())
    return "\n".join(html)


def test_erasure_leaves_no_trace_keeps_the_figures_and_the_certificate(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scenario = learner_with_everything()
    person = scenario.person
    signed_in(person)  # a live session
    pdf_bytes = scenario.certificate.pdf.open("rb").read()
    aggregates_rebuild(resume=False)
    figures_before = cells()
    assert figures_before

    # Before: the identifying details are there, in the tables and on the pages (so the
    # checks below can see them).
    before = pages_seen_by_others(type(client), scenario)
    assert FAMILY_TH in before
    assert GIVEN_EN in before
    for needle in IDENTIFYING:
        assert text_columns_containing(needle), needle

    with django_capture_on_commit_callbacks(execute=True):
        erasure = person_erase(person=person)

    leftover = {needle: text_columns_containing(needle) for needle in IDENTIFYING}
    assert leftover == {needle: [] for needle in IDENTIFYING}

    after = pages_seen_by_others(type(client), scenario)
    for needle in IDENTIFYING:
        assert needle not in after
    assert erasure.pseudonym in after  # the check page names the pseudonymised holder

    # The account: anonymised, unusable, signed out.
    person.refresh_from_db()
    assert person.email.endswith("@" + ERASED_DOMAIN)
    assert not person.has_usable_password()
    assert not type(client)().login(username=EMAIL, password="correct-horse-battery-2569")
    assert not apps.get_model("sessions.Session").objects.exists() or all(
        str(s.get_decoded().get("_auth_user_id")) != str(person.pk)
        for s in apps.get_model("sessions.Session").objects.all()
    )
    profile = LearnerProfile.objects.get(user=person)
    assert (profile.employee_number, profile.position_title) == ("", "")
    assert not ExportJob.objects.filter(requested_by=person).exists()
    assert not CommitRecord.objects.filter(session__attempt__registration__enrolment__user=person).exists()
    attempt = ScoAttempt.objects.get(registration__enrolment__user=person)
    assert attempt.score_scaled == 0.8
    assert attempt.suspend_data == ""
    assert Interaction.objects.get(attempt=attempt, interaction_id="Q2").learner_response == "b"
    assert AttemptItem.objects.filter(
        attempt__user=person, spec__kind="free_text", response__isnull=True
    ).exists()

    # The dashboards: the same numbers, incrementally and after a full rebuild.
    assert cells() == figures_before
    aggregates_rebuild(resume=False)
    assert cells() == figures_before

    # The certificate: still valid on its check page, its PDF no longer served, and the
    # holder's own copy still genuine.
    certificate = Certificate.objects.get(pk=scenario.certificate.pk)
    assert not certificate.pdf
    summary = (
        type(client)()
        .get(reverse("certificates:verify", args=[certificate.public_id]) + "?format=json")
        .json()
    )
    assert summary["status"] == "valid"
    assert summary["pdf_url"] is None  # the page offers no PDF that is gone
    assert summary["holder_name"] == {
        "th": f"ผู้เรียนนิรนาม {erasure.pseudonym}",
        "en": f"Anonymous learner {erasure.pseudonym}",
    }
    assert type(client)().get(reverse("certificates:pdf", args=[certificate.public_id])).status_code == 404
    verdict = pdf_verify(pdf_bytes)
    assert verdict.verdict == "genuine"
    assert verdict.certificate == certificate


def test_the_pseudonymised_name_never_matches_the_old_one(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scenario = learner_with_everything()
    first = person_erase(person=scenario.person)
    assert User.objects.get(pk=scenario.person.pk).get_full_name() == ""
    assert first.pseudonym not in (GIVEN_TH, FAMILY_TH, GIVEN_EN, FAMILY_EN, EMPLOYEE_NUMBER)
    assert EMAIL not in User.objects.values_list("email", flat=True)
