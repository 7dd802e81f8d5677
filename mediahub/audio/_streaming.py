"""Measuring a recording's input levels while its bytes arrive.

The pipeline needs the source's integrated loudness and sample peak before
it can set the gain of its one encode pass; measuring them afterwards costs
a full decode (about 3.7 s per hour of audio). An upload already passes
every byte through our hands once, so a second ffmpeg reads them from a
pipe as they are written to storage, and when the upload ends only the
encode pass is left. The measurement is recorded with the exact filter
chain it used; the pipeline uses it only when it would have measured with
the same chain, else it measures as before. Nothing here may fail an
upload: an error just means the worker measures.

Memory is flat: bytes are handed to ffmpeg's pipe as they come (a slow
ffmpeg slows the upload down instead of piling bytes up), and only the
first few hundred kilobytes are held, once, to learn the channel count.
The pipe holds ``PIPE_BYTES`` (a piece of the upload), not Linux's default
64 KiB: with the small pipe each piece waited until ffmpeg had measured
nearly all of it, and ffmpeg then waited while the next piece was read from
the network and stored, so upload and measurement took turns instead of
running side by side on two cores.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import math
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from mediahub.audio import ffmpeg
from mediahub.audio._loudness import InputLevels
from mediahub.audio._parsers import (
    InputHeader,
    parse_ebur128_summary,
    parse_final_time,
    parse_input_header,
)

log = logging.getLogger(__name__)

#: The measurement the pipeline makes of the source (see _loudness.measure_levels).
EBUR128 = "ebur128=peak=sample:framelog=verbose"
#: Bytes held before ffmpeg is started: enough for every header we accept
#: (WAV, FLAC and MP3 need a few kilobytes; MP4 with its index first, more).
HEAD_BYTES = 512 * 1024
#: Capacity asked for the pipe into the measuring ffmpeg: one piece of an
#: upload (mediahub.uploads.pieces.CHUNK), Linux's default limit for it
#: (/proc/sys/fs/pipe-max-size).
PIPE_BYTES = 1024 * 1024
#: Packets the WAV demuxer reads at once when measuring (see ``_pipe_input``).
WAV_PACKET_BYTES = 256 * 1024


@dataclass(frozen=True)
class MeasuredLevels:
    """Input levels measured during the upload, and the filter chain they hold for."""

    chain: str
    levels: InputLevels

    def to_json(self) -> dict[str, object]:
        levels = asdict(self.levels)
        if math.isinf(levels["sample_peak_dbfs"]):
            levels["sample_peak_dbfs"] = None  # JSON has no -inf
        return {"chain": self.chain, **levels}

    @classmethod
    def from_json(cls, value: object) -> MeasuredLevels | None:
        """The stored measurement, or None when it is missing or malformed."""
        if not isinstance(value, dict) or not isinstance(value.get("chain"), str):
            return None
        try:
            peak = value.get("sample_peak_dbfs")
            levels = InputLevels(
                integrated_lufs=float(value["integrated_lufs"]),
                sample_peak_dbfs=-math.inf if peak is None else float(peak),
                decoded_s=float(value["decoded_s"]),
                decode_errors=int(value["decode_errors"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
        if not all(math.isfinite(v) for v in (levels.integrated_lufs, levels.decoded_s)):
            return None
        return cls(value["chain"], levels)


def measurement_chain(pre_filters: Sequence[str]) -> str:
    """The filter chain of a source measurement after ``pre_filters``."""
    return ",".join([*pre_filters, EBUR128])


def _pipe_input(container: str | None = None) -> list[str]:
    # WAV is read in packets of 4 KiB by default: a thousand samples, each
    # handed from ffmpeg's demuxing thread to its decoding and filtering
    # threads. In 256 KiB packets the measurement needs about a third less
    # time (an hour of WAV: 1.8 s instead of 2.8 s), and the measurement is
    # what an upload's speed is bound by.
    packets = ["-max_size", str(WAV_PACKET_BYTES)] if container == "wav" else []
    return [
        "-protocol_whitelist",
        "pipe",
        "-format_whitelist",
        ffmpeg.FORMAT_WHITELIST,
        *packets,
        "-i",
        "pipe:0",
    ]


def _base() -> list[str]:
    return [ffmpeg.ffmpeg_path(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info"]


def source_header(head: bytes, *, timeout_s: float = 20) -> InputHeader | None:
    """What ffmpeg sees in a recording's first bytes (container, audio streams);
    None when it cannot open them."""
    try:
        result = subprocess.run(
            [*_base(), *_pipe_input(), "-t", "0", "-f", "null", "-"],
            input=head,
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    header = parse_input_header(result.stderr.decode("utf-8", "replace"))
    return header if header.opened and header.audio else None


def _widen_pipe(stream: object) -> None:
    """Give the pipe room for a whole piece of the upload (see the module's text);
    where that is not possible (not Linux, a lower limit) it stays as it is."""
    fileno = getattr(stream, "fileno", None)
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None)
    if fileno is None or setpipe is None:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(fileno(), setpipe, PIPE_BYTES)


class LevelsMeter:
    """Feed an upload's bytes in order; :meth:`finish` returns its input levels.

    Args:
        pre_filters_for: the pipeline's filters before the measurement, for
            a source with that many channels (layout, voice disguise).
        timeout_s: limit for the measuring ffmpeg once the upload ended.
    """

    def __init__(
        self, pre_filters_for: Callable[[int], Sequence[str]], *, timeout_s: float = 600
    ) -> None:
        self._pre_filters_for = pre_filters_for
        self._timeout_s = timeout_s
        self._head = bytearray()
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: list[bytes] = []
        self._decode_errors = 0
        self._reader: threading.Thread | None = None
        self._chain = ""
        self.failed = False

    def feed(self, data: bytes) -> None:
        """The next bytes of the upload (never raises)."""
        if self.failed or not data:
            return
        if self._proc is None:
            self._head += data
            if len(self._head) >= HEAD_BYTES:
                self._start()
            return
        self._write(data)

    def _start(self) -> None:
        head, self._head = bytes(self._head), bytearray()
        header = source_header(head)
        channels = header.audio[0].channels if header is not None else None
        if header is None or channels is None:
            self.failed = True
            return
        self._chain = measurement_chain(self._pre_filters_for(channels))
        source = _pipe_input(header.container)
        try:
            self._proc = subprocess.Popen(
                [*_base(), *source, "-map", "0:a:0", "-af", self._chain, "-f", "null", "-"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError:
            log.warning("the measuring ffmpeg could not start", exc_info=True)
            self.failed = True
            return
        _widen_pipe(self._proc.stdin)
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        self._write(head)

    def _drain(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        # The summary comes at the end; framelog lines (10 a second) are skipped
        # by keeping only a bounded tail.
        tail: list[bytes] = []
        for line in self._proc.stderr:
            if ffmpeg._DECODE_ERROR_RE.search(line.decode("utf-8", "replace")):
                self._decode_errors += 1
            tail.append(line)
            if len(tail) > 400:
                del tail[:200]
        self._stderr = tail

    def _write(self, data: bytes) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        try:
            self._proc.stdin.write(data)
        except OSError:  # ffmpeg gave up (not a format it can read from a pipe)
            self.abort()

    def finish(self) -> MeasuredLevels | None:
        """Wait for the measurement of everything fed; None when there is none."""
        if not self.failed and self._proc is None and self._head:
            self._start()
        if self.failed or self._proc is None:
            return None
        proc = self._proc
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=self._timeout_s)
        except (OSError, subprocess.TimeoutExpired):
            self.abort()
            return None
        self._close()
        text = b"".join(self._stderr).decode("utf-8", "replace")
        summary = parse_ebur128_summary(text) if proc.returncode == 0 else None
        if summary is None:
            self.failed = True
            return None
        decoded_s = parse_final_time(text) or 0.0
        if decoded_s <= 0:  # read nothing (an MP4 whose index comes last cannot be piped)
            self.failed = True
            return None
        peak = summary.sample_peak_dbfs
        levels = InputLevels(
            integrated_lufs=summary.integrated_lufs,
            sample_peak_dbfs=peak if peak is not None else -math.inf,
            decoded_s=decoded_s,
            decode_errors=self._decode_errors,
        )
        return MeasuredLevels(self._chain, levels)

    def abort(self) -> None:
        """Stop measuring (the upload failed, or ffmpeg cannot read this format)."""
        self.failed = True
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait()
            self._close()

    def _close(self) -> None:
        assert self._proc is not None
        if self._reader is not None:
            self._reader.join(timeout=10)
        for stream in (self._proc.stdin, self._proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
