"""Celery application. Without a broker configured, tasks run eagerly (embedded default)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("skills_gansu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
