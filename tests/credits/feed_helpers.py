"""A real HTTP receiver on loopback whose behaviour a test scripts: fail, time out, answer."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lms.credits import feed

SECRET = "test-shared-secret-0123456789"


class Receiver:
    """Verifies the HMAC like a hub would and stores each idempotency key once."""

    def __init__(self):
        self.mode = "ok"  # ok | fail | timeout
        self.sleep = 1.0
        self.hits: list[str] = []
        self.stored: dict[str, dict] = {}
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                key = self.headers[feed.IDEMPOTENCY_HEADER]
                receiver.hits.append(key)
                if not feed.signature_ok(SECRET, self.headers[feed.TIMESTAMP_HEADER], body,
                                         self.headers[feed.SIGNATURE_HEADER]):
                    receiver.bad_signatures += 1
                    return self._answer(401, {"error": "bad signature"})
                if receiver.mode == "fail":
                    return self._answer(500, {"error": "database down"})
                duplicate = key in receiver.stored
                receiver.stored.setdefault(key, json.loads(body))
                if receiver.mode == "timeout":
                    time.sleep(receiver.sleep)  # stored, but the answer comes too late
                self._answer(200 if duplicate else 201, {"status": "duplicate" if duplicate else "stored"})

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up waiting

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/credits/hub/entries"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def enable_feed(settings, url: str) -> None:
    """Configure the connector and switch the credit_bank plugin on for the default Site."""
    from django.conf import settings as django_settings

    from plugins.core import registry

    settings.CREDIT_BANK_FEED_URL = url
    settings.CREDIT_BANK_FEED_SECRET = SECRET
    settings.CREDIT_BANK_SENDER_ID = "inst-a"
    settings.CREDIT_BANK_FEED_TIMEOUT_SECONDS = 0.5
    settings.CREDIT_BANK_FEED_BACKOFF_SECONDS = 0
    registry.reset()
    if hasattr(registry, "enabled_implementations"):
        from wagtail.coreutils import get_supported_content_language_variant
        from wagtail.models import Locale, Page, Site

        from plugins.core.api import configure_plugin

        site = Site.objects.filter(is_default_site=True).first()
        if site is None:  # transactional tests start from empty tables
            Locale.objects.get_or_create(language_code=get_supported_content_language_variant(django_settings.LANGUAGE_CODE))
            root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
            site = Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)
        configure_plugin(site=site, plugin_id="credit_bank", enabled=True)
