"""LRS clients: creating them and checking their scopes (write path for ``LRSClient``)."""
from __future__ import annotations

from django.db import transaction

from lms.institutions.models import Institution

from .models import LRSClient, Scope


@transaction.atomic
def create_client(
    *, name: str, key: str, secret: str, scopes: list[str], institution_code: str | None = None
) -> tuple[LRSClient, bool]:
    """Create or update (keyed by ``key``) a client. Returns (client, created)."""
    if not key or ":" in key or len(key) > 64:
        raise ValueError("key: 1 to 64 characters, without ':'")
    if len(secret) < 8:
        raise ValueError("secret: at least 8 characters")
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValueError(f"scope: unknown {sorted(unknown)[0]!r}; choose from {', '.join(Scope.values)}")
    institution = None
    if institution_code:
        institution = Institution.objects.filter(code=institution_code).first()
        if institution is None:
            raise ValueError(f"institution: no institution with code {institution_code!r}")
    client = LRSClient.objects.select_for_update().filter(key=key).first()
    created = client is None
    client = client or LRSClient(key=key)
    client.name = name
    client.scopes = sorted(set(scopes))
    client.institution = institution
    client.is_active = True
    client.set_secret(secret)
    client.save()
    return client, created
