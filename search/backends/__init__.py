"""Search backends, chosen by dotted module path in ``settings.SKILLS_GANSU_SEARCH["BACKEND"]``.

Each backend module exports one class named ``SearchBackend`` (a subclass of
:class:`search.backends.base.BaseSearchBackend`), built with the rest of the settings dict as options,
the way Django picks cache and session backends.
"""
from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from .base import BaseSearchBackend

DEFAULT_BACKEND = "search.backends.database"
_backend: BaseSearchBackend | None = None


def get_backend() -> BaseSearchBackend:
    global _backend
    if _backend is None:
        config = dict(getattr(settings, "SKILLS_GANSU_SEARCH", {}) or {})
        path = config.pop("BACKEND", DEFAULT_BACKEND)
        try:
            backend_class = import_module(path).SearchBackend
        except (ImportError, AttributeError) as exc:
            raise ImproperlyConfigured(f"SKILLS_GANSU_SEARCH BACKEND {path!r} has no SearchBackend class: {exc}")
        _backend = backend_class(config)
    return _backend


@receiver(setting_changed)
def _forget_backend(*, setting, **kwargs):
    global _backend
    if setting == "SKILLS_GANSU_SEARCH":
        _backend = None
