"""Fill a realistic Gansu with demo content; safe to run twice (see courses/demo)."""
import argparse
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Create demo content for Gansu (idempotent). --scale province adds 500 courses, 50 libraries "
             "and about 10,000 resources for benchmarks.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "province"], default="demo")
        # Hidden: shrink the province scale for tests (0.01 = 5 courses, 1 library, 100 resources).
        parser.add_argument("--scale-factor", type=float, default=1.0, help=argparse.SUPPRESS)
        parser.add_argument("--index-search", action="store_true",
                            help=_("with --scale province, also index the bulk pages for search (slow)"))
        parser.add_argument("--allow-production", action="store_true",
                            help=_("run even with the production settings (creates accounts with demo passwords)"))

    def handle(self, *args, scale, scale_factor, index_search, allow_production, **options):
        from courses.demo import builder

        if settings.SETTINGS_MODULE.endswith(".production") and not allow_production:
            raise CommandError(_("Refusing to create demo accounts with known passwords on production settings; "
                                 "pass --allow-production if you really mean it."))
        if not 0 < scale_factor <= 10:
            raise CommandError(_("--scale-factor must be between 0 and 10."))
        started = time.perf_counter()
        summary = builder.build()
        self.stdout.write(_("Demo content ready: %(pages)d new pages in %(seconds).1f s.") % {
            "pages": summary.created_pages, "seconds": time.perf_counter() - started})
        if scale == "province":
            from courses.demo import bulk

            started = time.perf_counter()
            result = bulk.build_province(factor=scale_factor, progress=options["verbosity"] > 0,
                                         index_search=index_search)
            self.stdout.write(_("Province scale: %(courses)d courses, %(libraries)d libraries, %(resources)d "
                                "resources (%(pages)d new pages) in %(seconds).1f s.") % {
                **result.counts(), "seconds": time.perf_counter() - started})
        self.stdout.write("")
        self.stdout.write(_("Demo accounts (username / password):"))
        for username, password, who in summary.accounts:
            self.stdout.write(f"  {username:<12} {password:<18} {who}")
        self.stdout.write(_("Site: %(url)s   admin: %(url)sadmin/") % {"url": summary.home.full_url or "/"})
