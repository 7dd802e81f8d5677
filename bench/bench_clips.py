"""Benchmark rendering a clip in its three shapes against bare encodes.

    python bench/bench_clips.py [--seconds 60]

1. Generates a speech-like stereo MP3 (cached in bench/out/) twice the
   clip's length, and a transcript's captions every two seconds.
2. Times, in this process, one run each of (renders first)
   - the baseline: for each shape a bare ``ffmpeg`` encode of a still
     picture of that size plus the passage's audio, with the same codecs
     and settings (libx264 superfast, CRF 23, 25 fps, AAC 128k);
   - ``render_shape`` for each shape (cards drawn with Pillow, waveform,
     captions, content note, and the verification that decodes both
     streams), one ffmpeg process per shape as the worker runs them;
   and prints the ratio, the total against the goal (60 s for all three)
   and the peak resident memory of the largest ffmpeg child and of this
   process (getrusage), read before the baseline runs.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from mediahub.audio.ffmpeg import ffmpeg_path  # noqa: E402
from mediahub.clips.captions import Caption  # noqa: E402
from mediahub.clips.layout import ClipShape  # noqa: E402
from mediahub.clips.render import FPS, ClipSpec, render_shape  # noqa: E402

OUT = ROOT / "bench" / "out"
GOAL_S = 60.0
GOAL_MB = 500


def _ffmpeg(*args: str) -> None:
    cmd = [ffmpeg_path(), "-nostdin", "-hide_banner", "-v", "error", "-y", *args]
    subprocess.run(cmd, check=True, timeout=900)


def episode(seconds: float) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"clip-episode-{seconds:g}s.mp3"
    if not path.exists():
        graph = (
            f"anoisesrc=color=pink:amplitude=0.5:sample_rate=44100:seed=5:duration={seconds},"
            "bandpass=f=900:width_type=o:w=3,"
            "volume='0.05+0.95*pow(abs(sin(2*PI*t*2.3)),2)':eval=frame,volume=6dB,"
            "pan=stereo|c0=c0|c1=0.9*c0"
        )
        _ffmpeg("-f", "lavfi", "-i", graph, "-c:a", "libmp3lame", "-b:a", "128k", str(path))
    return path


def artwork() -> Image.Image:
    art = Image.new("RGB", (1400, 1400), (20, 110, 150))
    ImageDraw.Draw(art).ellipse((300, 300, 1100, 1100), fill=(240, 190, 40))
    return art


def bare(audio: Path, start: float, seconds: float, shape: ClipShape, work: Path) -> None:
    """The same length, size and codecs with nothing drawn: a still picture."""
    still = work / f"still-{shape}.png"
    Image.new("RGB", shape.size, (30, 40, 50)).save(still)
    d = f"{seconds:.3f}"
    _ffmpeg(
        "-ss", f"{start}", "-t", d, "-i", str(audio), "-i", str(still),
        "-filter_complex",
        f"[1:v]format=yuv420p,loop=loop=-1:size=1:start=0,fps={FPS},trim=duration={d}[v]",
        "-map", "[v]", "-map", "0:a", "-c:v", "libx264", "-preset", "superfast",
        "-crf", "23", "-threads", "2", "-c:a", "aac", "-b:a", "128k", "-t", d,
        str(work / f"bare-{shape}.mp4"),
    )  # fmt: skip


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (user + system):
    unlike wall time, it does not grow when others load the machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    seconds = args.seconds
    audio = episode(seconds * 2)
    start = seconds / 2
    sentence = "Wir sprechen heute darüber, wie wir mit Verlust und Trauer umgehen"
    words = sentence.split(" ")
    captions = [
        Caption(t, t + 1.8, " ".join(words[: 3 + int(t) % 8]))
        for t in range(3, int(seconds) - 2, 2)
    ]
    spec = ClipSpec(
        audio, start, seconds, artwork(), "Trauercafé Köln", "Folge 3: Abschied nehmen",
        captions, "Diese Folge spricht über Tod und Trauer.", "Inhaltshinweis",
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        times = {}
        cpu_began = cpu_seconds()
        for shape in ClipShape:
            folder = work / f"work-{shape}"
            folder.mkdir()
            began = time.perf_counter()
            render_shape(spec, shape, work / f"{shape}.mp4", work=folder, timeout_s=900)
            times[shape] = time.perf_counter() - began
        # Read before the baseline runs: the largest of the renders' ffmpeg
        # processes (and their verifying decodes), and this process (the cards).
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        render_cpu = cpu_seconds() - cpu_began
        began, cpu_began = time.perf_counter(), cpu_seconds()
        for shape in ClipShape:
            bare(audio, start, seconds, shape, work)
        baseline = time.perf_counter() - began
        bare_cpu = cpu_seconds() - cpu_began
    total = sum(times.values())
    print(f"clip of {seconds:g} s, three shapes, one run each")
    for shape, spent in times.items():
        print(f"  {shape:<9} {spent:6.1f} s")
    verdict = "met" if total < GOAL_S else "MISSED"
    print(f"  total     {total:6.1f} s  (goal < {GOAL_S:g} s: {verdict})")
    print(f"  bare      {baseline:6.1f} s  (three still-picture encodes)")
    print(f"  ratio     {total / baseline:6.2f}")
    print(f"  CPU time  {render_cpu:6.1f} s rendering, {bare_cpu:.1f} s bare "
          f"(ratio {render_cpu / bare_cpu:.2f}; the machine has 2 cores)")  # fmt: skip
    verdict = "met" if peak_mb < GOAL_MB else "MISSED"
    print(f"  peak memory of one ffmpeg: {peak_mb:.0f} MB (goal < {GOAL_MB} MB: {verdict})")
    print(f"  peak memory of the Python side (cards, captions): {own_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
