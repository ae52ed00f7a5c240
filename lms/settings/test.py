"""Test settings: fast hashing, in-memory cache. DATABASE_URL picks PostgreSQL; unset means SQLite."""
import tempfile

from .base import *  # noqa: F401,F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="skills-gansu-media-")
CELERY_TASK_ALWAYS_EAGER = True
WAGTAILADMIN_BASE_URL = "http://testserver"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests build their own in-memory database; never touch var/db.sqlite3.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
