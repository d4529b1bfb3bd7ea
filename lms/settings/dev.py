"""Settings for a developer's or demonstrator's machine (`make run`)."""

from .base import *  # noqa: F403
from .base import env

# `make run` sets DJANGO_DEBUG=0 so the demo shows what users see (Thaksa's own 404 and 500
# pages); `DJANGO_DEBUG=1 make run` brings back Django's debugging pages.
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A fixed, public key is acceptable only because these settings never serve real people:
# production.py refuses to start without its own.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="thaksa-development-key-not-for-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
SERVE_MEDIA_LOCALLY = True
# Serve static files straight from the apps' folders: no collectstatic on this machine.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
