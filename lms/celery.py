"""The Celery application.

Configuration comes from Django settings prefixed `CELERY_`. Without a broker
(CELERY_BROKER_URL unset) tasks run in-process, so one machine runs the whole product.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
