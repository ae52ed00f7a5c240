"""Validation of xAPI 1.0.3 statements (and the 2.0 differences a request may ask for).

Every check raises ``Invalid`` with a message that names the offending property by its path
(``statement.actor.mbox: must start with 'mailto:'``), so that a content author can fix it.
The checks follow the "Data" part of the specification; nothing here touches the database.
"""
from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from functools import lru_cache

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
LANG_RE = re.compile(r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?"
                     r"(?:-(?:[A-Za-z]{2}|\d{3}))?"
                     r"(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*(?:-[A-WY-Za-wy-z\d](?:-[A-Za-z\d]{2,8})+)*"
                     r"(?:-[xX](?:-[A-Za-z\d]{1,8})+)?$|^[xX](?:-[A-Za-z\d]{1,8})+$|^i-[A-Za-z]+$")
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
SHA2_RE = re.compile(r"^[0-9a-fA-F]{56,128}$")
TIMESTAMP_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$"
)
DURATION_RE = re.compile(
    r"^P(?!$)(?:(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?|\d+(?:[.,]\d+)?W)$"
)
VERSION_RE = re.compile(r"^1\.0(?:\.\d+)?$|^2\.0(?:\.\d+)?$")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"

INTERACTION_COMPONENTS = {
    "true-false": (), "fill-in": (), "long-fill-in": (), "numeric": (), "other": (),
    "choice": ("choices",), "sequencing": ("choices",), "likert": ("scale",),
    "matching": ("source", "target"), "performance": ("steps",),
}
ALL_COMPONENTS = ("choices", "scale", "source", "target", "steps")


class Invalid(ValueError):
    """A statement (or a request parameter) breaks the specification. ``str()`` names the property."""


def _fail(path: str, message: str):
    raise Invalid(f"{path}: {message}")


def _is_str(v) -> bool:
    return isinstance(v, str)


def _is_number(v) -> bool:
    # NaN and infinities are not JSON numbers (a Python caller of record() could still pass them).
    return isinstance(v, int) and not isinstance(v, bool) or isinstance(v, float) and math.isfinite(v)


def _object(value, path: str, allowed: set[str], required: tuple[str, ...] = ()) -> dict:
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    for key in value:
        if key not in allowed:
            _fail(f"{path}.{key}", "is not a property allowed here")
    for key in required:
        if key not in value:
            _fail(f"{path}.{key}", "is required")
    return value


# Verbs, activity ids, home pages and language tags repeat across statements: their checks are remembered.
@lru_cache(maxsize=8192)
def _is_iri(value: str) -> bool:
    return IRI_RE.match(value) is not None


@lru_cache(maxsize=1024)
def _is_language_tag(value: str) -> bool:
    return LANG_RE.match(value) is not None


def check_iri(value, path: str) -> None:
    if not _is_str(value) or not _is_iri(value):
        _fail(path, "must be an absolute IRI (e.g. 'http://example.com/verbs/completed')")


def check_uuid(value, path: str) -> None:
    if not _is_str(value) or not UUID_RE.match(value):
        _fail(path, "must be a UUID (RFC 4122, e.g. '3c1f1c5e-2d6b-4f8e-9a4f-0b6e2f3d7a91')")


def check_language_map(value, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be a language map (an object of RFC 5646 language tag to string)")
    for tag, text in value.items():
        if not _is_language_tag(tag):
            _fail(f"{path}.{tag}", "is not an RFC 5646 language tag")
        if not _is_str(text):
            _fail(f"{path}.{tag}", "must be a string")


def check_extensions(value, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be an object whose keys are IRIs")
    for key in value:
        check_iri(key, f"{path}.{key}")


def parse_timestamp(value, path: str, *, allow_negative_zero: bool = False) -> datetime:
    if not _is_str(value):
        _fail(path, "must be an ISO 8601 timestamp string")
    match = TIMESTAMP_RE.match(value)
    if not match:
        _fail(path, "must be an ISO 8601 timestamp such as '2024-05-01T08:30:00.000Z'")
    offset = match.group(8)
    if offset in ("-00:00", "-0000", "-00") and not allow_negative_zero:
        _fail(path, "must not use the offset -00:00")
    text = value.replace("t", "T").replace("z", "Z").replace(" ", "T")
    if offset and len(offset) == 5 and offset[0] in "+-":
        text = text[: -5] + offset[:3] + ":" + offset[3:]
    fraction = match.group(7)
    if fraction and len(fraction) > 7:  # fromisoformat takes at most 6 fraction digits
        text = text.replace(fraction, fraction[:7], 1)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        _fail(path, "is not a valid date and time")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def agent_key(agent: dict) -> str:
    """The identity of an Agent or identified Group: its inverse functional identifier as one string."""
    if "mbox" in agent:
        return "mbox:" + agent["mbox"].lower()
    if "mbox_sha1sum" in agent:
        return "sha1:" + agent["mbox_sha1sum"].lower()
    if "openid" in agent:
        return "openid:" + agent["openid"]
    if "account" in agent:
        return "account:" + agent["account"]["homePage"] + "|" + agent["account"]["name"]
    return ""


AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}


def check_agent(value, path: str, *, object_type_required: bool = False, group_ok: bool = True) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be an Agent or Group object")
    object_type = value.get("objectType", "Agent" if not object_type_required else None)
    if object_type == "Group":
        if not group_ok:
            _fail(f"{path}.objectType", "a Group is not allowed here")
        return check_group(value, path)
    if object_type != "Agent":
        _fail(f"{path}.objectType", "must be 'Agent' or 'Group'")
    _object(value, path, AGENT_KEYS)
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in value]
    if len(ifis) != 1:
        _fail(path, "an Agent must have exactly one of mbox, mbox_sha1sum, openid, account")
    _check_ifi(value, path, ifis[0])
    if "name" in value and not _is_str(value["name"]):
        _fail(f"{path}.name", "must be a string")


def _check_ifi(value: dict, path: str, ifi: str) -> None:
    v = value[ifi]
    if ifi == "mbox":
        if not _is_str(v) or not v.startswith("mailto:") or "@" not in v:
            _fail(f"{path}.mbox", "must start with 'mailto:' and be an e-mail address")
    elif ifi == "mbox_sha1sum":
        if not _is_str(v) or not SHA1_RE.match(v):
            _fail(f"{path}.mbox_sha1sum", "must be the 40-character hex SHA-1 of a mailto IRI")
    elif ifi == "openid":
        check_iri(v, f"{path}.openid")
    else:
        account = _object(v, f"{path}.account", {"homePage", "name"}, ("homePage", "name"))
        check_iri(account["homePage"], f"{path}.account.homePage")
        if not _is_str(account["name"]):
            _fail(f"{path}.account.name", "must be a string")


def check_group(value, path: str) -> None:
    _object(value, path, AGENT_KEYS | {"member"})
    if value.get("objectType") != "Group":
        _fail(f"{path}.objectType", "must be 'Group'")
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in value]
    if len(ifis) > 1:
        _fail(path, "a Group may have at most one of mbox, mbox_sha1sum, openid, account")
    if ifis:
        _check_ifi(value, path, ifis[0])
    if "name" in value and not _is_str(value["name"]):
        _fail(f"{path}.name", "must be a string")
    members = value.get("member")
    if members is None:
        if not ifis:
            _fail(f"{path}.member", "an anonymous Group must list its members")
        return
    if not isinstance(members, list):
        _fail(f"{path}.member", "must be an array of Agents")
    if not ifis and not members:
        _fail(f"{path}.member", "an anonymous Group must list its members")
    for i, member in enumerate(members):
        check_agent(member, f"{path}.member[{i}]", group_ok=False)


def check_verb(value, path: str) -> None:
    verb = _object(value, path, {"id", "display"}, ("id",))
    check_iri(verb["id"], f"{path}.id")
    if "display" in verb:
        check_language_map(verb["display"], f"{path}.display")


def _check_components(items, path: str) -> None:
    if not isinstance(items, list):
        _fail(path, "must be an array of interaction components")
    seen = set()
    for i, item in enumerate(items):
        component = _object(item, f"{path}[{i}]", {"id", "description"}, ("id",))
        if not _is_str(component["id"]) or not component["id"].strip():
            _fail(f"{path}[{i}].id", "must be a non-empty string")
        if component["id"] in seen:
            _fail(f"{path}[{i}].id", "must be unique within the list")
        seen.add(component["id"])
        if "description" in component:
            check_language_map(component["description"], f"{path}[{i}].description")


def check_definition(value, path: str) -> None:
    allowed = {"name", "description", "type", "moreInfo", "extensions", "interactionType",
               "correctResponsesPattern", *ALL_COMPONENTS}
    definition = _object(value, path, allowed)
    for key in ("name", "description"):
        if key in definition:
            check_language_map(definition[key], f"{path}.{key}")
    for key in ("type", "moreInfo"):
        if key in definition:
            check_iri(definition[key], f"{path}.{key}")
    if "extensions" in definition:
        check_extensions(definition["extensions"], f"{path}.extensions")
    interaction = definition.get("interactionType")
    if interaction is None:
        for key in ("correctResponsesPattern", *ALL_COMPONENTS):
            if key in definition:
                _fail(f"{path}.{key}", "needs an interactionType")
        return
    if not _is_str(interaction) or interaction not in INTERACTION_COMPONENTS:
        _fail(f"{path}.interactionType", f"must be one of {', '.join(sorted(INTERACTION_COMPONENTS))}")
    for key in ALL_COMPONENTS:
        if key in definition:
            if key not in INTERACTION_COMPONENTS[interaction]:
                _fail(f"{path}.{key}", f"is not allowed for interactionType '{interaction}'")
            _check_components(definition[key], f"{path}.{key}")
    if "correctResponsesPattern" in definition:
        pattern = definition["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(_is_str(p) for p in pattern):
            _fail(f"{path}.correctResponsesPattern", "must be an array of strings")


def check_activity(value, path: str) -> None:
    activity = _object(value, path, {"objectType", "id", "definition"}, ("id",))
    if activity.get("objectType", "Activity") != "Activity":
        _fail(f"{path}.objectType", "must be 'Activity'")
    check_iri(activity["id"], f"{path}.id")
    if "definition" in activity:
        check_definition(activity["definition"], f"{path}.definition")


def check_statement_ref(value, path: str) -> None:
    ref = _object(value, path, {"objectType", "id"}, ("objectType", "id"))
    if ref["objectType"] != "StatementRef":
        _fail(f"{path}.objectType", "must be 'StatementRef'")
    check_uuid(ref["id"], f"{path}.id")


def check_object(value, path: str, *, in_substatement: bool = False, v2: bool = False) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be an object (Activity, Agent, Group, StatementRef or SubStatement)")
    object_type = value.get("objectType", "Activity")
    if object_type == "Activity":
        check_activity(value, path)
    elif object_type in ("Agent", "Group"):
        check_agent(value, path, object_type_required=True)
    elif object_type == "StatementRef":
        check_statement_ref(value, path)
    elif object_type == "SubStatement":
        if in_substatement:
            _fail(f"{path}.objectType", "a SubStatement cannot contain another SubStatement")
        check_substatement(value, path, v2=v2)
    else:
        _fail(f"{path}.objectType", "must be Activity, Agent, Group, StatementRef or SubStatement")


def check_result(value, path: str) -> None:
    result = _object(value, path, {"score", "success", "completion", "response", "duration", "extensions"})
    if "score" in result:
        score = _object(result["score"], f"{path}.score", {"scaled", "raw", "min", "max"})
        for key in score:
            if not _is_number(score[key]):
                _fail(f"{path}.score.{key}", "must be a number")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            _fail(f"{path}.score.scaled", "must be between -1 and 1")
        if "min" in score and "max" in score and score["min"] >= score["max"]:
            _fail(f"{path}.score.min", "must be less than score.max")
        if "raw" in score and "min" in score and score["raw"] < score["min"]:
            _fail(f"{path}.score.raw", "must not be less than score.min")
        if "raw" in score and "max" in score and score["raw"] > score["max"]:
            _fail(f"{path}.score.raw", "must not be greater than score.max")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            _fail(f"{path}.{key}", "must be true or false")
    if "response" in result and not _is_str(result["response"]):
        _fail(f"{path}.response", "must be a string")
    if "duration" in result and (not _is_str(result["duration"]) or not DURATION_RE.match(result["duration"])):
        _fail(f"{path}.duration", "must be an ISO 8601 duration such as 'PT1H30M'")
    if "extensions" in result:
        check_extensions(result["extensions"], f"{path}.extensions")


V2_CONTEXT = ("contextAgents", "contextGroups")


def check_context(value, path: str, *, object_is_activity: bool, v2: bool = False) -> None:
    allowed = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
               "statement", "extensions", *V2_CONTEXT}
    context = _object(value, path, allowed)
    for key in V2_CONTEXT:
        if key in context and not v2:
            _fail(f"{path}.{key}", "is an xAPI 2.0 property; send the request with X-Experience-API-Version: 2.0.0")
    if "contextAgents" in context:
        _check_context_agents(context["contextAgents"], f"{path}.contextAgents", "contextAgent", "agent")
    if "contextGroups" in context:
        _check_context_agents(context["contextGroups"], f"{path}.contextGroups", "contextGroup", "group")
    if "registration" in context:
        check_uuid(context["registration"], f"{path}.registration")
    if "instructor" in context:
        check_agent(context["instructor"], f"{path}.instructor")
    if "team" in context:
        if not isinstance(context["team"], dict) or context["team"].get("objectType") != "Group":
            _fail(f"{path}.team", "must be a Group")
        check_group(context["team"], f"{path}.team")
    if "contextActivities" in context:
        activities = _object(context["contextActivities"], f"{path}.contextActivities",
                             {"parent", "grouping", "category", "other"})
        for key, items in activities.items():
            for i, item in enumerate(items if isinstance(items, list) else [items]):
                check_activity(item, f"{path}.contextActivities.{key}[{i}]")
    for key in ("revision", "platform"):
        if key in context:
            if not _is_str(context[key]):
                _fail(f"{path}.{key}", "must be a string")
            if not object_is_activity:
                _fail(f"{path}.{key}", "is only allowed when the statement's object is an Activity")
    if "language" in context and (not _is_str(context["language"]) or not LANG_RE.match(context["language"])):
        _fail(f"{path}.language", "must be an RFC 5646 language tag")
    if "statement" in context:
        check_statement_ref(context["statement"], f"{path}.statement")
    if "extensions" in context:
        check_extensions(context["extensions"], f"{path}.extensions")


def _check_context_agents(value, path: str, object_type: str, member: str) -> None:
    """xAPI 2.0 context.contextAgents / contextGroups: [{objectType, agent|group, relevantTypes?}, ...]."""
    if not isinstance(value, list):
        _fail(path, f"must be an array of {object_type} objects")
    for i, item in enumerate(value):
        p = f"{path}[{i}]"
        item = _object(item, p, {"objectType", member, "relevantTypes"}, ("objectType", member))
        if item["objectType"] != object_type:
            _fail(f"{p}.objectType", f"must be '{object_type}'")
        if member == "agent":
            check_agent(item["agent"], f"{p}.agent", group_ok=False)
        else:
            if not isinstance(item["group"], dict) or item["group"].get("objectType") != "Group":
                _fail(f"{p}.group", "must be a Group (objectType 'Group')")
            check_group(item["group"], f"{p}.group")
        if "relevantTypes" in item:
            types = item["relevantTypes"]
            if not isinstance(types, list) or not types:
                _fail(f"{p}.relevantTypes", "must be a non-empty array of activity type IRIs")
            for j, iri in enumerate(types):
                check_iri(iri, f"{p}.relevantTypes[{j}]")


def check_attachments(value, path: str) -> None:
    if not isinstance(value, list):
        _fail(path, "must be an array of attachment objects")
    for i, item in enumerate(value):
        p = f"{path}[{i}]"
        att = _object(item, p, {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"},
                      ("usageType", "display", "contentType", "length", "sha2"))
        check_iri(att["usageType"], f"{p}.usageType")
        check_language_map(att["display"], f"{p}.display")
        if "description" in att:
            check_language_map(att["description"], f"{p}.description")
        if not _is_str(att["contentType"]) or "/" not in att["contentType"]:
            _fail(f"{p}.contentType", "must be an Internet media type such as 'application/pdf'")
        if not isinstance(att["length"], int) or isinstance(att["length"], bool) or att["length"] < 0:
            _fail(f"{p}.length", "must be a non-negative integer")
        if not _is_str(att["sha2"]) or not SHA2_RE.match(att["sha2"]):
            _fail(f"{p}.sha2", "must be the hex SHA-2 hash of the attachment")
        if "fileUrl" in att:
            check_iri(att["fileUrl"], f"{p}.fileUrl")


def _check_core(statement: dict, path: str, *, in_substatement: bool, v2: bool) -> None:
    for key in ("actor", "verb", "object"):
        if key not in statement:
            _fail(f"{path}.{key}", "is required")
    check_agent(statement["actor"], f"{path}.actor")
    check_verb(statement["verb"], f"{path}.verb")
    check_object(statement["object"], f"{path}.object", in_substatement=in_substatement, v2=v2)
    if "result" in statement:
        check_result(statement["result"], f"{path}.result")
    if "context" in statement:
        is_activity = statement["object"].get("objectType", "Activity") == "Activity"
        check_context(statement["context"], f"{path}.context", object_is_activity=is_activity, v2=v2)
    if "timestamp" in statement:
        parse_timestamp(statement["timestamp"], f"{path}.timestamp")
    if "attachments" in statement:
        check_attachments(statement["attachments"], f"{path}.attachments")


def check_substatement(value, path: str, *, v2: bool = False) -> None:
    allowed = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
    for key in ("id", "stored", "version", "authority"):
        if key in value:
            _fail(f"{path}.{key}", "is not allowed in a SubStatement")
    _object(value, path, allowed)
    _check_core(value, path, in_substatement=True, v2=v2)


def check_authority(value, path: str) -> None:
    check_agent(value, path)
    if value.get("objectType") == "Group":
        if agent_key(value):
            _fail(path, "an authority Group must be anonymous (the OAuth consumer and user as its two members)")
        members = value.get("member") or []
        if len(members) != 2:
            _fail(f"{path}.member", "an authority Group must have exactly two Agents (OAuth consumer and user)")
        if not any("account" in m for m in members):
            _fail(f"{path}.member", "an authority Group must include the OAuth consumer (an account)")


def check_statement(statement, path: str = "statement", *, v2: bool = False) -> None:
    """Raise ``Invalid`` unless ``statement`` is a valid xAPI statement (``v2``: as xAPI 2.0 defines it)."""
    allowed = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version",
               "attachments"}
    _object(statement, path, allowed)
    if "id" in statement:
        check_uuid(statement["id"], f"{path}.id")
    _check_core(statement, path, in_substatement=False, v2=v2)
    if "stored" in statement:
        parse_timestamp(statement["stored"], f"{path}.stored")
    if "authority" in statement:
        check_authority(statement["authority"], f"{path}.authority")
    if "version" in statement:
        if not _is_str(statement["version"]) or not VERSION_RE.match(statement["version"]):
            _fail(f"{path}.version", "must be an xAPI version such as '1.0.3'")
    if statement["verb"]["id"] == VOIDED:
        obj = statement["object"]
        if obj.get("objectType") != "StatementRef":
            _fail(f"{path}.object", "a voiding statement's object must be a StatementRef")
