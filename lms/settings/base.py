"""Settings shared by every environment.

Every value that differs between machines is read from the environment through the one
reader below (`env`). The defaults run the whole product on one machine with nothing
installed: SQLite, Celery tasks executed in-process, media on the local disk and e-mail
printed to the console. Setting DATABASE_URL, CELERY_BROKER_URL, CACHE_URL or
AWS_STORAGE_BUCKET_NAME switches to the real services.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _
from wagtail.embeds import oembed_providers

from .sign_in import sign_in_providers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
THAKSA_ENVIRONMENT = "development"  # dev, test and production settings each say which they are
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Wagtail (its user admin is replaced by people.apps.ThaksaUsersAppConfig below)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "axes",  # failed sign-ins and lockouts (people/sign_in_limits.py)
    "django_ratelimit",  # rate limits through the shared cache; installed so its cache checks run
    "oauth2_provider",  # the OAuth2 / OpenID Connect provider (api/; docs/api.md)
    "rest_framework",
    "drf_spectacular",
    # Thaksa's own apps, after the frameworks so that their post-migrate steps see every
    # permission. The folder layout is the architecture (docs/architecture.md).
    "people.apps.ThaksaUsersAppConfig",
    "audit",
    "privacy",
    "organisations",
    "competencies",
    "people.apps.PeopleConfig",
    "identity",
    "themes",
    "courses",
    "scorm",
    "assessments",
    "certificates",
    "analytics",
    "assignments",
    "subject_rights",
    "api",
    "webhooks",
    "demo",
    # Sign-in with OpenID Connect providers and two-step verification (identity/): after
    # Thaksa's apps, so that identity's templates replace allauth's own.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.security_headers.SecurityHeadersMiddleware",  # CSP, Permissions-Policy; not on the content host
    "scorm.middleware.ContentOriginMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "audit.middleware.AuditRequestMiddleware",  # who and from where, for entries written by signals
    "people.middleware.PreferredLanguageMiddleware",
    "privacy.middleware.NoticeAcknowledgementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "identity.middleware.TwoStepRequiredMiddleware",  # administrators and HR managers set up a second step
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as axes requires: turns a refused sign-in into Thaksa's lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"
ASGI_APPLICATION = "lms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database: SQLite by default, anything dj-database-url understands via DATABASE_URL.
# ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a task writes; a timeout instead of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Cache: local memory by default, Redis via CACHE_URL (e.g. redis://127.0.0.1:6379/1).
# ---------------------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://thaksa")}

# ---------------------------------------------------------------------------
# People and sign-in
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "account:sign-in"
LOGIN_REDIRECT_URL = "account:profile"
LOGOUT_REDIRECT_URL = "/"
# Private pages and documents (Wagtail's view restrictions) send people to Thaksa's sign-in,
# not to Wagtail's own bare one.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
# Failed sign-ins (people/sign_in_limits.py): django-axes checks every authenticate() first,
# on the site's sign-in and the admin's. Within the cool-off, a sign-in is refused after
# AXES_FAILURE_LIMIT failures of one account from one client, after ..._PER_CLIENT failures
# from one client across accounts (credential stuffing; higher, since a ministry's offices may
# share one address), or after ..._PER_ACCOUNT failures of one account from any clients (one
# password guessed from many addresses); the refusal says how long to wait and offers the
# password reset, which clears the account's failures. Success clears them for that client.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "people.sign_in_limits.SignInFailureHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
THAKSA_SIGN_IN_FAILURE_LIMIT_PER_CLIENT = env.int("THAKSA_SIGN_IN_FAILURE_LIMIT_PER_CLIENT", default=50)
THAKSA_SIGN_IN_FAILURE_LIMIT_PER_ACCOUNT = env.int("THAKSA_SIGN_IN_FAILURE_LIMIT_PER_ACCOUNT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("THAKSA_SIGN_IN_COOL_OFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # axes's own limit; the wider two are the handler's
AXES_RESET_ON_SUCCESS = True
# A failure while refused is not counted again: the wait the page names stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "people.sign_in_limits.sign_in_username"
AXES_CLIENT_IP_CALLABLE = "lms.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "people.views.account.sign_in_refused"
# Successful sign-ins are recorded by the audit log; axes keeps only the failures it counts,
# which it deletes once their cool-off is over.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# Password reset requests (people/views/account.py): per client address, and per address typed
# (checked after the client's; over it, the page answers as if sent and sends nothing).
THAKSA_PASSWORD_RESET_RATE_PER_CLIENT = env("THAKSA_PASSWORD_RESET_RATE_PER_CLIENT", default="20/h")
THAKSA_PASSWORD_RESET_RATE_PER_ADDRESS = env("THAKSA_PASSWORD_RESET_RATE_PER_ADDRESS", default="3/h")

# ---------------------------------------------------------------------------
# Sign-in with ThaID or any OpenID Connect provider, and two-step verification (identity/;
# docs/sign-in.md). django-allauth is the relying party and the second step; Thaksa's own
# sign-in page stays the one place a password is typed, and hands the person to allauth's
# login stages (people.views.account.SignInView), so the second step is asked wherever the
# sign-in began.
# ---------------------------------------------------------------------------
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": sign_in_providers(
            thaid_client_id=env("THAID_CLIENT_ID", default=""),
            thaid_client_secret=env("THAID_CLIENT_SECRET", default=""),
            thaid_discovery_url=env("THAID_DISCOVERY_URL", default=""),
            providers_json=env("OIDC_SIGN_IN_PROVIDERS", default=""),
        ),
    }
}
# The key of the national ID numbers' keyed hash (people.national_id). Production requires one
# when a provider gives national ID numbers; changing it unlinks every number stored.
NATIONAL_ID_HASH_KEY = env("NATIONAL_ID_HASH_KEY", default="")
ACCOUNT_ADAPTER = "identity.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "identity.adapters.SocialAccountAdapter"
MFA_ADAPTER = "identity.adapters.TwoStepAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
# Addresses come from the agencies' staff lists; Thaksa does not send confirmation mail.
ACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
# ThaID gives no address: a new account from it gets a placeholder (identity.services), never
# allauth's sign-up form, which Thaksa does not offer.
SOCIALACCOUNT_EMAIL_REQUIRED = False
# A provider's answer is never stored beyond what identity.oidc keeps; nor are its tokens.
SOCIALACCOUNT_STORE_TOKENS = False
# Leaving for a provider is a POST from Thaksa's sign-in page (no GET with side effects).
SOCIALACCOUNT_LOGIN_ON_GET = False
# Connecting a provider to a signed-in account asks for the password (or a code) first: a
# stolen session must not gain a lasting way in.
SOCIALACCOUNT_REAUTHENTICATION_REQUIRED = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# Authenticator apps (TOTP), recovery codes, and security keys or passkeys (WebAuthn) as a
# second step; passkeys do not replace the password (MFA_PASSKEY_LOGIN_ENABLED stays off).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Thaksa"
MFA_FORMS = {
    "add_webauthn": "identity.forms.AddSecurityKeyForm",
    "edit_webauthn": "identity.forms.RenameSecurityKeyForm",
}
MFA_RECOVERY_CODE_COUNT = 10
# Who must use a second step (identity.policies); tests of everything else sign people in
# without one and switch this on where the second step is what they test.
THAKSA_TWO_STEP_REQUIRED = env.bool("THAKSA_TWO_STEP_REQUIRED", default=True)

# ---------------------------------------------------------------------------
# The client's address (lms/client_ip.py): REMOTE_ADDR, unless reverse proxies of ours stand
# in front of Django. Then say how many (a load balancer and nginx: 2) and the header they
# append the address they received from to; the client is that many entries from the right,
# never the left-most, which the client writes itself. Rate limits, lockouts and the audit log
# all read it. Set it only when every request passes through those proxies.
# ---------------------------------------------------------------------------
THAKSA_TRUSTED_PROXY_COUNT = env.int("THAKSA_TRUSTED_PROXY_COUNT", default=0)
THAKSA_TRUSTED_PROXY_HEADER = env("THAKSA_TRUSTED_PROXY_HEADER", default="X-Forwarded-For")
RATELIMIT_IP_META_KEY = "lms.client_ip.client_ip"

# ---------------------------------------------------------------------------
# Thai first
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "thaksa_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static files and media
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = env("DJANGO_MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
SERVE_MEDIA_LOCALLY = False  # dev.py serves uploads from MEDIA_ROOT; production uses object storage

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible object storage (AWS, MinIO, Ceph, ...) through django-storages.
    DEFAULT_FILE_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False
else:
    DEFAULT_FILE_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"

STORAGES = {
    "default": {"BACKEND": DEFAULT_FILE_STORAGE_BACKEND},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# ---------------------------------------------------------------------------
# E-mail: printed to the console unless EMAIL_URL names a server (smtp://user:pass@host:587).
# ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Thaksa <no-reply@thaksa.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------
# Celery: in-process (eager) unless CELERY_BROKER_URL names a broker.
# ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_IMPORTS = ["lms.tasks"]
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {"task": "lms.publish_scheduled_pages", "schedule": 60.0},
    "clear-expired-sessions": {"task": "lms.clear_expired_sessions", "schedule": 60.0 * 60 * 24},
    "submit-overdue-quiz-attempts": {"task": "assessments.submit_overdue_attempts", "schedule": 60.0},
    "certificate-expiry-reminders": {"task": "certificates.send_expiry_reminders", "schedule": 60.0 * 60 * 6},
    "assignment-reminders": {"task": "assignments.send_reminders", "schedule": 60.0 * 60},
    "analytics-refresh-time-dependent": {"task": "analytics.refresh_time_dependent", "schedule": 60.0 * 60},
    "analytics-rebuild": {"task": "analytics.rebuild_aggregates", "schedule": 60.0 * 60 * 24 * 7},
    "analytics-delete-expired-exports": {
        "task": "analytics.delete_expired_exports",
        "schedule": 60.0 * 60 * 24,
    },
    "scorm-prune-commit-history": {"task": "scorm.prune_commit_history", "schedule": 60.0 * 60 * 24},
    "subject-rights-retention": {"task": "subject_rights.apply_retention", "schedule": 60.0 * 60 * 24},
    "webhooks-announce-overdue": {"task": "webhooks.announce_overdue", "schedule": 60.0 * 60 * 24},
    "webhooks-prune-deliveries": {"task": "webhooks.prune_deliveries", "schedule": 60.0 * 60 * 24},
    "oauth2-clear-expired-tokens": {"task": "api.clear_expired_tokens", "schedule": 60.0 * 60 * 24},
}

# /healthz (lms/health.py) tells the public only "ok" or "fail"; the details (which check,
# the backends, errors) go to a request bearing this token as "Authorization: Bearer <token>"
# (monitoring; empty: no token accepted) and to signed-in people this function accepts.
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")
HEALTHZ_OPERATORS = "people.permissions.is_platform_admin"

# Wagtail's own background work (search index, reference index, image focal points) goes
# through Django's task interface: in-process without a broker, through Celery with one.
TASKS = {
    "default": {
        "BACKEND": (
            "lms.task_backends.CeleryTaskBackend"
            if CELERY_BROKER_URL
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# ---------------------------------------------------------------------------
# SCORM (docs/architecture.md, "SCORM")
# ---------------------------------------------------------------------------
# SCORM content is someone else's HTML and JavaScript, so the player and the package files
# are served from a host under a registrable domain of its own, never the app's site (e.g.
# https://thaksa-content.go.th beside https://thaksa.go.th; `make run` uses http://localhost:8000 beside
# http://127.0.0.1:8000): content then cannot read the app's cookies or pages. That host must
# reach this same Django and be in DJANGO_ALLOWED_HOSTS. There is no same-origin fallback:
# empty, packages do not open, and `manage.py check` reports an error (scorm/checks.py).
SCORM_CONTENT_ORIGIN = env("SCORM_CONTENT_ORIGIN", default="").rstrip("/")
# Token lifetimes (scorm/tokens.py): the one-time grant that opens the player, the commit
# token (renewed with each accepted commit), the package-file token (also ended by the
# session's end, after a grace for files a SCO loads while it unloads).
SCORM_LAUNCH_GRANT_SECONDS = env.int("SCORM_LAUNCH_GRANT_SECONDS", default=120)
SCORM_COMMIT_TOKEN_SECONDS = env.int("SCORM_COMMIT_TOKEN_SECONDS", default=4 * 60 * 60)
SCORM_CONTENT_TOKEN_SECONDS = env.int("SCORM_CONTENT_TOKEN_SECONDS", default=4 * 60 * 60)
SCORM_CONTENT_GRACE_SECONDS = env.int("SCORM_CONTENT_GRACE_SECONDS", default=60)
SCORM_AUTOCOMMIT_SECONDS = env.int("SCORM_AUTOCOMMIT_SECONDS", default=30)
SCORM_ARCHIVE_LIMITS = {
    "max_entries": env.int("SCORM_MAX_ENTRIES", default=10_000),
    "max_total_bytes": env.int("SCORM_MAX_TOTAL_BYTES", default=2 * 1024**3),
    "max_file_bytes": env.int("SCORM_MAX_FILE_BYTES", default=1024**3),
    "max_compression_ratio": env.int("SCORM_MAX_COMPRESSION_RATIO", default=100),
}
# What one commit may carry (scorm.commit_payload; table in docs/architecture.md, "SCORM").
# Counts and lengths are SCORM 2004's smallest permitted maximums; suspend_data is 2004 4th
# edition's 64 000 characters for SCORM 1.2 too. Beyond a limit the whole commit is refused
# with the SCORM error code and nothing is stored. Raise a count only after measuring it.
SCORM_COMMIT_LIMITS = {
    "body_bytes": env.int("SCORM_COMMIT_MAX_BYTES", default=2 * 1024 * 1024),
    "depth": 16,
    "sequence": 2**31 - 1,
    "suspend_data_chars": env.int("SCORM_MAX_SUSPEND_DATA_CHARS", default=64_000),
    "location_chars": 1000,
    "interactions": env.int("SCORM_MAX_INTERACTIONS", default=250),
    "objectives": env.int("SCORM_MAX_OBJECTIVES", default=100),
    "correct_responses": 10,
    "interaction_objectives": 10,
    "comments": 250,
    "identifier_chars": 4000,
    "description_chars": 250,
    "learner_response_chars": 4000,
    "comment_chars": 4000,
    "element_chars": 4096,
}
# The commit history (CommitRecord, scorm.services.retention): each record keeps its changed
# elements up to record_chars characters; records older than keep_days are pruned nightly to
# each session's last record and its terminate record.
SCORM_COMMIT_HISTORY = {
    "record_chars": env.int("SCORM_COMMIT_RECORD_CHARS", default=32_000),
    "keep_days": env.int("SCORM_COMMIT_HISTORY_DAYS", default=90),
}

# ---------------------------------------------------------------------------
# Assessments (docs/architecture.md, "Assessments")
# ---------------------------------------------------------------------------
# A timed attempt accepts answers that arrive this long after its deadline (the request was
# sent in time but the network was slow); later ones are refused and the attempt is
# submitted with what was saved.
QUIZ_DEADLINE_GRACE_SECONDS = env.int("QUIZ_DEADLINE_GRACE_SECONDS", default=15)
# How often the learner's browser saves answers while they work (also on every change).
QUIZ_AUTOSAVE_SECONDS = env.int("QUIZ_AUTOSAVE_SECONDS", default=20)

# ---------------------------------------------------------------------------
# Certificates (docs/architecture.md, "Certificates")
# ---------------------------------------------------------------------------
# The issuing body printed on every certificate and named in its credential.
CERTIFICATES_ISSUER = {
    "name_th": env("CERTIFICATES_ISSUER_NAME_TH", default="ทักษะ แพลตฟอร์มพัฒนาทักษะดิจิทัลของบุคลากรภาครัฐ"),
    "name_en": env(
        "CERTIFICATES_ISSUER_NAME_EN", default="Thaksa, digital skills for the Thai public service"
    ),
    "email": env("CERTIFICATES_ISSUER_EMAIL", default="certificates@thaksa.test"),
}
# Development keys (a CA, a document-signing certificate, an Ed25519 credential key) are made
# here by `manage.py certificates_init_keys`. Production points the settings below at its own.
CERTIFICATES_KEYS_DIR = Path(env("CERTIFICATES_KEYS_DIR", default=str(BASE_DIR / "var" / "keys")))
CERTIFICATES_SIGNING = {
    # "files" (PEM key + certificate + chain), "pkcs12" (one .p12 file) or "pkcs11" (an HSM).
    "BACKEND": env("CERTIFICATES_SIGNING_BACKEND", default="files"),
    "KEY_FILE": env("CERTIFICATES_KEY_FILE", default=str(CERTIFICATES_KEYS_DIR / "signing.key.pem")),
    "CERT_FILE": env("CERTIFICATES_CERT_FILE", default=str(CERTIFICATES_KEYS_DIR / "signing.cert.pem")),
    "CHAIN_FILES": env.list("CERTIFICATES_CHAIN_FILES", default=[str(CERTIFICATES_KEYS_DIR / "ca.cert.pem")]),
    "KEY_PASSWORD": env("CERTIFICATES_KEY_PASSWORD", default=None),
    "PKCS12_FILE": env("CERTIFICATES_PKCS12_FILE", default=None),
    "PKCS12_PASSWORD": env("CERTIFICATES_PKCS12_PASSWORD", default=None),
    "PKCS11_MODULE": env("CERTIFICATES_PKCS11_MODULE", default=None),
    "PKCS11_TOKEN_LABEL": env("CERTIFICATES_PKCS11_TOKEN_LABEL", default=None),
    "PKCS11_PIN": env("CERTIFICATES_PKCS11_PIN", default=None),
    "PKCS11_KEY_LABEL": env("CERTIFICATES_PKCS11_KEY_LABEL", default=None),
    "PKCS11_CERT_LABEL": env("CERTIFICATES_PKCS11_CERT_LABEL", default=None),
    # An RFC 3161 timestamp server makes B-T; B-LT also embeds what long-term validation needs.
    "TIMESTAMP_URL": env("CERTIFICATES_TIMESTAMP_URL", default=None),
    "LEVEL": env("CERTIFICATES_PADES_LEVEL", default="B-B"),
    "CRL_FILES": env.list("CERTIFICATES_CRL_FILES", default=[str(CERTIFICATES_KEYS_DIR / "ca.crl.pem")]),
}
# The roots a certificate PDF must chain to. Keep every root that ever signed here: removing
# one makes the documents it signed "not ours".
CERTIFICATES_TRUST_ROOT_FILES = env.list(
    "CERTIFICATES_TRUST_ROOT_FILES", default=[str(CERTIFICATES_KEYS_DIR / "ca.cert.pem")]
)
CERTIFICATES_CREDENTIAL_KEY_FILE = env(
    "CERTIFICATES_CREDENTIAL_KEY_FILE", default=str(CERTIFICATES_KEYS_DIR / "credential-ed25519.key.pem")
)
# Days before a certificate's expiry on which its holder is reminded by e-mail.
CERTIFICATES_EXPIRY_REMINDER_DAYS = [
    int(d) for d in env.list("CERTIFICATES_EXPIRY_REMINDER_DAYS", default=["60", "30", "7"])
]
# Requests per minute per client address to the public verification pages and endpoints.
CERTIFICATES_VERIFY_RATE = env("CERTIFICATES_VERIFY_RATE", default="30/m")
CERTIFICATES_UPLOAD_RATE = env("CERTIFICATES_UPLOAD_RATE", default="10/m")
# The status lists are re-read by verifiers this often (seconds).
CERTIFICATES_STATUS_LIST_MAX_AGE = env.int("CERTIFICATES_STATUS_LIST_MAX_AGE", default=300)

# ---------------------------------------------------------------------------
# Wagtail
# ---------------------------------------------------------------------------
# The activities a lesson can hold beyond courses' own blocks, as {stream name: block class}
# (courses.blocks.lesson_body_blocks): courses sits below scorm and assessments and imports
# neither. The names and the order are part of the stored lesson stream.
THAKSA_ACTIVITY_BLOCKS = {
    "scorm": "scorm.blocks.ScormBlock",
    "quiz": "assessments.blocks.QuizBlock",
}

WAGTAIL_SITE_NAME = "Thaksa"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = ["Asia/Bangkok"]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Picks SQLite FTS5 or PostgreSQL full-text search from the database in use. Thai has no
        # word boundaries a stemmer knows, so PostgreSQL uses the language-neutral 'simple'
        # configuration; Thai word segmentation is done by Thaksa before text reaches it.
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "simple",
    }
}
# The admin calls no outside service on its own: no avatars from gravatar (they would send a
# hash of every official's e-mail address), no release check or "what's new" banner, and
# embeds only from the two video providers lessons name (courses.blocks.VideoBlock).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [oembed_providers.youtube, oembed_providers.vimeo],
    }
]
# Uploads (lms/uploads.py): images re-encoded with every name generated; documents renamed and
# always served through Wagtail's view (its permission checks, `nosniff`, `default-src 'none'`),
# as attachments unless they are PDF or plain text; sizes limited with a message that says what
# to do. No SVG (a drawing that runs scripts). The web server caps request bodies too
# (SCORM packages: 1 GB).
WAGTAILIMAGES_IMAGE_FORM_BASE = "lms.uploads.UploadedImageForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_DOCUMENT_FORM_BASE = "lms.uploads.UploadedDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# ---------------------------------------------------------------------------
# Security headers that hold everywhere; production.py adds HTTPS-only ones.
# ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# same-origin: a window the app opens, or that opens the app, gets no handle on it. A popup a
# SCORM package opens from the lesson page's frame therefore has no `window.opener`; packages
# that look for the API through their opener run in "Open the package in a new window", where
# the player is the top window on the content origin and keeps its popups (scorm.middleware).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4; lms/security_headers.py, docs/security.md). The SCORM
# content origin is added to frame-src and child-src per request; its own host gets none of this.
# Scripts and <style> elements: the app's files, or this response's nonce. style="" attributes
# are allowed (style-src-attr): the progress bars, frame heights and Plotly's charts set them;
# an attribute can neither run script nor load anything from elsewhere (img-src, font-src).
_CSP_MEDIA_ORIGINS = env.list("DJANGO_CSP_MEDIA_ORIGINS", default=[])  # object storage, when media is there
_CSP_VIDEO_PROVIDERS = [  # lesson videos embedded from YouTube or Vimeo (courses.blocks.VideoBlock)
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", *_CSP_MEDIA_ORIGINS],  # data: Plotly's heat maps and icons in CSS
        "media-src": ["'self'", *_CSP_MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *_CSP_VIDEO_PROVIDERS],
        "child-src": ["'self'", *_CSP_VIDEO_PROVIDERS],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
# The Wagtail admin (/admin/): Wagtail 8 writes inline <script>s (InlinePanel, date and time
# widgets, choosers, modal workflows) and inline styles, so both may be inline there; still
# only from the app's origin, no eval, no plugins, framed only by the app.
THAKSA_ADMIN_PATH_PREFIXES = ["/admin/"]
THAKSA_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-attr": None,
        "img-src": ["'self'", "data:", "blob:", *_CSP_MEDIA_ORIGINS],  # blob: upload previews
    },
}
# Permissions-Policy (lms/security_headers.py): feature → who may use it; "self" is the app,
# "content" the SCORM content origin. Every feature no page of Thaksa uses is denied to all.
PERMISSIONS_POLICY = {
    "fullscreen": ["self", "content", *_CSP_VIDEO_PROVIDERS],
    "autoplay": ["self", "content", *_CSP_VIDEO_PROVIDERS],
    "accelerometer": [],
    "bluetooth": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # One line per background task is noise at INFO; failures still show.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------
# Dashboards (docs/architecture.md, "Competencies and dashboards")
# ---------------------------------------------------------------------------
# Exports with more rows than this (and every people or overdue list) are built in the
# background, with a progress page and a download link when ready.
ANALYTICS_EXPORT_INLINE_ROWS = env.int("ANALYTICS_EXPORT_INLINE_ROWS", default=5000)

# ---------------------------------------------------------------------------
# Imports (docs/architecture.md, "Imports"; limits of the files: lms/spreadsheets/reading.py)
# ---------------------------------------------------------------------------
# Seconds an uploaded file waits, encrypted in the cache, for its preview to be confirmed.
IMPORT_PREVIEW_MAX_AGE = env.int("IMPORT_PREVIEW_MAX_AGE", default=60 * 60)

# The audit log (audit/): entries older than this many days are removed by the retention
# schedule (audit.services.audit_prune). At least 365: the database refuses younger deletions.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=5 * 365)

# Data-subject rights and retention (subject_rights/; docs/architecture.md, "Personal data").
# A closed account (is_active off) unused for this long is anonymised like an erasure.
PRIVACY_INACTIVE_ACCOUNT_DAYS = env.int("PRIVACY_INACTIVE_ACCOUNT_DAYS", default=3 * 365)
# SCORM sessions older than this keep only their summary; their commit records are deleted.
SCORM_COMMIT_HISTORY_YEARS = env.int("SCORM_COMMIT_HISTORY_YEARS", default=2)
# How long a person's data export can be downloaded before its file is deleted.
SUBJECT_RIGHTS_EXPORT_KEEP_DAYS = env.int("SUBJECT_RIGHTS_EXPORT_KEEP_DAYS", default=7)

# ---------------------------------------------------------------------------
# The API and the OAuth2 / OpenID Connect provider (api/, webhooks/; docs/api.md)
# ---------------------------------------------------------------------------
OAUTH2_PROVIDER_APPLICATION_MODEL = "api.Application"
# The RSA keys that sign ID tokens: the first is the one in use, the others are retired keys
# still published in the JWKS so tokens they signed stay verifiable until they expire.
# production.py requires them; dev.py and test.py make their own (lms/settings/keys.py).
OIDC_RSA_KEY_FILES = env.list("OIDC_RSA_KEY_FILES", default=[])
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "api.scopes.ApplicationScopes",
    "OAUTH2_VALIDATOR_CLASS": "api.oauth.ThaksaOAuth2Validator",
    "PKCE_REQUIRED": True,  # every authorization code flow proves its verifier (RFC 7636)
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],  # dev.py and test.py add http for loopback clients
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH2_ACCESS_TOKEN_SECONDS", default=15 * 60),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("OAUTH2_REFRESH_TOKEN_SECONDS", default=30 * 24 * 60 * 60),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ID_TOKEN_EXPIRE_SECONDS": 15 * 60,
    "ROTATE_REFRESH_TOKEN": True,  # a refresh token is used once; a new one comes with the new access token
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # a stolen refresh token used twice revokes the whole family
    # No grace period: tokens are stored only as hashes (below), so an earlier answer cannot be
    # repeated; a client whose refresh answer was lost signs the person in again.
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "OIDC_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": "",  # filled from OIDC_RSA_KEY_FILES by the environment's settings
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [],
    "REQUEST_APPROVAL_PROMPT": "auto",  # asked once per application and scopes, again when they grow
    "ERROR_RESPONSE_WITH_SCOPES": True,
    "CLEAR_EXPIRED_TOKENS_BATCH_SIZE": 10000,
    # The OAuth 2.0 Security Best Current Practice (RFC 9700) enforced, not merely warned about:
    # no implicit or password grant, PKCE S256 only, tokens only in the Authorization header,
    # the `iss` parameter in authorization responses, tokens stored as hashes; and a deploy
    # check error for any setting that would weaken refresh tokens, redirect addresses or PKCE.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
# Django REST framework's defaults stay as they are for Wagtail's own admin API (session
# sign-in, its choosers and page explorer); Thaksa's API sets its authentication, permissions,
# renderers, pagination, throttles and error body on its views (api/views/base.py).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"client": env("API_RATE_PER_CLIENT", default="600/minute")},
}
# Webhooks (webhooks/): receivers on private or loopback addresses are refused unless allowed
# (a receiver inside the agency's network reached through a proxy, or tests); each attempt
# waits this long for an answer; the delivery log is kept this many days.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOKS_TIMEOUT_SECONDS = env.int("WEBHOOKS_TIMEOUT_SECONDS", default=10)
WEBHOOKS_DELIVERY_LOG_DAYS = env.int("WEBHOOKS_DELIVERY_LOG_DAYS", default=90)
SPECTACULAR_SETTINGS = {
    "TITLE": "Thaksa API",
    "DESCRIPTION": (
        "Learning records, enrolments, certificates, competencies and agency figures of Thaksa, "
        "for agencies' HR systems and content partners. Tokens come from the OAuth2 provider at "
        "/o/; each operation names the scope it needs. docs/api.md explains the rules."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["api.schema.only_api_v1"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.error_responses"],
    "OAUTH2_FLOWS": ["authorizationCode", "clientCredentials"],
    "OAUTH2_AUTHORIZATION_URL": "/o/authorize/",
    "OAUTH2_TOKEN_URL": "/o/token/",
    "OAUTH2_REFRESH_URL": "/o/token/",
}
