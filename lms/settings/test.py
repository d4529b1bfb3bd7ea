"""Settings for the test suite: fast hashing, in-memory cache and mail, plain static files."""

from .base import *  # noqa: F403
from .base import BASE_DIR, OAUTH2_PROVIDER, env
from .keys import development_oidc_key, oidc_keys

THAKSA_ENVIRONMENT = "test"
DEBUG = False
# A fixed key is fine here and only here: the test suite never serves people, and a fixed key
# keeps signed values reproducible. dev.py makes a key per machine; production requires one.
SECRET_KEY = "thaksa-test-key"  # noqa: S105 - test settings only
# SCORM content has a host of its own in tests too (the browser tests point it at the live
# server under its other name, http://localhost:<port>: tests/conftest.py).
SCORM_CONTENT_ORIGIN = "http://content.testserver"
ALLOWED_HOSTS = ["testserver", "content.testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# One process runs the tests, so its memory is the shared cache django_ratelimit needs.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Sign-ins are checked by axes as in production; the test client's login(), which passes no
# request, is let through (people/tests/sign_in_backend.py). Each test starts with no failures.
AUTHENTICATION_BACKENDS = [
    "people.tests.sign_in_backend.TestClientSignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")
# The media route `make run` has (lms/urls.py), so the tests see what development serves.
SERVE_MEDIA_LOCALLY = True
# Tests run Celery tasks in-process unless CELERY_BROKER_URL is set for the integration test;
# even then, ordinary tests keep tasks eager so they do not depend on a worker.
CELERY_TASK_ALWAYS_EAGER = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING["root"]["level"] = "WARNING"
# Serve static files straight from the apps' folders: no collectstatic on this machine.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, like the product's own SQLite, not the in-memory default: the browser tests'
    # live server and the race tests write from several threads, which an in-memory
    # database answers with "table is locked" instead of waiting its turn.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
# Certificates are signed with development keys made for the test run (tests/conftest.py).
CERTIFICATES_KEYS_DIR = BASE_DIR / "var" / "test-keys"
CERTIFICATES_SIGNING = {
    **CERTIFICATES_SIGNING,
    "KEY_FILE": str(CERTIFICATES_KEYS_DIR / "signing.key.pem"),
    "CERT_FILE": str(CERTIFICATES_KEYS_DIR / "signing.cert.pem"),
    "CHAIN_FILES": [str(CERTIFICATES_KEYS_DIR / "ca.cert.pem")],
    "CRL_FILES": [str(CERTIFICATES_KEYS_DIR / "ca.crl.pem")],
}
CERTIFICATES_TRUST_ROOT_FILES = [str(CERTIFICATES_KEYS_DIR / "ca.cert.pem")]
CERTIFICATES_CREDENTIAL_KEY_FILE = str(CERTIFICATES_KEYS_DIR / "credential-ed25519.key.pem")
# ID tokens are signed with a key made for the test runs (two: the second is a retired key the
# JWKS must still publish).
OIDC_RSA_KEY_FILES = [
    development_oidc_key(BASE_DIR / "var" / "test-keys" / "oidc-rsa.key.pem"),
    development_oidc_key(BASE_DIR / "var" / "test-keys" / "oidc-rsa-retired.key.pem"),
]
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"]}
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"], OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEYS_INACTIVE"] = oidc_keys(
    OIDC_RSA_KEY_FILES
)
NATIONAL_ID_HASH_KEY = "thaksa-test-national-id-key"  # test settings only
# The second step is required of administrators and HR managers (identity.policies); the tests
# of everything else sign them in without one. identity's tests switch it on.
THAKSA_TWO_STEP_REQUIRED = False
# Security keys over the live server's http://localhost (browsers treat loopback as secure).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
