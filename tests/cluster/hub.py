"""What a member's app does against the cluster: through the load balancer or
straight to one web host (a piece of an upload to each in turn)."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

from mediahub.audio.ffmpeg import ffmpeg_path

from .cluster import ADMIN_PASSWORD as PASSWORD
from .cluster import Cluster


def wav(path: Path, seconds: float) -> Path:
    """A speech-like stereo recording of ``seconds``."""
    if not path.exists():
        subprocess.run(
            [ffmpeg_path(), "-nostdin", "-loglevel", "error", "-y",
             "-f", "lavfi", "-i", f"sine=frequency=190:duration={seconds},volume=0.3",
             "-f", "lavfi", "-i", f"anoisesrc=color=pink:duration={seconds}:amplitude=0.03",
             "-filter_complex", "amix=inputs=2,tremolo=f=4:d=0.8",
             "-ar", "44100", "-ac", "2", str(path)],
            check=True, timeout=120,
        )  # fmt: skip
    return path


class Hub:
    """An administrator's API session on the cluster."""

    def __init__(self, cluster: Cluster, token: str) -> None:
        self.cluster, self.token = cluster, token

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def call(self, method: str, path: str, *, via: str = "lb", **kw: Any) -> tuple[int, Any]:
        headers = {**self.auth, **kw.pop("headers", {})}
        status, _h, body = self.cluster.request(via, method, path, headers=headers, **kw)
        try:
            return status, json.loads(body) if body else None
        except ValueError:
            return status, body

    def group(self, slug: str) -> None:
        status, body = self.call(
            "POST", "/api/v1/groups", json_body={"slug": slug, "name": slug.title()}
        )
        assert status == 201, body

    def episode(self, slug: str, title: str) -> int:
        boundary = "cluster"
        form = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'
            f"--{boundary}--\r\n"
        ).encode()
        status, body = self.call(
            "POST", f"/api/v1/groups/{slug}/episodes", body=form,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )  # fmt: skip
        assert status == 201, body
        return int(body["id"])

    def upload(self, episode: int, data: bytes, piece: int, hosts: list[str]) -> list[str]:
        """A resumable upload whose pieces go to ``hosts`` in turn; the hosts used."""
        tus = {"Tus-Resumable": "1.0.0"}
        status, headers, body = self.cluster.request(
            hosts[0], "POST", f"/api/v1/episodes/{episode}/audio/uploads",
            headers={**self.auth, **tus, "Upload-Length": str(len(data))},
        )  # fmt: skip
        assert status == 201, body
        path = headers["location"][headers["location"].index("/api/") :]
        used, offset, n = [], 0, 0
        while offset < len(data):
            host = hosts[n % len(hosts)]
            status, headers, body = self.cluster.request(
                host, "PATCH", path, body=data[offset : offset + piece],
                headers={**self.auth, **tus, "Upload-Offset": str(offset),
                         "Content-Type": "application/offset+octet-stream"},
            )  # fmt: skip
            assert status == 204, (host, offset, status, body)
            offset = int(headers["upload-offset"])
            used.append(host)
            n += 1
        return used

    def media(self, episode: int) -> dict[str, Any]:
        status, body = self.call("GET", f"/api/v1/episodes/{episode}")
        assert status == 200, body
        return body["media"] or {}

    def wait_ready(self, episode: int, timeout: float) -> dict[str, Any]:
        def ready() -> Any:
            media = self.media(episode)
            assert media.get("status") != "failed", media
            return media if media.get("status") == "ready" else None

        return self.cluster.wait_for(f"episode {episode} ready", ready, timeout, interval=0.5)

    def publish(self, episode: int) -> float:
        """Submit and approve; returns the time the approval was answered."""
        status, body = self.call("POST", f"/api/v1/episodes/{episode}/submit")
        assert status == 200, body
        status, body = self.call(
            "POST", f"/api/v1/episodes/{episode}/review", json_body={"decision": "approve"}
        )
        assert status == 200, body
        return time.monotonic()


def admin_session(cluster: Cluster) -> Hub:
    """The first administrator, made by the README's ``mediahub users create``."""
    status, _h, body = cluster.request(
        "lb", "POST", "/api/v1/tokens",
        json_body={"email": cluster.admin_email, "password": PASSWORD},
    )  # fmt: skip
    assert status == 201, body
    return Hub(cluster, json.loads(body)["token"])
