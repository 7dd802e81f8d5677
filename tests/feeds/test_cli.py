"""``mediahub feeds rebuild``."""

from __future__ import annotations

from typing import Any

from mediahub.feeds.paths import public_path


def test_rebuild_writes_missing_files_and_names_unknown_groups(
    runner: Any, make_group: Any, author: Any, make_episode: Any, publish: Any, feeds_root: Any
) -> None:
    group = make_group("cli")
    publish(make_episode(group, author))
    path = public_path(feeds_root, "cli", "podcast.xml")
    path.unlink()
    result = runner.invoke(args=["feeds", "rebuild", "--group", "cli"])
    assert result.exit_code == 0, result.output
    assert "1 file(s) written" in result.output
    assert path.exists()
    result = runner.invoke(args=["feeds", "rebuild"])
    assert result.exit_code == 0 and "0 file(s) written" in result.output
    result = runner.invoke(args=["feeds", "rebuild", "--group", "gibt-es-nicht"])
    assert result.exit_code != 0 and "gibt-es-nicht" in result.output
