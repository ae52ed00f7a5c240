"""The embedded default: one machine, no servers (SQLite, local files, database search)."""
from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
