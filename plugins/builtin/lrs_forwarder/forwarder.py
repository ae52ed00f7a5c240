"""Sending one batch of statements to a remote LRS with tincan's ``RemoteLRS``.

tincan opens ``http.client`` connections without a timeout, so the call runs in a worker thread and is
abandoned after ``timeout`` seconds; the outbox records that try as a timeout and retries later.
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from tincan import RemoteLRS, Statement, StatementList

from plugins.core.interfaces import DeliveryResult, LRSForwarder

# A few threads shared by every delivery in this process; a hung remote holds one until its socket dies.
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lrs-forwarder")


class TinCanForwarder(LRSForwarder):
    id = "tincan"
    label = "xAPI LRS (tincan)"

    def send(self, *, target: dict, statements: list[dict], timeout: float) -> DeliveryResult:
        future = _POOL.submit(self._send, target, statements)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            return DeliveryResult(ok=False, outcome="timeout", detail=f"no answer within {timeout:g} s")

    @staticmethod
    def _send(target: dict, statements: list[dict]) -> DeliveryResult:
        try:
            batch = StatementList([Statement.from_json(json.dumps(s)) for s in statements])
        except AttributeError as error:
            # tincan speaks xAPI 1.0.x: a statement with 2.0-only properties (context.contextAgents, ...) cannot
            # go to a 1.0.x target unchanged, and changing it would store other content under the same id.
            return DeliveryResult(ok=False, outcome="refused",
                                  detail=f"not an xAPI 1.0.x statement, cannot be forwarded: {error}"[:500])
        try:
            lrs = RemoteLRS(endpoint=target["endpoint"], username=target["key"], password=target["secret"],
                            version=target.get("version") or "1.0.3")
            response = lrs.save_statements(batch)
        except (OSError, ValueError, TypeError) as error:
            return DeliveryResult(ok=False, outcome="network", detail=str(error)[:500])
        status = response.response.status
        if response.success:
            return DeliveryResult(ok=True, outcome="delivered", status_code=status)
        detail = (response.data or b"")[:500]
        detail = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        return DeliveryResult(ok=False, outcome="refused" if 400 <= status < 500 else "failed",
                              status_code=status, detail=detail)
