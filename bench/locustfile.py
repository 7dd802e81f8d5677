"""Listeners and uploaders for bench/loadtest.py (run by locust, headless).

Listeners poll a public feed with the ETag they got last (conditional
requests, as podcast apps do) and fetch a byte range of an episode from the
feed, as a player does when it starts or seeks. Uploaders send a short
recording as a new episode through the API. Every answer that is not the
expected one counts as a failure.

Settings come from the environment (bench/loadtest.py sets them):
``LOADTEST_FEEDS`` (JSON list of feed paths), ``LOADTEST_UPLOADERS`` (JSON
list of ``{"token", "group"}``), ``LOADTEST_WAV`` (a small WAV file).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import FastHttpUser, between, task

FEEDS = json.loads(os.environ.get("LOADTEST_FEEDS", "[]"))
UPLOADERS = json.loads(os.environ.get("LOADTEST_UPLOADERS", "[]"))
WAV = os.environ.get("LOADTEST_WAV", "")
_ACCOUNT = itertools.count()
ENCLOSURE = re.compile(rb'<enclosure url="https?://[^/"]+(/[^"]+)"')


class Listener(FastHttpUser):
    """A podcast app: conditional feed polls and media byte ranges."""

    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.feed = random.choice(FEEDS)  # noqa: S311 - load spread, not security
        self.etag: str | None = None
        self.media: list[str] = []

    @task(3)
    def poll_feed(self) -> None:
        headers = {"Accept-Encoding": "gzip"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        with self.client.get(
            self.feed, headers=headers, name="feed (conditional)", catch_response=True
        ) as resp:
            if resp.status_code == 200:
                self.etag = resp.headers.get("ETag")
                self.media = [m.decode() for m in ENCLOSURE.findall(resp.content or b"")]
                resp.success()
            elif resp.status_code == 304:
                resp.success()
            else:
                resp.failure(f"feed answered {resp.status_code}")

    @task(1)
    def play_range(self) -> None:
        if not self.media:
            return
        start = random.randrange(0, 200_000)  # noqa: S311
        with self.client.get(
            random.choice(self.media),  # noqa: S311
            headers={"Range": f"bytes={start}-{start + 65535}"},
            name="media range",
            catch_response=True,
        ) as resp:
            if resp.status_code == 206 or (resp.status_code == 200 and start == 0):
                resp.success()
            else:
                resp.failure(f"media range answered {resp.status_code}")


class Uploader(FastHttpUser):
    """A member sending a new recording through the API now and then."""

    fixed_count = len(UPLOADERS)
    wait_time = between(8, 15)

    def on_start(self) -> None:
        account = UPLOADERS[next(_ACCOUNT) % len(UPLOADERS)]
        self.token, self.group_slug = account["token"], account["group"]
        with open(WAV, "rb") as fh:
            self.wav = fh.read()

    @task
    def upload(self) -> None:
        boundary = "loadtest-boundary"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n'
                f"Lasttest\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f'name="audio"; filename="talk.wav"\r\nContent-Type: audio/wav\r\n\r\n'
            ).encode()
            + self.wav
            + f"\r\n--{boundary}--\r\n".encode()
        )
        with self.client.post(
            f"/api/v1/groups/{self.group_slug}/episodes",
            data=body,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
            name="upload episode",
            catch_response=True,
        ) as resp:
            if resp.status_code == 201:
                resp.success()
            else:
                resp.failure(f"upload answered {resp.status_code}: {resp.text[:200]}")
