"""Speech recognition on our own machine: faster-whisper (CTranslate2) on a stream.

No audio leaves the process: the model is loaded from a local directory
(:mod:`.model_files`), the Hugging Face Hub is switched off before
faster-whisper is imported, and nothing here opens a connection.

Memory stays flat in the length of the recording. The audio is decoded
(PyAV, which faster-whisper brings) into blocks of :data:`BLOCK_SECONDS` at
16 kHz; voice activity detection (Silero, in faster-whisper) finds the
speech in each block; the speech up to the last complete phrase is
recognised, and the unfinished phrase at the block's end is carried into
the next block, so no word is cut in two. faster-whisper's own ``transcribe``
would decode the whole file and compute the whole spectrogram at once
(about 600 MB for an hour).

Int8 on the CPU; a CUDA GPU is used when CTranslate2 sees one.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Read by huggingface_hub when it is imported (faster-whisper imports it): any
# attempt to reach the Hub then fails at once instead of connecting.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

import av
import ctranslate2
import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.vad import (
    SpeechTimestampsMap,
    VadOptions,
    get_speech_timestamps,
)

from mediahub.transcripts.captions import RecognitionFailed, Segment, Word

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
#: Audio decoded and searched for speech at a time.
BLOCK_SECONDS = 300
#: A phrase longer than this is split at its last short pause (Silero's
#: rule), so that the part of a block carried into the next stays small.
MAX_PHRASE_SECONDS = 30
#: Pause that ends a phrase, and padding kept around speech.
MIN_SILENCE_MS = 1000
SPEECH_PAD_MS = 300
#: Prompt carried from one block to the next (the last words recognised).
PROMPT_CHARS = 200


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (None elsewhere, e.g. musl or macOS)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
        return trim
    except (OSError, AttributeError):
        return None


#: Without it glibc keeps the blocks' freed buffers: +150 MB over an hour
#: before it levels off; with it the hour stays at the first block's size.
_TRIM = _malloc_trim()


def _device(preference: str) -> tuple[str, str]:
    if preference in ("auto", "cuda") and ctranslate2.get_cuda_device_count() > 0:
        return "cuda", "int8_float16"
    return "cpu", "int8"


class Recognizer:
    """A loaded model; load once per job, then :meth:`transcribe` files.

    Args:
        model_dir: a directory in faster-whisper's format (see :mod:`.model_files`).
        device: ``auto`` (a GPU when there is one), ``cpu`` or ``cuda``.
        threads: CPU threads; 0 means one per core.
        beam_size: beam search width (5 is Whisper's default; 1 is faster).
        word_times: also time every word (cues are then split between words).
    """

    def __init__(
        self,
        model_dir: Path,
        *,
        device: str = "auto",
        threads: int = 0,
        beam_size: int = 5,
        word_times: bool = True,
    ) -> None:
        self.device, compute_type = _device(device)
        self.beam_size, self.word_times = beam_size, word_times
        self._detected: str | None = None
        self._model = WhisperModel(
            str(model_dir),
            device=self.device,
            compute_type=compute_type,
            cpu_threads=threads or os.cpu_count() or 1,
            local_files_only=True,
        )

    def language(self, code: str | None) -> str | None:
        """The model's code for a language tag (``de-AT`` → ``de``); None: detect it."""
        primary = (code or "").split("-")[0].split("_")[0].lower()
        return primary if primary in self._model.supported_languages else None

    def transcribe(
        self,
        path: Path,
        *,
        language: str | None,
        progress: Callable[[float], None] | None = None,
    ) -> Iterator[Segment]:
        """Recognise the speech in an audio file, one segment at a time, in order.

        Args:
            path: any audio file ffmpeg reads (our MP3 rendition).
            language: a language tag; None or unknown to the model: detected.
            progress: called with the seconds of audio done so far.

        Raises:
            RecognitionFailed: the file is not readable audio.
        """
        vad = VadOptions(
            min_silence_duration_ms=MIN_SILENCE_MS,
            speech_pad_ms=SPEECH_PAD_MS,
            max_speech_duration_s=MAX_PHRASE_SECONDS,
        )
        code = self.language(language)
        carry = _empty()
        offset = 0  # samples of the file before ``carry``
        prompt: str | None = None
        last_end = 0.0
        for block, is_last in _blocks(path, BLOCK_SECONDS * SAMPLE_RATE):
            audio = _concat([carry, block])
            phrases, keep_from = _complete_phrases(audio, vad, is_last)
            limit = (offset + len(audio)) / SAMPLE_RATE
            for segment in self._recognise(audio, phrases, offset, code, prompt):
                segment = _clamped(segment, last_end, limit)
                last_end = segment.end_s
                prompt = segment.text[-PROMPT_CHARS:]
                yield segment
            code = code or self._detected  # the first block's language for all others
            carry = audio[keep_from:].copy()  # a view would keep the whole block
            offset += keep_from
            del audio, block
            if _TRIM is not None:
                _TRIM(0)
            if progress is not None:
                progress(offset / SAMPLE_RATE)

    def _recognise(
        self,
        audio: Any,
        phrases: list[dict[str, int]],
        offset: int,
        language: str | None,
        prompt: str | None,
    ) -> Iterator[Segment]:
        """Recognise ``phrases`` of ``audio`` glued together; times in the file."""
        if not phrases:
            return
        speech = _concat([audio[p["start"] : p["end"]] for p in phrases])
        times = SpeechTimestampsMap(phrases, SAMPLE_RATE)
        shift = offset / SAMPLE_RATE
        segments, info = self._model.transcribe(
            speech,
            language=language,
            beam_size=self.beam_size,
            vad_filter=False,
            initial_prompt=prompt,
            word_timestamps=self.word_times,
        )
        self._detected = info.language
        for s in segments:
            text = s.text.strip()
            if not text:
                continue
            if s.words:
                words = tuple(_word(w, times, shift) for w in s.words)
                yield Segment(words[0].start_s, words[-1].end_s, text, words)
            else:
                start = _seconds(times.get_original_time(s.start) + shift)
                end = _seconds(times.get_original_time(s.end, is_end=True) + shift)
                yield Segment(start, end, text)


def _word(word: Any, times: Any, shift: float) -> Word:
    # Start and end from the phrase the word's middle lies in, as faster-whisper does.
    phrase = times.get_chunk_index((word.start + word.end) / 2)
    return Word(
        _seconds(times.get_original_time(word.start, phrase) + shift),
        _seconds(times.get_original_time(word.end, phrase) + shift),
        word.word,
    )


def _seconds(value: Any) -> float:
    """A plain float rounded to the millisecond (numpy's floats stay out of the data)."""
    return round(float(value), 3)


def _clamped(segment: Segment, earliest: float, latest: float) -> Segment:
    """Times that never go backwards, stay inside the audio, and end after they start."""

    def inside(t: float) -> float:
        return _seconds(min(max(t, earliest), latest))

    start = inside(segment.start_s)
    words = tuple(
        Word(inside(w.start_s), inside(max(w.end_s, w.start_s)), w.text) for w in segment.words
    )
    return Segment(start, inside(max(segment.end_s, start)), segment.text, words)


def _complete_phrases(audio: Any, vad: Any, is_last: bool) -> tuple[list[dict[str, int]], int]:
    """The phrases of ``audio`` to recognise now, and where the rest begins.

    A phrase that may go on in the next block (it reaches the end, or too
    little silence follows to be sure it is over) waits for the next block.
    """
    length = len(audio)
    if length == 0:
        return [], 0
    phrases = get_speech_timestamps(audio, vad)
    if is_last:
        return phrases, length
    if not phrases:
        # Only silence: keep the last second, a word may begin there.
        return [], max(0, length - SAMPLE_RATE)
    guard = (MIN_SILENCE_MS + SPEECH_PAD_MS) * SAMPLE_RATE // 1000
    if phrases[-1]["end"] + guard <= length:
        return phrases, phrases[-1]["end"]
    if len(phrases) > 1:
        return phrases[:-1], phrases[-1]["start"]
    if phrases[0]["start"] > 0:
        return [], phrases[0]["start"]
    # One phrase fills the block (cannot happen with MAX_PHRASE_SECONDS set,
    # kept so memory stays bounded whatever the VAD does): recognise it now.
    return phrases, length


def _blocks(path: Path, size: int) -> Iterator[tuple[Any, bool]]:
    """16 kHz mono float32 blocks of ``size`` samples (the last one shorter),
    each with whether it is the last."""
    pending: list[Any] = []
    count = 0
    ready = None
    for frame in _frames(path):
        pending.append(frame)
        count += len(frame)
        while count >= size:
            joined = np.concatenate(pending)
            if ready is not None:
                yield ready, False
            ready, pending, count = joined[:size], [joined[size:]], count - size
    rest = _concat(pending)
    if ready is None:
        yield rest, True
    elif len(rest) == 0:
        yield ready, True
    else:
        yield ready, False
        yield rest, True


def _frames(path: Path) -> Iterator[Any]:
    """The decoded audio as 16 kHz mono float32 arrays, frame by frame."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise RecognitionFailed("the file has no audio")
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1)
    except av.error.FFmpegError as err:
        raise RecognitionFailed(f"the audio could not be decoded: {err}") from err


def _empty() -> Any:
    return np.zeros(0, dtype=np.float32)


def _concat(arrays: list[Any]) -> Any:
    return np.concatenate(arrays) if arrays else _empty()
