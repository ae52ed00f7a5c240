"""Settings shared by every environment.

The environment is read only in ``lms/settings``. Defaults give the *embedded* platform: SQLite and
uploads under ``var/``, Wagtail's database search, Celery tasks run eagerly. Each production service is
switched on by its own environment variable (``DATABASE_URL``, ``AWS_STORAGE_BUCKET_NAME``,
``ELASTICSEARCH_URL``, ``CELERY_BROKER_URL``).
"""
import os
from pathlib import Path

import dj_database_url

from plugins.core.discovery import discover_plugin_apps

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("SKILLS_GANSU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Dev-only key; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-dev-key-do-not-use-in-production-7f3a9c")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Built-in plugins are an explicit list; third-party plugins arrive through the entry-point group
# ``skills_gansu.plugins``. Installed is not enabled: see plugins/readme.md.
BUILTIN_PLUGINS: list[str] = [
    "plugins.builtin.credit_bank",
    "plugins.builtin.video",
    "plugins.builtin.document",
    "plugins.builtin.quiz",
    "plugins.builtin.assignment",
    "plugins.builtin.attendance",
    "plugins.builtin.lrs_forwarder",
]
# Kill switch: plugin ids listed here are off on every Site, whatever the admin says.
SKILLS_GANSU_DISABLED_PLUGINS = env_list("SKILLS_GANSU_DISABLED_PLUGINS")
PLUGIN_APPS = discover_plugin_apps(BUILTIN_PLUGINS)

INSTALLED_APPS = [
    # Layer order, lowest first, mirrors the import-linter contract in pyproject.toml.
    "plugins.core",
    "media",
    "search",
    "lms.institutions",
    "lms.accounts",
    "lms.xapi",
    "lms.enrollment",
    "lms.progress",
    "lms.completion",
    "lms.certificates",
    "lms.reports",
    "lms.credits",
    "courses",
    *PLUGIN_APPS,
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the authenticated user (django-axes requirement).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the dev server read while a command writes; a busy timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: zh-Hans is the default; English is complete. Times are Beijing time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "lms" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Files and object storage (README "Files and object storage"). S3-compatible storage (AWS S3, MinIO,
# Aliyun OSS, ...) only when a bucket is named; credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
SKILLS_GANSU_MEDIA_URL_EXPIRY = int(os.environ.get("SKILLS_GANSU_MEDIA_URL_EXPIRY", "300"))  # signed URLs, s
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
            "signature_version": "s3v4",
            "default_acl": None,  # objects stay private; downloads go through short-lived signed URLs
            "querystring_expire": SKILLS_GANSU_MEDIA_URL_EXPIRY,
            "file_overwrite": False,
        },
    }
WAGTAILDOCS_DOCUMENT_FORM_BASE = "media.forms.SafeDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "media.forms.SafeImageForm"

# Search (README "Search"): the database backend unless an Elasticsearch cluster is named.
SKILLS_GANSU_SEARCH = (
    {"BACKEND": "search.backends.elasticsearch", "URL": os.environ["ELASTICSEARCH_URL"],
     "INDEX": os.environ.get("ELASTICSEARCH_INDEX", "skills-gansu")}
    if os.environ.get("ELASTICSEARCH_URL") else {"BACKEND": "search.backends.database"}
)

# Uploads: keep requests bounded; per-type limits live in media/.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Wagtail
WAGTAIL_SITE_NAME = "技能甘肃"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILIMAGES_IMAGE_MODEL = "media.CourseImage"
WAGTAILDOCS_DOCUMENT_MODEL = "media.CourseDocument"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"  # says what happened and what to do, in both languages

# Celery: eager (in-process, after commit) unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# Workers lower their own CPU priority by this much (lms/celery.py): what they do (projections of posted
# statements, forwarding, folding) can wait a moment; answering learners and content cannot.
WORKER_NICENESS = int(os.environ.get("WORKER_NICENESS", "10"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# xAPI identity. Platform users appear in statements as accounts on this home page (account name =
# user id, which never changes), and platform activities get IRIs under this base.
XAPI_ACCOUNT_HOMEPAGE = os.environ.get("XAPI_ACCOUNT_HOMEPAGE", "https://skills.gansu.edu.cn")
XAPI_ACTIVITY_IRI_BASE = os.environ.get("XAPI_ACTIVITY_IRI_BASE", "https://skills.gansu.edu.cn/xapi/activities/")
# The X-Experience-API-Version of answers to requests that name no supported version (1.0.3 or 2.0.0).
XAPI_DEFAULT_VERSION = os.environ.get("XAPI_DEFAULT_VERSION", "1.0.3")
# With a Celery broker, the projections of statements posted over HTTP (progress, completion, reports) run in a
# worker right after commit instead of inside the request. Off: they run in the request, as without a broker.
XAPI_QUEUE_PROJECTIONS = env_bool("XAPI_QUEUE_PROJECTIONS", True)
# Statements the worker projects per transaction at most (lms/xapi/projections.py): larger chunks share
# more of the per-transaction work; each holds the learners' progress rows it touches until it commits.
XAPI_PROJECTION_CHUNK = int(os.environ.get("XAPI_PROJECTION_CHUNK", "1000"))
# While statements keep arriving, the worker projects at most this fraction of the time (it yields the database
# to the LRS; 1 = never yields), until the oldest waiting batch is XAPI_PROJECTION_MAX_LAG seconds old.
XAPI_PROJECTION_DUTY = float(os.environ.get("XAPI_PROJECTION_DUTY", "0.25"))
XAPI_PROJECTION_MAX_LAG = float(os.environ.get("XAPI_PROJECTION_MAX_LAG", "60"))

# Credit bank (lms/credits). Class hours per credit when no rule says otherwise (policy: 16-18).
CREDITS_DEFAULT_HOURS_PER_CREDIT = int(os.environ.get("CREDITS_DEFAULT_HOURS_PER_CREDIT", "16"))
# Ed25519 key signing transcripts: PEM text or a path; unset = generated once into var/keys/.
CREDITS_SIGNING_KEY = os.environ.get("CREDITS_SIGNING_KEY", "")
# The feed (plugins/builtin/credit_bank): where entries go, the shared HMAC secret, our sender id.
CREDIT_BANK_FEED_URL = os.environ.get("CREDIT_BANK_FEED_URL", "")
CREDIT_BANK_FEED_SECRET = os.environ.get("CREDIT_BANK_FEED_SECRET", "")
CREDIT_BANK_SENDER_ID = os.environ.get("CREDIT_BANK_SENDER_ID", "")
# On a provincial hub: the instances allowed to send, as id:secret pairs.
CREDIT_BANK_HUB_SENDERS = dict(p.split(":", 1) for p in env_list("CREDIT_BANK_HUB_SENDERS") if ":" in p)
# With a broker, beat sends credit entries whose retry is due (embedded default: manage.py credits_deliver).
CELERY_BEAT_SCHEDULE = {
    "credits-deliver-due": {"task": "credits.deliver_due", "schedule": 60.0},
    # Dashboards count unfolded learner-days on the fly, so this only keeps that remainder small.
    "reports-fold-active-learners": {"task": "reports.fold_active_learners", "schedule": 10.0},
    # Each recorded batch queues its own drain; this sweep projects batches whose message was lost.
    "xapi-project-pending": {"task": "xapi.project_pending", "schedule": 30.0},
}
