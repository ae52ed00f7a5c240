"""Credit every completion the journey recorded (e.g. after restoring statements). Idempotent."""
from django.core.management.base import BaseCommand, CommandError

from lms.credits import api


class Command(BaseCommand):
    help = "Write ledger entries for completions that have none (existing entries are kept)."

    def add_arguments(self, parser):
        parser.add_argument("learner_ids", nargs="*", type=int, help="only these learners (default: all)")

    def handle(self, *args, learner_ids, **options):
        try:
            from lms.completion import api as completion_api
        except ImportError:
            raise CommandError("lms.completion is not installed: there are no completions to credit.")
        from django.contrib.auth import get_user_model

        ids = learner_ids or get_user_model().objects.values_list("pk", flat=True)
        written = api.credit_completions(c for learner_id in ids for c in completion_api.completions_for(learner_id))
        self.stdout.write(f"{written} ledger entries written")
