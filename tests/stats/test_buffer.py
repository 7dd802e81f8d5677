"""The Redis buffer between several web machines and the database: batches
arrive whole, survive a crashed pass, and damaged ones are dropped."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import redis
from sqlalchemy import func, select

from mediahub.core.extensions import db
from mediahub.stats.models import StatsEvent
from mediahub.stats.sinks import RedisBuffer
from tests.stats.conftest import REDIS_URL

EVENT = {
    "day": dt.date(2026, 3, 14),
    "kind": "audio",
    "group_id": 1,
    "episode_id": 2,
    "feed": None,
    "listener": -(2**63),
    "agent_kind": "app",
    "agent": "AntennaPod",
    "device": "",
    "category": "mobile",
    "country": "",
    "start": 0,
    "stop": 10,
    "needed": 5,
    "subscribers": None,
}


# The Redis buffer is tested in the PostgreSQL + Redis pass (MEDIAHUB_TEST_REDIS_URL
# set), like the Redis cases of tests/security/test_guessing.py; the SQLite
# pass has no Redis and generates no case here.
@pytest.fixture(params=[REDIS_URL] if REDIS_URL else [])
def buffer(app, request):
    conn = redis.Redis.from_url(request.param)
    prefix = f"test-{uuid.uuid4().hex}"
    yield RedisBuffer(conn, prefix)
    for key in conn.scan_iter(f"{prefix}:*"):
        conn.delete(key)
    conn.close()


def _stored():
    return db.session.scalar(select(func.count()).select_from(StatsEvent))


def test_batches_move_into_the_database(buffer):
    buffer.push([EVENT, {**EVENT, "listener": 2**63 - 1}])
    buffer.push([EVENT])
    assert buffer.waiting() == 2
    assert buffer.drain(db.engine) == 3
    assert buffer.waiting() == 0 and _stored() == 3


def test_a_batch_left_by_a_crashed_pass_is_written_by_the_next(buffer):
    buffer.push([EVENT])
    # A pass took the batch and died before writing it.
    buffer.client.lmove(buffer.pending, buffer.processing, "LEFT", "RIGHT")
    assert buffer.drain(db.engine) == 1
    assert buffer.waiting() == 0 and _stored() == 1


@pytest.mark.parametrize(
    "damaged",
    [
        b"not json",
        b"[" * 100_000,
        json.dumps({"day": "2026-03-14"}),
        json.dumps([{**EVENT, "day": "yesterday"}]),
        json.dumps([{**EVENT, "day": "2026-03-14", "listener": 2**70}]),
        json.dumps([{**EVENT, "day": "2026-03-14", "agent": "x" * 500}]),
        json.dumps([{**EVENT, "day": "2026-03-14", "start": -1}]),
        json.dumps([{**EVENT, "day": "2026-03-14", "surprise": 1}]),
        json.dumps([{**EVENT, "day": "2026-03-14", "stop": 1.5}]),
    ],
)
def test_damaged_batches_are_dropped_and_the_rest_goes_on(buffer, damaged):
    buffer.client.rpush(buffer.pending, damaged)
    buffer.push([EVENT])
    assert buffer.drain(db.engine) == 1
    assert buffer.waiting() == 0 and _stored() == 1
