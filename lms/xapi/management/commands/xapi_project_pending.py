"""Project the LRS's queued batches now, and show what waits (an operator's view of the outbox)."""
from django.core.management.base import BaseCommand

from lms.xapi import projections
from lms.xapi.models import PendingProjection


class Command(BaseCommand):
    help = ("Project every batch of statements waiting in the LRS's projection outbox (normally a Celery worker "
            "does this right after each batch), then report what is left.")

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true",
                            help=f"also retry batches whose projection failed {projections.MAX_ATTEMPTS} times")
        parser.add_argument("--list", dest="only_list", action="store_true",
                            help="only report the batches waiting; project nothing")

    def handle(self, *args, retry_failed, only_list, **options):
        if not only_list:
            sent = projections.drain(retry_failed=retry_failed)
            self.stdout.write(f"projected {sent} statements")
        left = projections.backlog()
        self.stdout.write(f"waiting: {left['batches']} batches ({left['statements']} statements), "
                          f"of which {left['failed']} failed {projections.MAX_ATTEMPTS} times")
        for row in PendingProjection.objects.filter(attempts__gt=0).order_by("pk"):
            error = (row.last_error.strip().splitlines() or [""])[-1]
            self.stdout.write(f"  batch {row.pk}: {row.size} statements recorded {row.created:%Y-%m-%d %H:%M:%S}, "
                              f"{row.attempts} failed attempts: {error}")
        if left["failed"] and not retry_failed:
            self.stdout.write("fix the cause, then run again with --retry-failed")
