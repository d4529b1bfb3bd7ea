"""Revoking, suspending and reinstating certificates, and the status lists that publish it.

A PDF signature cannot be taken back, so a certificate's standing lives here and is published
two ways at once: the verification page reads the row, and verifiers of the credential read
the Bitstring Status Lists (one for revocation, one for suspension), each a signed
credential. Revocation is final; suspension can be lifted."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from certificates import documents, keys
from certificates.events import certificate_revoked
from certificates.models import Certificate
from certificates.open_badges import status_list_credential as status_list_document
from certificates.proofs import proof_add
from certificates.status_list import encoded_list

STATUS_LIST_CACHE_KEY = "certificates:status-list:{purpose}:{number}:{version}"
STATUS_LIST_VERSION_KEY = "certificates:status-list:version"


class StatusChangeRefused(Exception):
    """The change makes no sense for this certificate's status (the message says why)."""


def _change(*, certificate: Certificate, status: str, reason: str, note: str, by) -> Certificate:
    certificate.status = status
    certificate.status_reason = reason
    certificate.status_note = note
    certificate.status_changed_at = timezone.now()
    certificate.status_changed_by = by
    certificate.save(
        update_fields=["status", "status_reason", "status_note", "status_changed_at", "status_changed_by"]
    )
    # Now (this request's next read) and after commit (a read that raced the commit re-caches
    # the old list; this drops it again).
    status_lists_changed()
    transaction.on_commit(status_lists_changed)
    return certificate


def _locked(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, note: str = "", by=None) -> Certificate:
    certificate = _locked(certificate)
    if certificate.status in (Certificate.Status.REVOKED, Certificate.Status.SUPERSEDED):
        raise StatusChangeRefused(certificate.status)
    certificate = _change(
        certificate=certificate, status=Certificate.Status.REVOKED, reason=reason, note=note, by=by
    )
    transaction.on_commit(lambda: certificate_revoked.send(sender=Certificate, certificate=certificate))
    return certificate


@transaction.atomic
def certificate_suspend(*, certificate: Certificate, reason: str, note: str = "", by=None) -> Certificate:
    certificate = _locked(certificate)
    if certificate.status != Certificate.Status.VALID:
        raise StatusChangeRefused(certificate.status)
    return _change(
        certificate=certificate, status=Certificate.Status.SUSPENDED, reason=reason, note=note, by=by
    )


@transaction.atomic
def certificate_reinstate(*, certificate: Certificate, note: str = "", by=None) -> Certificate:
    certificate = _locked(certificate)
    if certificate.status != Certificate.Status.SUSPENDED:
        raise StatusChangeRefused(certificate.status)
    return _change(certificate=certificate, status=Certificate.Status.VALID, reason="", note=note, by=by)


def status_lists_changed() -> None:
    """Drop the cached signed lists: the next request signs fresh ones."""
    try:
        cache.incr(STATUS_LIST_VERSION_KEY)
    except ValueError:
        cache.set(STATUS_LIST_VERSION_KEY, 1, timeout=None)


def status_list_credential(*, purpose: str, number: int) -> dict | None:
    """Status list `number` for "revocation" or "suspension", as a signed
    `BitstringStatusListCredential`: signed once per change and kept in the cache. None for a
    list no certificate is in (nothing is signed on a stranger's request)."""
    if purpose not in documents.STATUS_PURPOSES:
        raise ValueError(purpose)
    version = cache.get_or_set(STATUS_LIST_VERSION_KEY, 1, timeout=None)
    cache_key = STATUS_LIST_CACHE_KEY.format(purpose=purpose, number=number, version=version)
    credential = cache.get(cache_key)
    if credential is None:
        if not Certificate.objects.filter(status_list_number=number).exists():
            return None
        status = Certificate.Status.REVOKED if purpose == "revocation" else Certificate.Status.SUSPENDED
        positions = Certificate.objects.filter(status=status, status_list_number=number).values_list(
            "status_list_position", flat=True
        )
        now = timezone.now().replace(microsecond=0)
        keys.credential_key_record()
        credential = proof_add(
            status_list_document(
                credential_id=documents.status_list_url(purpose, number),
                issuer=documents.issuer_profile()["id"],
                purpose=purpose,
                encoded=encoded_list(positions),
                valid_from=now,
            ),
            private_key=keys.credential_private_key(),
            created=now,
        )
        cache.set(cache_key, credential, timeout=60 * 60 * 24)
    return credential
