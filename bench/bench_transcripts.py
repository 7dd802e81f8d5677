"""Benchmark automatic transcripts: speed, memory and word error rate.

    python bench/bench_transcripts.py [--minutes 60] [--memory 10] [--whole-file]

1. Builds a German test recording of ``--minutes`` (cached in bench/out/):
   the sentences of tests/transcripts/data/saetze.txt spoken by espeak-ng in
   six voices (tests/transcripts/speech.py: turns of 2-6 sentences, 135-170
   words a minute, pauses, a long silence every ~5 minutes), encoded as a
   64 kbit/s mono MP3 like a mono episode's rendition. The script is the
   reference text.
2. Baseline, in this process: decoding the MP3 to 16 kHz mono blocks
   (what the recogniser reads), the part of the work no model can avoid.
3. Transcribes it with the default model (Whisper base, int8, all cores) in a
   fresh child process, as the worker does, sampling the resident memory of
   the child every 50 ms and the load average every 5 s; prints the real-time
   factor (transcription time / audio length), the ratio to the baseline, the
   model's load time and the peak memory. ``--memory`` repeats the memory
   measurement for other lengths (flat: blocks of 5 minutes are decoded at a
   time); ``--whole-file`` measures faster-whisper's own whole-file
   ``transcribe(vad_filter=True)`` for comparison.
4. Word error rate (jiwer) of the whole text against the script, after
   lower-casing and removing punctuation and hyphens; and per voice, each
   recognised word counted for the sentence during which it was spoken.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out" / "transcripts"


# --- the recording ---------------------------------------------------------------


def build(minutes: float) -> tuple[Path, list[dict[str, Any]]]:
    """The MP3 and the script (``start_s``, ``end_s``, ``text``, ``voice`` per sentence)."""
    from mediahub.audio.ffmpeg import ffmpeg_path
    from tests.transcripts.speech import meeting_script, speak

    OUT.mkdir(parents=True, exist_ok=True)
    mp3, script = OUT / f"meeting-{minutes:g}.mp3", OUT / f"meeting-{minutes:g}.json"
    if mp3.exists() and script.exists():
        return mp3, json.loads(script.read_text())
    wav = OUT / f"meeting-{minutes:g}.wav"
    started = time.perf_counter()
    spoken = speak(wav, meeting_script(minutes))
    subprocess.run(
        [
            *(ffmpeg_path(), "-nostdin", "-loglevel", "error", "-y", "-i", str(wav)),
            *("-ar", "44100", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", str(mp3)),
        ],
        check=True,
        timeout=1800,
    )
    wav.unlink()
    rows = [
        {"start_s": s.start_s, "end_s": s.end_s, "text": s.text, "voice": s.voice} for s in spoken
    ]
    script.write_text(json.dumps(rows, ensure_ascii=False))
    print(f"  generated {minutes:g} min of speech in {time.perf_counter() - started:.1f} s")
    return mp3, rows


# --- child processes -------------------------------------------------------------


def child(mode: str, mp3: Path, out: Path, cache: Path) -> None:
    """Load the model and transcribe, as a worker would; write times and segments."""
    from mediahub.transcripts import engine

    started = time.perf_counter()
    recogniser = engine.load(None, cache)
    loaded = time.perf_counter()
    if mode == "whole-file":
        model = recogniser._model
        found, _ = model.transcribe(str(mp3), language="de", vad_filter=True, word_timestamps=True)
        segments = [
            {"words": [[w.start, w.end, w.word] for w in s.words or []], "text": s.text}
            for s in found
        ]
    else:
        segments = [
            {"words": [[w.start_s, w.end_s, w.text] for w in s.words], "text": s.text}
            for s in recogniser.transcribe(mp3, language="de")
        ]
    done = time.perf_counter()
    result = {"load_s": loaded - started, "run_s": done - loaded, "segments": segments}
    out.write_text(json.dumps(result, ensure_ascii=False))


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def run_child(mode: str, mp3: Path) -> dict[str, Any]:
    """Run a child; its result plus ``peak_rss`` and the load averages seen."""
    out = OUT / f"result-{mode}-{mp3.stem}.json"
    command = [sys.executable, __file__, "--child", mode, str(mp3), str(out), str(OUT / "model")]
    proc = subprocess.Popen(command)
    peak, loads, done = 0, [os.getloadavg()[0]], threading.Event()

    def sample() -> None:
        nonlocal peak
        last = time.monotonic()
        while not done.is_set():
            peak = max(peak, _rss(proc.pid))
            if time.monotonic() - last >= 5:
                loads.append(os.getloadavg()[0])
                last = time.monotonic()
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    proc.wait()
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"transcription failed ({mode}, {mp3.name})")
    result = json.loads(out.read_text())
    return {**result, "peak_rss": peak, "loads": loads}


# --- measures --------------------------------------------------------------------


def decode_seconds(mp3: Path) -> tuple[float, float]:
    """Time to decode the MP3 into the recogniser's blocks, and its length."""
    from mediahub.transcripts import recognizer

    started, samples = time.perf_counter(), 0
    for block, _last in recognizer._blocks(mp3, recognizer.BLOCK_SECONDS * 16000):
        samples += len(block)
    return time.perf_counter() - started, samples / 16000


def normal(text: str) -> str:
    text = text.lower().replace("-", "")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def word_error_rates(script: list[dict[str, Any]], segments: list[dict[str, Any]]) -> dict:
    """Overall WER (whole text aligned) and per voice (words by the time they were spoken)."""
    import bisect

    import jiwer

    hypothesis = " ".join(s["text"] for s in segments)
    reference = " ".join(row["text"] for row in script)
    overall = jiwer.process_words(normal(reference), normal(hypothesis))
    starts = [row["start_s"] for row in script]
    heard: list[list[str]] = [[] for _ in script]
    for segment in segments:
        for start, end, word in segment["words"]:
            index = max(0, bisect.bisect_right(starts, (start + end) / 2 + 0.3) - 1)
            heard[index].append(word)
    voices: dict[str, tuple[list[str], list[str]]] = {}
    for row, words in zip(script, heard, strict=True):
        refs, hyps = voices.setdefault(row["voice"], ([], []))
        refs.append(normal(row["text"]))
        hyps.append(normal("".join(words)))
    per_voice = {}
    for voice, (refs, hyps) in sorted(voices.items()):
        pairs = [(r, h) for r, h in zip(refs, hyps, strict=True) if r]
        measured = jiwer.process_words([r for r, _ in pairs], [h for _, h in pairs])
        per_voice[voice] = (measured.wer, sum(len(r.split()) for r, _ in pairs))
    return {"overall": overall, "per_voice": per_voice}


def report(minutes: float, whole_file: bool, memory: list[float]) -> None:
    mp3, script = build(minutes)
    decode_s, length_s = decode_seconds(mp3)
    print(f"\ninput: {length_s / 60:.1f} min, {len(script)} sentences, {mp3.stat().st_size:,} B")
    print(f"baseline (decode to 16 kHz blocks): {decode_s:.1f} s")
    ours = run_child("stream", mp3)
    rtf = ours["run_s"] / length_s
    print(
        f"streamed transcription: {ours['run_s']:.1f} s, real-time factor {rtf:.3f} "
        f"(goal <= 0.25), {ours['run_s'] / decode_s:.1f}x the decode; "
        f"model load {ours['load_s']:.1f} s"
    )
    print(f"  peak memory {ours['peak_rss'] / 2**20:.0f} MiB (goal < 1536 MiB)")
    print(f"  load average during the run: {_loads(ours['loads'])}")
    rates = word_error_rates(script, ours["segments"])
    o = rates["overall"]
    total = sum(len(normal(row["text"]).split()) for row in script)
    print(
        f"word error rate {o.wer:.1%} (goal <= 20 %): {o.substitutions} substituted, "
        f"{o.deletions} missed, {o.insertions} inserted of {total} words"
    )
    for voice, (wer, words) in rates["per_voice"].items():
        print(f"  {voice:12s} {wer:6.1%}  ({words} words)")
    for other in memory:
        shorter, _ = build(other)
        peak = run_child("stream", shorter)["peak_rss"]
        print(f"peak memory, {other:g} min: {peak / 2**20:.0f} MiB")
    if whole_file:
        theirs = run_child("whole-file", mp3)
        print(
            f"faster-whisper whole file (vad_filter=True): {theirs['run_s']:.1f} s "
            f"(ratio ours/theirs {ours['run_s'] / theirs['run_s']:.2f}), "
            f"peak memory {theirs['peak_rss'] / 2**20:.0f} MiB, "
            f"WER {word_error_rates(script, theirs['segments'])['overall'].wer:.1%}; "
            f"load average {_loads(theirs['loads'])}"
        )


def _loads(values: list[float]) -> str:
    return f"min {min(values):.2f}, mean {sum(values) / len(values):.2f}, max {max(values):.2f}"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, mp3, out, cache = sys.argv[2:6]
        child(mode, Path(mp3), Path(out), Path(cache))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="length of the recording")
    parser.add_argument("--memory", default="10", help="other lengths for the memory check")
    parser.add_argument(
        "--whole-file", action="store_true", help="also run faster-whisper's whole-file transcribe"
    )
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    memory = [float(v) for v in args.memory.split(",") if v.strip()]
    report(args.minutes, args.whole_file, memory)


if __name__ == "__main__":
    main()
