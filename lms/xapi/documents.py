"""State, Activity Profile and Agent Profile documents (xAPI Communication 2.2-2.7).

Concurrency follows the spec: the ETag is the SHA-1 of the content; ``If-Match`` must equal it,
``If-None-Match: *`` means "only if absent". Profiles (and, for xAPI 2.0 requests, State documents) written
with PUT without either header while a document exists are refused (409) so that two clients cannot silently
overwrite each other. POST merges JSON
objects (top-level keys of the new document win) and refuses to merge anything else.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Document


class DocumentConflict(ValueError):
    """A document write was refused; ``status`` is 400, 409 or 412."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DocumentKey:
    kind: str
    document_id: str
    activity_iri: str = ""
    agent_key: str = ""
    registration: str = ""

    def lookup(self) -> dict:
        return {"kind": self.kind, "document_id": self.document_id, "activity_iri": self.activity_iri,
                "agent_key": self.agent_key, "registration": self.registration}


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()


def get_document(key: DocumentKey) -> Document | None:
    return Document.objects.filter(**key.lookup()).first()


def list_document_ids(
    *, kind: str, activity_iri: str = "", agent_key: str = "", registration: str = "", since: datetime | None = None
) -> list[str]:
    rows = Document.objects.filter(kind=kind, activity_iri=activity_iri, agent_key=agent_key)
    if kind == Document.STATE:
        rows = rows.filter(registration=registration)
    if since is not None:
        rows = rows.filter(updated__gt=since)
    return list(rows.order_by("document_id").values_list("document_id", flat=True))


def _strip_quotes(tag: str) -> str:
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag.strip('"')


def check_preconditions(document: Document | None, *, if_match: str | None, if_none_match: str | None) -> None:
    if if_match is not None:
        tags = {_strip_quotes(t) for t in if_match.split(",")}
        if document is None or ("*" not in tags and document.etag not in tags):
            raise DocumentConflict("If-Match: the document has changed (or does not exist); fetch it again", 412)
    if if_none_match is not None:
        tags = {_strip_quotes(t) for t in if_none_match.split(",")}
        if document is not None and ("*" in tags or document.etag in tags):
            raise DocumentConflict("If-None-Match: the document already exists", 412)


def _is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "application/json"


def put_document(
    key: DocumentKey,
    *,
    content: bytes,
    content_type: str,
    merge: bool = False,
    if_match: str | None = None,
    if_none_match: str | None = None,
    require_precondition: bool = False,
    refuse_blind_overwrite: bool = False,
) -> Document:
    """Create or replace (``merge=False``, PUT) or JSON-merge (``merge=True``, POST) a document.

    Without If-Match or If-None-Match, ``require_precondition`` refuses the write (409 if the document exists,
    400 if not); ``refuse_blind_overwrite`` refuses only replacing an existing document (409).
    """
    if merge and _is_json(content_type):
        try:
            incoming = json.loads(content or b"null")
        except ValueError:
            raise DocumentConflict("content: is not valid JSON", 400)
        if not isinstance(incoming, dict):
            raise DocumentConflict("content: only JSON objects can be merged (POST); use PUT to replace", 400)
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _write(key, content=content, content_type=content_type, merge=merge, if_match=if_match,
                              if_none_match=if_none_match, require_precondition=require_precondition,
                              refuse_blind_overwrite=refuse_blind_overwrite)
        except IntegrityError:
            if attempt:
                raise DocumentConflict("the document was created concurrently; fetch it and retry", 409)
    raise AssertionError("unreachable")


def _write(key, *, content, content_type, merge, if_match, if_none_match, require_precondition,
           refuse_blind_overwrite) -> Document:
    document = Document.objects.select_for_update().filter(**key.lookup()).first()
    check_preconditions(document, if_match=if_match, if_none_match=if_none_match)
    if (require_precondition or refuse_blind_overwrite) and if_match is None and if_none_match is None:
        if document is not None:
            raise DocumentConflict(
                "If-Match: the document exists; send If-Match with its ETag to replace it", 409
            )
        if require_precondition:
            raise DocumentConflict("If-None-Match: send If-None-Match: * to create the document", 400)
    if merge and document is not None:
        if not (_is_json(content_type) and _is_json(document.content_type)):
            raise DocumentConflict("content: both the stored and the new document must be JSON to merge (POST)", 400)
        try:
            current = json.loads(bytes(document.content))
        except ValueError:
            current = None
        if not isinstance(current, dict):
            raise DocumentConflict("content: the stored document is not a JSON object and cannot be merged", 400)
        current.update(json.loads(content))
        content = json.dumps(current, ensure_ascii=False).encode()
        content_type = "application/json"
    now = timezone.now()
    if document is None:
        document = Document(**key.lookup())
    document.content = content
    document.content_type = content_type or "application/octet-stream"
    document.etag = etag_of(content)
    document.updated = now
    document.save()
    return document


@transaction.atomic
def delete_documents(
    *, kind: str, document_id: str | None, activity_iri: str = "", agent_key: str = "", registration: str = "",
    if_match: str | None = None,
) -> int:
    """Delete one document (``document_id``) or, for State only, all of an agent's in an activity."""
    rows = Document.objects.filter(kind=kind, activity_iri=activity_iri, agent_key=agent_key)
    if kind == Document.STATE:
        rows = rows.filter(registration=registration)
    if document_id is not None:
        rows = rows.filter(document_id=document_id)
        if if_match is not None:
            check_preconditions(rows.select_for_update().first(), if_match=if_match, if_none_match=None)
    deleted, _ = rows.delete()
    return deleted
