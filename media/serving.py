"""Handing files to browsers: byte ranges locally, short-lived signed URLs on object storage.

- Local storage: ``Range: bytes=a-b`` is answered with 206 and ``Content-Range`` (video and audio
  players seek with it); a range past the end gets 416; several ranges get the whole file (allowed by
  RFC 9110). ``If-Range`` that does not match the ETag gets the whole file.
- S3-compatible storage: a redirect to a presigned URL valid ``SKILLS_GANSU_MEDIA_URL_EXPIRY`` seconds,
  which carries the content type and disposition, so the object store serves ranges itself.
- Always: the stored (sniffed) content type, ``X-Content-Type-Options: nosniff``, ``Content-Disposition``
  with the Chinese name kept (RFC 5987 ``filename*=UTF-8''…``), and ``attachment`` for anything that is
  not safe to show inline.
"""
from __future__ import annotations

import mimetypes
import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header
from storages.utils import clean_name

from .safety import INLINE_TYPES

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def url_expiry() -> int:
    return int(getattr(settings, "SKILLS_GANSU_MEDIA_URL_EXPIRY", 300))


def content_type_of(name: str, stored: str = "") -> str:
    return stored or mimetypes.guess_type(name)[0] or "application/octet-stream"


def disposition(filename: str, content_type: str, *, download: bool = False) -> str:
    return content_disposition_header(download or content_type not in INLINE_TYPES, filename)


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) inclusive for a single satisfiable range; ``None`` to send everything;
    ``False`` when the range cannot be satisfied (416)."""
    match = _RANGE.match((header or "").strip())
    if not match:
        return None  # absent, malformed or several ranges: the whole file
    start, end = match.groups()
    if not start and not end:
        return None
    if not start:  # the last N bytes
        length = int(end)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    first = int(start)
    last = min(int(end), size - 1) if end else size - 1
    if first >= size or last < first:
        return False
    return first, last


def _stream(handle, first: int, length: int):
    try:
        handle.seek(first)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def serve_file(request, field_file, *, filename: str, content_type: str, etag: str = "",
               download: bool = False) -> HttpResponse:
    """Serve a stored file: a signed redirect when the storage has no local path, else bytes with ranges."""
    storage, name = field_file.storage, field_file.name
    headers = {"Content-Disposition": disposition(filename, content_type, download=download)}
    try:
        storage.path(name)
    except NotImplementedError:
        return _signed_redirect(storage, name, content_type, headers["Content-Disposition"])

    size = storage.size(name)
    if etag:
        headers["ETag"] = f'"{etag}"'
    wanted = parse_range(request.headers.get("Range", ""), size)
    if_range = request.headers.get("If-Range")
    if if_range and etag and if_range.strip('"') != etag:
        wanted = None
    if wanted is False:
        response = HttpResponse(status=416, headers={"Content-Range": f"bytes */{size}"})
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = wanted if wanted else (0, size - 1)
    length = max(0, last - first + 1)
    handle = storage.open(name, "rb")
    response = StreamingHttpResponse(
        _stream(handle, first, length) if request.method != "HEAD" else iter(()),
        status=206 if wanted else 200, content_type=content_type, headers=headers,
    )
    if wanted:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    if request.method == "HEAD":
        handle.close()
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def signed_url(storage, name: str, *, content_type: str, content_disposition: str,
               expires: int | None = None) -> str:
    """A presigned GET URL on S3-compatible storage that sets the response type and disposition.

    Signed against the storage's endpoint even when a custom (CDN) domain is configured: the storage's
    own ``url()`` returns unsigned custom-domain URLs, which would make private files public.
    """
    client = storage.connection.meta.client
    return client.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": storage.bucket_name, "Key": storage._normalize_name(clean_name(name)),
            "ResponseContentType": content_type, "ResponseContentDisposition": content_disposition,
        },
        ExpiresIn=expires or url_expiry(),
    )


def _signed_redirect(storage, name: str, content_type: str, content_disposition: str) -> HttpResponse:
    response = HttpResponseRedirect(signed_url(storage, name, content_type=content_type,
                                               content_disposition=content_disposition))
    response["Cache-Control"] = "private, no-store"  # the URL expires; never cache the redirect
    return response
