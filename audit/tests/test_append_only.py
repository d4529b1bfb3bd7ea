"""Nothing changes or removes an audit entry: not the model, not the queryset, not raw SQL."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AUDIT_GUARD_DAYS, Action, AuditEvent, AuditLogIsAppendOnly
from audit.services import PruneRefused, audit_prune, audit_record
from people.tests.factories import learner

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="DELETE is guarded by the database on PostgreSQL only (migration audit 0002 says why)",
)


@pytest.fixture
def entry():
    return audit_record(action=Action.SIGN_IN, actor=learner(), what="original")


def _dated(days_ago: int) -> AuditEvent:
    return AuditEvent.objects.create(
        action=Action.SIGN_IN,
        what=f"{days_ago} days ago",
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_an_entry_saved_again_is_refused(entry):
    entry.what = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    assert AuditEvent.objects.get(pk=entry.pk).what == "original"


def test_an_entry_cannot_be_deleted_through_the_orm(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=entry.pk).update(what="rewritten")
    assert AuditEvent.objects.get(pk=entry.pk).what == "original"


def test_an_update_through_raw_sql_fails_in_the_database(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET what = 'rewritten' WHERE id = %s", [entry.pk])
    assert AuditEvent.objects.get(pk=entry.pk).what == "original"


@on_postgresql
def test_a_recent_entry_deleted_through_raw_sql_fails_and_an_old_one_goes():
    recent, old = _dated(AUDIT_GUARD_DAYS - 1), _dated(AUDIT_GUARD_DAYS + 1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [recent.pk])
    with connection.cursor() as cursor:  # the control: past the guard, the database lets it go
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [old.pk])
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_pruning_removes_only_entries_past_the_retention_period_and_says_so(settings):
    settings.AUDIT_RETENTION_DAYS = AUDIT_GUARD_DAYS * 2
    kept, expired = _dated(AUDIT_GUARD_DAYS * 2 - 1), _dated(AUDIT_GUARD_DAYS * 2 + 1)
    cutoff = timezone.now() - dt.timedelta(days=AUDIT_GUARD_DAYS * 2)

    assert audit_prune(before=cutoff, dry_run=True) == 1
    assert AuditEvent.objects.filter(pk=expired.pk).exists()

    assert audit_prune(before=cutoff, dry_run=False) == 1
    assert not AuditEvent.objects.filter(pk=expired.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    pruned = AuditEvent.objects.get(action=Action.LOG_PRUNED)
    assert pruned.detail["removed"] == 1


def test_pruning_refuses_a_cutoff_inside_the_retention_period(settings):
    settings.AUDIT_RETENTION_DAYS = AUDIT_GUARD_DAYS * 2
    young = _dated(AUDIT_GUARD_DAYS + 10)
    with pytest.raises(PruneRefused):
        audit_prune(before=timezone.now() - dt.timedelta(days=AUDIT_GUARD_DAYS), dry_run=False)
    assert AuditEvent.objects.filter(pk=young.pk).exists()


def test_the_retention_setting_may_not_go_below_the_database_guard(settings):
    from audit.checks import audit_retention_check

    assert audit_retention_check() == []
    settings.AUDIT_RETENTION_DAYS = AUDIT_GUARD_DAYS - 1
    assert [error.id for error in audit_retention_check()] == ["audit.E001"]


def test_entries_hold_people_by_number_only_so_an_anonymised_account_leaves_no_address_behind():
    person, manager = learner(email="somchai.j@agency.go.th"), learner()
    audit_record(action=Action.RECORDS_VIEWED, actor=manager, subject=person, what="competencies.profile")
    audit_record(action=Action.SIGN_IN, actor=person)
    person.email = f"erased-{person.pk}@invalid"  # what erasure does to the account row
    person.save()
    stored = " ".join(str(row) for row in AuditEvent.objects.values_list())
    assert "somchai" not in stored
    assert AuditEvent.objects.filter(subject_id=person.pk).count() == 1
    assert AuditEvent.objects.filter(actor_id=person.pk, action=Action.SIGN_IN).count() == 1
