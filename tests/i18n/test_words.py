"""One word for one thing: German pages and mails say "Folge" for an episode,
everywhere (the catalog and the German help), never "Episode"."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
GERMAN = ROOT / "mediahub" / "translations" / "de" / "LC_MESSAGES" / "messages.po"
GERMAN_TEMPLATES = [ROOT / "templates" / "site" / "help" / "de.html"]


def _german_texts() -> list[tuple[str, str]]:
    with GERMAN.open("rb") as fh:
        catalog = read_po(fh, locale="de")
    texts = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.extend((str(message.id), s) for s in strings)
    return texts


def test_german_says_folge_for_an_episode():
    wrong = [(mid, s) for mid, s in _german_texts() if re.search(r"\bEpisoden?\b", s)]
    assert not wrong, wrong
    for path in GERMAN_TEMPLATES:
        assert not re.search(r"\bEpisoden?\b", path.read_text()), path


def test_every_english_episode_is_a_german_folge():
    """Where the English speaks of an episode, the German speaks of a Folge
    (not of an item or a recording, which mean other things)."""
    missing = [
        (mid, s)
        for mid, s in _german_texts()
        if re.search(r"\bepisodes?\b", mid, re.I) and not re.search(r"Folge", s)
    ]
    assert not missing, missing
