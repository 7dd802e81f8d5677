"""The measurement during an upload does not hold the upload up piece by piece.

The request hands each piece (1 MiB) to the measuring ffmpeg's pipe; while
ffmpeg measures it, the request must already be able to read and store the
next one. With a 64 KiB pipe it waited until ffmpeg had taken nearly the
whole piece, and upload and measurement took turns instead of overlapping.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator

import pytest

from mediahub.audio._filters import format_filter
from mediahub.audio._streaming import (
    HEAD_BYTES,
    PIPE_BYTES,
    WAV_PACKET_BYTES,
    LevelsMeter,
    _pipe_input,
    source_header,
)
from tests.conftest import make_speechlike

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="pipe sizes are set the Linux way"
)


def pre_filters(channels: int) -> list[str]:
    return [format_filter(1 if channels == 1 else 2)]


@contextlib.contextmanager
def paused_meter(data: bytes) -> Iterator[LevelsMeter]:
    """A meter whose ffmpeg has the head of ``data`` and then reads nothing
    more (SIGSTOP) until the block ends."""
    meter = LevelsMeter(pre_filters)
    meter.feed(data[:HEAD_BYTES])  # ffmpeg starts and gets the head
    proc = meter._proc
    assert proc is not None
    os.kill(proc.pid, signal.SIGSTOP)  # ffmpeg busy: it reads nothing more for now
    try:
        yield meter
    finally:
        os.kill(proc.pid, signal.SIGCONT)


def test_a_whole_piece_fits_while_ffmpeg_is_busy(tmp_path):
    data = make_speechlike(tmp_path / "talk.wav", 20).read_bytes()
    with paused_meter(data) as meter:
        piece = data[HEAD_BYTES:PIPE_BYTES]
        fed = threading.Thread(target=meter.feed, args=(piece,), daemon=True)
        fed.start()
        fed.join(timeout=10)
        # The piece is in the pipe although ffmpeg has not read a byte of it.
        assert not fed.is_alive()
    meter.feed(data[PIPE_BYTES:])
    result = meter.finish()
    assert result is not None
    assert result.levels.decoded_s == pytest.approx(20, abs=0.05)


def test_more_than_the_pipe_holds_waits_for_ffmpeg(tmp_path):
    """Memory stays flat: a stalled ffmpeg slows the upload down, bytes do not pile up."""
    data = make_speechlike(tmp_path / "talk.wav", 20).read_bytes()
    with paused_meter(data) as meter:
        fed = threading.Thread(
            target=meter.feed, args=(data[HEAD_BYTES : HEAD_BYTES + 2 * PIPE_BYTES],), daemon=True
        )
        fed.start()
        fed.join(timeout=1)
        assert fed.is_alive()
    fed.join(timeout=30)
    assert not fed.is_alive()
    meter.feed(data[HEAD_BYTES + 2 * PIPE_BYTES :])
    result = meter.finish()
    assert result is not None
    assert result.levels.decoded_s == pytest.approx(20, abs=0.05)


def test_wav_is_measured_in_large_packets_and_other_formats_as_they_come(tmp_path):
    # The WAV demuxer's 4 KiB packets made the measurement (which bounds an
    # upload's speed) a third slower; other demuxers refuse the option.
    wav = make_speechlike(tmp_path / "talk.wav", 2).read_bytes()
    header = source_header(wav)
    assert header is not None and header.container == "wav"
    assert _pipe_input("wav")[-4:] == ["-max_size", str(WAV_PACKET_BYTES), "-i", "pipe:0"]
    for other in ("mp3", "flac", "ogg", None):
        assert "-max_size" not in _pipe_input(other)
