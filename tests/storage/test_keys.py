"""Key generation and validation, and the streaming reader."""

from __future__ import annotations

import hashlib
import io
import re

import pytest

from mediahub.storage import FileTooLarge, InvalidKey, new_key, validate_key
from mediahub.storage.streaming import HashingReader


def test_new_key_is_random_ascii_and_keeps_the_extension() -> None:
    keys = {new_key("originals", ".mp3") for _ in range(1000)}

    assert len(keys) == 1000
    for key in keys:
        assert re.fullmatch(r"originals/([0-9a-f]{2})/\1[0-9a-f]{30}\.mp3", key)
        assert validate_key(key) == key


def test_new_key_without_suffix_and_nested_prefix() -> None:
    assert re.fullmatch(r"renditions/mp3/[0-9a-f]{2}/[0-9a-f]{32}", new_key("renditions/mp3"))


@pytest.mark.parametrize(
    ("prefix", "suffix"),
    [("../x", ".mp3"), ("/abs", ""), ("", ".mp3"), ("ok", "mp3"), ("ok", ".MP3"), ("ok", ".a/b")],
)
def test_new_key_rejects_bad_parts(prefix: str, suffix: str) -> None:
    with pytest.raises(InvalidKey):
        new_key(prefix, suffix)


@pytest.mark.parametrize("key", ["a", "a/b.c", "A-1/b_2/c.tar.gz", "x" * 512])
def test_valid_keys(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize("key", [None, 42, b"a/b", "x" * 513])
def test_non_string_and_overlong_keys(key: object) -> None:
    with pytest.raises(InvalidKey):
        validate_key(key)


class Trickle:
    """A source that returns at most 3 bytes per read, like a slow socket."""

    def __init__(self, data: bytes) -> None:
        self._stream = io.BytesIO(data)

    def read(self, n: int = -1, /) -> bytes:
        return self._stream.read(min(n, 3) if n >= 0 else 3)


def test_reader_fills_short_reads_and_hashes() -> None:
    data = bytes(range(100))
    reader = HashingReader(Trickle(data))

    assert reader.read(10) == data[:10]
    assert reader.read(-1) == data[10:]
    assert reader.read(10) == b""
    assert (reader.size, reader.sha256) == (100, hashlib.sha256(data).hexdigest())


def test_reader_enforces_the_limit_while_reading() -> None:
    reader = HashingReader(Trickle(b"x" * 100), max_size=50)

    assert reader.read(50) == b"x" * 50
    with pytest.raises(FileTooLarge, match="50 bytes"):
        reader.read(1)
