"""Waveform peaks for the web player, computed in constant memory.

Decoded audio arrives as low-rate 8-bit mono PCM through a pipe. It is folded
into at most ``8 * points`` running block maxima whose block size doubles
whenever the list fills up, so memory does not depend on the length of the
recording and the length need not be known in advance.
"""

from __future__ import annotations

import os

from mediahub.audio import ffmpeg

# 4 kHz keeps the speech band below 2 kHz that shapes the envelope and is
# cheap to scan in Python (about 0.5 s of CPU per hour of audio).
WAVEFORM_RATE = 4000
DEFAULT_POINTS = 2000


class PeakAccumulator:
    """Fold unsigned 8-bit mono PCM into `points` normalised peaks.

    Args:
        points: Number of peaks `result()` returns.
        expected_samples: Optional length hint; starting with blocks of the
            right size saves the Python work of many early merges. Too short a
            hint only costs that time; one more than 16 times too long makes
            the peaks coarser than `points`.
    """

    def __init__(self, points: int = DEFAULT_POINTS, expected_samples: int = 0) -> None:
        if points < 1:
            raise ValueError("points must be at least 1")
        self.points = points
        self.samples = 0
        # Blocks end up 1/4 to 1/8 of a point: a peak leaks at most that far
        # into its neighbour.
        self._capacity = 8 * points
        self._block = 1
        while self._block * 2 * self._capacity <= expected_samples:
            self._block *= 2
        self._blocks: list[int] = []
        self._current = 0
        self._filled = 0

    def feed(self, data: bytes) -> None:
        """Add a chunk of ``pcm_u8`` samples (128 is silence)."""
        self.samples += len(data)
        position = 0
        while position < len(data):
            take = min(self._block - self._filled, len(data) - position)
            part = data[position : position + take]
            # max()/min() over bytes run in C; 128 is the zero line of u8.
            peak = max(max(part) - 128, 128 - min(part))
            self._current = max(self._current, peak)
            self._filled += take
            position += take
            if self._filled == self._block:
                self._close_block()

    def _close_block(self) -> None:
        self._blocks.append(self._current)
        self._current = 0
        self._filled = 0
        if len(self._blocks) >= self._capacity:
            # Halve the resolution: pairwise maxima, then blocks twice as long.
            pairs = zip(self._blocks[0::2], self._blocks[1::2], strict=False)
            merged = [max(a, b) for a, b in pairs]
            if len(self._blocks) % 2:
                merged.append(self._blocks[-1])
            self._blocks = merged
            self._block *= 2

    def result(self) -> list[float]:
        """Return exactly `points` peaks scaled so that the loudest is 1.0.

        Returns:
            Peaks in 0..1 rounded to 3 decimals; all zeros for silence or no input.
        """
        blocks = self._blocks + ([self._current] if self._filled else [])
        if not blocks:
            return [0.0] * self.points
        count = len(blocks)
        peaks = []
        for i in range(self.points):
            start = i * count // self.points
            end = max(start + 1, (i + 1) * count // self.points)
            peaks.append(max(blocks[start:end]))
        loudest = max(peaks)
        if loudest == 0:
            return [0.0] * self.points
        return [round(p / loudest, 3) for p in peaks]


def waveform_filters() -> str:
    """Return the filter chain that turns decoded audio into what `PeakAccumulator` reads.

    A short resampling filter is plenty for a picture, and one-second frames
    (without padding the last one) save ffmpeg thousands of tiny frames.
    """
    return (
        f"aresample={WAVEFORM_RATE}:filter_size=8,"
        "aformat=sample_fmts=u8:channel_layouts=mono,"
        f"asetnsamples=n={WAVEFORM_RATE}:p=0"
    )


def waveform_peaks(
    path: str | os.PathLike[str], points: int = DEFAULT_POINTS, *, timeout_s: float = 3600.0
) -> list[float]:
    """Compute `points` normalised waveform peaks of `path`'s first audio stream.

    Args:
        path: An audio file.
        points: Number of peaks to return.
        timeout_s: Wall-clock limit for ffmpeg.

    Returns:
        Peaks in 0..1, the loudest being 1.0 (all zeros for silence).

    Raises:
        FFmpegError: ffmpeg failed.
        ValueError: `points` is below 1.
    """
    accumulator = PeakAccumulator(points)
    args = [*ffmpeg.input_args(path), "-map", "0:a:0", "-af", waveform_filters()]
    args += ["-f", "u8", "pipe:1"]
    ffmpeg.run(args, timeout_s=timeout_s, on_stdout=accumulator.feed)
    return accumulator.result()
