"""The README's "From one machine to several", read so that the cluster test
runs exactly its commands (with the cluster's addresses in place of the
example names) and fails when one of them was not run."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "### From one machine to several"


@dataclass(frozen=True)
class Step:
    """One command line of the recipe and who runs it (the comment above it)."""

    who: str
    line: str

    @property
    def args(self) -> list[str]:
        return shlex.split(self.line)


def _section(text: str) -> str:
    start = text.index(SECTION)
    end = text.index("\n## ", start)
    return text[start:end]


def settings(text: str | None = None) -> dict[str, str]:
    """The settings every machine gets (the first shell block)."""
    block = re.findall(r"```sh\n(.*?)```", _section(text or README.read_text()), re.S)[0]
    pairs = (line.split("=", 1) for line in block.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def steps(text: str | None = None) -> list[Step]:
    """The commands, in order, with whom each is for (the second shell block)."""
    block = re.findall(r"```sh\n(.*?)```", _section(text or README.read_text()), re.S)[1]
    found, who = [], ""
    for line in block.splitlines():
        if line.startswith("#"):
            who = line.lstrip("# ").strip()
        elif line.strip():
            found.append(Step(who, line.strip()))
    return found
