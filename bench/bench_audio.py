"""Benchmark the episode audio pipeline against a bare MP3 encode.

    python bench/bench_audio.py [--minutes 60] [--repeat 1] [--memory 10,60[,180]]

1. Generates a speech-like stereo 44.1 kHz WAV of `--minutes` with ffmpeg
   (cached in bench/out/): pink-noise formants and a voiced tone gated into
   syllables and phrases, pauses, plosive bursts, two speakers at different
   levels and a slow level drift.
2. Times, in this process, the bare baseline
   ``ffmpeg -i in.wav -c:a libmp3lame -b:a 128k out.mp3`` and the full
   ``process_episode_audio`` (probe, measurement, encode with verification,
   tags, waveform, checksum), alternating when repeated, and prints the ratio
   and where the pipeline's time goes.
3. Runs the pipeline in a fresh child process for each ``--memory`` length
   (default 10 and 60 minutes; add 180 for the long check, which needs 2 GB
   of disk for its WAV) and samples the resident memory of that process *and
   all its children* (ffmpeg) from /proc every 20 ms; prints the peak of the
   sum.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mediahub.audio import EpisodeTags, PipelineOptions, process_episode_audio  # noqa: E402
from mediahub.audio import pipeline as pipeline_module  # noqa: E402
from mediahub.audio.ffmpeg import ffmpeg_path  # noqa: E402

OUT = ROOT / "bench" / "out"
RATE = 44100
PHASES = ("probe", "measure_levels", "transcode", "write_tags", "sha256_of")


def speech_graph(seconds: float) -> str:
    """Speech-like programme with realistic dynamics (about -27 LUFS, PLR ~20 dB)."""
    phrases = "gt(sin(2*PI*t*0.23)+0.3*sin(2*PI*t*0.71),-0.4)"
    syllables = "pow(abs(sin(2*PI*t*2.3)),2)"
    # Two speakers 6 dB apart, taking turns, and a slow drift of the whole level.
    speakers = "if(lt(mod(t,97),41),1,0.5)*(0.8+0.2*sin(2*PI*t/300))"
    return (
        f"anoisesrc=color=pink:amplitude=0.5:sample_rate={RATE}:seed=11:duration={seconds},"
        f"bandpass=f=900:width_type=o:w=3,"
        f"volume='(0.02+0.98*{phrases}*{syllables})*{speakers}':eval=frame[noise];"
        f"sine=f=140:sample_rate={RATE}:duration={seconds},"
        f"volume='0.3*{phrases}*pow(abs(sin(2*PI*t*2.3)),3)*{speakers}':eval=frame[voiced];"
        f"aevalsrc='0.6*exp(-mod(t,1.7)*1000)*sin(2*PI*1000*t)':s={RATE}:d={seconds},"
        f"volume='{speakers}':eval=frame[plosives];"
        f"anoisesrc=color=brown:amplitude=0.002:sample_rate={RATE}:seed=5:duration={seconds}"
        f"[room];"
        f"[noise][voiced][plosives]amix=inputs=3:normalize=0,asplit[left][right_in];"
        # A slightly delayed, filtered right channel: stereo, not dual mono.
        f"[right_in]adelay=0.4,lowpass=f=7000[right];[left][right]join=inputs=2[dry];"
        f"[dry][room]amix=inputs=2:normalize=0[out]"
    )


def generate(minutes: float) -> Path:
    """Create (or reuse) the test recording of `minutes`."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"speech-{minutes:g}min.wav"
    expected = int(minutes * 60 * RATE * 4)
    if path.exists() and abs(path.stat().st_size - expected) < 4096:
        return path
    print(f"generating {minutes:g} min of speech-like audio ...", flush=True)
    started = time.perf_counter()
    cmd = [ffmpeg_path(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    cmd += ["-filter_complex", speech_graph(minutes * 60), "-map", "[out]"]
    cmd += ["-c:a", "pcm_s16le", "-ar", str(RATE), str(path)]
    subprocess.run(cmd, check=True)
    print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def time_baseline(source: Path) -> float:
    out = OUT / "baseline.mp3"
    cmd = [ffmpeg_path(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    cmd += ["-i", str(source), "-c:a", "libmp3lame", "-b:a", "128k", str(out)]
    started = time.perf_counter()
    subprocess.run(cmd, check=True)
    elapsed = time.perf_counter() - started
    out.unlink()
    return elapsed


def _options() -> PipelineOptions:
    tags = EpisodeTags(
        title="Benchmark episode",
        group="Bench group",
        podcast="Bench podcast",
        guid="urn:uuid:00000000-0000-4000-8000-000000000000",
        date=datetime.date(2024, 1, 1),
        chapters=((0.0, "Start"), (600.0, "Later")),
    )
    return PipelineOptions(tags=tags)


def time_pipeline(source: Path) -> tuple[float, dict[str, float], object]:
    """Run the pipeline once; return wall time, time per phase and the result."""
    phases: dict[str, float] = dict.fromkeys(PHASES, 0.0)
    originals = {name: getattr(pipeline_module, name) for name in PHASES}

    def timed(name: str, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] += time.perf_counter() - started

        return wrapper

    workdir = OUT / "pipeline"
    workdir.mkdir(exist_ok=True)
    for name, function in originals.items():
        setattr(pipeline_module, name, timed(name, function))
    try:
        started = time.perf_counter()
        result = process_episode_audio(source, workdir, _options())
        elapsed = time.perf_counter() - started
    finally:
        for name, function in originals.items():
            setattr(pipeline_module, name, function)
    return elapsed, phases, result


def run_timing(minutes: float, repeat: int) -> None:
    source = generate(minutes)
    print(f"load average before timing: {os.getloadavg()[0]:.2f} (2 cores)", flush=True)
    baselines, pipelines = [], []
    for round_index in range(repeat):
        baselines.append(time_baseline(source))
        print(f"[{round_index + 1}] baseline encode:  {baselines[-1]:7.2f} s", flush=True)
        elapsed, phases, result = time_pipeline(source)
        pipelines.append(elapsed)
        print(f"[{round_index + 1}] full pipeline:    {elapsed:7.2f} s", flush=True)
        detail = ", ".join(f"{name} {seconds:.2f}" for name, seconds in phases.items())
        print(f"    phases (s): {detail}", flush=True)
    base, full = statistics.median(baselines), statistics.median(pipelines)
    print(f"\n{minutes:g} min stereo 44.1 kHz WAV -> MP3 128k")
    print(f"  bare encode      {base:8.2f} s   ({minutes * 60 / base:5.0f}x real time)")
    print(f"  full pipeline    {full:8.2f} s   ({minutes * 60 / full:5.0f}x real time)")
    print(f"  RATIO pipeline / bare encode = {full / base:.3f}   (goal <= 1.30)")
    print(
        f"  result: {result.loudness_lufs:.1f} LUFS, true peak {result.true_peak_dbtp:.1f} dBTP, "
        f"{result.duration_s:.2f} s, {result.size_bytes / 1e6:.1f} MB"
    )


# --- memory ------------------------------------------------------------------------


def _children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants."""
    page = os.sysconf("SC_PAGE_SIZE")
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except OSError:
            continue
        pending += _children_of(pid)
    return total


def measure_memory(minutes: float) -> tuple[int, int]:
    """Peak RSS of the whole process tree, and the largest single child (getrusage)."""
    source = generate(minutes)
    workdir = OUT / "memory"
    workdir.mkdir(exist_ok=True)
    code = (
        "import sys; sys.path.insert(0, sys.argv[3]);"
        "from mediahub.audio import process_episode_audio;"
        "process_episode_audio(sys.argv[1], sys.argv[2])"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(source), str(workdir), str(ROOT)])
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(child.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    child.wait()
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"pipeline failed for {minutes:g} min")
    # ru_maxrss of children is the largest single descendant, in KiB on Linux.
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return peak, largest


def run_memory(lengths: list[float]) -> None:
    print("\npeak memory of the whole pipeline (Python process + ffmpeg children):")
    for minutes in lengths:
        tree, single = measure_memory(minutes)
        print(
            f"  {minutes:5g} min: process tree peak {tree / 2**20:6.1f} MiB "
            f"(largest single process so far {single / 2**20:6.1f} MiB)   (goal < 200 MiB, flat)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="length of the timed input")
    parser.add_argument("--repeat", type=int, default=1, help="alternating timing rounds")
    parser.add_argument(
        "--memory", default="10,60", help="minutes for the memory check, e.g. 10,60,180"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory check")
    parser.add_argument("--skip-timing", action="store_true", help="only run --memory")
    args = parser.parse_args()
    if not args.skip_timing:
        run_timing(args.minutes, args.repeat)
    if args.memory and not args.no_memory:
        run_memory([float(value) for value in args.memory.split(",")])


if __name__ == "__main__":
    main()
