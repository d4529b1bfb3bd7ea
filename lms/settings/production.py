"""Settings for production. They refuse to start without their secrets.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, NATIONAL_ID_HASH_KEY, CACHE_URL (a Redis
server every web process shares), CELERY_BROKER_URL (Redis), SCORM_CONTENT_ORIGIN (a host
under a registrable domain of its own, checked by `manage.py check`). Expected: DATABASE_URL
(PostgreSQL), AWS_STORAGE_BUCKET_NAME and its credentials, EMAIL_URL, and behind reverse
proxies THAKSA_TRUSTED_PROXY_COUNT (lms/client_ip.py).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_URL, OAUTH2_PROVIDER, env
from .keys import oidc_keys

THAKSA_ENVIRONMENT = "production"
DEBUG = False

SECRET_KEY = env("DJANGO_SECRET_KEY")  # ImproperlyConfigured when missing: no silent default
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters.")
# Rotation (docs/security.md): the previous key stays a fallback for a day, so sessions, reset
# links and SCORM tokens signed with it keep working while everybody moves to the new one.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the host names Thaksa serves.")

# Rate limits (password reset requests, certificate verification) and single-use SCORM links
# are counted in the cache. A cache in each process's own memory gives every process its own
# count, so the limits protect nothing: production refuses to start without a shared one.
SHARED_CACHE_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache",
    "django_redis.cache.RedisCache",
}
if CACHES["default"]["BACKEND"] not in SHARED_CACHE_BACKENDS:
    raise ImproperlyConfigured(
        "CACHE_URL must name a Redis server every web process shares (redis://host:6379/1 or "
        "rediss://...): rate limits and single-use links are counted there, and a cache in each "
        "process's memory would let every process count on its own."
    )

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
#
# django_ratelimit.W001: the library's list of supported caches predates Django's own Redis
# backend, which increments atomically and is shared (jsocol/django-ratelimit#283). Its E003
# (a cache that is not shared) stays on, though the cache check above already refuses one.
SILENCED_SYSTEM_CHECKS = ["security.W019", "django_ratelimit.W001"]

# ID tokens are signed with the RSA key in the first of these files; the others are retired
# keys still published in the JWKS (docs/api.md, "Rotating the signing key").
OIDC_RSA_KEY_FILES = env.list("OIDC_RSA_KEY_FILES", default=[])
if not OIDC_RSA_KEY_FILES:
    raise ImproperlyConfigured(
        "OIDC_RSA_KEY_FILES must name the PEM file of the RSA key that signs ID tokens "
        "(openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out oidc.pem), then any "
        "retired keys, separated by commas."
    )
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"], OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEYS_INACTIVE"] = oidc_keys(
    OIDC_RSA_KEY_FILES
)

# The key of the keyed hashes (people.national_id, identity.oidc): the national ID numbers
# ThaID and agencies' staff lists give, and the providers' identifiers of people, are kept only
# hashed under it, and a weak key would let anybody holding the database try all 10^13
# numbers. Set it before the first import or sign-in and keep it: changing it unlinks them all.
NATIONAL_ID_HASH_KEY = env("NATIONAL_ID_HASH_KEY", default="")
if len(NATIONAL_ID_HASH_KEY) < 32:
    raise ImproperlyConfigured(
        "NATIONAL_ID_HASH_KEY must be at least 32 random characters: "
        "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
    )

# Background work runs on Celery workers. Without a broker every task would run inside the web
# request that caused it: a certificate's signing, an export, and a webhook's retries with their
# waits (up to minutes against a receiver that is down) would hold the person's page.
if not CELERY_BROKER_URL:
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL must name the broker the Celery workers read (redis://host:6379/0): "
        "production does not run background tasks inside web requests."
    )
