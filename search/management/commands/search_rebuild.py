"""Rebuild search: refresh the document store from the content apps, then (Elasticsearch) fill a new
index in bulk and swap the alias to it. Thin wrapper over ``search.api.rebuild`` and the backend."""
from django.core.management.base import BaseCommand
from tqdm import tqdm

from search import api
from search.backends import get_backend
from search.models import IndexedDocument


class Command(BaseCommand):
    help = "Rebuild the search document store from published pages and re-index the search backend."

    def add_arguments(self, parser):
        parser.add_argument("--index-only", action="store_true",
                            help="Skip re-reading pages; only re-index the backend from the stored documents.")

    def handle(self, *args, index_only=False, verbosity=1, **options):
        quiet = verbosity == 0
        if not index_only:
            with tqdm(desc="documents", unit="doc", disable=quiet) as bar:
                count = api.rebuild(progress=bar.update)
            self.stdout.write(f"{count} documents in the store.")
        backend = get_backend()
        if hasattr(backend, "reindex"):
            total = IndexedDocument.objects.count()
            with tqdm(total=total, desc="indexing", unit="doc", disable=quiet) as bar:
                name = backend.reindex(progress=bar.update)
            self.stdout.write(f"Index {name} is live.")
