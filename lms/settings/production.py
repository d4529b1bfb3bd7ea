"""Settings for production. They refuse to start without their secrets.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, SCORM_CONTENT_ORIGIN (a host under a
registrable domain of its own, checked by `manage.py check`), and for `check --deploy`
CACHE_URL (a cache every web process shares). Expected: DATABASE_URL (PostgreSQL),
CELERY_BROKER_URL (Redis), AWS_STORAGE_BUCKET_NAME and its credentials, EMAIL_URL.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

THAKSA_ENVIRONMENT = "production"
DEBUG = False

SECRET_KEY = env("DJANGO_SECRET_KEY")  # ImproperlyConfigured when missing: no silent default
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the host names Thaksa serves.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# `__Host-` cookies must be secure, host-only and for the whole site: no other host (a SCORM
# content host included) can set or overwrite them (session fixation, login CSRF).
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_NAME = "__Host-thaksa_language"
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Wagtail's live preview and the lesson page's launch frame show Thaksa's own pages, so frames
# stay allowed from the same origin (X_FRAME_OPTIONS = "SAMEORIGIN", set in base) rather than
# DENY. SCORM content is on its own origin (SCORM_CONTENT_ORIGIN, required: scorm/checks.py),
# where `frame-ancestors` lets only the app frame it.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
