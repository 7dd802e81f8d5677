"""`make bench`: every benchmark, each printing ratios against a baseline
measured in the same run. Figures and method: bench/README.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

BENCHMARKS = [
    # Audio: 60-minute speech-like WAV, pipeline vs. bare `ffmpeg -c:a libmp3lame`,
    # and peak memory of pipeline + ffmpeg children for 10, 60 and 180 minutes.
    [sys.executable, str(HERE / "bench_audio.py"), "--minutes", "60", "--memory", "10,60,180"],
    # A title edit of a 60-minute episode: the ID3 tag rewrite (a new file
    # version, audio frames copied) vs. the re-encode it replaced.
    [sys.executable, str(HERE / "bench_retag.py"), "--minutes", "60"],
    # Feeds and pages at hub scale: 1,500 groups, 60,000 episodes; rebuild time,
    # page p95, feed throughput under gunicorn vs. a static file server.
    [sys.executable, str(HERE / "bench_feeds.py")],
    # Listener statistics: media requests/s with statistics on vs. off, rollup
    # of 1,000,000 raw events, statistics pages with 500 episodes x 365 days.
    [sys.executable, str(HERE / "bench_stats.py")],
    # Automatic transcripts: a 60-minute German meeting spoken by espeak-ng;
    # real-time factor, peak memory (60 and 10 minutes) and word error rate.
    [sys.executable, str(HERE / "bench_transcripts.py"), "--minutes", "60", "--memory", "10"],
    # Clips: a 60-second passage rendered in the three shapes vs. bare
    # still-picture encodes of the same length and sizes; peak memory.
    [sys.executable, str(HERE / "bench_clips.py"), "--seconds", "60"],
]


def main() -> int:
    for command in BENCHMARKS:
        print(
            "$", " ".join(Path(c).name if c.endswith(".py") else c for c in command[1:]), flush=True
        )
        result = subprocess.run(command, check=False)
        if result.returncode:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
