"""Rebuild progress and completion from the statements in the LRS (thin wrapper over ``api.rebuild``)."""
from django.core.management.base import BaseCommand

from lms.completion import api
from lms.xapi.api import iter_statements


class Command(BaseCommand):
    help = "Rebuild every progress and completion projection from the stored xAPI statements."

    def handle(self, *args, **options):
        result = api.rebuild(iter_statements())
        self.stdout.write(
            f"Projected {result['statements']} statements; {result['evaluations']} learner x offering evaluations."
        )
