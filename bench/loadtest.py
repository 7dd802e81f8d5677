"""Load test: 200 listeners and 10 uploaders for 60 seconds, bounded in time.

    python bench/loadtest.py                      # the one-machine default (`mediahub run`)
    python bench/loadtest.py --url http://HUB --admin-email A --admin-password P

Without ``--url`` it starts the one-machine default itself (``mediahub run``
with the demo hub in a temporary folder, on a free loopback port). With
``--url`` it loads a running hub (the cluster test points it at its load
balancer). It then

1. logs in as an administrator, lists the public groups' feeds, creates ten
   uploader accounts (members of a public group) and gets their tokens;
2. runs locust headless (bench/locustfile.py): 200 listeners polling feeds
   with ``If-None-Match`` and fetching 64 KiB byte ranges of the episodes,
   10 members uploading a 3-second recording every 8 to 15 s;
3. prints requests/s, failures and p50/p95/p99 per kind of request; exits 1
   when any request failed.

Only loopback or the test's own namespace addresses are ever loaded.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_ADMIN = ("admin@demo.example.org", "demo-mediahub")
UPLOADER_GROUP_ROLE = "member"


def api(base: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)  # noqa: S310
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - the hub under test
        return json.loads(resp.read() or b"null")


def prepare(base: str, admin_email: str, admin_password: str, uploaders: int) -> dict[str, Any]:
    """Feeds to poll and uploader accounts with tokens, made through the API."""
    admin = api(base, "POST", "/api/v1/tokens", {"email": admin_email, "password": admin_password})
    token = admin["token"]
    groups = [
        g
        for g in api(base, "GET", "/api/v1/groups?page_size=100", token=token)
        if g["visibility"] == "public"
    ]
    feeds = [urlsplit(g["feed_url"]).path for g in groups] + ["/feeds/podcast.xml"]
    group = groups[0]["slug"]
    accounts = []
    run = secrets.token_hex(3)
    for n in range(uploaders):
        email, password = f"uploader-{run}-{n}@loadtest.example.org", secrets.token_urlsafe(16)
        person = {"email": email, "display_name": f"Uploader {n}", "password": password}
        api(base, "POST", "/api/v1/users", person, token)
        role = {"email": email, "role": UPLOADER_GROUP_ROLE}
        api(base, "POST", f"/api/v1/groups/{group}/members", role, token)
        mine = api(base, "POST", "/api/v1/tokens", {"email": email, "password": password})
        accounts.append({"token": mine["token"], "group": group})
    return {"feeds": feeds, "uploaders": accounts}


def make_wav(path: Path, seconds: float = 3) -> Path:
    from mediahub.audio.ffmpeg import ffmpeg_path

    tone = f"sine=frequency=180:duration={seconds},volume=0.3"
    subprocess.run(
        [ffmpeg_path(), "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", tone,
         "-ac", "2", "-ar", "44100", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return path


def run_locust(
    base: str, setup: dict[str, Any], wav: Path, work: Path, *, listeners: int, seconds: int
) -> dict[str, dict[str, float]]:
    """Run the locustfile headless; the figures per request kind and in total."""
    env = {
        **os.environ,
        "LOADTEST_FEEDS": json.dumps(setup["feeds"]),
        "LOADTEST_UPLOADERS": json.dumps(setup["uploaders"]),
        "LOADTEST_WAV": str(wav),
    }
    users = listeners + len(setup["uploaders"])
    subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(max(users // 5, 1)), "-t", f"{seconds}s", "--host", base,
         "--csv", str(work / "load"), "--only-summary", "--stop-timeout", "10",
         "--loglevel", "WARNING", "--exit-code-on-error", "0"],
        env=env, check=True, timeout=seconds + 120,
    )  # fmt: skip
    with open(work / "load_exceptions.csv", newline="") as fh:
        crashes = list(csv.DictReader(fh))
    if crashes:  # an error in the test itself must not pass as "0 failures"
        raise RuntimeError(f"the load test's users crashed: {crashes[0]}")
    figures = {}
    with open(work / "load_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            figures[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
            }
    return figures


def report(title: str, figures: dict[str, dict[str, float]]) -> str:
    head = ("request", "count", "failed", "req/s", "p50", "p95", "p99")
    widths = (22, 8, 7, 8, 7, 7, 7)
    lines = [title, "  " + " ".join(f"{h:>{w}s}" for h, w in zip(head, widths, strict=True))]
    for name, f in figures.items():
        lines.append(
            f"  {name:22s} {f['requests']:8d} {f['failures']:7d} {f['rps']:8.1f} "
            f"{f['p50']:5.0f}ms {f['p95']:5.0f}ms {f['p99']:5.0f}ms"
        )
    return "\n".join(lines)


def load(
    base: str,
    admin: tuple[str, str],
    work: Path,
    *,
    listeners: int = 200,
    uploaders: int = 10,
    seconds: int = 60,
) -> dict[str, dict[str, float]]:
    """Prepare accounts, run the load, return the figures (also usable from tests)."""
    setup = prepare(base, *admin, uploaders)
    wav = make_wav(work / "talk.wav")
    return run_locust(base, setup, wav, work, listeners=listeners, seconds=seconds)


def start_one_machine(work: Path, port: int) -> subprocess.Popen[bytes]:
    """``mediahub run`` with the demo hub, as `make run` starts it, in ``work``."""
    env = {
        **os.environ,
        "MEDIAHUB_INSTANCE_PATH": str(work / "instance"),
        "MEDIAHUB_MEDIA_ROOT": str(work / "media"),
        "MEDIAHUB_FEEDS_ROOT": str(work / "feeds"),
        "MEDIAHUB_BASE_URL": f"http://127.0.0.1:{port}",
        "MEDIAHUB_DEMO": "true",
        # Ten uploaders log in from one address within a second.
        "MEDIAHUB_LOGIN_RATE_LIMIT": "1000 per minute",
    }
    with open(work / "server.log", "ab") as log:  # the server keeps its own copy
        proc = subprocess.Popen(
            [str(BIN / "mediahub"), "run", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return proc
        except (OSError, urllib.error.URLError):
            if proc.poll() is not None:
                raise RuntimeError((work / "server.log").read_text()[-3000:]) from None
            time.sleep(0.5)
    raise RuntimeError("mediahub run did not come up")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running hub (default: start the one-machine default)")
    parser.add_argument("--admin-email", default=DEMO_ADMIN[0])
    parser.add_argument("--admin-password", default=DEMO_ADMIN[1])
    parser.add_argument("--listeners", type=int, default=200)
    parser.add_argument("--uploaders", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="mediahub-load-") as tmp:
        work = Path(tmp)
        server = None
        base = args.url
        if base is None:
            from bench_feeds import free_port

            port = free_port()
            server = start_one_machine(work, port)
            base = f"http://127.0.0.1:{port}"
        try:
            print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
            figures = load(
                base.rstrip("/"), (args.admin_email, args.admin_password), work,
                listeners=args.listeners, uploaders=args.uploaders, seconds=args.seconds,
            )  # fmt: skip
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=60)
    title = (
        f"{args.listeners} listeners + {args.uploaders} uploaders, {args.seconds} s, against "
        f"{'the one-machine default (mediahub run)' if args.url is None else base}"
    )
    print(report(title, figures))
    return 1 if any(f["failures"] for f in figures.values()) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    sys.exit(main())
