"""Celery application. Without a broker configured, tasks run eagerly (embedded default)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("skills_gansu")
# "Current app" is per thread in Celery: without this, code running in other threads (gunicorn's gthread
# workers, the test live server) would get Celery's bare default app (no broker settings, not eager) from
# ``current_app`` and ``@shared_task`` proxies.
app.set_default()
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
