"""Platform activity IRIs (cross-team contract 2), and reading a course or package code back out.

The formula is the LRS's ``lms.xapi.api.activity_iri``; it is repeated here (four lines) so that the
credit bank does not depend on the LRS app being installed to name courses in its rules.
"""
import urllib.parse

from django.conf import settings


def activity_iri(*parts: str) -> str:
    return settings.XAPI_ACTIVITY_IRI_BASE + "/".join(urllib.parse.quote(p, safe="") for p in parts)


def offering_code(iri: str) -> tuple[str, str] | None:
    """("course"|"package", code) for an offering IRI of this platform, else None."""
    base = settings.XAPI_ACTIVITY_IRI_BASE
    if not iri.startswith(base):
        return None
    parts = iri[len(base):].split("/")
    if len(parts) != 2 or parts[0] not in {"course", "package"}:
        return None
    return parts[0], urllib.parse.unquote(parts[1])
