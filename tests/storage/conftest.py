"""Fixtures for the storage contract suite: both backends, one set of tests.

S3 runs against moto's standalone server over real HTTP on 127.0.0.1, so
the whole boto3 stack (signing, retries, multipart) is exercised. Without
moto the S3 tests are skipped, except under CI=true where they fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import pytest

from mediahub.storage import LocalStorage, S3Storage, Storage

MiB = 1024 * 1024
BUCKET = "mediahub-test"
REGION = "eu-central-1"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}
#: Small multipart settings so that a few MiB already take the multipart path.
PART_SIZE = 5 * MiB


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (S3 tests must not be skipped under CI=true)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """Start moto's S3 server on a free local port; yield its URL."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        _unavailable(f"moto[server] is not installed: {exc}")
    # Port 0: the OS picks a free port, so there is no race for it.
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    # start() waits forever if the server thread dies before it is ready,
    # so start it from a helper thread and give up after a timeout.
    starter = threading.Thread(target=server.start, daemon=True)
    starter.start()
    starter.join(timeout=15)
    if starter.is_alive():
        _unavailable("moto's S3 server did not start within 15 s")
    host, port = server.get_host_and_port()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    endpoint = f"http://{host}:{port}"
    client = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    ).client("s3", endpoint_url=endpoint)
    # moto keeps its buckets per process: a second server (a test module that
    # imports this fixture) sees the bucket the first one made.
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    client.close()
    yield endpoint
    server.stop()


@pytest.fixture
def make_s3_storage(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., S3Storage]]:
    """Factory: an S3Storage on moto under a fresh prefix; options override."""
    created: list[S3Storage] = []

    def make(**options: object) -> S3Storage:
        endpoint = request.getfixturevalue("moto_endpoint")
        settings: dict[str, object] = {
            "prefix": f"t-{uuid.uuid4().hex[:12]}",
            "endpoint_url": endpoint,
            "region": REGION,
            "multipart_threshold": PART_SIZE,
            "multipart_chunksize": PART_SIZE,
            "max_concurrency": 2,
            "max_attempts": 2,
            "connect_timeout": 2,
            "tmp_dir": tmp_path / "s3-downloads",
            **CREDENTIALS,
        }
        settings.update(options)
        Path(str(settings["tmp_dir"])).mkdir(exist_ok=True)
        storage = S3Storage(BUCKET, **settings)  # type: ignore[arg-type]
        created.append(storage)
        return storage

    yield make
    for storage in created:
        storage.close()


@pytest.fixture(params=["local", "s3"])
def storage(
    request: pytest.FixtureRequest, tmp_path: Path, make_s3_storage: Callable[..., S3Storage]
) -> Storage:
    """Each backend in turn, empty, in a temp folder or under a fresh prefix."""
    if request.param == "local":
        return LocalStorage(tmp_path / "media")
    return make_s3_storage()


@pytest.fixture
def leftovers(storage: Storage) -> Callable[[], list[str]]:
    """Callable listing everything the backend physically holds.

    Local: every file below the root, temp files included. S3: every object
    under the prefix, unfinished multipart uploads, and temp downloads.
    """

    def local() -> list[str]:
        assert isinstance(storage, LocalStorage)
        return sorted(
            str(p.relative_to(storage.root)) for p in storage.root.rglob("*") if p.is_file()
        )

    def s3() -> list[str]:
        assert isinstance(storage, S3Storage)
        client, prefix = storage.client, storage.prefix + "/"
        listed = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
        uploads = client.list_multipart_uploads(Bucket=BUCKET, Prefix=prefix).get("Uploads", [])
        assert storage.tmp_dir is not None
        downloads = [f"tmp:{p.name}" for p in storage.tmp_dir.rglob("*")]
        return sorted(
            [o["Key"].removeprefix(prefix) for o in listed]
            + [f"upload:{u['Key']}" for u in uploads]
            + downloads
        )

    return local if isinstance(storage, LocalStorage) else s3


class GeneratedFile:
    """A deterministic pseudo-file of ``size`` bytes generated on the fly.

    Nothing is held in memory beyond the requested read. Each 1 MiB block
    starts with its index, so reordered or repeated parts change the hash.

    Args:
        size: Total bytes to produce.
        fail_at: Raise ``OSError`` once this many bytes have been delivered
            (a client disconnecting mid-upload).
        on_position: ``(position, callback)``: call ``callback()`` once the
            stream has delivered ``position`` bytes (mid-upload checks).
    """

    BLOCK = 1 * MiB
    _BASE = hashlib.shake_256(b"mediahub").digest(BLOCK)

    def __init__(
        self,
        size: int,
        *,
        fail_at: int | None = None,
        on_position: tuple[int, Callable[[], None]] | None = None,
    ) -> None:
        self.size = size
        self.position = 0
        self.fail_at = fail_at
        self.on_position = on_position
        self.largest_read = 0
        self.unbounded_reads = 0

    def read(self, n: int | None = -1, /) -> bytes:
        if n is None or n < 0:
            self.unbounded_reads += 1
            n = self.size - self.position
        self.largest_read = max(self.largest_read, n)
        if self.fail_at is not None and self.position >= self.fail_at:
            raise OSError("client disconnected")
        if self.on_position and self.position >= self.on_position[0]:
            callback, self.on_position = self.on_position[1], None
            callback()
        end = min(self.size, self.position + n)
        if self.fail_at is not None:
            end = min(end, self.fail_at)
        out = bytearray()
        while self.position < end:
            index, offset = divmod(self.position, self.BLOCK)
            block = index.to_bytes(8, "big") + self._BASE[8:]
            take = min(end - self.position, self.BLOCK - offset)
            out += block[offset : offset + take]
            self.position += take
        return bytes(out)

    @classmethod
    def sha256_of(cls, size: int) -> str:
        """Hash of the content a ``GeneratedFile(size)`` produces."""
        digest, source = hashlib.sha256(), cls(size)
        while chunk := source.read(cls.BLOCK):
            digest.update(chunk)
        return digest.hexdigest()


@pytest.fixture
def generated_file() -> type[GeneratedFile]:
    """The :class:`GeneratedFile` class (fixtures are importable, modules are not)."""
    return GeneratedFile
