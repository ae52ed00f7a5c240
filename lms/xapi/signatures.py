"""Signed statements (xAPI 1.0.3 Data 2.6): check the JWS carried as a signature attachment.

The JWS must be compact, use RS256/RS384/RS512 and carry as payload the statement as it was before the
signature attachment was added. When the JWS header carries an X.509 chain (``x5c``) the signature is
verified with the first certificate's key; without one the payload is still checked.
"""
from __future__ import annotations

import base64
import json

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from .storage import comparable
from .validation import SIGNATURE_USAGE, Invalid

_HASHES = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_signatures(statements: list[dict], attachments: dict[str, tuple[str, bytes]]) -> None:
    for index, statement in enumerate(statements):
        for a_index, attachment in enumerate(statement.get("attachments") or []):
            if attachment["usageType"] != SIGNATURE_USAGE:
                continue
            path = f"statements[{index}].attachments[{a_index}]"
            if attachment["contentType"] != "application/octet-stream":
                raise Invalid(f"{path}.contentType: a signature must be 'application/octet-stream'")
            part = attachments.get(attachment["sha2"].lower())
            if part is None:
                if "fileUrl" in attachment:
                    continue
                raise Invalid(f"{path}: the signature (JWS) was not sent with the statement")
            _verify(statement, part[1], path)


def _verify(statement: dict, jws: bytes, path: str) -> None:
    try:
        header_b64, payload_b64, signature_b64 = jws.decode("ascii").strip().split(".")
        header = json.loads(_b64decode(header_b64))
        payload_text = _b64decode(payload_b64)
        signature = _b64decode(signature_b64)
    except (ValueError, UnicodeDecodeError):
        raise Invalid(f"{path}: the signature is not a compact JWS")
    algorithm = header.get("alg") if isinstance(header, dict) else None
    if algorithm not in _HASHES:
        raise Invalid(f"{path}: the JWS algorithm must be RS256, RS384 or RS512")
    try:
        payload = json.loads(payload_text)
    except ValueError:
        raise Invalid(f"{path}: the JWS payload is not a valid JSON serialisation of the statement")
    unsigned = {k: v for k, v in statement.items() if k != "attachments"}
    if not isinstance(payload, dict):
        raise Invalid(f"{path}: the JWS payload is not a statement")
    payload.pop("attachments", None)
    for key in ("authority", "stored", "version", "id"):
        if key not in payload:
            unsigned.pop(key, None)
    if comparable(payload) != comparable(unsigned):
        raise Invalid(f"{path}: the JWS payload does not match the statement")
    chain = header.get("x5c")
    if chain:
        try:
            certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
            certificate.public_key().verify(
                signature, f"{header_b64}.{payload_b64}".encode(), padding.PKCS1v15(), _HASHES[algorithm]()
            )
        except (InvalidSignature, ValueError, TypeError, IndexError):
            raise Invalid(f"{path}: the JWS signature does not verify against its x5c certificate")
