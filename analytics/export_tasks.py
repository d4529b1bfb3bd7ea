"""Background work for the dashboards' exports. Tasks take ids and call analytics.export_jobs."""

from celery import shared_task

from analytics.export_jobs import export_job_run, export_jobs_delete_expired


@shared_task(name="analytics.build_export", acks_late=True)
def build_export(job_id: int) -> str:
    job = export_job_run(job_id=job_id)
    return job.status if job is not None else "missing"


@shared_task(name="analytics.delete_expired_exports")
def delete_expired_exports() -> int:
    return export_jobs_delete_expired()
