"""What every xAPI resource shares: version header, authentication and scopes, the alternate request
syntax, body limits and error responses.

A view is written as ``handler(xreq) -> HttpResponse`` and wrapped by ``xapi_endpoint``, which turns a
Django request into an ``XRequest`` (method, params, headers, body), whatever syntax the client used.
"""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from urllib.parse import parse_qs

import orjson
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .. import storage
from ..models import LRSClient
from ..storage import format_time
from ..validation import agent_key

SUPPORTED_VERSION = re.compile(r"^1\.0(\.\d+)?$|^2\.0(\.\d+)?$")
# Bodies larger than this get 413 before they are read. Settable, documented in lms/xapi/readme.md.
MAX_BODY_BYTES = getattr(settings, "XAPI_MAX_REQUEST_BYTES", 8 * 1024 * 1024)
# The version answered when the request names none we support (its header is missing or unknown). The 1.0.3
# and 2.0 specifications each want their own here and the request cannot tell us which it follows, so it is a
# deployment setting; requests that send a supported version are always answered in that version.
DEFAULT_VERSION = getattr(settings, "XAPI_DEFAULT_VERSION", "1.0.3")
if DEFAULT_VERSION not in ("1.0.3", "2.0.0"):
    raise ImproperlyConfigured(f"XAPI_DEFAULT_VERSION must be 1.0.3 or 2.0.0, not {DEFAULT_VERSION!r}")
ALTERNATE_HEADERS = {"authorization", "x-experience-api-version", "content-type", "content-length", "if-match",
                     "if-none-match"}


class XAPIError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None, version: str = ""):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.version = version  # the version asked for, when only the failed request parsing knew it


@dataclass
class Caller:
    """Who is calling: an LRS client (HTTP Basic) or a signed-in platform user (session)."""

    client: LRSClient | None = None
    user: object | None = None
    scopes: frozenset = field(default_factory=frozenset)

    @property
    def authority(self) -> dict | None:
        return client_agent(self.client) if self.client else None

    def require(self, *any_of: str) -> None:
        if self.client is None or not self.scopes.intersection(any_of):
            raise XAPIError(403, _("These credentials may not do this (needs scope: %(scopes)s).")
                            % {"scopes": " or ".join(any_of)})


def client_agent(client: LRSClient) -> dict:
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": settings.XAPI_ACCOUNT_HOMEPAGE + "/xapi/clients", "name": client.key},
    }


@dataclass
class XRequest:
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    content_type: str
    version: str
    caller: Caller
    django: object

    @property
    def is_v2(self) -> bool:
        return self.version.startswith("2.")


def _single_values(query) -> dict[str, str]:
    params = {}
    for name, values in query.items():
        if len(values) > 1:
            raise XAPIError(400, _("%(name)s: the parameter is given more than once") % {"name": name})
        params[name] = values[0]
    return params


def _read_body(request) -> bytes:
    length = request.META.get("CONTENT_LENGTH") or "0"
    try:
        declared = int(length)
    except ValueError:
        raise XAPIError(400, _("Content-Length: not a number"))
    if declared > MAX_BODY_BYTES:
        raise XAPIError(413, _("The request body is larger than the limit of %(limit)d bytes.")
                        % {"limit": MAX_BODY_BYTES})
    return request.read(declared) if declared else b""


# Verified clients, per process, for CLIENT_CACHE_SECONDS: saves a query on every xAPI call. A client
# deactivated or given a new secret in the admin is refused at the latest that many seconds later.
CLIENT_CACHE_SECONDS = getattr(settings, "XAPI_CLIENT_CACHE_SECONDS", 30)
_clients: dict[tuple[str, str], tuple[float, LRSClient]] = {}


def _cached_client(key: str, secret: str) -> LRSClient | None:
    import hashlib
    import time

    cache_key = (key, hashlib.sha256(secret.encode()).hexdigest())
    hit = _clients.get(cache_key)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    client = LRSClient.objects.filter(key=key, is_active=True).first()
    if client is None or not client.check_secret(secret):
        _clients.pop(cache_key, None)
        return None
    if len(_clients) > 1000:
        _clients.clear()
    if CLIENT_CACHE_SECONDS:
        _clients[cache_key] = (time.monotonic() + CLIENT_CACHE_SECONDS, client)
    return client


def _authenticate(header: str | None, request) -> Caller:
    challenge = {"WWW-Authenticate": 'Basic realm="xAPI"'}
    if header:
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "basic":
            raise XAPIError(401, _("Authorization: only HTTP Basic credentials are accepted."), challenge)
        try:
            key, _sep, secret = base64.b64decode(token.strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            raise XAPIError(401, _("Authorization: the Basic credentials are not valid base64."), challenge)
        client = _cached_client(key, secret)
        if client is None:
            raise XAPIError(401, _("Authorization: unknown key or wrong secret."), challenge)
        return Caller(client=client, scopes=frozenset(client.scopes))
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Caller(user=user)
    raise XAPIError(401, _("Authorization: credentials are required."), challenge)


def _build(request, *, versioned: bool, authenticated: bool) -> XRequest:
    method = request.method
    query = parse_qs(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    headers = {k[5:].replace("_", "-").lower(): v for k, v in request.META.items() if k.startswith("HTTP_")}
    content_type = request.META.get("CONTENT_TYPE", "")
    body = _read_body(request)
    if "method" in query:
        # Alternate request syntax (1.0.3 Communication 1.3): a form POST carrying method, headers, content.
        # xAPI 2.0 removed it: refused below, once the version (which may come in the form) is known.
        if method != "POST":
            raise XAPIError(400, _("method: the alternate request syntax must use POST"))
        if set(query) != {"method"}:
            raise XAPIError(400, _("method: with the alternate syntax, other parameters go in the form body"))
        if not content_type.lower().startswith("application/x-www-form-urlencoded"):
            raise XAPIError(400, _("Content-Type: the alternate syntax needs application/x-www-form-urlencoded"))
        method = query["method"][0].upper()
        if method not in {"GET", "PUT", "POST", "DELETE", "HEAD"}:
            raise XAPIError(400, _("method: must be GET, PUT, POST or DELETE"))
        form = _single_values(parse_qs(body.decode("utf-8"), keep_blank_values=True))
        body = form.pop("content", "").encode("utf-8")
        for name in list(form):
            if name.lower() in ALTERNATE_HEADERS:
                headers[name.lower()] = form.pop(name)
        content_type = headers.pop("content-type", "application/json" if body else "")
        params = form
    else:
        params = _single_values(query)
    version = headers.get("x-experience-api-version", "")
    if "method" in query and version.startswith("2."):
        raise XAPIError(400, _("method: xAPI 2.0 has no alternate request syntax; send the request with its own "
                               "HTTP method, headers and body"), version=version)
    if versioned:
        if not version:
            raise XAPIError(400, _("X-Experience-API-Version: the header is required (e.g. 1.0.3)"))
        if not SUPPORTED_VERSION.match(version):
            raise XAPIError(400, _("X-Experience-API-Version: %(v)s is not supported; use 1.0.x or 2.0.x")
                            % {"v": version})
    caller = _authenticate(headers.get("authorization"), request) if authenticated else Caller()
    if caller.client is None and caller.user is not None and method not in ("GET", "HEAD"):
        raise XAPIError(403, _("A signed-in learner may only read their own statements."))
    return XRequest(method, params, headers, body, content_type, version, caller, request)


def response_version(requested: str) -> str:
    """The X-Experience-API-Version of our answer: the latest patch of the version asked for."""
    if SUPPORTED_VERSION.match(requested):
        return "2.0.0" if requested.startswith("2.") else "1.0.3"
    return DEFAULT_VERSION


def error_response(status: int, message: str, headers: dict | None = None) -> HttpResponse:
    response = JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def consistent_through() -> str:
    # Statements are stored in short transactions; anything stored more than this margin ago is visible.
    margin = getattr(settings, "XAPI_CONSISTENCY_MARGIN_MS", 0)
    return format_time(timezone.now() - timedelta(milliseconds=margin))


def xapi_endpoint(*, versioned: bool = True, authenticated: bool = True, statements: bool = False):
    """Wrap ``handler(xreq)``: build the XRequest, turn errors into JSON responses, add xAPI headers."""

    def decorate(handler):
        @csrf_exempt  # clients authenticate with HTTP Basic; session callers may not write (see _build)
        @wraps(handler)
        def view(request, *args, **kwargs):
            through = consistent_through() if statements else None
            version = response_version(request.META.get("HTTP_X_EXPERIENCE_API_VERSION", ""))
            try:
                xreq = _build(request, versioned=versioned, authenticated=authenticated)
                version = response_version(xreq.version)
                response = handler(xreq, *args, **kwargs)
                if xreq.method == "HEAD":
                    response.content = b""
            except XAPIError as error:
                if error.version:
                    version = response_version(error.version)
                response = error_response(error.status, error.message, error.headers)
            response["X-Experience-API-Version"] = version
            if through:
                response["X-Experience-API-Consistent-Through"] = through
            response["Access-Control-Allow-Origin"] = "*"
            return response

        return view

    return decorate


# orjson parses a statement batch twice as fast as the standard library, but reads integers beyond 64 bits
# as floats (losing digits) and refuses what Python's json accepts (a byte-order mark, lone surrogates):
# those bodies take the standard library's path, which alone decides what is invalid.
def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")


def parse_json(data: bytes, name: str):
    if not storage.has_long_number(data):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(data, parse_constant=_not_json)
    except (ValueError, UnicodeDecodeError):
        raise XAPIError(400, _("%(name)s: is not valid JSON") % {"name": name})


def session_agent_key(caller: Caller) -> str | None:
    """The agent key of a signed-in user. lms.accounts (a sibling layer) defines the agent as the account
    {homePage: XAPI_ACCOUNT_HOMEPAGE, name: str(user.pk)} (cross-team contract 2); only the key is needed here."""
    if caller.user is None:
        return None
    return agent_key({"account": {"homePage": settings.XAPI_ACCOUNT_HOMEPAGE, "name": str(caller.user.pk)}})
