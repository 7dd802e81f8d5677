"""Upload pieces kept where every web machine finds them: a shared folder or S3 parts."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from werkzeug.exceptions import ClientDisconnected

from mediahub.storage import LocalStorage
from mediahub.uploads import pieces as pieces_module
from mediahub.uploads.pieces import (
    FolderPieces,
    OffsetMismatch,
    PiecesBusy,
    S3Pieces,
    TooLarge,
    original_key,
)
from tests.storage.conftest import make_s3_storage, moto_endpoint  # noqa: F401 - fixtures

MiB = 1024 * 1024
DATA = os.urandom(13 * MiB + 12345)


@pytest.fixture(autouse=True)
def _small_parts(monkeypatch):
    monkeypatch.setattr(pieces_module, "PART_SIZE", 5 * MiB)  # S3's smallest part


@pytest.fixture(params=["folder", "s3"])
def machines(request, tmp_path):
    """Two web machines' views of the same pieces, and the media storage."""
    if request.param == "folder":
        storage = LocalStorage(tmp_path / "media")
        return FolderPieces(tmp_path / "shared"), FolderPieces(tmp_path / "shared"), storage
    storage = request.getfixturevalue("make_s3_storage")()
    return S3Pieces(storage), S3Pieces(storage), storage


def reader(data: bytes, piece: int = 700_000):
    stream = io.BytesIO(data)
    return lambda n: stream.read(min(n, piece))


def test_pieces_alternating_between_two_machines_make_the_whole_file(machines):
    one, two, storage = machines
    seen = hashlib.sha256()
    offset = 0
    # Odd piece sizes, as a browser's 5 MiB pieces and curl's whole file mix.
    for n, size in enumerate((3 * MiB + 1, 6 * MiB, 2 * MiB - 7, len(DATA))):
        web = one if n % 2 == 0 else two
        assert web.offset("up-1") == offset
        piece = DATA[offset : offset + size]
        offset = web.append("up-1", offset, len(DATA), reader(piece), seen.update)
        assert offset == min(
            len(DATA), sum((3 * MiB + 1, 6 * MiB, 2 * MiB - 7, len(DATA))[: n + 1])
        )
    assert two.offset("up-1") == len(DATA)
    assert seen.hexdigest() == hashlib.sha256(DATA).hexdigest()
    key = one.complete("up-1", len(DATA), storage)
    assert key == original_key("up-1")
    with storage.open(key) as fh:
        assert fh.read() == DATA


def test_a_piece_at_the_wrong_offset_is_refused(machines):
    one, two, _storage = machines
    one.append("up-2", 0, len(DATA), reader(DATA[:1000]))
    with pytest.raises(OffsetMismatch) as refused:
        two.append("up-2", 0, len(DATA), reader(DATA[:1000]))
    assert refused.value.current == 1000


def test_a_dropped_connection_keeps_what_arrived(machines):
    one, two, storage = machines
    stream = io.BytesIO(DATA[: 7 * MiB])

    def dropping(n: int) -> bytes:
        block = stream.read(min(n, 500_000))
        if not block:
            raise ClientDisconnected
        return block

    with pytest.raises(ClientDisconnected):
        one.append("up-3", 0, len(DATA), dropping)
    assert two.offset("up-3") == 7 * MiB
    two.append("up-3", 7 * MiB, len(DATA), reader(DATA[7 * MiB :]))
    with storage.open(two.complete("up-3", len(DATA), storage)) as fh:
        assert hashlib.sha256(fh.read()).digest() == hashlib.sha256(DATA).digest()


def test_more_than_announced_is_refused(machines):
    one, _two, _storage = machines
    with pytest.raises(TooLarge):
        one.append("up-4", 0, 6 * MiB, reader(DATA[: 6 * MiB + 1]))
    assert one.offset("up-4") == 0  # none of the refused piece is kept


def test_discard_forgets_the_bytes(machines):
    one, two, _storage = machines
    one.append("up-5", 0, len(DATA), reader(DATA[: 6 * MiB]))
    two.discard("up-5")
    assert one.offset("up-5") == 0


def test_two_requests_on_one_folder_upload_do_not_interleave(tmp_path):
    one, two = FolderPieces(tmp_path), FolderPieces(tmp_path)

    def second_request_meanwhile(n: int) -> bytes:
        with pytest.raises(PiecesBusy):
            two.append("up-6", 0, len(DATA), reader(b"x"))
        return b""

    one.append("up-6", 0, len(DATA), second_request_meanwhile)
