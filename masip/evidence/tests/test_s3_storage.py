"""The evidence vault on S3-compatible object storage (django-storages).

Production keeps evidence in a bucket (``MASIP_EVIDENCE_STORAGE=
storages.backends.s3.S3Storage``). These tests run the same code, django-
storages over boto3 making real HTTP requests, against moto's S3 server on
a local port, which stands in for the provider: uploads (multipart ones
too), reads, re-verification, the display copy of a photo, and tampering
found by ``masip evidence verify``.
"""

import contextlib
import hashlib
import io

import boto3
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from masip.crypto.keys import KeyRing
from masip.evidence.storage import MAGIC, EvidenceStore
from masip.evidence.tests.vault_helpers import EXIF_CANARY, PDF, jpeg_with_gps, upload

BUCKET = "masip-evidence-test"
RING = KeyRing(keys={"k1": b"\x01" * 32}, active_id="k1")


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = _client(endpoint)
    # pytest-django runs database tests first, so this module's fixture may
    # start twice; moto keeps its buckets per process, across servers.
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
    yield endpoint
    server.stop()


def _client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-west-2",
    )


def _options(endpoint, prefix):
    # What MASIP_EVIDENCE_STORAGE_OPTIONS would hold in production, with a
    # prefix per test so that tests do not see each other's objects.
    return {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "access_key": "test",
        "secret_key": "test",
        "region_name": "eu-west-2",
        "location": prefix,
    }


@pytest.fixture
def s3_storage(s3_endpoint, request):
    prefix = request.node.name.replace("[", "-").replace("]", "")
    return S3Storage(**_options(s3_endpoint, prefix)), prefix


@pytest.fixture
def s3_evidence(s3_endpoint, request):
    """STORAGES["evidence"] on the bucket, as production configures it."""
    prefix = request.node.name
    storage = {"BACKEND": "storages.backends.s3.S3Storage"}
    storage["OPTIONS"] = _options(s3_endpoint, prefix)
    with override_settings(STORAGES={**settings.STORAGES, "evidence": storage}):
        yield _client(s3_endpoint), prefix


def _raw(client, prefix, key):
    return client.get_object(Bucket=BUCKET, Key=f"{prefix}/{key}")["Body"].read()


def _put(store, data):
    sha = hashlib.sha256(data).hexdigest()
    return sha, store.put(io.BytesIO(data), sha256=sha, size=len(data))


@pytest.mark.parametrize("size", [0, 1, 17, 9 * 1024 * 1024 + 5])
def test_objects_round_trip_through_the_bucket(s3_storage, size):
    # 9 MB goes over boto3's 8 MB threshold, so it is a multipart upload
    # fed from the sealing stream, which cannot seek.
    storage, _ = s3_storage
    store = EvidenceStore(storage, keyring=RING)
    data = (hashlib.sha256(b"seed").digest() * (size // 32 + 1))[:size]

    sha, stored = _put(store, data)

    assert b"".join(store.chunks(stored.key)) == data
    assert store.verify(stored.key, sha256=sha).size == size


def test_the_bucket_holds_only_sealed_bytes(s3_storage, s3_endpoint):
    storage, prefix = s3_storage
    store = EvidenceStore(storage, keyring=RING)
    data = b"Synthetic message: meet me at the usual place " * 40

    sha, stored = _put(store, data)
    raw = _raw(_client(s3_endpoint), prefix, stored.key)

    assert stored.key == f"sha256/{sha[:2]}/{sha[2:4]}/{sha}"
    assert raw.startswith(MAGIC)
    assert b"usual place" not in raw


def test_an_intact_object_is_reused_and_a_damaged_one_replaced(s3_storage, s3_endpoint):
    storage, prefix = s3_storage
    store = EvidenceStore(storage, keyring=RING)
    client = _client(s3_endpoint)
    _, first = _put(store, b"same bytes twice")
    before = _raw(client, prefix, first.key)

    _put(store, b"same bytes twice")
    assert _raw(client, prefix, first.key) == before

    client.put_object(Bucket=BUCKET, Key=f"{prefix}/{first.key}", Body=b"damaged")
    sha, again = _put(store, b"same bytes twice")
    assert store.verify(again.key, sha256=sha).size == len(b"same bytes twice")


@pytest.mark.django_db
def test_uploads_display_copies_and_verify_work_on_the_bucket(
    cast, s3_evidence, capsys
):
    client, prefix = s3_evidence
    pdf = upload(cast.lead_worker, cast.case, PDF, name="letter.pdf")
    photo = upload(cast.lead_worker, cast.case, jpeg_with_gps(), name="photo.jpg")

    call_command("evidence", "verify")
    out = capsys.readouterr().out
    assert "Checked 2 evidence items: 2 intact, 0 not matching." in out

    display = _raw(client, prefix, photo.display_storage_key)
    assert display.startswith(MAGIC)
    assert EXIF_CANARY.encode() not in display

    sealed = bytearray(_raw(client, prefix, pdf.storage_key))
    sealed[60] ^= 0x01
    key = f"{prefix}/{pdf.storage_key}"
    client.put_object(Bucket=BUCKET, Key=key, Body=bytes(sealed))
    with pytest.raises(CommandError, match="1 evidence item does not match"):
        call_command("evidence", "verify")
    out = capsys.readouterr().out
    assert f"MISMATCH case {cast.case.reference} item {pdf.public_id}" in out
