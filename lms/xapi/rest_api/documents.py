"""State, Activity Profile and Agent Profile resources, plus the Activities, Agents and About resources."""
from __future__ import annotations

import json

from django.http import HttpResponse, JsonResponse
from django.utils.http import http_date
from django.utils.translation import gettext as _

from .. import api
from ..models import Activity, Document, Scope
from ..validation import UUID_RE, Invalid, agent_key, check_agent, check_iri, parse_timestamp
from .common import XAPIError, XRequest, parse_json, xapi_endpoint

READ_SCOPES = (Scope.WRITE, Scope.READ_OWN, Scope.READ_ALL)


def _require_params(xreq: XRequest, required: set[str], optional: set[str]) -> None:
    for name in sorted(required):
        if name not in xreq.params:
            raise XAPIError(400, _("%(name)s: the parameter is required") % {"name": name})
    unknown = set(xreq.params) - required - optional
    if unknown:
        raise XAPIError(400, _("%(name)s: not a parameter of this resource") % {"name": sorted(unknown)[0]})


def _agent(xreq: XRequest) -> tuple[dict, str]:
    agent = parse_json(xreq.params["agent"].encode(), "agent")
    try:
        check_agent(agent, "agent")
    except Invalid as error:
        raise XAPIError(400, str(error))
    key = agent_key(agent)
    if not key:
        raise XAPIError(400, _("agent: must be an Agent or an identified Group"))
    return agent, key


def _activity(xreq: XRequest) -> str:
    try:
        check_iri(xreq.params["activityId"], "activityId")
    except Invalid as error:
        raise XAPIError(400, str(error))
    return xreq.params["activityId"]


def _since(xreq: XRequest):
    if "since" not in xreq.params:
        return None
    try:
        return parse_timestamp(xreq.params["since"], "since")
    except Invalid as error:
        raise XAPIError(400, str(error))


def _document_response(document: Document) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["ETag"] = f'"{document.etag}"'
    response["Last-Modified"] = http_date(document.updated.timestamp())
    return response


def _serve(xreq: XRequest, *, kind: str, id_param: str, activity_iri: str = "", agent: str = "",
           registration: str = "", require_precondition: bool, refuse_blind_overwrite: bool = False) -> HttpResponse:
    document_id = xreq.params.get(id_param)
    if xreq.method in ("GET", "HEAD"):
        xreq.caller.require(*READ_SCOPES)
        if document_id is None:
            ids = api.list_document_ids(kind=kind, activity_iri=activity_iri, agent_key=agent,
                                        registration=registration, since=_since(xreq))
            return JsonResponse(ids, safe=False)
        if "since" in xreq.params:
            raise XAPIError(400, _("since: cannot be combined with %(name)s") % {"name": id_param})
        document = api.get_document(api.DocumentKey(kind, document_id, activity_iri, agent, registration))
        if document is None:
            raise XAPIError(404, _("%(name)s: no such document") % {"name": id_param})
        return _document_response(document)
    xreq.caller.require(Scope.WRITE)
    if xreq.method == "DELETE":
        if document_id is None and kind != Document.STATE:
            raise XAPIError(400, _("%(name)s: the parameter is required") % {"name": id_param})
        try:
            api.delete_documents(kind=kind, document_id=document_id, activity_iri=activity_iri, agent_key=agent,
                                 registration=registration, if_match=xreq.headers.get("if-match"))
        except api.DocumentConflict as error:
            raise XAPIError(error.status, str(error))
        return HttpResponse(status=204)
    if xreq.method not in ("PUT", "POST"):
        raise XAPIError(405, _("This resource accepts GET, HEAD, PUT, POST and DELETE."))
    if document_id is None:
        raise XAPIError(400, _("%(name)s: the parameter is required") % {"name": id_param})
    if "since" in xreq.params:
        raise XAPIError(400, _("since: is only for GET"))
    content_type = xreq.content_type or "application/octet-stream"
    if content_type.split(";")[0].strip().lower() == "application/json":
        parse_json(xreq.body, "content")
    try:
        document = api.put_document(
            api.DocumentKey(kind, document_id, activity_iri, agent, registration),
            content=xreq.body, content_type=content_type, merge=xreq.method == "POST",
            if_match=xreq.headers.get("if-match"), if_none_match=xreq.headers.get("if-none-match"),
            require_precondition=require_precondition and xreq.method == "PUT",
            refuse_blind_overwrite=refuse_blind_overwrite and xreq.method == "PUT",
        )
    except api.DocumentConflict as error:
        raise XAPIError(error.status, str(error))
    response = HttpResponse(status=204)
    response["ETag"] = f'"{document.etag}"'
    return response


@xapi_endpoint()
def state(xreq: XRequest) -> HttpResponse:
    _require_params(xreq, {"activityId", "agent"}, {"registration", "stateId", "since"})
    activity = _activity(xreq)
    _agent_json, agent = _agent(xreq)
    registration = xreq.params.get("registration", "")
    if registration and not UUID_RE.match(registration):
        raise XAPIError(400, _("registration: must be a UUID"))
    # xAPI 2.0 (4.1.4) puts State under the concurrency rules: a PUT without If-Match/If-None-Match may create
    # a document but not replace one (409). 1.0.3 let State PUTs overwrite freely, and 1.0.x clients still may.
    return _serve(xreq, kind=Document.STATE, id_param="stateId", activity_iri=activity, agent=agent,
                  registration=registration.lower(), require_precondition=False, refuse_blind_overwrite=xreq.is_v2)


@xapi_endpoint()
def activity_profile(xreq: XRequest) -> HttpResponse:
    _require_params(xreq, {"activityId"}, {"profileId", "since"})
    return _serve(xreq, kind=Document.ACTIVITY_PROFILE, id_param="profileId", activity_iri=_activity(xreq),
                  require_precondition=True)


@xapi_endpoint()
def agent_profile(xreq: XRequest) -> HttpResponse:
    _require_params(xreq, {"agent"}, {"profileId", "since"})
    _agent_json, agent = _agent(xreq)
    return _serve(xreq, kind=Document.AGENT_PROFILE, id_param="profileId", agent=agent, require_precondition=True)


@xapi_endpoint()
def activities(xreq: XRequest) -> HttpResponse:
    if xreq.method not in ("GET", "HEAD"):
        raise XAPIError(405, _("The Activities resource accepts GET and HEAD."))
    xreq.caller.require(*READ_SCOPES)
    _require_params(xreq, {"activityId"}, set())
    iri = _activity(xreq)
    activity = Activity.objects.filter(iri=iri).first()
    body = {"objectType": "Activity", "id": iri}
    if activity is not None and activity.definition:
        body["definition"] = activity.definition
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@xapi_endpoint()
def agents(xreq: XRequest) -> HttpResponse:
    if xreq.method not in ("GET", "HEAD"):
        raise XAPIError(405, _("The Agents resource accepts GET and HEAD."))
    xreq.caller.require(*READ_SCOPES)
    _require_params(xreq, {"agent"}, set())
    agent, _key = _agent(xreq)
    if agent.get("objectType") == "Group":
        raise XAPIError(400, _("agent: the Agents resource describes a single Agent, not a Group"))
    person = {"objectType": "Person"}
    for field in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
        if field in agent:
            person[field] = [agent[field]]
    return JsonResponse(person, json_dumps_params={"ensure_ascii": False})


@xapi_endpoint(versioned=False, authenticated=False)
def about(xreq: XRequest) -> HttpResponse:
    if xreq.method not in ("GET", "HEAD"):
        raise XAPIError(405, _("The About resource accepts GET and HEAD."))
    versions = ["1.0.0", "1.0.1", "1.0.2", "1.0.3"]
    if xreq.headers.get("x-experience-api-version", "").startswith("2."):
        versions.append("2.0.0")  # listed only to 2.0 clients: 1.0 libraries (tincan) reject unknown versions
    body = {"version": versions,
            "extensions": {"https://skills.gansu.edu.cn/xapi/extensions/lrs": {"name": "Skills Gansu LRS"}}}
    return HttpResponse(json.dumps(body), content_type="application/json")
