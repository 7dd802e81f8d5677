"""Shared fixtures: an app per test on a temporary instance, media and feeds
folder; SQLite by default, PostgreSQL when MEDIAHUB_TEST_DATABASE_URL is set.

Servers a test needs are skipped with a reason when missing, except under
CI (``CI=true``), where a missing server fails the run.
"""

from __future__ import annotations

import contextvars
import email
import email.policy
import io
import itertools
import os
import re
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from mediahub import create_app
from mediahub.audio.ffmpeg import ffmpeg_path
from mediahub.core.extensions import db
from mediahub.stats.recording import recording_of

PASSWORD = "correct horse battery"
IN_CI = os.environ.get("CI") == "true"
_counter = itertools.count(1)


def need(condition: bool, reason: str) -> None:
    """Skip when a server or tool is missing — but never under CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("MEDIAHUB_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _migrated(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Build the schema once per run through the real migrations."""
    from flask_migrate import upgrade

    app = create_app(_base_config(tmp_path_factory.mktemp("migrate"), database_url))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return database_url


def _base_config(root: Path, database_url: str) -> dict[str, Any]:
    return {
        "INSTANCE_PATH": str(root / "instance"),
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(root / "media"),
        "FEEDS_ROOT": str(root / "feeds"),
        "SECRET_KEY": "test-secret",
        "BASE_URL": "http://hub.test",
        "QUEUE_IMMEDIATE": True,
        # Processing in tests would start a speech model each time; the
        # transcript tests switch this on (tests/transcripts).
        "TRANSCRIBE": False,
        "PASSWORD_HASH_PROFILE": "cheapest",
        "RATELIMIT_STORAGE_URI": "memory://",
        "TESTING": True,
        "SERVER_NAME": None,
        # Tests publish and look at once (tests/site/test_search_engines.py
        # has the cached index's own test).
        "SITEMAP_INDEX_MAX_AGE": 0,
        # Feed files likewise (tests/feeds/test_responder.py tests the wait).
        "FEEDS_REVALIDATE_SECONDS": 0,
    }


@pytest.fixture
def app_config(tmp_path: Path, _migrated: str) -> dict[str, Any]:
    """Per-test configuration; tests may change it before using ``app``."""
    return _base_config(tmp_path, _migrated)


@pytest.fixture(autouse=True)
def _close_every_engine() -> Iterator[None]:
    """Close the pooled connections of every app a test made (tests that build
    a second app with other settings included): PostgreSQL connections left
    to the garbage collector would warn, and warnings are errors here."""
    yield
    for made in list(db._app_engines.keys()):
        # Stop the statistics' writer first: a batch it writes while the pool
        # is disposed would leave its connection to the garbage collector.
        recording = recording_of(made)
        if recording is not None:
            recording.recorder.close()
    for engines in list(db._app_engines.values()):
        for engine in engines.values():
            engine.dispose()


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(app_config)
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in db.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


def close_every_answer(client: Any) -> Any:
    """``client``, reading and closing each answer at once: file responses
    (media, transcripts) stream an open file that would otherwise stay open."""
    original = client.open

    def open_and_close(*args: Any, **kwargs: Any) -> Any:
        resp = original(*args, **kwargs)
        resp.get_data()
        resp.close()
        return resp

    client.open = open_and_close
    return client


class Client(FlaskClient):
    """A test client that behaves like separate requests in production.

    Each request runs in a fresh context, so it gets its own app context,
    ``g`` and database session instead of reusing the test's (Flask would
    otherwise share ``g`` — and with it the logged-in user and the CSRF
    token — across requests). It also gets CSRF tokens like a browser.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        resp = contextvars.Context().run(super().open, *args, **kwargs)
        # werkzeug spools multipart bodies over 500 KB into a temporary file
        # and leaves closing it to the garbage collector.
        request = getattr(resp, "request", None)
        stream = request.environ.get("wsgi.input") if request is not None else None
        if stream is not None and not stream.closed:
            stream.close()
        return resp

    def csrf_token(self) -> str:
        # The login form is on every hub; public pages need not carry a form.
        html = self.get("/login", follow_redirects=True).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert match, "no CSRF token on the login page"
        return match.group(1)

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kw)


@pytest.fixture
def client(app: Flask) -> Client:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    from mediahub.accounts.models import HubRole
    from mediahub.accounts.services import create_user

    def make(
        name: str | None = None,
        *,
        hub_role: str = "none",
        email: str | None = None,
        password: str | None = PASSWORD,
    ) -> Any:
        n = next(_counter)
        name = name or f"Person {n}"
        user = create_user(email or f"person{n}@example.org", name, password, HubRole(hub_role))
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_group(app: Flask) -> Callable[..., Any]:
    from mediahub.groups.services import create_group, set_member

    def make(
        slug: str | None = None, *, members: dict[Any, str] | None = None, **fields: Any
    ) -> Any:
        n = next(_counter)
        group = create_group(
            {"slug": slug or f"group-{n}", "name": fields.pop("name", f"Group {n}"), **fields}
        )
        for user, role in (members or {}).items():
            set_member(group, user.email, role)
        db.session.commit()
        return group

    return make


@pytest.fixture
def make_episode(app: Flask, audio_asset: Callable[..., Any]) -> Callable[..., Any]:
    from mediahub.episodes.services import create_episode

    def make(
        group: Any, author: Any, *, title: str = "An episode", audio: bool = True, **fields: Any
    ) -> Any:
        episode = create_episode(group, author, {"title": title, **fields})
        if audio:
            episode.audio = audio_asset(stored=True, duration_s=12.5)
        db.session.commit()
        return episode

    return make


@pytest.fixture
def make_post(app: Flask) -> Callable[..., Any]:
    from mediahub.posts.services import create_post

    def make(group: Any, author: Any, *, title: str = "A post", body: str = "Hello") -> Any:
        post = create_post(group, author, {"title": title, "body": body})
        db.session.commit()
        return post

    return make


@pytest.fixture
def login(client: Client) -> Callable[..., Any]:
    """Log ``user`` in through the real login form."""

    def do(user: Any, password: str = PASSWORD, remember: bool = False) -> Any:
        resp = client.post_form(
            "/login",
            {"email": user.email, "password": password, "remember": "y" if remember else ""},
        )
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return resp

    return do


@pytest.fixture
def api_token(app: Flask) -> Callable[[Any], dict[str, str]]:
    """Authorization headers for ``user`` (the token is made directly)."""
    from mediahub.accounts.services import create_api_token

    def make(user: Any) -> dict[str, str]:
        _row, secret = create_api_token(user, "tests")
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


# --- HTML views ------------------------------------------------------------


@pytest.fixture
def audio_asset(app: Flask) -> Callable[..., Any]:
    """A media asset of an episode's audio in any state, for tests that do not
    test the audio pipeline itself: a row only, or (``stored``) with an
    original and a rendition in storage that can be played."""
    from mediahub.media.models import AssetKind, AssetState, MediaAsset
    from mediahub.storage import current_storage

    def make(
        status: str = "ready",
        error: str | None = None,
        *,
        stored: bool = False,
        duration_s: float = 125.0,
    ) -> Any:
        asset = MediaAsset(
            kind=AssetKind.EPISODE_AUDIO,
            status=AssetState(status),
            error=error,
            storage_backend="local",
            original_key=f"originals/test/{next(_counter)}",
            original_size=1000,
            original_sha256="0" * 64,
            content_type="audio/mpeg",
            duration_s=duration_s,
        )
        if stored:
            st = current_storage()
            data = b"ID3" + b"\0" * 1000
            original = st.save(f"originals/test/{next(_counter)}.mp3", io.BytesIO(data))
            rendition = st.save(f"renditions/test/{next(_counter)}.mp3", io.BytesIO(data))
            asset.original_key, asset.original_size = original.key, original.size
            asset.original_sha256 = original.sha256
            asset.rendition_key, asset.rendition_size = rendition.key, rendition.size
            asset.rendition_sha256 = rendition.sha256
        db.session.add(asset)
        db.session.flush()
        return asset

    return make


@pytest.fixture
def anonymous(app: Flask) -> Client:
    """A second browser that is not logged in."""
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def browser(app: Flask) -> Callable[..., Client]:
    """A separate browser, logged in as ``user`` through the real login form
    (several people can act in one test without logging out)."""

    def make(user: Any) -> Client:
        c: Client = app.test_client()  # type: ignore[assignment]
        resp = c.post_form("/login", {"email": user.email, "password": PASSWORD})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return c

    return make


# Audio ----------------------------------------------------------------------


def make_speechlike(path: Path, seconds: float, *, channels: int = 2, volume: float = 0.3) -> Path:
    """A tone with pink noise and a syllable-rate tremolo: speech-like dynamics."""
    subprocess.run(
        [
            ffmpeg_path(),
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=190:duration={seconds},volume={volume}",
            "-f",
            "lavfi",
            "-i",
            f"anoisesrc=color=pink:duration={seconds}:amplitude=0.03",
            "-filter_complex",
            "amix=inputs=2,tremolo=f=4:d=0.8",
            "-ar",
            "44100",
            "-ac",
            str(channels),
            str(path),
        ],
        check=True,
        timeout=120,
    )
    return path


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_speechlike(tmp_path_factory.mktemp("audio") / "speech.wav", 8)


# Mail -----------------------------------------------------------------------
# A real SMTP server on a free local port (aiosmtpd), collecting the mails.


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    @staticmethod
    def body(msg: email.message.EmailMessage) -> str:
        return msg.get_body(preferencelist=("plain",)).get_content()

    @classmethod
    def link(cls, msg: email.message.EmailMessage) -> str:
        match = re.search(r"http://hub\.test(/\S+)", cls.body(msg))
        assert match, cls.body(msg)
        return match.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp: tuple[Inbox, int], app_config: dict[str, Any]) -> Inbox:
    """Mails of the test's app go to the local SMTP server (request before ``app``)."""
    box, port = smtp
    app_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    return box
