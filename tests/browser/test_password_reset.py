"""A forgotten password, end to end: the login page's link, the mail through a
real SMTP server (aiosmtpd), the new password, every other login ended —
on a desktop and on a phone; and an administrator sending the link to an
account that was created without a password."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from ..conftest import Inbox, need
from .conftest import CHROMIUM, _free_port, _wait_until_up, assert_accessible, screenshot

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
OLD = "altes-passwort-123"
NEW = "neues Passwort für den Winter"
ADMIN = "chefin@example.org"


class MailHub:
    def __init__(self, base: str, inbox: Inbox, env: dict[str, str]) -> None:
        self.base, self.inbox, self.env = base, inbox, env

    def create_user(self, email: str, *extra: str, password: str | None = OLD) -> None:
        subprocess.run(
            [sys.executable, "-m", "mediahub.cli", "users", "create", email, *extra]
            + (["--password-stdin"] if password else []),
            input=(password + "\n") if password else "",
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )

    def link_for(self, address: str, count: int = 1, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while len(self.inbox.to(address)) < count:
            assert time.monotonic() < deadline, f"no mail to {address}"
            time.sleep(0.2)
        body = self.inbox.body(self.inbox.to(address)[count - 1])
        match = re.search(re.escape(self.base) + r"(/\S+)", body)
        assert match, body
        return match.group(1)


@pytest.fixture(scope="module")
def mail_hub(tmp_path_factory) -> Iterator[MailHub]:
    """A hub whose worker sends its mails to a local SMTP server."""
    need(Path(CHROMIUM).exists(), f"headless Chromium is not installed at {CHROMIUM}")
    inbox = Inbox()
    smtp_port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    root = tmp_path_factory.mktemp("mailhub")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MEDIAHUB_")},
        "MEDIAHUB_INSTANCE_PATH": str(root / "instance"),
        "MEDIAHUB_MEDIA_ROOT": str(root / "media"),
        "MEDIAHUB_FEEDS_ROOT": str(root / "feeds"),
        "MEDIAHUB_BASE_URL": base,
        "MEDIAHUB_ENV": "production",  # mails go to the mail server, not to the log
        "MEDIAHUB_SECRET_KEY": "browser-test-secret",
        "MEDIAHUB_MAIL_SERVER": "127.0.0.1",
        "MEDIAHUB_MAIL_PORT": str(smtp_port),
        "MEDIAHUB_MAIL_USE_TLS": "false",
        "MEDIAHUB_PASSWORD_HASH_PROFILE": "cheapest",
    }
    hub = MailHub(base, inbox, env)
    subprocess.run(
        [sys.executable, "-m", "mediahub.cli", "init"], env=env, check=True, capture_output=True
    )
    hub.create_user(ADMIN, "--admin", "--name", "Chefin")
    log = (root / "hub.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediahub.cli", "run", "--port", str(port), "--no-demo"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_up(base + "/", proc)
        yield hub
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        controller.stop()


@pytest.fixture
def pages(browser, mail_hub) -> Iterator:
    contexts = []

    def make(size: str):
        context = browser.new_context(base_url=mail_hub.base, locale="de-DE", viewport=SIZES[size])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def _log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail").fill(email)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.locator("form").get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", SIZES)
def test_a_forgotten_password_is_replaced_by_mail(mail_hub, pages, size):
    email = f"anna-{size}@example.org"
    mail_hub.create_user(email, "--name", "Anna")
    phone = pages(size)
    _log_in(phone, email, OLD)  # the old phone stays logged in …
    assert phone.url.endswith("/my")

    person = pages(size)
    person.goto("/login")
    person.get_by_role("link", name="Passwort vergessen?").click()
    assert_accessible(person)
    person.get_by_label("E-Mail").fill(email)
    person.get_by_role("button", name="Link zuschicken").click()
    person.wait_for_load_state()
    told = person.get_by_role("status").inner_text()
    assert email in told
    assert_accessible(person)
    screenshot(person, f"reset-asked-{size}")

    link = mail_hub.link_for(email)
    (mail,) = mail_hub.inbox.to(email)
    assert mail["Subject"] == "Ein neues Passwort für MediaHub"
    person.goto(link)
    assert_accessible(person)
    person.get_by_label("Neues Passwort", exact=True).fill(NEW)
    person.get_by_label("Neues Passwort noch einmal").fill(NEW)
    person.get_by_role("button", name="Neues Passwort speichern").click()
    person.wait_for_url(re.compile(r"/my$"))
    screenshot(person, f"reset-done-{size}")

    # … until the password is replaced: then it is logged out.
    phone.goto("/my")
    assert "/login" in phone.url
    _log_in(phone, email, NEW)
    assert phone.url.endswith("/my")
    # The link worked once.
    person.goto(link)
    assert person.get_by_text("nicht (mehr) gültig").first.is_visible()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(mail_hub, pages):
    known, unknown = pages("phone"), pages("phone")
    mail_hub.create_user("bekannt@example.org", "--name", "Bekannt")
    answers = []
    for page, email in ((known, "bekannt@example.org"), (unknown, "niemand@example.org")):
        page.goto("/password/forgot")
        page.get_by_label("E-Mail").fill(email)
        page.get_by_role("button", name="Link zuschicken").click()
        page.wait_for_load_state()
        answers.append(page.get_by_role("status").inner_text().replace(email, "…"))
    assert answers[0] == answers[1]
    mail_hub.link_for("bekannt@example.org")
    time.sleep(1)
    assert mail_hub.inbox.to("niemand@example.org") == []


def test_an_administrator_sends_the_link_to_an_account_without_password(mail_hub, pages):
    admin = pages("desktop")
    _log_in(admin, ADMIN, OLD)
    admin.goto("/admin/people")
    create = admin.get_by_role("region", name="Konto anlegen")
    create.get_by_label("E-Mail-Adresse").fill("neu@example.org")
    create.get_by_label("Name").fill("Neu")
    create.get_by_role("button", name="Konto anlegen").click()
    admin.wait_for_load_state()
    admin.get_by_role("button", name="Passwort-Link an Neu schicken").click()
    admin.wait_for_load_state()
    assert admin.get_by_text("neu@example.org").first.is_visible()
    assert_accessible(admin)

    person = pages("phone")
    link = mail_hub.link_for("neu@example.org")
    assert "Ihr Passwort" in mail_hub.inbox.to("neu@example.org")[0]["Subject"]
    person.goto(link)
    person.get_by_label("Neues Passwort", exact=True).fill(NEW)
    person.get_by_label("Neues Passwort noch einmal").fill(NEW)
    person.get_by_role("button", name="Neues Passwort speichern").click()
    person.wait_for_url(re.compile(r"/my$"))
