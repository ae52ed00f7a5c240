"""Extension points: one small typed interface each (see ../shared/DESIGN.md, "Plugins").

A plugin's ``plugin.py`` declares a ``PluginSpec`` naming the implementations it provides. Code that
*calls* an extension point declares it here; plugins only implement it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar


class ActivityType:
    """Something a learner does inside a lesson: watch a video, take a quiz, hand in an assignment.

    Subclasses set ``slug`` (stable, used in stored StreamField data) and ``label`` and implement
    ``render`` for the lesson page. ``config_help`` tells authors what the block's JSON config holds.
    ``render`` returns HTML that the plugin has escaped itself; the page marks it safe.
    """

    slug: ClassVar[str] = ""
    label: ClassVar[str] = ""
    config_help: ClassVar[str] = ""

    def render(self, *, config: dict[str, Any], context: dict[str, Any]) -> str:
        raise NotImplementedError  # abstract: every ActivityType renders itself

    def validate_config(self, config: dict[str, Any]) -> list[str]:
        """Return human-readable problems with an author's config (empty when fine)."""
        return []


#: The kinds of implementation a ``PluginSpec`` can list; ``registry.enabled_implementations`` takes one.
IMPLEMENTATION_KINDS = ("activity_types", "lrs_forwarders", "credit_bank_connectors")


@dataclass(frozen=True)
class PluginSpec:
    """What ``plugin.py`` exports as ``PLUGIN``.

    ``default_config`` also declares the configuration schema: a site's stored configuration may set
    only these keys, each with a value of the default's JSON type. ``health_check``, when given, is
    called by the admin's plugin list and returns human-readable problems (empty when healthy); it must
    be quick and must not raise.
    """

    id: str
    name: str
    version: str
    activity_types: tuple[type[ActivityType], ...] = ()
    lrs_forwarders: tuple[type, ...] = ()
    credit_bank_connectors: tuple[type, ...] = ()
    default_config: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    health_check: Callable[[], list[str]] | None = None

    def provides(self) -> dict[str, list[str]]:
        """Names of what the plugin provides, by kind (for the admin list and the docs)."""
        found = {}
        for kind in IMPLEMENTATION_KINDS:
            classes = getattr(self, kind)
            if classes:
                found[kind] = [getattr(cls, "slug", "") or getattr(cls, "id", "") or cls.__name__ for cls in classes]
        return found


@dataclass(frozen=True)
class DeliveryResult:
    """What one try at delivering to a credit bank did. ``outcome``: delivered, refused, failed,
    timeout or network."""

    ok: bool
    outcome: str
    status_code: int | None = None
    detail: str = ""


class CreditBankConnector:
    """Delivers credit-ledger entries to a credit bank (the provincial 学分银行, or a hub instance).

    ``deliver`` makes exactly one try, honours ``timeout`` (seconds) and reports remote failures in its
    result instead of raising. The outbox in ``lms/credits/feed.py`` records every try, retries with
    backoff and sends the same ``idempotency_key`` each time, so a receiver stores each entry once.
    """

    id: ClassVar[str] = ""
    label: ClassVar[str] = ""

    def is_configured(self) -> bool:
        """False while settings the connector needs are missing: no outbox rows are written for it."""
        return True

    def deliver(self, *, payload: dict[str, Any], idempotency_key: str, timeout: float) -> DeliveryResult:
        raise NotImplementedError  # abstract: every connector delivers in its own way


class LRSForwarder:
    """Sends a batch of stored xAPI statements on to another LRS (the province's, an institution's own).

    ``send`` makes exactly one try, honours ``timeout`` (seconds) and reports remote failures in its
    result instead of raising. ``target`` holds ``endpoint``, ``key``, ``secret`` and ``version``. The
    outbox in ``plugins/builtin/lrs_forwarder`` records every try and retries with backoff; statements
    keep their ids, so a remote LRS stores a re-sent batch once.
    """

    id: ClassVar[str] = ""
    label: ClassVar[str] = ""

    def send(self, *, target: dict[str, Any], statements: list[dict[str, Any]], timeout: float) -> DeliveryResult:
        raise NotImplementedError  # abstract: every forwarder sends in its own way
