"""Writing WebVTT: the one place that turns cues into the text we store."""

from __future__ import annotations

from collections.abc import Iterable


def stamp(seconds: float) -> str:
    """``hh:mm:ss.ttt`` (hours grow past 99 if they must)."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def escape(text: str) -> str:
    """Text as WebVTT cue text: ``&``, ``<`` and ``>`` as entities, so no
    markup and no ``-->`` can come from it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(cues: Iterable[tuple[float, float, str, str]]) -> str:
    """A WebVTT file of ``(start_s, end_s, speaker, text)`` cues; one line of
    plain text each, the speaker (if any) as the cue's voice."""
    blocks = ["WEBVTT"]
    for start, end, speaker, text in cues:
        voice = f"<v {escape(' '.join(speaker.split()))}>" if speaker.strip() else ""
        blocks.append(f"{stamp(start)} --> {stamp(end)}\n{voice}{escape(' '.join(text.split()))}")
    return "\n\n".join(blocks) + "\n"
