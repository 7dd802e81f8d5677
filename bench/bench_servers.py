"""Which server answers feed files best: ours (granian, gunicorn) against nginx.

    python bench/bench_servers.py [--seconds 10] [--connections 16] [--only granian,nginx]

Builds one group with 500 published episodes, writes its feed files with the
real feed writer (RSS + its gzip -9 twin), then serves that same file from

- nginx (2 workers, ``gzip_static on``): the static baseline, the documented
  production front;
- the application under granian (WSGI, 2 workers): what ``mediahub run``
  starts;
- the application under gunicorn, sync workers (2) and threaded workers
  (2 x 4 threads): the alternatives measured for the choice.

Each server is loaded alone with ``wrk -t2 -c16`` (the load generator shares
the machine's cores with the server) for a full 200, a gzip 200 and a 304
(``If-None-Match`` with the representation's ETag); requests per second and
the ratio to nginx are printed, with the load average before each run.
Every answer is checked first (status, body, headers), so a fast wrong
answer cannot win.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_feeds import free_port, seed, wait_up  # noqa: E402

WRK = shutil.which("wrk")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]


def app_servers(port: int, env: dict[str, str]) -> list[Server]:
    """Our application under each candidate server, on ``port``."""
    from mediahub.web.server import granian_args

    py = sys.executable
    target = "mediahub:create_app"  # granian calls the factory (--factory)
    bind = f"127.0.0.1:{port}"
    gunicorn = [py, "-m", "gunicorn", "--bind", bind, "--log-level", "warning", "--workers", "2"]
    gunicorn_target = "mediahub:create_app()"
    return [
        Server(
            "granian (WSGI, 2 workers)",
            [py, "-m", "granian", *granian_args("127.0.0.1", port, workers=2), target],
            env,
        ),
        Server("gunicorn sync (2 workers)", [*gunicorn, gunicorn_target], env),
        Server(
            "gunicorn gthread (2 x 4 threads)",
            [*gunicorn, "--worker-class", "gthread", "--threads", "4", gunicorn_target],
            env,
        ),
    ]


def nginx_server(root: Path, port: int, work: Path) -> Server:
    conf = work / "nginx.conf"
    conf.write_text(
        textwrap.dedent(f"""
        worker_processes 2;
        pid {work}/nginx.pid;
        error_log {work}/nginx-error.log;
        daemon off;
        events {{ worker_connections 1024; }}
        http {{
            access_log off;
            client_body_temp_path {work}/nginx-body;
            proxy_temp_path {work}/nginx-proxy;
            fastcgi_temp_path {work}/nginx-fastcgi;
            uwsgi_temp_path {work}/nginx-uwsgi;
            scgi_temp_path {work}/nginx-scgi;
            types {{ application/rss+xml xml; }}
            server {{
                listen 127.0.0.1:{port};
                gzip_static on;
                etag on;
                expires 5m;
                location /feeds/ {{ alias {root}/; }}
            }}
        }}
    """)
    )
    return Server("nginx (2 workers)", [NGINX, "-c", str(conf), "-p", str(work)], {})


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - local server
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def check(url: str, body: bytes) -> dict[str, str]:
    """Check the three answers; returns the ETags of the plain and gzip bodies."""
    status, headers, data = fetch(url, {})
    assert status == 200 and data == body and "etag" in headers, (url, status, headers)
    plain = headers["etag"]
    status, headers, data = fetch(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip", (url, status, headers)
    assert gzip.decompress(data) == body
    status, _h, data = fetch(url, {"If-None-Match": plain})
    assert status == 304 and data == b"", (url, status)
    assert headers["etag"] != plain, "one ETag for two different bodies"
    return {"plain": plain, "gzip": headers["etag"]}


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str]) -> float:
    args = [WRK, "-t2", f"-c{connections}", f"-d{seconds}s"]
    for key, value in headers.items():
        args += ["-H", f"{key}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if failed or (errors and re.search(r"[1-9]", errors.group(1))):
        raise RuntimeError(f"{url}: failed answers\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def measure(server: Server, url: str, body: bytes, seconds: int, connections: int) -> dict:
    proc = subprocess.Popen(server.command, env=server.env or None, cwd=ROOT)
    try:
        wait_up(url)
        etags = check(url, body)
        rows = {}
        rows["200 full"] = wrk(url, seconds, connections, {})
        rows["200 gzip"] = wrk(url, seconds, connections, {"Accept-Encoding": "gzip"})
        rows["304"] = wrk(url, seconds, connections, {"If-None-Match": etags["plain"]})
        return rows
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def prepare(work: Path) -> tuple[dict[str, str], Path]:
    """A database with one 500-episode group and its feed files; the env to serve it."""
    env = {
        **os.environ,
        "MEDIAHUB_INSTANCE_PATH": str(work / "instance"),
        "MEDIAHUB_MEDIA_ROOT": str(work / "media"),
        "MEDIAHUB_FEEDS_ROOT": str(work / "feeds"),
        "MEDIAHUB_DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
        "MEDIAHUB_QUEUE_IMMEDIATE": "true",
        "MEDIAHUB_SECRET_KEY": "bench-only-secret",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    from flask_migrate import upgrade
    from sqlalchemy import select

    from mediahub import create_app
    from mediahub.core.extensions import db
    from mediahub.feeds.services import rebuild_group
    from mediahub.groups.models import Group

    app = create_app()
    with app.app_context():
        upgrade(directory=str(ROOT / "mediahub" / "migrations"))
    seed(app, 2, 501)
    with app.app_context():
        group = db.session.scalar(select(Group).order_by(Group.id).limit(1))
        rebuild_group(group)
        slug = group.slug
    return env, work / "feeds" / "public" / slug / "podcast.xml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="per load run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", default="", help="comma-separated name prefixes")
    args = parser.parse_args()
    if not WRK or not NGINX:
        print("bench_servers: needs wrk and nginx (apt-get install wrk nginx); skipped")
        return 0
    print(f"load average before the run: {os.getloadavg()[0]:.2f}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="mediahub-servers-"))
    work.chmod(0o755)  # nginx's workers drop root and must read the feeds
    try:
        env, feed = prepare(work)
        body = feed.read_bytes()
        gz_size = feed.with_name(feed.name + ".gz").stat().st_size
        url_path = "/feeds/" + str(feed.relative_to(work / "feeds" / "public"))
        port = free_port()
        servers = [nginx_server(feed.parent.parent, port, work), *app_servers(port, env)]
        wanted = [w for w in args.only.split(",") if w]
        results = {}
        for server in servers:
            if wanted and not any(server.name.startswith(w) for w in wanted):
                continue
            url = f"http://127.0.0.1:{port}{url_path}"
            results[server.name] = measure(server, url, body, args.seconds, args.connections)
            time.sleep(1)
        report(results, len(body), gz_size, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def report(results: dict[str, dict], size: int, gz_size: int, args: argparse.Namespace) -> None:
    print(
        f"feed of 500 episodes: {size / 1024:.0f} KiB, gzip {gz_size / 1024:.0f} KiB; "
        f"wrk -t2 -c{args.connections}, {args.seconds} s per run; req/s (ratio to nginx)"
    )
    base = next((r for name, r in results.items() if name.startswith("nginx")), None)
    kinds = ["200 full", "200 gzip", "304"]
    print(f"  {'server':34s}" + "".join(f"{k:>22s}" for k in kinds))
    for name, rows in results.items():
        cells = []
        for kind in kinds:
            ratio = f" ({rows[kind] / base[kind]:.2f})" if base else ""
            cells.append(f"{rows[kind]:>14,.0f}{ratio:>8s}")
        print(f"  {name:34s}" + "".join(cells))
    print("  goal: our default server >= 0.50 of nginx for each")


if __name__ == "__main__":
    sys.exit(main())
