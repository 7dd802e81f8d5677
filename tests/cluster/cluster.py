"""A MediaHub cluster on this machine: each server on a host of its own.

Hosts (network namespaces, see netns.py): ``db`` (PostgreSQL), ``redis``,
``s3`` (moto's S3 server), ``web1`` and ``web2`` (the production web
server), ``worker1`` and ``worker2`` (``mediahub worker``), ``lb`` (nginx
balancing the two web hosts). Web and worker hosts share nothing but the
configuration: each has its own instance, media and feeds folder, so
anything a request needs from one machine's disk would be missing on the
other.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from . import recipe
from .netns import Host, Network

BIN = Path(sys.executable).parent
MEDIAHUB = str(BIN / "mediahub")
WEB_PORT = 8000
BUCKET = "mediahub"
WEB_HOSTS = ("web1", "web2")
WORKER_HOSTS = ("worker1", "worker2")
ADMIN_PASSWORD = "cluster admin password"


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise FileNotFoundError("PostgreSQL's server programs (initdb) are not installed")
    return found[-1].parent


def missing_programs() -> list[str]:
    """Servers the cluster needs that this machine lacks."""
    missing = [p for p in ("redis-server", "nginx", "su", "ss", "curl") if not _which(p)]
    try:
        _pg_bin()
    except FileNotFoundError:
        missing.append("postgresql")
    return missing


def _which(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for d in ("/usr/sbin", "/sbin") if (p := Path(d) / name).exists()), None
    )


class Cluster:
    """Builds, runs and tears down the hosts; helpers to act on them."""

    def __init__(self) -> None:
        # Readable by the postgres user (pytest's own temp folders are not).
        self.root = Path(tempfile.mkdtemp(prefix="mediahub-cluster-"))
        self.root.chmod(0o755)
        self.net = Network()
        self.secret_key = secrets.token_urlsafe(32)
        self.redis_password = secrets.token_urlsafe(16)
        self.hosts: dict[str, Host] = {}
        self.steps = recipe.steps()
        self.ran: set[recipe.Step] = set()

    # -- building -------------------------------------------------------------

    def start(self) -> None:
        self.net.create()
        for name in ("db", "redis", "s3", "web1", "web2", "worker1", "worker2", "lb"):
            self.hosts[name] = self.net.add_host(name)
        self.start_postgres(init=True)
        self.start_redis()
        self.start_s3()
        for step in self.steps:
            self.run_step(step)
        self.start_lb()

    def _step(self, who: str) -> recipe.Step:
        return next(s for s in self.steps if s.who == who)

    def run_step(self, step: recipe.Step, only: str | None = None) -> None:
        """Run one command of the README's recipe where it says (or on ``only``)."""
        args = step.args
        if step.who == "once":
            assert args[0] == "mediahub"
            self.admin_email = (
                args[3] if args[1:3] == ["users", "create"] else getattr(self, "admin_email", "")
            )
            self.run_mediahub("web1", args[1:], input=f"{ADMIN_PASSWORD}\n")
        elif step.who == "each web machine":
            for name in [only] if only else WEB_HOSTS:
                host = self.hosts[name]
                self._start(name, [a.replace("0.0.0.0", host.address) for a in args])  # noqa: S104
                host.wait_port(WEB_PORT)
        elif step.who == "each worker machine":
            for name in [only] if only else WORKER_HOSTS:
                self._start(name, args)
        else:  # the load balancer's check, for each web machine
            for name in [only] if only else WEB_HOSTS:
                url = args[-1].replace("web1.internal", self.hosts[name].address)
                self.wait_for(f"{name} ready", lambda url=url: self.hosts["lb"].run(
                    [*args[:-1], url], check=False).returncode == 0, 60)  # fmt: skip
        self.ran.add(step)

    def _start(self, name: str, args: list[str]) -> None:
        assert args[0] == "mediahub"
        self.hosts[name].popen([MEDIAHUB, *args[1:]], env=self.env(name), log=self.log(name))

    def stop(self) -> None:
        self.net.destroy()
        shutil.rmtree(self.root, ignore_errors=True)

    def host(self, name: str) -> Host:
        return self.hosts[name]

    def log(self, name: str) -> Path:
        return self.root / f"{name}.log"

    def env(self, name: str) -> dict[str, str]:
        """The README's settings with this cluster's values, and each machine's own folders."""
        home = self.root / name
        ours = self.settings()
        missing = set(recipe.settings()) - set(ours)
        assert not missing, f"the README sets {missing}, the cluster does not"
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "LANG": "C.UTF-8",
            **ours,
            # Each machine's own folders: nothing a request needs may be there.
            "MEDIAHUB_INSTANCE_PATH": str(home / "instance"),
            "MEDIAHUB_MEDIA_ROOT": str(home / "media"),
            "MEDIAHUB_FEEDS_ROOT": str(home / "feeds"),
            # Abandoned jobs are handed on quickly (a killed worker in a test).
            "MEDIAHUB_AUDIO_STALE_AFTER_SECONDS": "15",
            # The load test logs ten uploaders in from the test's one address.
            "MEDIAHUB_LOGIN_RATE_LIMIT": "100 per minute",
        }

    def settings(self) -> dict[str, str]:
        """This cluster's values for the README's settings."""
        return {
            "MEDIAHUB_BASE_URL": f"http://{self.hosts['lb'].address}",
            "MEDIAHUB_SECRET_KEY": self.secret_key,
            "MEDIAHUB_DATABASE_URL": f"postgresql://postgres@{self.hosts['db'].address}:5432/mediahub",
            "MEDIAHUB_QUEUE_URL": (
                f"redis://:{self.redis_password}@{self.hosts['redis'].address}:6379/0"
            ),
            "MEDIAHUB_MEDIA_BACKEND": "s3",
            "MEDIAHUB_S3_BUCKET": BUCKET,
            "MEDIAHUB_S3_ENDPOINT_URL": f"http://{self.hosts['s3'].address}:5000",
            "MEDIAHUB_S3_REGION": "us-east-1",
            "MEDIAHUB_S3_ACCESS_KEY_ID": "cluster",
            "MEDIAHUB_S3_SECRET_ACCESS_KEY": "cluster-secret",
            "MEDIAHUB_LOG_FORMAT": "json",
            "MEDIAHUB_TRUSTED_PROXIES": "1",
        }

    def start_postgres(self, *, init: bool = False) -> None:
        db = self.hosts["db"]
        data, run = self.root / "pg", self.root / "pgrun"
        pg = _pg_bin()
        if init:
            for folder in (data, run):
                folder.mkdir()
                shutil.chown(folder, "postgres")
            _as_postgres(db, f"{pg}/initdb -D {data} -A trust -U postgres -E UTF8")
            with open(data / "pg_hba.conf", "a") as hba:  # the cluster's own network only
                hba.write(f"host all all {self.net.subnet} trust\n")
        _as_postgres(
            db,
            f"{pg}/pg_ctl -D {data} -l {run}/pg.log -w -o "
            f"'-p 5432 -k {run} -c listen_addresses={db.address} -c fsync=off' start",
        )
        if init:
            db.run(
                [
                    f"{pg}/psql",
                    "-h",
                    db.address,
                    "-U",
                    "postgres",
                    "-qc",
                    "CREATE DATABASE mediahub",
                ]
            )

    def stop_postgres(self) -> None:
        _as_postgres(self.hosts["db"], f"{_pg_bin()}/pg_ctl -D {self.root / 'pg'} -m fast -w stop")

    def start_redis(self) -> None:
        redis = self.hosts["redis"]
        folder = self.root / "redis"
        folder.mkdir(exist_ok=True)
        redis.popen(
            [
                _which("redis-server") or "redis-server",
                "--bind", redis.address, "--port", "6379", "--dir", str(folder),
                "--requirepass", self.redis_password,
                # The queue survives a restart (README: Redis with append-only file).
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
            ],
            log=self.log("redis"),
        )  # fmt: skip
        redis.wait_port(6379)

    def start_s3(self) -> None:
        s3 = self.hosts["s3"]
        s3.popen(
            [sys.executable, "-m", "moto.server", "-H", s3.address, "-p", "5000"],
            log=self.log("s3"),
        )
        s3.wait_port(5000)
        import boto3

        boto3.client(
            "s3",
            endpoint_url=f"http://{s3.address}:5000",
            region_name="us-east-1",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster-secret",
        ).create_bucket(Bucket=BUCKET)

    def s3(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://{self.hosts['s3'].address}:5000",
            region_name="us-east-1",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster-secret",
        )

    def start_web(self, name: str) -> None:
        """Start (again) one web machine, as the README says."""
        self.run_step(self._step("each web machine"), only=name)

    def start_worker(self, name: str) -> None:
        """Start (again) one worker machine, as the README says."""
        self.run_step(self._step("each worker machine"), only=name)

    def run_mediahub(
        self, name: str, args: list[str], *, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self.hosts[name].run([MEDIAHUB, *args], env=self.env(name), input=input)

    def start_lb(self) -> None:
        lb = self.hosts["lb"]
        folder = self.root / "nginx"
        folder.mkdir(exist_ok=True)
        conf = folder / "nginx.conf"
        upstreams = "\n".join(
            f"server {self.hosts[n].address}:{WEB_PORT} max_fails=1 fail_timeout=5s;"
            for n in ("web1", "web2")
        )
        conf.write_text(
            textwrap.dedent(f"""
            worker_processes 2;
            pid {folder}/nginx.pid;
            error_log {self.log("lb")};
            daemon off;
            events {{ worker_connections 2048; }}
            http {{
                access_log off;
                client_body_temp_path {folder}/body;
                proxy_temp_path {folder}/proxy;
                fastcgi_temp_path {folder}/fastcgi;
                uwsgi_temp_path {folder}/uwsgi;
                scgi_temp_path {folder}/scgi;
                upstream mediahub {{ {upstreams} keepalive 32; }}
                server {{
                    listen {lb.address}:80;
                    client_max_body_size 2g;
                    proxy_request_buffering off;
                    location / {{
                        proxy_pass http://mediahub;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_connect_timeout 2s;
                        proxy_next_upstream error timeout http_502;
                    }}
                }}
            }}
            """)
        )
        lb.popen(
            [_which("nginx") or "nginx", "-c", str(conf), "-p", str(folder)], log=self.log("lb")
        )
        lb.wait_port(80)

    # -- acting -----------------------------------------------------------------

    def url(self, name: str, path: str) -> str:
        host = self.hosts[name]
        port = "" if name == "lb" else f":{WEB_PORT}"
        return f"http://{host.address}{port}{path}"

    def request(
        self,
        name: str,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> tuple[int, dict[str, str], bytes]:
        """One HTTP request to a host (``lb`` or a web host) from the test."""
        headers = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(  # noqa: S310 - the test's own hosts
            self.url(name, path), data=body, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()

    def wait_for(self, what: str, check: Any, timeout: float, interval: float = 0.2) -> Any:
        """Call ``check`` until it returns something true; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                last = check()
                if last:
                    return last
            time.sleep(interval)
        raise AssertionError(f"{what}: not within {timeout} s (last: {last!r})\n{self.tails()}")

    def tails(self, lines: int = 25) -> str:
        """The end of every host's log, for failure messages."""
        out = []
        for log in sorted(self.root.glob("*.log")):
            text = log.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {log.name}\n" + "\n".join(text))
        return "\n".join(out)


def _as_postgres(host: Host, command: str) -> None:
    host.run([_which("su") or "su", "postgres", "-s", "/bin/sh", "-c", command])
