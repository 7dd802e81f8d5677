"""`mediahub run` as a developer meets it: a short start on the chosen port,
links that name that port, and Ctrl-C or SIGTERM stopping the web server
and the worker with exit status 0."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mediahub.web.serving import base_url_for

ANSI = re.compile(r"\x1b\[")
DEFAULT = "http://127.0.0.1:5000"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - our own local server
        return resp.read().decode()


def _start(tmp_path: Path, port: int, *extra: str, env: dict[str, str] | None = None):
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MEDIAHUB_")},
        "MEDIAHUB_INSTANCE_PATH": str(tmp_path / "instance"),
        "MEDIAHUB_MEDIA_ROOT": str(tmp_path / "media"),
        "MEDIAHUB_FEEDS_ROOT": str(tmp_path / "feeds"),
        "MEDIAHUB_ENV": "development",
        "MEDIAHUB_PASSWORD_HASH_PROFILE": "cheapest",
        **(env or {}),
    }
    with (tmp_path / "out.log").open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mediahub.cli", "run", "--port", str(port), *extra],
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the web server and the worker
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, (tmp_path / "out.log").read_text()
        try:
            _get(f"http://127.0.0.1:{port}/healthz")
            break
        except OSError:
            time.sleep(0.3)
    else:
        pytest.fail("mediahub run did not answer within 120 s")
    _wait_for_worker(tmp_path / "out.log")
    return proc


def _wait_for_worker(log: Path) -> None:
    _wait_for(log, "Worker started", timeout=60)


def _wait_for(log: Path, text: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text(errors="replace"):
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


def _group_is_gone(pgid: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def _stop(proc: subprocess.Popen, how: str) -> int:
    if how == "sigterm":
        proc.send_signal(signal.SIGTERM)  # the web server only, as a service manager does
    else:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole group
    try:
        return proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.parametrize("how", ["sigterm", "ctrl-c"])
def test_run_stops_the_web_server_and_the_worker_with_status_0(tmp_path, how):
    port = _free_port()
    proc = _start(tmp_path, port, "--no-demo")
    assert _stop(proc, how) == 0
    # Nothing of it is left running: no worker orphaned on the machine.
    assert _group_is_gone(proc.pid), "a process of `mediahub run` is still running"


def test_links_name_the_chosen_port_and_the_output_is_plain(tmp_path):
    port = _free_port()
    proc = _start(tmp_path, port, "--no-demo")
    try:
        robots = _get(f"http://127.0.0.1:{port}/robots.txt")
        assert f"Sitemap: http://127.0.0.1:{port}/sitemap.xml" in robots
        # The request's line follows its answer (written once the body is sent).
        _wait_for(tmp_path / "out.log", "GET /robots.txt")
    finally:
        assert _stop(proc, "sigterm") == 0
    out = (tmp_path / "out.log").read_text()
    assert f"http://127.0.0.1:{port}/" in out
    assert not ANSI.search(out), "colour codes in output that is not a terminal"
    assert "Running upgrade" not in out  # the migrations say it in one line
    assert "GET /robots.txt" in out and "127.0.0.1 - -" not in out  # no client address


def test_a_configured_base_url_is_kept(tmp_path):
    port = _free_port()
    proc = _start(tmp_path, port, "--no-demo", env={"MEDIAHUB_BASE_URL": "https://hub.example.org"})
    try:
        robots = _get(f"http://127.0.0.1:{port}/robots.txt")
        assert "Sitemap: https://hub.example.org/sitemap.xml" in robots
    finally:
        assert _stop(proc, "sigterm") == 0


@pytest.mark.parametrize(
    ("configured", "host", "port", "expected"),
    [
        (DEFAULT, "127.0.0.1", 5000, DEFAULT),
        (DEFAULT, "127.0.0.1", 8080, "http://127.0.0.1:8080"),
        (DEFAULT, "0.0.0.0", 8080, "http://127.0.0.1:8080"),  # noqa: S104
        (DEFAULT, "::1", 8080, "http://[::1]:8080"),
        ("https://hub.example.org", "127.0.0.1", 8080, "https://hub.example.org"),
    ],
)
def test_the_base_url_follows_the_port_only_when_nobody_set_one(configured, host, port, expected):
    assert base_url_for(configured, DEFAULT, host, port) == expected
