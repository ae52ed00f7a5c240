"""Attachments (multipart/mixed) and signed statements (JWS) over real HTTP."""
from __future__ import annotations

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .conftest import new_id, statement

pytestmark = pytest.mark.django_db(transaction=True)
BOUNDARY = "abc123boundary"


def multipart(statements, parts: list[tuple[str, bytes]]) -> tuple[bytes, dict]:
    out = [f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode(), json.dumps(statements).encode(),
           b"\r\n"]
    for content_type, content in parts:
        out.append(f"--{BOUNDARY}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
                   f"X-Experience-API-Hash: {hashlib.sha256(content).hexdigest()}\r\n\r\n".encode())
        out += [content, b"\r\n"]
    out.append(f"--{BOUNDARY}--".encode())
    return b"".join(out), {"Content-Type": f"multipart/mixed; boundary={BOUNDARY}"}


def attachment(content: bytes, usage="https://skills.gansu.edu.cn/xapi/attachments/homework",
               content_type="text/plain") -> dict:
    return {"usageType": usage, "display": {"zh-CN": "作业"}, "contentType": content_type,
            "length": len(content), "sha2": hashlib.sha256(content).hexdigest()}


def test_attachments_are_stored_and_returned(xapi):
    content = "我的作业 homework".encode()
    given = new_id()
    body, headers = multipart(statement(id=given, attachments=[attachment(content)]), [("text/plain", content)])
    assert xapi.post("statements", data=body, headers=headers).status_code == 200
    plain = xapi.get("statements", params={"statementId": given})
    assert plain.headers["Content-Type"].startswith("application/json")
    with_parts = xapi.get("statements", params={"statementId": given, "attachments": "true"})
    assert with_parts.headers["Content-Type"].startswith("multipart/mixed; boundary=")
    assert content in with_parts.content


def test_attachment_errors(xapi):
    content = b"data"
    missing, headers = multipart([statement(attachments=[attachment(content)])], [])
    response = xapi.post("statements", data=missing, headers=headers)
    assert response.status_code == 400 and "attachments[0].sha2" in response.json()["error"]
    stray, headers = multipart([statement()], [("text/plain", content)])
    assert xapi.post("statements", data=stray, headers=headers).status_code == 400
    no_parts = xapi.post("statements", data=json.dumps([statement(attachments=[attachment(content)])]),
                         headers={"Content-Type": "application/json"})
    assert no_parts.status_code == 400
    with_url = statement(attachments=[{**attachment(content), "fileUrl": "https://files.example.cn/a.txt"}])
    assert xapi.post("statements", json=with_url).status_code == 200


def _sign(payload: dict, key, algorithm="RS256") -> bytes:
    header = base64.urlsafe_b64encode(json.dumps({"alg": algorithm}).encode()).rstrip(b"=")
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=")
    digest = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384()}[algorithm]
    signature = key.sign(header + b"." + body, padding.PKCS1v15(), digest)
    return header + b"." + body + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_signed_statements_are_checked(xapi, rsa_key):
    original = statement(id=new_id())
    jws = _sign(original, rsa_key)
    signed = {**original, "attachments": [attachment(jws, "http://adlnet.gov/expapi/attachments/signature",
                                                     "application/octet-stream")]}
    body, headers = multipart([signed], [("application/octet-stream", jws)])
    assert xapi.post("statements", data=body, headers=headers).status_code == 200

    tampered = {**signed, "id": new_id(), "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    jws2 = _sign({**original, "id": tampered["id"]}, rsa_key)
    tampered["attachments"] = [attachment(jws2, "http://adlnet.gov/expapi/attachments/signature",
                                          "application/octet-stream")]
    body, headers = multipart([tampered], [("application/octet-stream", jws2)])
    response = xapi.post("statements", data=body, headers=headers)
    assert response.status_code == 400 and "does not match" in response.json()["error"]

    garbage = b"not-a-jws"
    broken = {**original, "id": new_id(),
              "attachments": [attachment(garbage, "http://adlnet.gov/expapi/attachments/signature",
                                         "application/octet-stream")]}
    body, headers = multipart([broken], [("application/octet-stream", garbage)])
    assert xapi.post("statements", data=body, headers=headers).status_code == 400
