"""The behaviour every storage backend promises, run against each of them."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from mediahub.storage import (
    FileTooLarge,
    InvalidKey,
    LocalStorage,
    ObjectNotFound,
    S3Storage,
    Storage,
    StoredObject,
    new_key,
)
from mediahub.storage.streaming import CHUNK_SIZE

MiB = 1024 * 1024
Leftovers = Callable[[], list[str]]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_all(storage: Storage, key: str) -> bytes:
    with storage.open(key) as stream:
        return stream.read()


def test_round_trip(storage: Storage, leftovers: Leftovers) -> None:
    key = new_key("originals", ".mp3")
    data = b"ID3 not really an mp3 \x00\xff" * 1000

    stored = storage.save(key, io.BytesIO(data), content_type="audio/mpeg")

    assert stored == StoredObject(key=key, size=len(data), sha256=sha256(data))
    assert storage.exists(key)
    assert storage.size(key) == len(data)
    with storage.open(key) as stream:
        assert stream.readable()
        assert stream.read(10) == data[:10]
        assert stream.read() == data[10:]
    assert leftovers() == [key]


def test_empty_file(storage: Storage) -> None:
    stored = storage.save("empty/file.txt", io.BytesIO(b""))

    assert (stored.size, stored.sha256) == (0, sha256(b""))
    assert storage.size("empty/file.txt") == 0
    assert read_all(storage, "empty/file.txt") == b""


def test_save_replaces_an_existing_object(storage: Storage, leftovers: Leftovers) -> None:
    storage.save("a/key.bin", io.BytesIO(b"old content"))
    storage.save("a/key.bin", io.BytesIO(b"new"))

    assert read_all(storage, "a/key.bin") == b"new"
    assert leftovers() == ["a/key.bin"]


def test_large_file_is_streamed(storage: Storage, generated_file: type) -> None:
    size = 40 * MiB
    source = generated_file(size)

    stored = storage.save("big/episode.wav", source)

    assert stored.size == size
    assert stored.sha256 == generated_file.sha256_of(size)
    # The source was consumed in small chunks, never read whole.
    assert source.unbounded_reads == 0
    assert source.largest_read <= CHUNK_SIZE
    digest = hashlib.sha256()
    with storage.open("big/episode.wav") as stream:
        while chunk := stream.read(MiB):
            digest.update(chunk)
    assert digest.hexdigest() == stored.sha256
    if isinstance(storage, S3Storage):
        # A multipart upload's ETag is "<md5 of part md5s>-<number of parts>".
        head = storage.client.head_object(
            Bucket=storage.bucket, Key=storage.object_name(stored.key)
        )
        assert head["ETag"].strip('"').endswith("-8")


@pytest.mark.parametrize(
    ("size", "max_size"),
    [(11, 10), (12 * MiB, 11 * MiB)],
    ids=["small", "multipart"],
)
def test_max_size_aborts_and_leaves_nothing(
    storage: Storage, leftovers: Leftovers, generated_file: type, size: int, max_size: int
) -> None:
    with pytest.raises(FileTooLarge, match=str(max_size)):
        storage.save("up/too-big.bin", generated_file(size), max_size=max_size)

    assert not storage.exists("up/too-big.bin")
    assert leftovers() == []


def test_max_size_is_inclusive(storage: Storage) -> None:
    stored = storage.save("up/exact.bin", io.BytesIO(b"x" * 10), max_size=10)

    assert stored.size == 10


@pytest.mark.parametrize("size", [3 * MiB, 12 * MiB], ids=["single-put", "multipart"])
def test_failing_stream_leaves_nothing(
    storage: Storage, leftovers: Leftovers, generated_file: type, size: int
) -> None:
    source = generated_file(size, fail_at=size - MiB)

    with pytest.raises(OSError, match="client disconnected"):
        storage.save("up/broken.mp3", source)

    assert not storage.exists("up/broken.mp3")
    assert leftovers() == []


def test_object_is_invisible_until_the_write_completes(
    storage: Storage, generated_file: type
) -> None:
    seen_mid_write: list[bool] = []
    source = generated_file(
        12 * MiB, on_position=(7 * MiB, lambda: seen_mid_write.append(storage.exists("up/new.mp3")))
    )

    storage.save("up/new.mp3", source)

    assert seen_mid_write == [False]
    assert storage.exists("up/new.mp3")


def test_failed_overwrite_keeps_the_previous_object(
    storage: Storage, leftovers: Leftovers, generated_file: type
) -> None:
    storage.save("up/ep.mp3", io.BytesIO(b"previous version"))
    seen_mid_write: list[bytes] = []
    source = generated_file(
        12 * MiB,
        fail_at=11 * MiB,
        on_position=(7 * MiB, lambda: seen_mid_write.append(read_all(storage, "up/ep.mp3"))),
    )

    with pytest.raises(OSError, match="client disconnected"):
        storage.save("up/ep.mp3", source)

    assert seen_mid_write == [b"previous version"]
    assert read_all(storage, "up/ep.mp3") == b"previous version"
    assert leftovers() == ["up/ep.mp3"]


def test_put_file_copies_a_local_file(storage: Storage, tmp_path: Path) -> None:
    rendition = tmp_path / "rendition.mp3"
    rendition.write_bytes(b"encoded audio" * 500)

    stored = storage.put_file("renditions/x.mp3", rendition, "audio/mpeg")

    assert stored.sha256 == sha256(rendition.read_bytes())
    assert read_all(storage, "renditions/x.mp3") == rendition.read_bytes()
    assert rendition.exists()


def test_local_path_yields_a_real_file_and_cleans_up(
    storage: Storage, leftovers: Leftovers
) -> None:
    storage.save("orig/ab/take1.flac", io.BytesIO(b"fLaC audio"))

    with storage.local_path("orig/ab/take1.flac") as path:
        assert path.is_absolute()
        assert path.suffix == ".flac"
        assert path.read_bytes() == b"fLaC audio"

    if isinstance(storage, LocalStorage):
        assert path == storage.serve_path("orig/ab/take1.flac")
    else:
        assert not path.exists()
    assert leftovers() == ["orig/ab/take1.flac"]


def test_local_path_cleans_up_after_an_error(storage: Storage, leftovers: Leftovers) -> None:
    storage.save("orig/take2.wav", io.BytesIO(b"RIFF"))

    with pytest.raises(RuntimeError), storage.local_path("orig/take2.wav"):
        raise RuntimeError("ffmpeg failed")

    assert leftovers() == ["orig/take2.wav"]


@pytest.mark.parametrize(
    "operation",
    [
        lambda s: s.size("no/such.mp3"),
        lambda s: s.open("no/such.mp3").__enter__(),
        lambda s: s.local_path("no/such.mp3").__enter__(),
    ],
    ids=["size", "open", "local_path"],
)
def test_missing_object(
    storage: Storage, leftovers: Leftovers, operation: Callable[[Storage], object]
) -> None:
    with pytest.raises(ObjectNotFound, match=r"no/such\.mp3"):
        operation(storage)

    assert not storage.exists("no/such.mp3")
    assert leftovers() == []


def test_delete_is_idempotent(storage: Storage, leftovers: Leftovers) -> None:
    storage.save("d/x.bin", io.BytesIO(b"bye"))

    storage.delete("d/x.bin")
    storage.delete("d/x.bin")
    storage.delete("never/stored.bin")

    assert not storage.exists("d/x.bin")
    with pytest.raises(ObjectNotFound):
        storage.size("d/x.bin")
    assert leftovers() == []


INVALID_KEYS = [
    "",
    "/etc/passwd",
    "../outside.mp3",
    "a/../../b.mp3",
    "a/./b.mp3",
    "a\\b.mp3",
    "a//b.mp3",
    "trailing/",
    ".hidden",
    "a/.tmp-part",
    "-rf",
    "with space.mp3",
    "umlaut-ä.mp3",
    "nul\x00.mp3",
    "C:/x.mp3",
    "a" * 513,
]


def test_invalid_keys_are_rejected(storage: Storage, leftovers: Leftovers, tmp_path: Path) -> None:
    source = tmp_path / "src.bin"
    source.write_bytes(b"data")
    operations: dict[str, Callable[[str], object]] = {
        "save": lambda key: storage.save(key, io.BytesIO(b"data")),
        "put_file": lambda key: storage.put_file(key, source),
        "open": storage.open,
        "local_path": storage.local_path,
        "delete": storage.delete,
        "exists": storage.exists,
        "size": storage.size,
        "url": storage.url,
        "serve_path": storage.serve_path,
    }
    accepted = []
    for key in INVALID_KEYS:
        for name, operation in operations.items():
            try:
                operation(key)
            except InvalidKey:
                continue
            accepted.append((name, key))

    assert accepted == []
    assert leftovers() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["src.bin", *_own_dirs(storage)])


def _own_dirs(storage: Storage) -> list[str]:
    """Entries the storage fixture itself puts into tmp_path."""
    return ["media"] if isinstance(storage, LocalStorage) else ["s3-downloads"]


@pytest.mark.parametrize("expires_in", [0, -5, 7 * 24 * 3600 + 1])
def test_url_rejects_out_of_range_lifetimes(storage: Storage, expires_in: int) -> None:
    with pytest.raises(ValueError, match="expires_in"):
        storage.url("a/b.mp3", expires_in=expires_in)


def test_text_streams_are_refused(storage: Storage, leftovers: Leftovers) -> None:
    with pytest.raises(TypeError, match="binary"):
        storage.save("a/text.txt", io.StringIO("not bytes"))

    assert leftovers() == []
