"""Benchmark feeds and public pages at the size of a large regional hub.

    python bench/bench_feeds.py [--groups 1500] [--episodes 60000]

1. Seeds a fresh SQLite database (or MEDIAHUB_BENCH_DATABASE_URL) with
   ``--groups`` public groups and ``--episodes`` published episodes with
   ready audio; the first group has 500 episodes, the rest share the others.
   Each group also has 10 published posts.
2. Feed rebuild: rebuilds the 500-episode group's feeds (query, build
   RSS and Atom, compare with the files) 20 times in this process, each in
   a fresh session as a queued rebuild has; then 20 times after an edit of
   one episode, when the RSS and its gzip twin are written atomically.
   Prints median and p95 and the ratio to a bare query of the same rows
   (goal: under 100 ms).
3. Page views: hub home, the big group's page and an episode page through
   the WSGI app in this process, 200 times each; prints p50/p95 and the ratio
   to a minimal Flask response in the same app (goal: p95 under 50 ms).

How fast the feed files themselves are served (our server against nginx)
is measured by bench_servers.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, update  # noqa: E402

from mediahub import create_app  # noqa: E402
from mediahub.core.extensions import db  # noqa: E402

BIG_GROUP_EPISODES = 500
POSTS_PER_GROUP = 10
CATEGORIES = ["depression", "addiction", "grief", "chronic-illness", "self-help"]


# -- seeding -----------------------------------------------------------------


def seed(app, groups: int, episodes: int) -> None:
    from mediahub.episodes.models import Episode
    from mediahub.groups.models import Group
    from mediahub.media.models import MediaAsset
    from mediahub.posts.models import Post

    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with app.app_context():
        db.session.execute(
            insert(Group),
            [
                {
                    "slug": f"gruppe-{g:04d}",
                    "name": f"Selbsthilfegruppe {g:04d}",
                    "description": "Wir treffen uns jeden Dienstag. " * 8,
                    "language": "de",
                    "category": CATEGORIES[g % len(CATEGORIES)],
                    "visibility": "public",
                    "is_explicit": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for g in range(groups)
            ],
        )
        group_ids = list(db.session.scalars(select(Group.id).order_by(Group.id)))
        per_group = [BIG_GROUP_EPISODES, *_spread(episodes - BIG_GROUP_EPISODES, groups - 1)]
        n = 0
        batch_assets, batch_episodes = [], []
        for gid, count in zip(group_ids, per_group, strict=True):
            for i in range(count):
                n += 1
                batch_assets.append(_asset_row(n, now))
                batch_episodes.append(_episode_row(n, gid, i, now))
                if len(batch_assets) >= 5000:
                    _flush(batch_assets, batch_episodes, MediaAsset, Episode)
        _flush(batch_assets, batch_episodes, MediaAsset, Episode)
        db.session.execute(
            insert(Post),
            [
                {
                    "guid": str(uuid.uuid4()),
                    "title": f"Beitrag {p} der Gruppe {gid}",
                    "body": "Ein **Beitrag** mit etwas Text.\n\n" * 5,
                    "status": "published",
                    "published_at": now - dt.timedelta(hours=p),
                    "group_id": gid,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for gid in group_ids
                for p in range(POSTS_PER_GROUP)
            ],
        )
        db.session.commit()


def _spread(total: int, buckets: int) -> list[int]:
    base, extra = divmod(total, buckets)
    return [base + (1 if i < extra else 0) for i in range(buckets)]


def _asset_row(n: int, now: dt.datetime) -> dict:
    return {
        "id": n,
        "kind": "episode_audio",
        "status": "ready",
        "attempts": 1,
        "storage_backend": "local",
        "original_key": f"originals/{n}.wav",
        "original_size": 50_000_000,
        "original_sha256": "0" * 64,
        "rendition_key": f"renditions/{n}.mp3",
        "rendition_size": 28_000_000 + n,
        "rendition_sha256": "1" * 64,
        "content_type": "audio/mpeg",
        "duration_s": 1800.0 + n % 600,
        "bitrate_kbps": 128,
        "loudness_lufs": -16.0,
        "true_peak_dbtp": -1.2,
        "created_at": now,
        "updated_at": now,
    }


def _episode_row(n: int, gid: int, i: int, now: dt.datetime) -> dict:
    return {
        "guid": str(uuid.uuid4()),
        "title": f"Folge {i + 1}: Gespräch über den Alltag",
        "description": "In dieser Folge sprechen wir über **Hoffnung**.\n\n" * 6,
        "episode_type": "full",
        "number": i + 1,
        "status": "published",
        "published_at": now - dt.timedelta(days=i),
        "audio_asset_id": n,
        "group_id": gid,
        "created_at": now,
        "updated_at": now,
        "version": 1,
        "chapters": [{"start_s": 0.0, "title": "Begrüßung"}, {"start_s": 300.0, "title": "Thema"}],
    }


def _flush(assets: list, episodes: list, asset_cls, episode_cls) -> None:
    if assets:
        db.session.execute(insert(asset_cls), assets)
        db.session.execute(insert(episode_cls), episodes)
        assets.clear()
        episodes.clear()


# -- measuring ---------------------------------------------------------------


def timings(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def bench_rebuild(app, runs: int = 20) -> None:
    from mediahub.episodes.models import Episode
    from mediahub.feeds.services import rebuild_group
    from mediahub.groups.models import Group

    with app.app_context():
        group_id = db.session.scalar(select(Group.id).order_by(Group.id).limit(1))

        def bare_query() -> None:
            # The floor: the same rows as plain tuples, no feed built.
            db.session.remove()
            stmt = select(Episode.id, Episode.title, Episode.description, Episode.chapters)
            db.session.execute(stmt.where(Episode.group_id == group_id).join(Episode.audio)).all()

        def rebuild() -> None:
            # A fresh session each time, as each queued rebuild has.
            db.session.remove()
            rebuild_group(db.session.get(Group, group_id))

        rebuild()  # the first run writes the files; later runs build and compare
        query_t = timings(bare_query, runs)
        rebuild_t = timings(rebuild, runs)
        # After an edit: the podcast feed differs, so it is written with its gzip twin.
        newest = db.session.scalar(
            select(Episode.id).where(Episode.group_id == group_id).order_by(Episode.id.desc())
        )
        changed_t = []
        for n in range(runs):
            db.session.execute(
                update(Episode).where(Episode.id == newest).values(title=f"Folge {n}")
            )
            db.session.commit()
            changed_t += timings(rebuild, 1)
    print(f"feed rebuild, group with {BIG_GROUP_EPISODES} episodes ({runs} runs):")
    print(f"  bare query of the rows   median {ms(statistics.median(query_t))}")
    print(
        f"  rebuild, nothing changed median {ms(statistics.median(rebuild_t))}"
        f"  p95 {ms(p95(rebuild_t))}   goal < 100 ms"
    )
    print(
        f"  rebuild after an edit    median {ms(statistics.median(changed_t))}"
        f"  p95 {ms(p95(changed_t))}   (feed written, gzip -9)"
    )
    print(
        "  ratio rebuild/query     ",
        f"{statistics.median(rebuild_t) / statistics.median(query_t):.1f}",
    )


def bench_pages(app, runs: int = 200) -> None:
    from mediahub.episodes.models import Episode
    from mediahub.groups.models import Group

    with app.app_context():
        group = db.session.scalar(select(Group).order_by(Group.id).limit(1))
        episode = db.session.scalar(
            select(Episode).where(Episode.group_id == group.id).order_by(Episode.id.desc()).limit(1)
        )
        pages = {
            "hub home": "/",
            "group page (500 episodes)": f"/groups/{group.slug}/",
            "episode page": f"/groups/{group.slug}/episodes/{episode.id}",
            "minimal Flask response": "/__bench_floor",
        }
    client = app.test_client()
    print(f"page views through the WSGI app ({runs} each):")
    floor_median = None
    results = {}
    for name, url in pages.items():
        status = client.get(url).status_code
        assert status == 200, (url, status)
        values = timings(lambda url=url: client.get(url).close(), runs)
        results[name] = values
    floor_median = statistics.median(results["minimal Flask response"])
    for name, values in results.items():
        print(
            f"  {name:28s} p50 {ms(statistics.median(values))}  p95 {ms(p95(values))}"
            f"  ratio to minimal {statistics.median(values) / floor_median:5.1f}"
        )
    print("  goal: p95 < 50 ms")


# -- HTTP throughput -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - local server
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=1500)
    parser.add_argument("--episodes", type=int, default=60000)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mediahub-bench-"))
    work.chmod(0o755)  # nginx's workers drop root and must read the feeds
    env = {
        **os.environ,
        "MEDIAHUB_INSTANCE_PATH": str(work / "instance"),
        "MEDIAHUB_MEDIA_ROOT": str(work / "media"),
        "MEDIAHUB_FEEDS_ROOT": str(work / "feeds"),
        "MEDIAHUB_DATABASE_URL": os.environ.get(
            "MEDIAHUB_BENCH_DATABASE_URL", f"sqlite:///{work / 'bench.db'}"
        ),
        "MEDIAHUB_QUEUE_IMMEDIATE": "true",
        "MEDIAHUB_SECRET_KEY": "bench-only-secret",
    }
    os.environ.update(env)
    try:
        app = create_app()
        # The floor for page timings: the cheapest response the app can give.
        app.add_url_rule("/__bench_floor", "bench_floor", lambda: "ok")
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=str(ROOT / "mediahub" / "migrations"))
        start = time.perf_counter()
        seed(app, args.groups, args.episodes)
        print(
            f"seeded {args.groups} groups, {args.episodes} published episodes, "
            f"{args.groups * POSTS_PER_GROUP} posts in {time.perf_counter() - start:.1f} s"
        )
        gc.freeze()  # as `mediahub worker` does before it takes tasks
        bench_rebuild(app)
        bench_pages(app)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
