"""Settings for a developer's or demonstrator's machine (`make run`)."""

import os
from pathlib import Path

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import BASE_DIR, OAUTH2_PROVIDER, env
from .keys import development_oidc_key, oidc_keys


def development_secret_key(path: Path) -> str:
    """This machine's own secret key: made on first use (the first `make run`), kept at `path`
    readable by its owner only, like the development signing keys beside it. A key printed in
    the repository would let anyone forge this instance's signed values (SCORM commit
    tokens, password-reset links, sessions)."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile
        return path.read_text().strip()
    key = get_random_secret_key()
    with os.fdopen(descriptor, "w") as file:
        file.write(key)
    os.chmod(path, 0o600)  # whatever the umask
    return key


# `make run` sets DJANGO_DEBUG=0 so the demo shows what users see (Thaksa's own 404 and 500
# pages); `DJANGO_DEBUG=1 make run` brings back Django's debugging pages.
DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="") or development_secret_key(
    Path(env("DJANGO_SECRET_KEY_FILE", default=str(BASE_DIR / "var" / "keys" / "django-secret-key")))
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# SCORM content on the same server under its other name: another origin, at no cost
# (the app is http://127.0.0.1:8000; `make run` derives both from HOST and PORT).
SCORM_CONTENT_ORIGIN = env("SCORM_CONTENT_ORIGIN", default="http://localhost:8000").rstrip("/")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
SERVE_MEDIA_LOCALLY = True
# `make run` is one process, whose memory serves as the shared cache django_ratelimit needs
# (production refuses to start without Redis).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Serve static files straight from the apps' folders: no collectstatic on this machine.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# ID tokens: this machine's own signing key unless OIDC_RSA_KEY_FILES names others; loopback
# clients may use http redirect addresses here.
OIDC_RSA_KEY_FILES = env.list("OIDC_RSA_KEY_FILES", default=[]) or [
    development_oidc_key(BASE_DIR / "var" / "keys" / "oidc-rsa.key.pem")
]
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"]}
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"], OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEYS_INACTIVE"] = oidc_keys(
    OIDC_RSA_KEY_FILES
)

# National ID numbers from a sign-in provider are hashed with a key derived from this
# machine's secret key unless NATIONAL_ID_HASH_KEY names one.
NATIONAL_ID_HASH_KEY = env("NATIONAL_ID_HASH_KEY", default="") or f"national-id:{SECRET_KEY}"

# Security keys over http://127.0.0.1 (browsers treat loopback as secure; allauth asks to be told).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
