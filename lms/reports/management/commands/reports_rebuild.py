"""``manage.py reports_rebuild``: recount the dashboards' summary tables from the source records."""
from django.core.management.base import BaseCommand
from tqdm import tqdm

from lms.reports.rebuild import rebuild


class Command(BaseCommand):
    help = "Recount every dashboard summary table from enrolments, completions, certificates, credits and statements."

    def handle(self, *args, **options):
        bars: dict[str, tqdm] = {}

        def progress(label, n):
            if label not in bars:
                bars[label] = tqdm(desc=label, unit=" records", file=self.stderr._out,
                                   disable=options["verbosity"] == 0)
            bars[label].update(n)

        counted = rebuild(progress)
        for bar in bars.values():
            bar.close()
        for label, n in counted.items():
            self.stdout.write(f"{label}: {n:,}")
        self.stdout.write(self.style.SUCCESS("Dashboards recounted."))
