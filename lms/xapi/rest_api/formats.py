"""Statement result formats (xAPI Communication 2.1.3): ids, exact, canonical."""
from __future__ import annotations

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _agent_ids(agent: dict) -> dict:
    out = {k: agent[k] for k in IFIS if k in agent}
    if "objectType" in agent:
        out["objectType"] = agent["objectType"]
    if agent.get("objectType") == "Group" and "member" in agent:
        out["member"] = [_agent_ids(m) for m in agent["member"]]
    return out


def _object_ids(obj: dict) -> dict:
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        return {"id": obj["id"]}
    if object_type in ("Agent", "Group"):
        return _agent_ids(obj)
    if object_type == "SubStatement":
        return _part_ids(obj)
    return obj


def _part_ids(part: dict) -> dict:
    out = dict(part)
    out["actor"] = _agent_ids(part["actor"])
    out["verb"] = {"id": part["verb"]["id"]}
    out["object"] = _object_ids(part["object"])
    if "authority" in part:
        out["authority"] = _agent_ids(part["authority"])
    if "context" in part:
        context = dict(part["context"])
        for role in ("instructor", "team"):
            if role in context:
                context[role] = _agent_ids(context[role])
        if "contextActivities" in context:
            context["contextActivities"] = {
                key: [{"id": a["id"]} for a in items]
                for key, items in context["contextActivities"].items()
            }
        out["context"] = context
    return out


def to_ids(statement: dict) -> dict:
    return _part_ids(statement)


def _pick(language_map: dict, languages: list[str]) -> dict:
    if not language_map:
        return language_map
    lowered = {k.lower(): k for k in language_map}
    for language in languages:
        language = language.lower()
        if language in lowered:
            key = lowered[language]
            return {key: language_map[key]}
        for tag, key in lowered.items():
            if tag.split("-")[0] == language.split("-")[0]:
                return {key: language_map[key]}
    key = next(iter(language_map))
    return {key: language_map[key]}


def _canonical(value, languages: list[str], key: str | None = None):
    if isinstance(value, dict):
        if key in ("display", "name", "description") and all(isinstance(v, str) for v in value.values()):
            return _pick(value, languages)
        return {k: _canonical(v, languages, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v, languages, key) for v in value]
    return value


def to_canonical(statement: dict, accept_language: str) -> dict:
    languages = [item.split(";")[0].strip() for item in accept_language.split(",") if item.strip()]
    # an Agent's "name" is a string, never a language map, so it passes through unchanged
    return _canonical(statement, [lang for lang in languages if lang != "*"])
