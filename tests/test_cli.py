"""The ``mediahub`` command: the platform's own commands and every feature's,
on an app configured the way an operator does it (environment variables)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mediahub.cli import main


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key, value in {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "FEEDS_ROOT": str(tmp_path / "feeds"),
        "SECRET_KEY": "cli-test-secret",
        "BASE_URL": "http://hub.test",
        "QUEUE_IMMEDIATE": "true",
    }.items():
        monkeypatch.setenv(f"MEDIAHUB_{key}", value)
    return tmp_path


def test_the_command_offers_the_platform_and_every_feature(configured):
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    for command in ("init", "run", "worker", "demo", "users", "media", "feeds", "db"):
        assert f"  {command} " in result.output, command


def test_init_creates_the_database_and_writes_the_feeds(configured):
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert "Database is up to date." in result.output
    assert "Feeds rebuilt: 2 file(s) written" in result.output  # the hub's podcast and blog
    assert (configured / "hub.db").is_file()
    assert (configured / "feeds" / "public" / "podcast.xml").is_file()
