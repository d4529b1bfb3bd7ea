"""Background work for SCORM. Tasks take ids and call a service."""

from celery import shared_task

from scorm.models import PackageVersion
from scorm.services.packages import package_version_import
from scorm.services.retention import commit_history_prune


@shared_task(name="scorm.import_package_version", acks_late=True)
def import_package_version(version_id: int) -> str:
    version = PackageVersion.objects.filter(pk=version_id).exclude(status=PackageVersion.Status.READY).first()
    if version is None:
        return "missing-or-done"
    return package_version_import(version=version).status


@shared_task(name="scorm.prune_commit_history")
def prune_commit_history(dry_run: bool = False) -> dict:
    """Nightly (CELERY_BEAT_SCHEDULE): thin the commit history older than the kept days."""
    pruned = commit_history_prune(dry_run=dry_run)
    return {"older": pruned.older, "deleted": pruned.deleted, "kept": pruned.kept, "dry_run": pruned.dry_run}
