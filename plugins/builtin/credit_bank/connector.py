"""HTTP delivery of one ledger entry. Configuration comes from the environment (read in settings):
``CREDIT_BANK_FEED_URL`` (https, or http to a loopback address for local hubs and tests),
``CREDIT_BANK_FEED_SECRET`` (the HMAC key shared with the receiver) and ``CREDIT_BANK_SENDER_ID``.
Secrets never live in the database."""
from __future__ import annotations

import ipaddress
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from lms.credits import feed
from plugins.core.interfaces import CreditBankConnector, DeliveryResult


def _url_allowed(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


class HttpCreditBankConnector(CreditBankConnector):
    id = "credit_bank.http"
    label = "Credit bank over HTTPS"

    def is_configured(self) -> bool:
        url = getattr(settings, "CREDIT_BANK_FEED_URL", "")
        return bool(url and getattr(settings, "CREDIT_BANK_FEED_SECRET", "") and _url_allowed(url))

    def deliver(self, *, payload: dict, idempotency_key: str, timeout: float) -> DeliveryResult:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        request = urllib.request.Request(settings.CREDIT_BANK_FEED_URL, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            feed.IDEMPOTENCY_HEADER: idempotency_key,
            feed.SENDER_HEADER: settings.CREDIT_BANK_SENDER_ID,
            feed.TIMESTAMP_HEADER: timestamp,
            feed.SIGNATURE_HEADER: feed.sign_body(settings.CREDIT_BANK_FEED_SECRET, timestamp, body),
        })
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return DeliveryResult(True, "delivered", response.status, response.read(500).decode(errors="replace"))
        except urllib.error.HTTPError as error:
            detail = error.read(500).decode(errors="replace")
            outcome = "refused" if 400 <= error.code < 500 else "failed"
            return DeliveryResult(False, outcome, error.code, detail)
        except TimeoutError as error:
            return DeliveryResult(False, "timeout", None, f"no answer within {timeout} s ({error})")
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                return DeliveryResult(False, "timeout", None, f"no answer within {timeout} s")
            return DeliveryResult(False, "network", None, str(error.reason))
        except (ConnectionError, OSError) as error:
            return DeliveryResult(False, "network", None, str(error))
