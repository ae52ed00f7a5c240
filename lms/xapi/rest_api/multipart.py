"""multipart/mixed for statements with attachments (xAPI Data 2.4.11): parse requests, build responses."""
from __future__ import annotations

import secrets

from lms.xapi.validation import Invalid


def _params(header_value: str) -> tuple[str, dict[str, str]]:
    main, *rest = header_value.split(";")
    params = {}
    for item in rest:
        if "=" in item:
            name, value = item.split("=", 1)
            params[name.strip().lower()] = value.strip().strip('"')
    return main.strip().lower(), params


def parse(body: bytes, content_type: str) -> tuple[bytes, dict[str, tuple[str, bytes]]]:
    """Return the statement part's bytes and the attachment parts by lower-case SHA-2."""
    _, params = _params(content_type)
    boundary = params.get("boundary")
    if not boundary:
        raise Invalid("Content-Type: multipart/mixed needs a boundary parameter")
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise Invalid("body: no multipart/mixed parts found for the given boundary")
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        if chunk.endswith(b"\r\n"):
            chunk = chunk[:-2]
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise Invalid("body: a multipart part has no header/body separator")
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        parts.append((headers, content))
    if not parts:
        raise Invalid("body: the multipart/mixed request has no parts")
    first_headers, statement_bytes = parts[0]
    if _params(first_headers.get("content-type", ""))[0] != "application/json":
        raise Invalid("body: the first part of a multipart/mixed request must be the statements (application/json)")
    attachments: dict[str, tuple[str, bytes]] = {}
    for headers, content in parts[1:]:
        sha2 = headers.get("x-experience-api-hash")
        if not sha2:
            raise Invalid("body: every attachment part needs an X-Experience-API-Hash header")
        encoding = headers.get("content-transfer-encoding")
        if encoding is not None and encoding.lower() != "binary":
            raise Invalid("body: attachment parts must use Content-Transfer-Encoding: binary")
        attachments[sha2.lower()] = (headers.get("content-type", "application/octet-stream"), content)
    return statement_bytes, attachments


def build(json_bytes: bytes, attachments: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/mixed response body and its Content-Type."""
    boundary = "xapi-" + secrets.token_hex(12)
    out = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), json_bytes, b"\r\n"]
    for sha2, (content_type, content) in attachments.items():
        out.append(
            f"--{boundary}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n".encode()
        )
        out.extend([content, b"\r\n"])
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/mixed; boundary={boundary}"
