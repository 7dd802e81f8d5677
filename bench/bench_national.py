"""National scale on PostgreSQL: 100,000 groups, 4,000,000 episodes, 1,000,000 posts.

    python bench/bench_national.py [--scale 1.0] [--runs 60]

1. Starts a throwaway PostgreSQL (``initdb`` in a temporary folder, a free
   loopback port; as the ``postgres`` user when run as root), or uses the
   database in ``MEDIAHUB_BENCH_PG_URL`` (which it empties).
2. Migrates, then seeds with ``COPY`` (not the ORM): 200,000 people,
   100,000 groups (90 % public, 5 % unlisted, 5 % private) with three
   members each, 4,000,000 episodes with their processed audio (one group
   has 500, the others about 40; 2,000 wait for review), 1,000,000 posts
   (500 waiting for review). ``--scale`` shrinks all of it for a trial run.
3. Times, through the WSGI app in this process (``--runs`` each, after one
   warm-up): the start page, a topic and a search by group name, the
   500-episode group's page, the sitemap index and one sitemap file, the
   admin's people and group lists (the page after the middle row, and a
   search), the hub editor's review queue; and the 500-episode group's feed rebuild.
4. Prints p50/p95 per page (goal p95 < 50 ms) and the rebuild's (goal
   < 100 ms), and the query plans (``EXPLAIN ANALYZE``) of the statements of
   every page slower than its goal, and of the search.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_feeds import free_port, ms, p95, timings  # noqa: E402

TOPICS = [
    "Depression", "Angst", "Trauer", "Sucht", "Angehörige", "Diabetes", "Krebs", "Rheuma",
    "Multiple Sklerose", "Tinnitus", "Essstörungen", "Burnout", "ADHS", "Alleinerziehende",
    "Pflegende", "Long Covid", "Epilepsie", "Parkinson", "Demenz", "Schmerz",
]  # fmt: skip
CITIES = [
    "Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig",
    "Dortmund", "Essen", "Bremen", "Dresden", "Hannover", "Nürnberg", "Duisburg", "Bochum",
    "Wuppertal", "Bielefeld", "Bonn", "Münster", "Mannheim", "Karlsruhe", "Augsburg", "Kiel",
]  # fmt: skip
CATEGORIES = ["depression", "addiction", "grief", "chronic-illness", "self-help"]
BIG_GROUP = 500
NOW = dt.datetime(2026, 11, 1)
PASSWORD = "national-bench-password"  # noqa: S105 - seeded accounts of a throwaway database


# -- a throwaway PostgreSQL ----------------------------------------------------------


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A database URL: MEDIAHUB_BENCH_PG_URL, or a server started here and removed after."""
    url = os.environ.get("MEDIAHUB_BENCH_PG_URL")
    if url:
        yield url
        return
    pg = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))[-1]).parent
    work = Path(tempfile.mkdtemp(prefix="mediahub-national-pg-"))
    work.chmod(0o755)
    port = free_port()
    as_user = ["su", "postgres", "-s", "/bin/sh", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")

    def run(command: str) -> None:
        subprocess.run([*as_user, command], check=True, stdout=subprocess.DEVNULL)

    run(f"{pg}/initdb -D {work}/data -A trust -U postgres -E UTF8 --locale=C.UTF-8")
    # A bench server: no durability needed, memory as a small production server has.
    options = (
        f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB "
        "-c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=8GB"
    )
    run(f"{pg}/pg_ctl -D {work}/data -l {work}/pg.log -w -o '{options}' start")
    try:
        subprocess.run(
            [f"{pg}/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qc",
             "CREATE DATABASE national"], check=True,
        )  # fmt: skip
        yield f"postgresql://postgres@127.0.0.1:{port}/national"
    finally:
        run(f"{pg}/pg_ctl -D {work}/data -m immediate stop")
        shutil.rmtree(work, ignore_errors=True)


# -- seeding with COPY ---------------------------------------------------------------


def _ts(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


def copy_rows(conn: Any, table: str, columns: str, rows: Iterator[str]) -> int:
    """COPY ``rows`` (tab-separated text lines, ``\\N`` for NULL) into ``table``."""
    n = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        buf = io.StringIO()
        for line in rows:
            buf.write(line)
            n += 1
            if n % 20000 == 0:
                copy.write(buf.getvalue())
                buf = io.StringIO()
        copy.write(buf.getvalue())
    return n


NULL = "\\N"  # COPY's text format


def seed(url: str, scale: float, password_hash: str) -> dict[str, int]:
    import psycopg

    rng = random.Random(14)  # noqa: S311 - repeatable data, not secrets
    n_groups = max(int(100_000 * scale), 10)
    n_episodes = max(int(4_000_000 * scale), BIG_GROUP + n_groups)
    n_posts, n_users = n_groups * 10, n_groups * 2
    per_group = [BIG_GROUP, *_spread(n_episodes - BIG_GROUP, n_groups - 1)]
    waiting = set(rng.sample(range(1, n_episodes + 1), min(2000, n_episodes // 10)))
    post_waiting = set(rng.sample(range(1, n_posts + 1), min(500, n_posts // 10)))
    tables = [
        ("users", USER_COLUMNS, _users(n_users, password_hash)),
        ("groups", GROUP_COLUMNS, _groups(n_groups)),
        ("memberships", "group_id, user_id, role, created_at", _memberships(n_groups, n_users)),
        ("media_assets", ASSET_COLUMNS, _assets(n_episodes)),
        ("episodes", EPISODE_COLUMNS, _episodes(per_group, waiting, n_users, rng)),
        ("posts", POST_COLUMNS, _posts(n_posts, post_waiting, n_users, rng)),
    ]
    sizes = {}
    with psycopg.connect(url, autocommit=False) as conn:
        for table, columns, rows in tables:
            sizes[table] = copy_rows(conn, table, columns, rows)
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return sizes


CREATED = _ts(NOW)
USER_COLUMNS = (
    "id, email, display_name, password_hash, hub_role, is_active, is_credited, "
    "email_notifications, created_at"
)
GROUP_COLUMNS = (
    "id, slug, name, description, language, category, visibility, is_explicit, "
    "created_at, updated_at"
)
ASSET_COLUMNS = (
    "id, kind, status, attempts, storage_backend, original_key, original_size, "
    "original_sha256, rendition_key, rendition_size, rendition_sha256, content_type, "
    "duration_s, bitrate_kbps, loudness_lufs, true_peak_dbtp, created_at, updated_at"
)
EPISODE_COLUMNS = (
    "id, guid, title, description, episode_type, number, status, published_at, submitted_at, "
    "audio_asset_id, group_id, author_id, created_at, updated_at, version, is_explicit, "
    "disguise_voice"
)
POST_COLUMNS = (
    "id, guid, title, body, status, published_at, submitted_at, group_id, author_id, "
    "created_at, updated_at, version"
)
VISIBILITY = ["public"] * 18 + ["unlisted", "private"]


def _users(n_users: int, password_hash: str) -> Iterator[str]:
    for i in range(1, n_users + 1):
        role = "admin" if i == 1 else "editor" if i == 2 else "none"
        credited = "t" if i % 3 else "f"
        yield (
            f"{i}\tperson{i}@national.example.org\tPerson {i}\t{password_hash}\t{role}\tt\t"
            f"{credited}\tt\t{CREATED}\n"
        )


def _groups(n_groups: int) -> Iterator[str]:
    for g in range(1, n_groups + 1):
        topic, city = TOPICS[g % 20], CITIES[(g // 20) % 24]
        day = ("Montag", "Dienstag", "Mittwoch")[g % 3]
        visibility = "public" if g == 1 else VISIBILITY[g % 20]
        yield (
            f"{g}\tgruppe-{g}\t{topic} {city} {g}\tSelbsthilfe zu {topic} in {city}.\\n\\n"
            f"Wir treffen uns jeden {day}.\tde\t{CATEGORIES[g % 5]}\t{visibility}\tf\t"
            f"{CREATED}\t{CREATED}\n"
        )


def _memberships(n_groups: int, n_users: int) -> Iterator[str]:
    for g in range(1, n_groups + 1):
        for k, role in enumerate(("manager", "editor", "member")):
            yield f"{g}\t{3 + (g * 3 + k) % (n_users - 3)}\t{role}\t{CREATED}\n"


def _assets(n_episodes: int) -> Iterator[str]:
    for n in range(1, n_episodes + 1):
        yield (
            f"{n}\tepisode_audio\tready\t1\tlocal\toriginals/{n}.wav\t50000000\t{'0' * 64}\t"
            f"renditions/{n}.mp3\t{28_000_000 + n}\t{'1' * 64}\taudio/mpeg\t{1800 + n % 600}\t"
            f"128\t-16\t-1.2\t{CREATED}\t{CREATED}\n"
        )


def _posts(n_posts: int, waiting: set[int], n_users: int, rng: random.Random) -> Iterator[str]:
    for p in range(1, n_posts + 1):
        guid = uuid.UUID(int=rng.getrandbits(128), version=4)
        status = "in_review" if p in waiting else "published"
        published = NULL if p in waiting else _ts(NOW - dt.timedelta(hours=p % 5000))
        submitted = _ts(NOW - dt.timedelta(minutes=p % 9000))
        yield (
            f"{p}\t{guid}\tBeitrag {p}\tEin **Beitrag** mit etwas Text.\\n\\nUnd mehr.\t"
            f"{status}\t{published}\t{submitted}\t{(p - 1) // 10 + 1}\t"
            f"{3 + p % (n_users - 3)}\t{CREATED}\t{CREATED}\t1\n"
        )


def _episodes(
    per_group: list[int], waiting: set[int], n_users: int, rng: random.Random
) -> Iterator[str]:
    n = 0
    for gid, count in enumerate(per_group, start=1):
        for i in range(count):
            n += 1
            guid = uuid.UUID(int=rng.getrandbits(128), version=4)
            status = "in_review" if n in waiting else "published"
            published = NULL if n in waiting else _ts(NOW - dt.timedelta(days=i, minutes=gid))
            submitted = _ts(NOW - dt.timedelta(minutes=n % 9000))
            yield (
                f"{n}\t{guid}\tFolge {i + 1}: Gespräch über den Alltag\t"
                f"In dieser Folge sprechen wir über **Hoffnung**.\\n\\nUnd über Mut.\tfull\t"
                f"{i + 1}\t{status}\t{published}\t{submitted}\t{n}\t{gid}\t"
                f"{3 + (gid * 3) % (n_users - 3)}\t{CREATED}\t{CREATED}\t1\tf\tf\n"
            )


def _spread(total: int, buckets: int) -> list[int]:
    base, extra = divmod(total, buckets)
    return [base + (1 if i < extra else 0) for i in range(buckets)]


# -- measuring ------------------------------------------------------------------------


class Statements:
    """The SQL statements an app runs while this is on (for EXPLAIN)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.seen: list[tuple[str, Any]] = []
        self.on = False
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cur: Any, statement: str, params: Any, *_a: Any) -> None:
        if self.on:
            self.seen.append((statement, params))


def measure(app: Any, runs: int) -> tuple[dict[str, list[float]], dict[str, list]]:
    from sqlalchemy import func, select

    from mediahub.accounts.models import User
    from mediahub.admin.services import GROUPS_ORDER, PEOPLE_ORDER
    from mediahub.core.extensions import db
    from mediahub.groups.models import Group

    with app.app_context():
        big = db.session.scalar(select(Group.slug).where(Group.id == 1))
        # The rows in the middle of the admins' lists: "next page" from there.
        n_users = db.session.scalar(select(func.count()).select_from(User))
        n_groups = db.session.scalar(select(func.count()).select_from(Group))
        mid_person = db.session.scalar(
            select(User.id).order_by(*PEOPLE_ORDER).offset(n_users // 2).limit(1)
        )
        mid_group = db.session.scalar(
            select(Group.id).order_by(*GROUPS_ORDER).offset(n_groups // 2).limit(1)
        )
        statements = Statements(db.engine)
    pages = {
        "start page": "/",
        "start page, topic": "/?topic=grief",
        "search by group name": "/?q=Trauer%20Hamburg",
        "group page (500 episodes)": f"/groups/{big}/",
        "sitemap index": "/sitemap.xml",
        "sitemap file (episodes)": f"/sitemap-episodes-{app.config['BENCH_SITEMAP_FILE']}.xml",
        "admin: start (counts)": "/admin/",
        "admin: people, middle": f"/admin/people?after={mid_person}",
        "admin: people, search": f"/admin/people?q=person{n_users // 3}%40",
        "admin: groups, middle": f"/admin/groups?after={mid_group}",
        "admin: groups, search": f"/admin/groups?q=gruppe-{n_groups // 3}",
        "review queue (hub editor)": "/review",
    }
    admin, editor = app.test_client(), app.test_client()
    for client, email in (
        (admin, "person1@national.example.org"),
        (editor, "person2@national.example.org"),
    ):
        resp = client.post("/login", data={"email": email, "password": PASSWORD})
        assert resp.status_code == 302, (email, resp.status_code)
    anonymous = app.test_client()
    results, captured = {}, {}
    for name, url in pages.items():
        client = admin if name.startswith("admin") else editor if "review" in name else anonymous
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        statements.seen, statements.on = [], True
        client.get(url).close()
        statements.on = False
        captured[name] = statements.seen
        results[name] = timings(lambda url=url, client=client: client.get(url).close(), runs)
        values = results[name]
        print(f"  {name:30s} p50 {ms(statistics.median(values))}  p95 {ms(p95(values))}")
    results["feed rebuild (500 episodes)"] = _rebuild_timings(app, runs)
    return results, captured


def _rebuild_timings(app: Any, runs: int) -> list[float]:
    from mediahub.core.extensions import db
    from mediahub.feeds.services import rebuild_group
    from mediahub.groups.models import Group

    with app.app_context():

        def rebuild() -> None:
            db.session.remove()
            rebuild_group(db.session.get(Group, 1))

        rebuild()
        return timings(rebuild, runs)


def explain(app: Any, statements: list[tuple[str, Any]]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement, slowest first."""
    from mediahub.core.extensions import db

    plans = []
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            for statement, params in statements:
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                plan = "\n".join(r[0] for r in cur.fetchall())
                took = float(plan.rsplit("Execution Time: ", 1)[1].split(" ")[0])
                plans.append((took, statement.split("\n")[0][:120], plan))
        finally:
            raw.rollback()
            raw.close()
    return [f"-- {took:.1f} ms: {head}\n{plan}" for took, head, plan in sorted(plans, reverse=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = national size")
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mediahub-national-"))
    try:
        with postgres() as url:
            return _bench(url, work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bench(url: str, work: Path, args: argparse.Namespace) -> int:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from mediahub import create_app
    from mediahub.core.extensions import db

    config = {
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(work / "instance"),
        "MEDIA_ROOT": str(work / "media"),
        "FEEDS_ROOT": str(work / "feeds"),
        "SECRET_KEY": "bench-only",
        "QUEUE_IMMEDIATE": True,
        "PASSWORD_HASH_PROFILE": "cheapest",
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
    }
    app = create_app(config)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(directory=str(ROOT / "mediahub" / "migrations"))
        from mediahub.accounts.passwords import hash_password

        password_hash = hash_password(PASSWORD)
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    start = time.perf_counter()
    sizes = seed(url, args.scale, password_hash)
    print(f"seeded with COPY in {time.perf_counter() - start:.0f} s: "
          + ", ".join(f"{v:,} {k}" for k, v in sizes.items()), flush=True)  # fmt: skip
    app.config["BENCH_SITEMAP_FILE"] = 2 if sizes["episodes"] > 50_000 else 1
    import gc

    gc.freeze()  # as `mediahub worker` does
    print(f"pages through the WSGI app ({args.runs} runs each; load {os.getloadavg()[0]:.2f}):")
    results, captured = measure(app, args.runs)
    report(app, results, captured)
    return 0


def report(app: Any, results: dict[str, list[float]], captured: dict[str, list]) -> None:
    print("\nsummary (goal: pages p95 < 50 ms, feed rebuild < 100 ms):")
    slow = []
    for name, values in results.items():
        goal = 0.100 if name.startswith("feed") else 0.050
        mark = "" if p95(values) < goal else "   <-- slower than the goal"
        print(f"  {name:30s} p50 {ms(statistics.median(values))}  p95 {ms(p95(values))}{mark}")
        if mark and name in captured:
            slow.append(name)
    for name in [*slow, "search by group name"]:
        print(f"\nquery plans of {name!r}, slowest first:")
        for plan in explain(app, captured[name])[:3]:
            print(plan)


if __name__ == "__main__":
    sys.exit(main())
