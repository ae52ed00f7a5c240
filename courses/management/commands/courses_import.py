"""Load courses or library resources from an XLSX or CSV file (see courses/importing)."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courses.importing import KINDS, UnreadableFile, import_catalogue


class Command(BaseCommand):
    help = _("Import courses or resources from an .xlsx or .csv file, idempotently by code.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("an .xlsx file, or a .csv in UTF-8 or GB18030 (GBK)"))
        parser.add_argument("--kind", choices=KINDS, default="courses")
        parser.add_argument("--skip-bad-rows", action="store_true",
                            help=_("import the good rows even if some rows are bad"))
        parser.add_argument("--dry-run", action="store_true", help=_("check the file and report; change nothing"))

    def handle(self, *args, file, kind, skip_bad_rows, dry_run, **options):
        try:
            report = import_catalogue(file, kind=kind, skip_bad_rows=skip_bad_rows, dry_run=dry_run,
                                      progress=options["verbosity"] > 0)
        except UnreadableFile as exc:
            raise CommandError(str(exc))
        for column in report.ignored_columns:
            self.stderr.write(_("Ignored unknown column “%(column)s”.") % {"column": column})
        for problem in report.problems:
            self.stderr.write(self.style.ERROR(_("Row %(line)d%(code)s: %(message)s") % {
                "line": problem.line, "code": f" ({problem.code})" if problem.code else "",
                "message": problem.message}))
        summary = _("%(rows)d rows: %(created)d new, %(updated)d updated, %(unchanged)d unchanged, "
                    "%(bad)d bad.") % {
            "rows": report.rows, "created": len(report.created), "updated": len(report.updated),
            "unchanged": len(report.unchanged), "bad": report.skipped}
        if report.problems and not skip_bad_rows:
            raise CommandError(summary + " " + _("Nothing was imported: fix the rows above, or use --skip-bad-rows."))
        if dry_run:
            self.stdout.write(summary + " " + _("Dry run: nothing was changed."))
        else:
            self.stdout.write(self.style.SUCCESS(summary))
