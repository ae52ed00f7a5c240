"""Signing transcripts as verifiable credentials: Ed25519, Data Integrity proof ``eddsa-jcs-2022``.

The key comes from ``CREDITS_SIGNING_KEY`` (a PEM, or the path of one) in production. The embedded
default generates a key once into ``var/keys/`` (outside the code, never committed). The public key is
published at ``/credits/issuer`` as a Multikey so anyone can check a transcript without asking us.
Canonical JSON here is JCS (RFC 8785) for what we emit: strings, integers, booleans, nulls, lists and
objects, and decimals that are exact in binary halves (credits are in half credits).
"""
from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_cache: dict[str, Ed25519PrivateKey] = {}


def b58encode(data: bytes) -> str:
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _key_file() -> Path:
    return Path(settings.VAR_DIR) / "keys" / "credits-ed25519.pem"


def signing_key() -> Ed25519PrivateKey:
    configured = getattr(settings, "CREDITS_SIGNING_KEY", "")
    cache_key = configured or str(_key_file())
    if cache_key in _cache:
        return _cache[cache_key]
    if configured:
        pem = configured.encode() if "BEGIN" in configured else Path(configured).read_bytes()
    else:
        path = _key_file()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            new = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            try:  # O_EXCL: two processes starting together keep the first key
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(new)
            except FileExistsError:
                pass
        pem = path.read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("CREDITS_SIGNING_KEY must be an Ed25519 private key")
    _cache[cache_key] = key
    return key


def public_key_multibase(public_key: Ed25519PublicKey | None = None) -> str:
    public_key = public_key or signing_key().public_key()
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + b58encode(b"\xed\x01" + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    data = b58decode(value[1:])
    if not value.startswith("z") or data[:2] != b"\xed\x01":
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def issuer_id() -> str:
    return settings.XAPI_ACCOUNT_HOMEPAGE.rstrip("/") + "/credits/issuer"


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _hash_data(document: dict, proof_config: dict) -> bytes:
    return hashlib.sha256(canonical(proof_config)).digest() + hashlib.sha256(canonical(document)).digest()


def sign(document: dict) -> dict:
    """Return ``document`` with an ``eddsa-jcs-2022`` Data Integrity proof."""
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": issuer_id() + "#key-1",
        "proofPurpose": "assertionMethod",
    }
    config = {**proof, "@context": unsigned.get("@context")}
    proof["proofValue"] = "z" + b58encode(signing_key().sign(_hash_data(unsigned, config)))
    return {**unsigned, "proof": proof}


def verify(credential: dict, public_key: Ed25519PublicKey) -> bool:
    """Check the proof ``sign`` made; False for any change to the credential or its proof."""
    from cryptography.exceptions import InvalidSignature

    proof = dict(credential.get("proof") or {})
    value = proof.pop("proofValue", "")
    if proof.get("cryptosuite") != "eddsa-jcs-2022" or not value.startswith("z"):
        return False
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    try:
        public_key.verify(b58decode(value[1:]), _hash_data(unsigned, {**proof, "@context": unsigned.get("@context")}))
    except (InvalidSignature, ValueError):
        return False
    return True
