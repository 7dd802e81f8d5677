"""The speech recogniser as the rest of MediaHub sees it: is it there, and load it.

Automatic transcription is optional: without its packages (the
``transcribe`` extra: faster-whisper, CTranslate2, PyAV, ONNX Runtime) or
without the model, the platform runs as before and the health page says
why. This module imports none of them until :func:`load` is called.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from mediahub.transcripts.model_files import ModelUnavailable, locate, prepare

if TYPE_CHECKING:
    from mediahub.transcripts.recognizer import Recognizer

#: Python packages automatic transcription needs.
REQUIRED_MODULES = ("faster_whisper", "ctranslate2", "av", "onnxruntime", "tokenizers", "numpy")


def missing_modules() -> list[str]:
    """The required packages that are not installed (found without importing them)."""
    return [name for name in REQUIRED_MODULES if importlib.util.find_spec(name) is None]


def unavailable(model: str | None) -> str | None:
    """Why automatic transcripts cannot be made here, in English for the
    health page and the log; None when they can."""
    if missing := missing_modules():
        return (
            f"automatic transcripts are off: the packages {', '.join(missing)} are not "
            "installed (`make install` or `pip install -e '.[transcribe]'`)"
        )
    try:
        locate(model)
    except ModelUnavailable as err:
        return f"automatic transcripts are off: {err}"
    return None


def load(
    model: str | None, cache_dir: Path, *, device: str = "auto", threads: int = 0
) -> Recognizer:
    """The recogniser with the configured model, ready to transcribe.

    Raises:
        ModelUnavailable: the model is missing or damaged.
        ImportError: the packages are missing (see :func:`unavailable`).
    """
    # Loaded here, not imported at the top: faster-whisper and its native
    # libraries are optional and cost ~80 MB; processes that never transcribe
    # never load them (no cycle, hence no function-level import statement).
    recognizer = importlib.import_module("mediahub.transcripts.recognizer")
    made: Recognizer = recognizer.Recognizer(
        prepare(locate(model), cache_dir), device=device, threads=threads
    )
    return made
