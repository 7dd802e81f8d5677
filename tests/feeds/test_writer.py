"""Writing feed files: atomic, gzip twin, untouched when nothing changed."""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any

import pytest

from mediahub.feeds import writer
from mediahub.feeds.paths import private_path, public_path
from mediahub.feeds.services import rebuild_all


def test_write_makes_a_gzip_twin_with_the_same_mtime(tmp_path: Path) -> None:
    path = public_path(tmp_path, "g", "podcast.xml")
    assert writer.write_feed(path, b"<rss/>", gz=True)
    twin = path.with_name("podcast.xml.gz")
    assert gzip.decompress(twin.read_bytes()) == b"<rss/>"
    assert twin.read_bytes()[4:8] == b"\0\0\0\0"  # no time inside: equal bytes, equal gzip
    assert twin.stat().st_mtime_ns == path.stat().st_mtime_ns
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_unchanged_bytes_are_not_written_again(tmp_path: Path) -> None:
    path = private_path(tmp_path, "g", "blog.atom")
    assert writer.write_feed(path, b"<feed/>", gz=False)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert not writer.write_feed(path, b"<feed/>", gz=False)
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert writer.write_feed(path, b"<feed>neu</feed>", gz=False)
    assert path.read_bytes() == b"<feed>neu</feed>"
    assert not path.with_name("blog.atom.gz").exists()


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: Any) -> None:
    path = public_path(tmp_path, "g", "podcast.xml")
    writer.write_feed(path, b"alt", gz=False)

    def broken(*_: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        writer.write_feed(path, b"neu", gz=False)
    assert path.read_bytes() == b"alt"
    assert sorted(p.name for p in path.parent.iterdir()) == ["podcast.xml"]


def test_an_unchanged_rebuild_leaves_every_file_alone(
    make_group: Any, author: Any, make_episode: Any, make_post: Any, publish: Any, feeds_root: Any
) -> None:
    group = make_group()
    publish(make_episode(group, author))
    publish(make_post(group, author))
    files = sorted(p for p in feeds_root.rglob("*") if p.is_file())
    assert len(files) == 8  # group and hub: podcast and blog, each with .gz
    for p in files:
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    report = rebuild_all()
    assert report.written == [] and report.removed == []
    assert {p.stat().st_mtime_ns for p in files} == {1_000_000_000}
