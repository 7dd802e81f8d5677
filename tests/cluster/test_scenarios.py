"""The issue's four scenarios on the cluster (PostgreSQL, Redis, S3, two web
hosts, two worker hosts, nginx in front), in the order they build on each other."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from . import recipe
from .cluster import Cluster
from .hub import PASSWORD, Hub, admin_session, wav

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def hub(cluster: Cluster) -> Hub:
    session = admin_session(cluster)
    session.group("kreis")
    return session


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("recordings")


def feed_of(cluster: Cluster, host: str) -> bytes:
    status, _h, body = cluster.request(host, "GET", "/feeds/kreis/podcast.xml")
    return body if status == 200 else b""


def test_pieces_alternate_between_web_hosts_and_the_feed_shows_it_on_both(cluster, hub, recordings):
    data = wav(recordings / "one-minute.wav", 60).read_bytes()
    episode = hub.episode("kreis", "Folge über zwei Maschinen")
    # 3 MB pieces: S3 parts (8 MiB) fill across pieces from both web hosts.
    used = hub.upload(episode, data, 3_000_000, ["web1", "web2"])
    assert {"web1", "web2"} <= set(used)
    media = hub.wait_ready(episode, timeout=120)
    assert media["duration_s"] == pytest.approx(60, abs=0.5)
    approved = hub.publish(episode)
    guid = hub.call("GET", f"/api/v1/episodes/{episode}")[1]["guid"]
    for host in ("web1", "web2"):
        cluster.wait_for(
            f"the new episode in the feed read through {host}",
            lambda host=host: guid.encode() in feed_of(cluster, host),
            timeout=max(0.1, approved + 2 - time.monotonic()),
            interval=0.05,
        )


def _transcoding_host(cluster: Cluster) -> str | None:
    for name in ("worker1", "worker2"):
        for pid in cluster.host(name).pids():
            try:
                if b"libmp3lame" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return name
            except OSError:
                continue
    return None


def test_a_worker_killed_mid_transcode_is_replaced_without_duplicates(cluster, hub, recordings):
    data = wav(recordings / "eight-minutes.wav", 480).read_bytes()
    episode = hub.episode("kreis", "Folge, deren Worker stirbt")
    hub.upload(episode, data, len(data), ["lb"])
    victim = cluster.wait_for("a transcode running", lambda: _transcoding_host(cluster), 60, 0.05)
    cluster.host(victim).kill()
    try:
        media = hub.wait_ready(episode, timeout=150)  # stale after 15 s, reconciled each minute
    finally:
        cluster.start_worker(victim)
    s3 = cluster.s3()
    renditions = [
        o["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(
            Bucket="mediahub", Prefix="renditions/audio/"
        )
        for o in page.get("Contents", [])
    ]
    status, episodes = hub.call("GET", "/api/v1/groups/kreis/episodes")
    assert status == 200, episodes
    ready = [e for e in episodes if (e.get("media") or {}).get("status") == "ready"]
    assert len(renditions) == len(ready)  # nothing duplicated, nothing left half-done
    assert not s3.list_multipart_uploads(Bucket="mediahub", Prefix="renditions/").get("Uploads")
    assert media["size_bytes"] > 0


def test_load_on_the_cluster_has_no_errors(cluster, hub, tmp_path):
    from bench import loadtest

    results = loadtest.load(cluster.url("lb", ""), (cluster.admin_email, PASSWORD), tmp_path)
    print(loadtest.report("cluster: 200 listeners + 10 uploaders, 60 s, through nginx", results))
    assert all(f["failures"] == 0 for f in results.values()), results
    assert results["media range"]["requests"] > 0  # the feeds have episodes to play


def test_a_web_host_killed_under_load_costs_only_its_requests_in_flight(cluster, hub, tmp_path):
    from bench import loadtest

    results: dict[str, dict] = {}
    runner = threading.Thread(
        target=lambda: results.update(
            loadtest.load(cluster.url("lb", ""), (cluster.admin_email, PASSWORD), tmp_path)
        )
    )
    runner.start()
    time.sleep(20)
    cluster.host("web1").kill()
    runner.join(timeout=200)
    cluster.start_web("web1")
    print(loadtest.report("cluster, web1 killed after 20 s of 60", results))
    listeners = {k: v for k, v in results.items() if k in ("feed (conditional)", "media range")}
    assert all(f["failures"] == 0 for f in listeners.values()), results
    # Only an upload on its way to web1 when it died may have failed.
    assert results["upload episode"]["failures"] <= 10, results


def _clear_503(cluster: Cluster, path: str, **kw) -> None:
    """The answer during an outage: 503 with a message, never a 500 or a trace."""
    status, headers, body = cluster.request("lb", "GET" if "body" not in kw else "POST", path, **kw)
    assert status == 503, (path, status, body[:300])
    assert b"Traceback" not in body and b"Internal Server Error" not in body
    assert headers.get("retry-after")


def test_database_queue_and_storage_outages_answer_503_and_lose_nothing(cluster, hub, recordings):
    data = wav(recordings / "half-minute.wav", 30).read_bytes()
    # PostgreSQL restarted.
    cluster.stop_postgres()
    try:
        _clear_503(cluster, "/")
        _clear_503(cluster, "/api/v1/groups", headers=hub.auth)
    finally:
        cluster.start_postgres()
    assert cluster.request("lb", "GET", "/")[0] == 200
    # Redis (queue, rate limits) restarted: uploads are taken and processed afterwards.
    cluster.host("redis").kill()
    try:
        during_redis = hub.episode("kreis", "Hochgeladen ohne Warteschlange")
        hub.upload(during_redis, data, len(data), ["lb"])
    finally:
        cluster.start_redis()
    # S3 unreachable for 30 s: uploads get 503, feeds keep being answered.
    before = feed_of(cluster, "web2")
    in_processing = hub.episode("kreis", "Verarbeitet während S3 fehlt")
    hub.upload(in_processing, data, len(data), ["lb"])
    cluster.host("s3").unplug()
    outage = time.monotonic()
    try:
        refused = hub.episode("kreis", "Abgewiesen während S3 fehlt")
        status, _h, body = cluster.request(
            "lb", "POST", f"/api/v1/episodes/{refused}/audio/uploads",
            headers={**hub.auth, "Tus-Resumable": "1.0.0", "Upload-Length": str(len(data))},
        )  # fmt: skip
        if status == 201:  # the upload is created; its first piece needs the bucket
            path = _h["location"][_h["location"].index("/api/") :]
            status, _h, body = cluster.request(
                "lb", "PATCH", path, body=data,
                headers={**hub.auth, "Tus-Resumable": "1.0.0", "Upload-Offset": "0",
                         "Content-Type": "application/offset+octet-stream"},
            )  # fmt: skip
        assert status == 503, body
        assert feed_of(cluster, "web2") == before  # what was read is still answered
        time.sleep(max(0, 30 - (time.monotonic() - outage)))
    finally:
        cluster.host("s3").plug()
    # Afterwards everything completes, nothing is lost.
    hub.upload(refused, data, len(data), ["lb"])
    for episode in (during_redis, in_processing, refused):
        hub.wait_ready(episode, timeout=240)


def test_every_command_of_the_readme_recipe_was_run(cluster):
    assert set(recipe.steps()) <= cluster.ran
