"""The buffer between requests and the database: quick to fill, written in
batches, nothing lost on a clean stop, bounded in a flood."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import threading
import time
import zoneinfo

import pytest

from mediahub.stats import recorder as recorder_module
from mediahub.stats.recorder import Hit, Preparer, Recorder

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
AGENT = "AntennaPod/3.4.0"


def _hit(n=0, **kw):
    values = {
        "at": time.time(),
        "address": "203.0.113.7",
        "user_agent": AGENT,
        "kind": "audio",
        "group": 7,
        "episode_id": 42,
        "start": 0,
        "stop": 1000,
        "needed": 500,
    }
    values.update(kw)
    return Hit(**values)


def _preparer(**kw):
    return Preparer(lambda day, address, agent: hash((day, address, agent)), BERLIN, **kw)


class Sink:
    def __init__(self):
        self.batches = []
        self.fail = False

    def __call__(self, events):
        if self.fail:
            raise ConnectionError("database away")
        self.batches.append(list(events))


def test_prepared_events_carry_no_address_and_no_agent():
    events = _preparer(country_of=lambda a: "DE")([_hit(user_agent=AGENT + " x-4711")])
    (event,) = events
    assert event["agent"] == "AntennaPod" and event["category"] == "mobile"
    assert event["country"] == "DE"
    flat = repr(event)
    assert "203.0.113" not in flat and "x-4711" not in flat and "AntennaPod/3.4.0" not in flat


def test_public_feeds_are_known_by_slug_and_gone_groups_are_dropped():
    prepare = _preparer(group_of={"kreis": 7}.get)
    feed = _hit(kind="feed", group="kreis", episode_id=None, feed="podcast", stop=0)
    gone = _hit(kind="feed", group="weg", episode_id=None, feed="podcast", stop=0)
    hub = _hit(kind="feed", group=None, episode_id=None, feed="podcast", stop=0)
    assert [e["group_id"] for e in prepare([feed, gone, hub])] == [7, None]


def test_announced_subscribers_only_for_feeds():
    feedly = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 16 subscribers)"
    feed = _hit(kind="feed", user_agent=feedly, episode_id=None, feed="podcast")
    audio = _hit(user_agent=feedly)
    assert [e["subscribers"] for e in _preparer()([feed, audio])] == [16, None]


def test_an_app_polling_a_feed_again_within_the_minute_is_one_event():
    """Subscribers are different listeners a day: repeated polls of one app
    (or a client in a loop) add no row; another app, feed or minute does."""
    prepare = _preparer(group_of={"kreis": 7, "treff": 8}.get)
    at = 1_790_000_080.0  # 40 s into a minute

    def poll(**kw):
        values = {"kind": "feed", "group": "kreis", "episode_id": None, "feed": "podcast"}
        return _hit(**{**values, "at": at, "stop": 0, **kw})

    hits = [poll() for _ in range(1000)]
    hits += [poll(at=at + 19), poll(at=at + 20)]  # the same minute, then the next
    hits += [poll(user_agent="Overcast/3.0"), poll(address="198.51.100.4")]
    hits += [poll(feed="blog"), poll(group="treff")]
    hits += [_hit(), _hit()]  # audio ranges are each counted (bytes add up)
    events = prepare(hits)
    feeds = [(e["group_id"], e["feed"], e["agent"]) for e in events if e["kind"] == "feed"]
    assert len(feeds) == 6
    assert feeds.count((7, "podcast", "AntennaPod")) == 3  # minute 1, minute 2, other address
    assert sum(e["kind"] == "audio" for e in events) == 2


def test_hits_of_a_day_whose_secret_is_gone_are_dropped():
    prepare = Preparer(lambda day, address, agent: None, BERLIN)
    assert prepare([_hit()]) == []


def test_the_thread_writes_in_batches():
    sink = Sink()
    rec = Recorder(_preparer(), sink, interval=0.05)
    for n in range(50):
        rec.record(_hit(n))
    deadline = time.monotonic() + 5
    while sum(map(len, sink.batches)) < 50 and time.monotonic() < deadline:
        time.sleep(0.01)
    rec.close()
    assert sum(map(len, sink.batches)) == 50
    assert len(sink.batches) < 50  # batches, not one write per request


def test_a_failed_write_is_tried_again(caplog):
    sink = Sink()
    rec = Recorder(_preparer(), sink, interval=3600)
    rec.record(_hit())
    sink.fail = True
    with pytest.raises(ConnectionError):
        rec.flush()
    sink.fail = False
    rec.record(_hit())
    assert rec.flush() == 2
    rec.close()


def test_a_flood_is_bounded(monkeypatch, caplog):
    monkeypatch.setattr(recorder_module, "MAX_PENDING", 10)
    sink = Sink()
    rec = Recorder(_preparer(), sink, interval=3600)
    for n in range(25):
        rec.record(_hit(n))
    assert rec.flush() == 10
    assert "15 requests not recorded" in caplog.text
    rec.close()


def test_the_requests_path_only_appends():
    # Keys, classification and writes happen in the thread, never in record().
    calls = []

    def prepare(hits):
        calls.append("prepare")
        return _preparer()(hits)

    def sink(events):
        calls.append("sink")

    rec = Recorder(prepare, sink, interval=3600)
    for n in range(100):
        rec.record(_hit(n))
    assert calls == []
    assert rec.flush() == 100
    assert calls == ["prepare", "sink"]
    rec.close()


def test_a_clean_exit_writes_what_is_waiting(tmp_path):
    # A separate interpreter that records and exits normally (as gunicorn's
    # workers do on SIGTERM): atexit writes the batch.
    out = tmp_path / "written.txt"
    script = textwrap.dedent(f"""
        import time, zoneinfo
        from mediahub.stats.recorder import Hit, Preparer, Recorder
        def sink(events):
            with open({str(out)!r}, "a") as fh:
                fh.write(f"{{len(events)}}\\n")
        rec = Recorder(Preparer(lambda d, a, u: 1, zoneinfo.ZoneInfo("UTC")), sink, interval=3600)
        for n in range(7):
            rec.record(Hit(time.time(), "203.0.113.7", "AntennaPod/3.4.0", "audio", 7, 42))
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert out.read_text().split() == ["7"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_starts_its_own_thread(tmp_path):
    out = tmp_path / "child.txt"
    script = textwrap.dedent(f"""
        import os, time, zoneinfo
        from mediahub.stats.recorder import Hit, Preparer, Recorder
        def sink(events):
            with open({str(out)!r}, "a") as fh:
                fh.write(f"{{os.getpid()}} {{len(events)}}\\n")
        rec = Recorder(Preparer(lambda d, a, u: 1, zoneinfo.ZoneInfo("UTC")), sink, interval=0.05)
        rec.record(Hit(time.time(), "203.0.113.7", "AntennaPod/3.4.0", "audio", 7, 42))
        rec.flush()
        pid = os.fork()
        if pid == 0:
            rec.record(Hit(time.time(), "203.0.113.8", "AntennaPod/3.4.0", "audio", 7, 42))
            time.sleep(0.5)
            os._exit(0)
        os.waitpid(pid, 0)
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    lines = [line.split() for line in out.read_text().splitlines()]
    # Parent's batch, then the child's own thread wrote the child's hit.
    assert [n for _, n in lines] == ["1", "1"]
    assert lines[0][0] != lines[1][0]


def test_hits_are_counted_in_the_hubs_day():
    late = dt.datetime(2026, 3, 14, 23, 59, 59, tzinfo=BERLIN).timestamp()
    (event,) = _preparer()([_hit(at=late)])
    assert event["day"] == dt.date(2026, 3, 14)


def test_flushes_do_not_run_twice_at_once():
    sink = Sink()
    entered = threading.Event()
    release = threading.Event()

    def slow(events):
        entered.set()
        release.wait(5)
        sink(events)

    rec = Recorder(_preparer(), slow, interval=3600)
    rec.record(_hit())
    worker = threading.Thread(target=rec.flush)
    worker.start()
    entered.wait(5)
    rec.record(_hit())
    second = threading.Thread(target=rec.flush)
    second.start()
    time.sleep(0.05)
    release.set()
    worker.join()
    second.join()
    assert [len(b) for b in sink.batches] == [1, 1]
    rec.close()


def test_an_idle_thread_ends_and_the_next_hit_starts_one(monkeypatch):
    monkeypatch.setattr(recorder_module, "IDLE_ROUNDS", 2)
    sink = Sink()
    rec = Recorder(_preparer(), sink, interval=0.02)
    rec.record(_hit())
    first = rec._thread
    first.join(timeout=5)
    assert not first.is_alive() and sum(map(len, sink.batches)) == 1
    rec.record(_hit())
    assert rec._thread is not first and rec._thread.is_alive()
    deadline = time.monotonic() + 5
    while sum(map(len, sink.batches)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sum(map(len, sink.batches)) == 2
    rec.close()
