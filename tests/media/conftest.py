"""A real S3-speaking server (moto's standalone server) on loopback, and storage settings pointing at it."""
import os
import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.search.helpers import ensure_wagtail_root


@pytest.fixture(autouse=True)
def _wagtail_root(request):
    """Transactional tests anywhere in the suite flush Wagtail's root page, root collection and locale."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    ensure_wagtail_root()


@pytest.fixture(scope="session")
def s3_endpoint():
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "cn-northwest-1"}.items():
        os.environ.setdefault(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, settings):
    """A fresh private bucket, made the default storage exactly as lms/settings/base.py would."""
    bucket = f"skills-gansu-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="cn-northwest-1")
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "cn-northwest-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket, "endpoint_url": s3_endpoint, "region_name": "cn-northwest-1",
                "addressing_style": "path", "signature_version": "s3v4", "default_acl": None,
                "querystring_expire": 300, "file_overwrite": False,
            },
        },
    }
    yield client, bucket
