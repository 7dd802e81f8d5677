"""S3-only behaviour: URLs, content types, and failing S3 servers."""

from __future__ import annotations

import io
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import Message
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from mediahub.storage import S3Storage, StorageError

MakeS3 = Callable[..., S3Storage]
DATA = bytes(range(256)) * 40


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    """GET ``url``; the returned headers are looked up case-insensitively."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - test server
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def test_presigned_url_serves_the_object(make_s3_storage: MakeS3) -> None:
    storage = make_s3_storage()
    storage.save("ep/1.mp3", io.BytesIO(DATA))

    url = storage.url("ep/1.mp3")

    assert url is not None
    status, headers, body = http_get(url)
    assert (status, body) == (200, DATA)
    assert headers["Content-Type"] == "audio/mpeg"


def test_presigned_url_supports_ranged_requests(make_s3_storage: MakeS3) -> None:
    storage = make_s3_storage()
    storage.save("ep/2.mp3", io.BytesIO(DATA))
    url = storage.url("ep/2.mp3")
    assert url is not None

    status, headers, body = http_get(url, {"Range": "bytes=1000-1999"})

    assert (status, body) == (206, DATA[1000:2000])
    assert headers["Content-Range"] == f"bytes 1000-1999/{len(DATA)}"


@pytest.mark.parametrize(("expires_in", "expected"), [(None, "900"), (60, "60")])
@pytest.mark.parametrize("region", ["eu-central-1", "us-east-1"])
def test_presigned_url_is_signature_v4_and_expires(
    make_s3_storage: MakeS3, region: str, expires_in: int | None, expected: str
) -> None:
    # moto 5 checks neither signatures nor expiry of presigned URLs (a GET
    # with an expired URL still answers 200), so assert what S3 enforces.
    # botocore would sign us-east-1 URLs with the legacy v2 scheme by default.
    storage = make_s3_storage(presign_expires=900, region=region)

    url = storage.url("ep/3.mp3", expires_in=expires_in)

    assert url is not None
    query = {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Expires"] == expected
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - signed_at).total_seconds()) < 60
    assert urlsplit(url).path == f"/mediahub-test/{storage.prefix}/ep/3.mp3"


def test_public_base_url_is_used_unless_private(make_s3_storage: MakeS3) -> None:
    storage = make_s3_storage(prefix="media/", public_base_url="https://cdn.example.org/hub/")

    assert storage.url("ep/4.mp3") == "https://cdn.example.org/hub/media/ep/4.mp3"
    private = storage.url("ep/4.mp3", private=True)
    assert private is not None
    assert private.startswith(storage.endpoint_url or "")
    assert "X-Amz-Signature=" in private


@pytest.mark.parametrize(
    ("key", "content_type", "expected"),
    [
        ("r/a.mp3", None, "audio/mpeg"),
        ("r/a.json", None, "application/json"),
        ("r/a", None, "application/octet-stream"),
        ("r/a.bin", "audio/ogg", "audio/ogg"),
    ],
)
def test_content_type(
    make_s3_storage: MakeS3, key: str, content_type: str | None, expected: str
) -> None:
    storage = make_s3_storage()

    storage.save(key, io.BytesIO(b"x"), content_type=content_type)

    head = storage.client.head_object(Bucket=storage.bucket, Key=storage.object_name(key))
    assert head["ContentType"] == expected


@pytest.fixture
def closed_port() -> int:
    """A local port that nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "operation",
    [
        lambda s: s.save("a/b.mp3", io.BytesIO(b"x")),
        lambda s: s.exists("a/b.mp3"),
        lambda s: s.open("a/b.mp3").__enter__(),
        lambda s: s.delete("a/b.mp3"),
    ],
    ids=["save", "exists", "open", "delete"],
)
def test_unreachable_s3_fails_fast_with_a_clear_message(
    make_s3_storage: MakeS3, closed_port: int, operation: Callable[[S3Storage], Any]
) -> None:
    storage = make_s3_storage(
        endpoint_url=f"http://127.0.0.1:{closed_port}", max_attempts=2, connect_timeout=0.5
    )
    attempts: list[object] = []
    storage.client.meta.events.register("before-send.s3", lambda **kw: attempts.append(kw))

    started = time.monotonic()
    with pytest.raises(
        StorageError, match=rf"S3 is unreachable \(http://127.0.0.1:{closed_port}\)"
    ):
        operation(storage)

    assert len(attempts) == 2
    assert time.monotonic() - started < 10


def test_missing_bucket_is_named(make_s3_storage: MakeS3, moto_endpoint: str) -> None:
    storage = make_s3_storage()
    storage.bucket = "no-such-bucket"

    with pytest.raises(StorageError, match="S3 bucket 'no-such-bucket' does not exist"):
        storage.save("a/b.mp3", io.BytesIO(b"x"))


def test_presigned_url_of_deleted_object_is_refused(make_s3_storage: MakeS3) -> None:
    storage = make_s3_storage()
    storage.save("ep/5.mp3", io.BytesIO(DATA))
    url = storage.url("ep/5.mp3")
    assert url is not None

    storage.delete("ep/5.mp3")

    with pytest.raises(urllib.error.HTTPError) as excinfo:
        http_get(url)
    assert excinfo.value.code == 404
    excinfo.value.close()
