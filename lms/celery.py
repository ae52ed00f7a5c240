"""Celery application. Without a broker configured, tasks run eagerly (embedded default)."""
import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("skills_gansu")
# "Current app" is per thread in Celery: without this, code running in other threads (gunicorn's gthread
# workers, the test live server) would get Celery's bare default app (no broker settings, not eager) from
# ``current_app`` and ``@shared_task`` proxies.
app.set_default()
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def lower_priority(**kwargs):
    """Run every worker process at a lower CPU priority than the web server (``WORKER_NICENESS``).

    On a machine that serves requests too, a worker with a backlog (projections of a burst of posted
    statements) would otherwise take a core from the requests while it catches up: measured on 2 cores, a
    busy worker cut batched statement ingest to 65 % of what the LRS answers alone. At niceness 10 it gets
    about a tenth of the CPU that requests want, and all that they leave idle, so it catches up after the
    burst. Child processes inherit the niceness. 0 leaves the priority alone.
    """
    from django.conf import settings

    if settings.WORKER_NICENESS:
        os.nice(settings.WORKER_NICENESS)
