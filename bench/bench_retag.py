"""Benchmark a title edit of a 60-minute episode: tag rewrite vs. the old re-encode.

    python bench/bench_retag.py [--minutes 60] [--repeat 15]

1. Generates (or reuses) the speech-like WAV of bench_audio.py.
2. The old way: a metadata edit processed the episode again, so it times
   ``process_episode_audio`` on the original with the new title (once; it
   also makes the published MP3 the next step starts from).
3. The new way: ``retag`` of that MP3 with another title (and a 1400x1400
   cover, as a group's artwork), ``--repeat`` times; then the same followed
   by storing the new version in a LocalStorage (copy, SHA-256, fsync), as
   the worker does.
4. Prints the medians and the ratio re-encode / tag rewrite, and checks that
   the audio frames and the duration are unchanged.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import mutagen.mp3  # noqa: E402
from bench_audio import OUT, _options, generate  # noqa: E402

from mediahub.audio import process_episode_audio  # noqa: E402
from mediahub.audio._retag import audio_span, retag  # noqa: E402
from mediahub.audio.ffmpeg import ffmpeg_path  # noqa: E402
from mediahub.storage.local import LocalStorage  # noqa: E402


def cover_jpeg() -> bytes:
    """A 1400x1400 JPEG, the size Apple asks podcast artwork to have."""
    path = OUT / "retag-cover.jpg"
    if not path.exists():
        cmd = [ffmpeg_path(), "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi"]
        cmd += ["-i", "testsrc2=s=1400x1400:d=1", "-frames:v", "1", "-q:v", "3", str(path)]
        subprocess.run(cmd, check=True)
    return path.read_bytes()


def time_reencode(source: Path, workdir: Path) -> tuple[float, Path]:
    options = _options()
    options = dataclasses.replace(
        options, tags=dataclasses.replace(options.tags, title="Edited title (re-encode)")
    )
    started = time.perf_counter()
    result = process_episode_audio(source, workdir, options)
    return time.perf_counter() - started, result.output_path


def time_retag(mp3: Path, workdir: Path, cover: bytes, repeat: int) -> list[float]:
    tags = dataclasses.replace(_options().tags, title="Edited title (tag rewrite)", cover=cover)
    times = []
    for index in range(repeat):
        out = workdir / f"retagged-{index % 2}.mp3"
        started = time.perf_counter()
        retag(mp3, out, tags)
        times.append(time.perf_counter() - started)
    return times


def time_retag_and_store(mp3: Path, workdir: Path, cover: bytes, repeat: int) -> list[float]:
    """Tag rewrite into a scratch file, then into storage under a new key."""
    tags = dataclasses.replace(_options().tags, title="Edited title (stored)", cover=cover)
    storage = LocalStorage(workdir / "media")
    times = []
    for index in range(repeat):
        with tempfile.TemporaryDirectory(dir=workdir) as scratch:
            started = time.perf_counter()
            done = retag(mp3, Path(scratch) / "episode.mp3", tags)
            storage.put_file(f"renditions/audio/bench-{index}.mp3", done.path, "audio/mpeg")
            times.append(time.perf_counter() - started)
        storage.delete(f"renditions/audio/bench-{index}.mp3")
    return times


def check_same_audio(old: Path, new: Path) -> None:
    (a, b), (c, d) = audio_span(old), audio_span(new)
    with old.open("rb") as x, new.open("rb") as y:
        x.seek(a)
        y.seek(c)
        same = b - a == d - c and x.read()[: b - a] == y.read()[: d - c]
    same_length = mutagen.mp3.MP3(old).info.length == mutagen.mp3.MP3(new).info.length
    print(f"  audio frames byte-identical: {same}; duration unchanged: {same_length}")
    if not (same and same_length):
        raise SystemExit("the tag rewrite changed the audio")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    source = generate(args.minutes)
    workdir = OUT / "retag"
    workdir.mkdir(parents=True, exist_ok=True)
    cover = cover_jpeg()
    print(f"load average before timing: {os.getloadavg()[0]:.2f} (2 cores)", flush=True)
    reencode, mp3 = time_reencode(source, workdir)
    print(f"re-encode (old way): {reencode:.2f} s", flush=True)
    retags = time_retag(mp3, workdir, cover, args.repeat)
    stored = time_retag_and_store(mp3, workdir, cover, args.repeat)
    median, p95 = statistics.median(retags), sorted(retags)[int(0.95 * (len(retags) - 1))]
    median_stored = statistics.median(stored)
    size = mp3.stat().st_size / 1e6
    print(f"\ntitle edit of a {args.minutes:g}-minute episode ({size:.1f} MB MP3)")
    print(f"  re-encode (old way)            {reencode * 1000:10.0f} ms")
    runs = f"median of {len(retags)}"
    print(f"  tag rewrite, {runs:17s} {median * 1000:10.1f} ms  (p95 {p95 * 1000:.1f})")
    print(f"  tag rewrite + store, median    {median_stored * 1000:10.1f} ms  (goal < 1000 ms)")
    print(f"  RATIO re-encode / tag rewrite = {reencode / median:.0f}")
    print(f"  RATIO re-encode / tag rewrite + store = {reencode / median_stored:.0f}")
    check_same_audio(mp3, workdir / "retagged-0.mp3")


if __name__ == "__main__":
    main()
