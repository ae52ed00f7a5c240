"""The Statement resource: PUT, POST, GET (single, filtered, more), HEAD."""
from __future__ import annotations

import json
import uuid

from django.core import signing
from django.http import HttpResponse
from django.utils.http import http_date
from django.utils.translation import gettext as _

from .. import api, storage
from .. import attachments as attachment_store
from ..models import Scope
from ..validation import UUID_RE, Invalid, agent_key, check_agent, check_iri, parse_timestamp
from . import formats, multipart
from .common import XAPIError, XRequest, parse_json, session_agent_key, xapi_endpoint

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
FILTERS = {"agent", "verb", "activity", "registration", "related_activities", "related_agents", "since", "until",
           "limit", "format", "attachments", "ascending"}
SINGLE = {"statementId", "voidedStatementId", "format", "attachments"}
CURSOR_SALT = "lms.xapi.more"


@xapi_endpoint(statements=True)
def statements(xreq: XRequest) -> HttpResponse:
    if xreq.method in ("GET", "HEAD"):
        return _get(xreq)
    if xreq.method in ("PUT", "POST"):
        xreq.caller.require(Scope.WRITE)
        return _put(xreq) if xreq.method == "PUT" else _post(xreq)
    raise XAPIError(405, _("The Statement resource accepts GET, HEAD, PUT and POST."))


def _read_statements(xreq: XRequest):
    content_type = xreq.content_type.split(";")[0].strip().lower()
    try:
        if content_type == "multipart/mixed":
            body, parts = multipart.parse(xreq.body, xreq.content_type)
        elif content_type == "application/json" or (not content_type and xreq.body):
            body, parts = xreq.body, {}
        else:
            raise XAPIError(400, _("Content-Type: statements must be sent as application/json or multipart/mixed"))
    except Invalid as error:
        raise XAPIError(400, str(error))
    return parse_json(body, "body"), parts


def _record(statements, parts, xreq: XRequest) -> list[str]:
    try:
        # Acknowledged at commit; the projections (progress, completion, reports) follow in a worker.
        return api.record(statements, authority=xreq.caller.authority, attachments=parts, xapi_version=xreq.version,
                          projections=api.QUEUED)
    except api.StatementRejected as error:
        raise XAPIError(error.status, str(error))


def _put(xreq: XRequest) -> HttpResponse:
    unknown = set(xreq.params) - {"statementId"}
    if unknown:
        raise XAPIError(400, _("%(name)s: not a parameter of PUT /statements") % {"name": sorted(unknown)[0]})
    statement_id = xreq.params.get("statementId")
    if not statement_id:
        raise XAPIError(400, _("statementId: the parameter is required for PUT"))
    if not UUID_RE.match(statement_id):
        raise XAPIError(400, _("statementId: must be a UUID"))
    statement, parts = _read_statements(xreq)
    if not isinstance(statement, dict):
        raise XAPIError(400, _("body: PUT takes one statement object"))
    if "id" in statement and str(statement["id"]).lower() != statement_id.lower():
        raise XAPIError(400, _("statement.id: does not match the statementId parameter"))
    statement = {**statement, "id": statement_id.lower()}
    _record([statement], parts, xreq)
    return HttpResponse(status=204)


def _post(xreq: XRequest) -> HttpResponse:
    if xreq.params:
        raise XAPIError(400, _("%(name)s: POST /statements takes no parameters") % {"name": sorted(xreq.params)[0]})
    body, parts = _read_statements(xreq)
    statements = body if isinstance(body, list) else [body]
    ids = _record(statements, parts, xreq)
    return HttpResponse(json.dumps(ids), content_type="application/json")


def _bool(xreq: XRequest, name: str) -> bool:
    value = xreq.params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise XAPIError(400, _("%(name)s: must be true or false") % {"name": name})
    return value == "true"


def _render(xreq: XRequest, payloads: list[str], wrap, last_modified=None) -> HttpResponse:
    """The response for stored statements (their ``payload`` JSON texts); ``wrap(json_array_items)`` gives
    the body. The exact format without attachments, what nearly every client asks for, splices the stored
    texts as they are: no parsing and re-serialising of each statement."""
    fmt = xreq.params.get("format", "exact")
    if fmt not in ("exact", "ids", "canonical"):
        raise XAPIError(400, _("format: must be ids, exact or canonical"))
    with_attachments = _bool(xreq, "attachments")
    if fmt == "exact" and not with_attachments:
        items = payloads
    else:
        statements = [storage.loads(payload) for payload in payloads]
        if fmt == "ids":
            statements = [formats.to_ids(s) for s in statements]
        elif fmt == "canonical":
            statements = [formats.to_canonical(s, xreq.headers.get("accept-language", "")) for s in statements]
        items = [json.dumps(s, ensure_ascii=False) for s in statements]
    body = wrap(items).encode()
    if with_attachments:
        wanted = {a["sha2"].lower() for s in statements for a in s.get("attachments") or []}
        content, content_type = multipart.build(body, attachment_store.load(wanted))
        response = HttpResponse(content, content_type=content_type)
    else:
        response = HttpResponse(body, content_type="application/json")
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def _get(xreq: XRequest) -> HttpResponse:
    params = xreq.params
    if xreq.caller.client is not None:
        xreq.caller.require(Scope.READ_ALL, Scope.READ_OWN)
    if "statementId" in params or "voidedStatementId" in params:
        return _get_one(xreq)
    if "more" in params:
        return _get_more(xreq)
    unknown = set(params) - FILTERS
    if unknown:
        raise XAPIError(400, _("%(name)s: not a parameter of GET /statements") % {"name": sorted(unknown)[0]})
    query = _filter_from(params, xreq)
    limit = _limit(params)
    return _page(xreq, query, limit, None, dict(params))


def _limit(params) -> int:
    try:
        limit = int(params.get("limit", "0"))
    except ValueError:
        raise XAPIError(400, _("limit: must be a non-negative integer"))
    if limit < 0:
        raise XAPIError(400, _("limit: must be a non-negative integer"))
    return min(limit or DEFAULT_LIMIT, MAX_LIMIT)


def _filter_from(params, xreq: XRequest) -> api.StatementFilter:
    agent = None
    try:
        if "agent" in params:
            value = parse_json(params["agent"].encode(), "agent")
            check_agent(value, "agent")
            agent = agent_key(value)
            if not agent:
                raise XAPIError(400, _("agent: an anonymous Group cannot be used as a filter"))
        for name in ("verb", "activity"):
            if name in params:
                check_iri(params[name], name)
        if "registration" in params and not UUID_RE.match(params["registration"]):
            raise XAPIError(400, _("registration: must be a UUID"))
        since = parse_timestamp(params["since"], "since") if "since" in params else None
        until = parse_timestamp(params["until"], "until") if "until" in params else None
    except Invalid as error:
        raise XAPIError(400, str(error))
    caller = xreq.caller
    only_authority = None
    if caller.client is not None and "read_all" not in caller.scopes:
        only_authority = agent_key(caller.authority)
    return api.StatementFilter(
        agent=agent, verb=params.get("verb"), activity=params.get("activity"),
        registration=uuid.UUID(params["registration"]) if "registration" in params else None,
        related_activities=_bool(xreq, "related_activities"), related_agents=_bool(xreq, "related_agents"),
        since=since, until=until, ascending=_bool(xreq, "ascending"),
        only_actor=session_agent_key(caller), only_authority=only_authority,
    )


def _get_one(xreq: XRequest) -> HttpResponse:
    params = xreq.params
    if "statementId" in params and "voidedStatementId" in params:
        raise XAPIError(400, _("statementId: cannot be combined with voidedStatementId"))
    extra = set(params) - SINGLE
    if extra:
        raise XAPIError(400, _("%(name)s: cannot be combined with statementId or voidedStatementId")
                        % {"name": sorted(extra)[0]})
    name = "statementId" if "statementId" in params else "voidedStatementId"
    if not UUID_RE.match(params[name]):
        raise XAPIError(400, _("%(name)s: must be a UUID") % {"name": name})
    row = api.get_statement(uuid.UUID(params[name]), voided=name == "voidedStatementId")
    caller = xreq.caller
    if row is not None and caller.user is not None and row.actor_key != session_agent_key(caller):
        row = None
    if row is not None and caller.client is not None and "read_all" not in caller.scopes:
        if row.authority_key != agent_key(caller.authority):
            row = None
    if row is None:
        raise XAPIError(404, _("%(name)s: no such statement") % {"name": name})
    return _render(xreq, [row.payload], lambda items: items[0], row.stored)


def _page(xreq: XRequest, query: api.StatementFilter, limit: int, cursor, params: dict) -> HttpResponse:
    rows, more = api.find_statements(query, limit=limit, cursor=cursor)
    more_link = ""
    if more:
        last = rows[-1]
        token = signing.dumps({"p": params, "s": last[0].isoformat(), "q": last[1], "l": limit}, salt=CURSOR_SALT,
                              compress=True)
        more_link = xreq.django.path.rstrip("/") + "?more=" + token

    def wrap(items: list[str]) -> str:
        return '{"statements":[' + ",".join(items) + '],"more":' + json.dumps(more_link) + "}"

    return _render(xreq, [payload for _stored, _seq, payload in rows], wrap, rows[0][0] if rows else None)


def _get_more(xreq: XRequest) -> HttpResponse:
    from datetime import datetime

    if set(xreq.params) != {"more"}:
        raise XAPIError(400, _("more: cannot be combined with other parameters"))
    try:
        data = signing.loads(xreq.params["more"], salt=CURSOR_SALT)
        cursor = (datetime.fromisoformat(data["s"]), int(data["q"]))
        params, limit = dict(data["p"]), int(data["l"])
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        raise XAPIError(400, _("more: the link is not valid; start again from the first page"))
    xreq.params = params
    query = _filter_from(params, xreq)
    return _page(xreq, query, limit, cursor, params)
