"""No raw address and no raw user agent is written anywhere: not in any table,
not in the logs, not in the queue or the Redis buffer, not in any file."""

from __future__ import annotations

import logging
import threading
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import select
from werkzeug.serving import make_server

from mediahub.core.extensions import db
from mediahub.feeds.services import rebuild_all
from mediahub.groups import feed_tokens as tokens
from mediahub.stats.listeners import network_of
from mediahub.stats.models import StatsEvent
from mediahub.stats.recording import recording_of
from mediahub.web.serving import RequestLog
from tests.stats.conftest import REDIS_URL, count, listen

IPV4 = "198.51.100.77"
IPV6 = "2001:db8:77:77:1234:5678:9abc:def0"
AGENT = "Zyx-Unique-Player/4.2 (crafted-94717; Android 14)"
#: Anything that would give them away, whole or in part.
NEEDLES = [
    IPV4,
    "198.51.100",
    IPV6,
    "2001:db8:77:77",
    network_of(IPV6),
    AGENT,
    "Zyx-Unique",
    "94717",
]
BUFFERS = ["database", *(["redis"] if REDIS_URL else [])]


@pytest.fixture(params=BUFFERS)
def app_config(request, app_config):
    config = {**app_config, "STATS_COUNTRIES": True}
    if request.param == "redis":
        config["STATS_BUFFER_URL"] = REDIS_URL
        config["RATELIMIT_KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    return config


def _every_request(client, people, team, publish, api_token):
    group = team()
    episode = publish(group, people["member"])
    hidden = team("stille", visibility="private")
    private_episode = publish(hidden, people["member"])
    _row, feed_url = tokens.create_token(hidden, people["manager"], label="Anna")
    db.session.commit()
    rebuild_all()
    secret = feed_url.split("/private/")[1].split("/")[0]
    urls = [
        f"/media/episodes/{episode.guid}.mp3",
        f"/media/private/{secret}/episodes/{private_episode.guid}.mp3",
        f"/feeds/{group.slug}/podcast.xml",
        feed_url.split("hub.test", 1)[1],
        f"/groups/{group.slug}/",
        "/no-such-page",
        f"/media/private/{'x' * 43}/episodes/{episode.guid}.mp3",  # a guess
    ]
    for address in (IPV4, IPV6):
        for url in urls:
            listen(client, url, AGENT, address)
        listen(client, urls[0], AGENT, address, headers={"Range": "bytes=0-1"})
        listen(client, "/api/v1/groups", AGENT, address, headers=api_token(people["manager"]))
        listen(client, "/login", AGENT, address, method="POST", data={"email": "x@y.z"})
    return episode


def _table_texts():
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            for value in row:
                if isinstance(value, bytes | bytearray | memoryview):
                    yield table.name, bytes(value).decode("latin-1")
                else:
                    yield table.name, str(value)


def _redis_texts():
    if not REDIS_URL:
        return
    conn = redis.Redis.from_url(REDIS_URL)
    try:
        for key in conn.scan_iter(count=1000):
            kind = conn.type(key)
            values = {
                b"string": lambda k: [conn.get(k)],
                b"list": lambda k: conn.lrange(k, 0, -1),
                b"hash": lambda k: [x for kv in conn.hgetall(k).items() for x in kv],
                b"set": lambda k: list(conn.smembers(k)),
                b"zset": lambda k: conn.zrange(k, 0, -1),
            }.get(kind, lambda k: [])(key)
            for value in [key, *values]:
                yield "redis", (value or b"").decode("latin-1")
    finally:
        conn.close()


def _file_texts(*roots):
    for root in roots:
        for path in Path(root).rglob("*"):
            if path.is_file():
                yield str(path), path.read_bytes().decode("latin-1")


def test_no_address_and_no_user_agent_is_stored_anywhere(
    app, client, people, team, publish, api_token, caplog
):
    caplog.set_level(logging.DEBUG)
    episode = _every_request(client, people, team, publish, api_token)
    recording_of(app).flush()
    buffered = list(_redis_texts())  # before the worker moves the batches
    if app.config["STATS_BUFFER_URL"]:
        assert any('"listener"' in text for _, text in buffered)
    report = count(app)
    # The requests were recorded and counted (the check below is not empty).
    assert db.session.query(StatsEvent).count() > 0
    assert any(day.downloads for day in report.days)
    assert episode.id in {e.episode_id for e in db.session.query(StatsEvent)}
    places = [
        *_table_texts(),
        *buffered,
        *_redis_texts(),
        *_file_texts(app.instance_path, app.config["FEEDS_ROOT"]),
        *(("log", record.getMessage()) for record in caplog.records),
        *(("log", text) for text in caplog.text.splitlines()),
    ]
    found = [(where, needle) for where, text in places for needle in NEEDLES if needle in text]
    assert found == []


def test_the_development_servers_log_has_no_address(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=RequestLog)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.server_port}/healthz", headers={"User-Agent": AGENT}
        )
        with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310 - local server
            assert resp.status == 200
    finally:
        server.shutdown()
        thread.join(timeout=10)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("GET /healthz" in line for line in lines)
    assert not any("127.0.0.1" in line or "Zyx" in line for line in lines)
