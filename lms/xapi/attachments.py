"""Attachment content: checked against the statements and stored once per SHA-256 in default storage."""
from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .models import Attachment
from .validation import Invalid


def check_parts(statements: list[dict], attachments: dict[str, tuple[str, bytes]]) -> None:
    """Every sent part belongs to an attachment; every attachment without fileUrl has its part."""
    declared: dict[str, dict] = {}
    for index, statement in enumerate(statements):
        for a_index, attachment in enumerate(statement.get("attachments") or []):
            declared.setdefault(attachment["sha2"].lower(), attachment)
            if "fileUrl" not in attachment and attachment["sha2"].lower() not in attachments:
                raise Invalid(
                    f"statements[{index}].attachments[{a_index}].sha2: no part with this X-Experience-API-Hash "
                    "was sent, and the attachment has no fileUrl"
                )
    for sha2, (_content_type, content) in attachments.items():
        if sha2 not in declared:
            raise Invalid(f"attachments: the part with X-Experience-API-Hash {sha2} matches no statement attachment")
        if hashlib.sha256(content).hexdigest() != sha2 and hashlib.sha512(content).hexdigest() != sha2:
            raise Invalid(f"attachments: the part with X-Experience-API-Hash {sha2} does not have that hash")


def save_attachments(prepared, attachments: dict[str, tuple[str, bytes]]) -> None:
    if not attachments:
        return
    known = set(Attachment.objects.filter(sha2__in=list(attachments)).values_list("sha2", flat=True))
    for sha2, (content_type, content) in attachments.items():
        if sha2 in known:
            continue
        name = default_storage.save(f"xapi/attachments/{sha2}", ContentFile(content))
        Attachment.objects.get_or_create(
            sha2=sha2, defaults={"content_type": content_type, "length": len(content), "file": name}
        )


def load(sha2s: set[str]) -> dict[str, tuple[str, bytes]]:
    """Content of stored attachments by hash (for GET ...&attachments=true)."""
    found = {}
    for attachment in Attachment.objects.filter(sha2__in=[s.lower() for s in sha2s]):
        with default_storage.open(attachment.file.name, "rb") as handle:
            found[attachment.sha2] = (attachment.content_type, handle.read())
    return found
