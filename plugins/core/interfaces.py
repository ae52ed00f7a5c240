"""Extension points: one small typed interface each (see ../shared/DESIGN.md, "Plugins").

A plugin's ``plugin.py`` declares a ``PluginSpec`` naming the implementations it provides. Code that
*calls* an extension point declares it here; plugins only implement it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


class ActivityType:
    """Something a learner does inside a lesson: watch a video, take a quiz, hand in an assignment.

    Subclasses set ``slug`` (stable, used in stored StreamField data) and ``label`` and implement
    ``render`` for the lesson page. ``config_help`` tells authors what the block's JSON config holds.
    """

    slug: ClassVar[str] = ""
    label: ClassVar[str] = ""
    config_help: ClassVar[str] = ""

    def render(self, *, config: dict[str, Any], context: dict[str, Any]) -> str:
        raise NotImplementedError  # abstract: every ActivityType renders itself

    def validate_config(self, config: dict[str, Any]) -> list[str]:
        """Return human-readable problems with an author's config (empty when fine)."""
        return []


@dataclass(frozen=True)
class PluginSpec:
    """What ``plugin.py`` exports as ``PLUGIN``."""

    id: str
    name: str
    version: str
    activity_types: tuple[type[ActivityType], ...] = ()
    lrs_forwarders: tuple[type, ...] = ()
    credit_bank_connectors: tuple[type, ...] = ()
    default_config: dict[str, Any] = field(default_factory=dict)
