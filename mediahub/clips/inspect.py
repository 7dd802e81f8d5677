"""Looking at a rendered clip the way a platform will: ffmpeg's own report.

The imageio-ffmpeg wheel has no ffprobe, so this opens the file with our
ffmpeg wrapper and parses its log (sizes, codecs, every metadata entry), then
decodes each stream to learn its real length (or counts the video's frames
without decoding them). The renderer checks every file with it before a
clip is stored, and the tests use it too.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from mediahub.audio import ffmpeg
from mediahub.audio._parsers import parse_clock, strip_prefix

#: Entries the MP4 muxer writes about the file's structure, not about anybody.
STRUCTURAL_KEYS = frozenset(
    {"major_brand", "minor_version", "compatible_brands", "handler_name", "vendor_id"}
)
_VIDEO_RE = re.compile(r"Stream #0:\d+\S*: Video: (\w+).*?, (\d{2,5})x(\d{2,5})")
_AUDIO_RE = re.compile(r"Stream #0:\d+\S*: Audio: (\w+)")
_ENTRY_RE = re.compile(r"^(\s+)([\w.\-:]+)\s*: ?(.*)$")
_TIME_RE = re.compile(r"time=(\d+:\d+:[\d.]+)")
_FRAMES_RE = re.compile(r"frame=\s*(\d+)")


@dataclass(frozen=True, slots=True)
class VideoFile:
    """What ffmpeg reports about a clip file."""

    width: int | None = None
    height: int | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def personal_metadata(self) -> dict[str, str]:
        """Every entry that is not about the file's structure."""
        return {k: v for k, v in self.metadata.items() if k not in STRUCTURAL_KEYS}


def parse_header(log: str) -> VideoFile:
    """Parse the ``Input #0`` block: the first video and audio stream and
    every ``Metadata:`` entry (of the file and of its streams)."""
    video = audio = None
    metadata: dict[str, str] = {}
    in_metadata = 0
    for raw in log.splitlines():
        line = strip_prefix(raw)
        entry = _ENTRY_RE.match(line)
        if in_metadata and entry and len(entry.group(1)) > in_metadata:
            metadata[entry.group(2)] = entry.group(3).strip()
            continue
        in_metadata = 0
        if line.strip() == "Metadata:":
            in_metadata = len(line) - len(line.lstrip())
        elif video is None and (match := _VIDEO_RE.search(line)):
            video = match
        elif audio is None and (match := _AUDIO_RE.search(line)):
            audio = match
    return VideoFile(
        width=int(video.group(2)) if video else None,
        height=int(video.group(3)) if video else None,
        video_codec=video.group(1) if video else None,
        audio_codec=audio.group(1) if audio else None,
        metadata=metadata,
    )


def inspect(path: str | os.PathLike[str], *, timeout_s: float = 60) -> VideoFile:
    """What ffmpeg says about the file at ``path``."""
    result = ffmpeg.run(["-i", f"file:{os.fspath(path)}"], timeout_s=timeout_s, check=False)
    return parse_header(result.log)


def decoded_seconds(path: str | os.PathLike[str], stream: str, *, timeout_s: float = 120) -> float:
    """Decode stream ``a`` or ``v`` of the file completely; its length in seconds."""
    result = ffmpeg.run(
        ["-i", f"file:{os.fspath(path)}", "-map", f"0:{stream}:0", "-stats", "-f", "null", "-"],
        timeout_s=timeout_s,
    )
    times = _TIME_RE.findall(result.log)
    seconds = parse_clock(times[-1]) if times else None
    if seconds is None:
        raise ValueError(f"ffmpeg reported no length for stream {stream} of {path}")
    return seconds


def video_frames(path: str | os.PathLike[str], *, timeout_s: float = 60) -> int:
    """How many frames the first video stream has, counted without decoding
    them (its packets are copied to nowhere): a tenth of the time of a
    decode, and exact for the constant frame rate clips are made with."""
    result = ffmpeg.run(
        [
            "-i",
            f"file:{os.fspath(path)}",
            "-map",
            "0:v:0",
            "-c",
            "copy",
            "-stats",
            "-f",
            "null",
            "-",
        ],
        timeout_s=timeout_s,
    )
    frames = _FRAMES_RE.findall(result.log)
    if not frames:
        raise ValueError(f"ffmpeg counted no video frames in {path}")
    return int(frames[-1])
