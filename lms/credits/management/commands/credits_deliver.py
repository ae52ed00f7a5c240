"""Send credit-ledger entries that are due to the credit bank (cron in the embedded default)."""
from django.core.management.base import BaseCommand

from lms.credits import feed


class Command(BaseCommand):
    help = "Deliver due credit-ledger entries to the credit bank; add outbox rows for entries that lack them."

    def handle(self, *args, **options):
        added = feed.enqueue_missing()
        counts = feed.deliver_due()
        self.stdout.write(f"queued {added}; delivered {counts['delivered']}, failed {counts['failed']}, "
                          f"skipped {counts['skipped']}")
