"""Rendering one clip in one shape: a single ffmpeg process, bounded.

Everything with letters is a still picture drawn by :mod:`.cards`; ffmpeg
only needs ``showwaves``, ``overlay``, ``loop``, libx264 and the AAC encoder
(checked by :func:`missing_features`), so the same graph runs on the
imageio-ffmpeg wheel and on a distribution's ffmpeg without libfreetype or
libass:

- input 0: the passage of the episode's processed MP3 (``-ss``/``-t``; it is
  already at the hub's loudness target, and AAC keeps that level);
- input 1: the background (artwork and titles), decoded once and repeated;
- input 2: the captions as a slide show (an ffconcat list of small
  transparent pictures with their durations), switched in without a
  filter per caption;
- input 3: the content note, over everything for the first seconds.

The output carries no metadata: no tags, no chapters, no encoder strings
(``bitexact``) and no x264 settings SEI (``filter_units`` drops SEI units),
and the audio passes no device data from the original (the MP3 rendition
never had any).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from mediahub.audio import ffmpeg
from mediahub.audio.errors import AudioError
from mediahub.clips import cards
from mediahub.clips.captions import Caption
from mediahub.clips.inspect import decoded_seconds, inspect, video_frames
from mediahub.clips.layout import ClipShape, Layout, layout

FPS = 25
AUDIO_BITRATE = "128k"
#: The content note stays this long (shorter clips show it for a third).
NOTE_SECONDS = 3.0
REQUIRED_FILTERS = ("showwaves", "overlay", "loop", "asplit", "trim", "fps", "format")
REQUIRED_ENCODERS = ("libx264", "aac")
#: How far a rendered stream's length may be from the passage's.
DURATION_TOLERANCE_S = 0.1
_PROGRESS_RE = re.compile(rb"out_time_us=(\d+)")


class ClipRenderError(AudioError):
    """The rendered file is not what was asked for (size, codecs, length, tags)."""


@dataclass(frozen=True, slots=True)
class ClipSpec:
    """What a clip shows; the same for its three shapes.

    Attributes:
        audio_path: The episode's processed MP3.
        start_s, duration_s: The passage.
        artwork: The group's or episode's artwork (any size, square is best).
        group_name, episode_title: Drawn beside or under the artwork.
        captions: In clip time (:func:`.captions.passage_captions`).
        content_note: Shown first, when the episode has one.
        note_heading: The heading over it, in the group's language.
    """

    audio_path: Path
    start_s: float
    duration_s: float
    artwork: Image.Image
    group_name: str
    episode_title: str
    captions: Sequence[Caption] = ()
    content_note: str = ""
    note_heading: str = "Content note"

    @property
    def note_seconds(self) -> float:
        return min(NOTE_SECONDS, self.duration_s / 3) if self.content_note.strip() else 0.0


def missing_features() -> list[str]:
    """What this ffmpeg lacks for rendering clips (empty when it has it all)."""
    missing = [f"filter {name}" for name in REQUIRED_FILTERS if not ffmpeg.has_filter(name)]
    encoders = ffmpeg.available_encoders()
    return missing + [f"encoder {name}" for name in REQUIRED_ENCODERS if name not in encoders]


def _slides(spec: ClipSpec, box_layout: Layout, work: Path) -> Path:
    """Write the caption pictures and their ffconcat list; return the list."""
    blank = work / "blank.png"
    cards.caption(box_layout, "").save(blank)
    lines = ["ffconcat version 1.0"]
    at = 0.0
    for n, cap in enumerate(spec.captions):
        if cap.start_s > at:
            lines += [f"file {blank.name}", f"duration {cap.start_s - at:.3f}"]
        picture = work / f"caption-{n:04d}.png"
        cards.caption(box_layout, cap.text).save(picture)
        lines += [f"file {picture.name}", f"duration {cap.end_s - cap.start_s:.3f}"]
        at = cap.end_s
    lines += [f"file {blank.name}", f"duration {max(spec.duration_s - at, 0.04):.3f}"]
    # The concat demuxer ignores the last entry's duration: end on the blank again.
    lines.append(f"file {blank.name}")
    listing = work / "captions.ffconcat"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing


def _graph(spec: ClipSpec, lay: Layout) -> str:
    d = f"{spec.duration_s:.3f}"
    wave, caps = lay.wave, lay.captions
    parts = [
        "[0:a]asplit=2[aout][aw]",
        f"[aw]volume=3,showwaves=s={wave.w}x{wave.h}:mode=cline"
        f":scale=sqrt:rate={FPS}:colors=white@0.9,format=yuva420p[wave]",
        f"[1:v]format=yuv420p,loop=loop=-1:size=1:start=0,fps={FPS},trim=duration={d}[bg]",
        f"[bg][wave]overlay={wave.x}:{wave.y}:eof_action=pass:format=yuv420[bw]",
        "[2:v]format=yuva420p[caps]",
        f"[bw][caps]overlay={caps.x}:{caps.y}:eof_action=repeat:format=yuv420[v0]",
    ]
    if spec.note_seconds:
        parts += [
            "[3:v]format=yuv420p,loop=loop=-1:size=1:start=0[note]",
            f"[v0][note]overlay=0:0:enable='lt(t,{spec.note_seconds:.3f})':format=yuv420[v1]",
        ]
    last = "v1" if spec.note_seconds else "v0"
    parts.append(f"[{last}]setsar=1,format=yuv420p[v]")
    return ";".join(parts)


def ffmpeg_args(spec: ClipSpec, shape: ClipShape, work: Path, dst: Path) -> list[str]:
    """The arguments of the one ffmpeg process that renders ``shape`` into ``dst``,
    after writing its pictures into ``work``."""
    lay = layout(shape)
    bg = work / "background.png"
    cards.background(lay, spec.artwork, spec.group_name, spec.episode_title).save(bg)
    args = ["-ss", f"{spec.start_s:.3f}", "-t", f"{spec.duration_s:.3f}"]
    args += ffmpeg.input_args(spec.audio_path)
    # Our own pictures: only local files, only these demuxers.
    own = ["-protocol_whitelist", "file", "-format_whitelist", "png_pipe,image2,concat"]
    args += [*own, "-i", f"file:{bg}"]
    args += [*own, "-f", "concat", "-safe", "1", "-i", f"file:{_slides(spec, lay, work)}"]
    if spec.note_seconds:
        note = work / "note.png"
        colour = cards.background_colour(spec.artwork)
        cards.note_card(lay, spec.note_heading, spec.content_note, colour).save(note)
        args += [*own, "-i", f"file:{note}"]
    args += ["-filter_complex", _graph(spec, lay), "-map", "[v]", "-map", "[aout]"]
    args += [
        "-c:v", "libx264", "-preset", "superfast", "-crf", "23", "-profile:v", "high",
        "-threads", "2", "-g", str(FPS * 2), "-r", str(FPS),
        "-c:a", "aac", "-b:a", AUDIO_BITRATE,
        "-t", f"{spec.duration_s:.3f}",
        "-map_metadata", "-1", "-map_chapters", "-1",
        "-metadata:s:v", "encoder=", "-metadata:s:a", "encoder=",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-bsf:v", "filter_units=remove_types=6",
        "-movflags", "+faststart",
        "-progress", "pipe:1", "-stats_period", "1",
        "-f", "mp4", f"file:{dst}",
    ]  # fmt: skip
    return args


def render_shape(
    spec: ClipSpec,
    shape: ClipShape,
    dst: str | os.PathLike[str],
    *,
    work: str | os.PathLike[str],
    timeout_s: float,
    max_memory_bytes: int | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> None:
    """Render ``spec`` in ``shape`` into the MP4 file ``dst``.

    Args:
        work: An empty folder for the pictures (the caller removes it).
        timeout_s: ffmpeg is killed after this long.
        max_memory_bytes: ffmpeg's address space limit.
        on_progress: Called with the share done (0 … 1) about once a second.

    Raises:
        FFmpegError: ffmpeg failed, ran out of time or memory.
        ClipRenderError: the file it wrote is not the clip asked for.
    """
    total_us = spec.duration_s * 1_000_000

    def progress(chunk: bytes) -> None:
        found = _PROGRESS_RE.findall(chunk)
        if found and on_progress is not None:
            on_progress(min(1.0, int(found[-1]) / total_us))

    args = ffmpeg_args(spec, shape, Path(work), Path(dst))
    ffmpeg.run(args, timeout_s=timeout_s, on_stdout=progress, max_memory_bytes=max_memory_bytes)
    verify(dst, shape, spec.duration_s)


def verify(path: str | os.PathLike[str], shape: ClipShape, duration_s: float) -> None:
    """Check a rendered file: its size, H.264 and AAC, both streams as long
    as the passage (the audio decoded, the video's frames counted), and no
    metadata but the container's structure.

    Raises:
        ClipRenderError: saying what is wrong.
    """
    found = inspect(path)
    problems = []
    if (found.width, found.height) != shape.size:
        problems.append(f"size {found.width}x{found.height}, not {shape.size}")
    if (found.video_codec, found.audio_codec) != ("h264", "aac"):
        problems.append(f"codecs {found.video_codec}/{found.audio_codec}")
    if found.personal_metadata:
        problems.append(f"metadata {sorted(found.personal_metadata)}")
    lengths = {"v": video_frames(path) / FPS, "a": decoded_seconds(path, "a")}
    for stream, seconds in lengths.items():
        if abs(seconds - duration_s) > DURATION_TOLERANCE_S:
            problems.append(f"stream {stream} lasts {seconds:.2f} s, not {duration_s:.2f} s")
    if problems:
        raise ClipRenderError(f"rendered clip {shape}: " + "; ".join(problems))
