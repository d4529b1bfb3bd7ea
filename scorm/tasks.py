"""Background work for SCORM. Tasks take ids and call a service."""

from celery import shared_task

from scorm.models import PackageVersion
from scorm.services.packages import package_version_import


@shared_task(name="scorm.import_package_version", acks_late=True)
def import_package_version(version_id: int) -> str:
    version = PackageVersion.objects.filter(pk=version_id).exclude(status=PackageVersion.Status.READY).first()
    if version is None:
        return "missing-or-done"
    return package_version_import(version=version).status
