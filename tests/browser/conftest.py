"""Browser tests: the real platform (`mediahub run`: web + worker, demo hub)
driven by Playwright in Debian's headless Chromium.

Every page a test opens is checked for requests leaving the origin; a test
fails if any page asked a third-party host for anything.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..conftest import need

CHROMIUM = os.environ.get("MEDIAHUB_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DEMO_PASSWORD = "demo-mediahub"  # the demo hub's published password

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"mediahub run exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def live_hub_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the live hub keeps its instance (database), media and feeds in."""
    return tmp_path_factory.mktemp("hub")


@pytest.fixture(scope="session")
def live_hub(live_hub_root: Path) -> Iterator[str]:
    """Base URL of a freshly started hub with the demo content."""
    need(Path(CHROMIUM).exists(), f"headless Chromium is not installed at {CHROMIUM}")
    root = live_hub_root
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "MEDIAHUB_INSTANCE_PATH": str(root / "instance"),
        "MEDIAHUB_MEDIA_ROOT": str(root / "media"),
        "MEDIAHUB_FEEDS_ROOT": str(root / "feeds"),
        "MEDIAHUB_BASE_URL": base,
        "MEDIAHUB_ENV": "development",
        "MEDIAHUB_DEMO": "true",
        "MEDIAHUB_PASSWORD_HASH_PROFILE": "cheapest",
        # Every browser test logs in from 127.0.0.1, most as the same demo
        # people: a session's hundred logins would meet the login limits,
        # which tests/accounts and tests/security check on their own.
        "MEDIAHUB_LOGIN_RATE_LIMIT": "1000 per minute",
        "MEDIAHUB_LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
    }
    for key in ("MEDIAHUB_DATABASE_URL", "MEDIAHUB_QUEUE_URL"):
        env.pop(key, None)
    log = (root / "hub.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediahub.cli", "run", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_up(base + "/", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        # Keep the server's log beside the screenshots for failed runs.
        ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / "hub.log", ARTIFACTS.parent / "hub.log")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    need(Path(CHROMIUM).exists(), f"headless Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield browser
        browser.close()


class OriginGuard:
    """Records every request a page makes to a host other than the hub."""

    def __init__(self, base: str) -> None:
        self.origin = urlsplit(base)[:2]
        self.foreign: list[str] = []

    def __call__(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob"} or parts[:2] == self.origin:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()


@pytest.fixture
def new_page(browser, live_hub: str) -> Iterator:
    """A factory of pages in fresh browser contexts (one per person)."""
    contexts = []
    guards: list[OriginGuard] = []

    def make(locale: str = "de-DE"):
        context = browser.new_context(
            base_url=live_hub,
            locale=locale,
            extra_http_headers={"Accept-Language": locale.split("-")[0]},
            permissions=["microphone"],
        )
        guard = OriginGuard(live_hub)
        context.route("**/*", guard)
        contexts.append(context)
        guards.append(guard)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()
    foreign = [url for guard in guards for url in guard.foreign]
    assert not foreign, f"pages asked third-party hosts: {foreign}"


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_accessible(page) -> None:
    """axe-core (WCAG 2.1 A/AA rules) finds no violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}},
    )
    violations = results.response["violations"]
    assert not violations, results.generate_report()
    # axe 4.7+ no longer reports duplicate ids under WCAG 2.1, but a label,
    # a hint or an aria-labelledby then names the wrong element.
    duplicates = page.evaluate(
        """() => { const seen = new Set(), twice = new Set();
                   for (const el of document.querySelectorAll("[id]")) {
                     (seen.has(el.id) ? twice : seen).add(el.id); }
                   return [...twice]; }"""
    )
    assert not duplicates, f"ids used more than once on {page.url}: {duplicates}"


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.locator("form").get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
