"""Upload → ready, end to end, against a bare MP3 encode of the same WAV.

    python bench/bench_upload.py [--minutes 60] [--repeat 1]

Starts the one-machine default (``mediahub run``: production web server and
worker) in a temporary folder, makes an administrator (``mediahub users
create``), a group and an episode through the API, and then, measured from
outside like a member's app would see it:

- *end to end*: a resumable upload (tus ``POST`` + one ``PATCH`` with the
  whole WAV, as the README's curl example) until the episode's
  ``media.status`` is ``ready`` (see ``Poll``): upload,
  storage, hash, probe, loudness, encode, tags — everything;
- *bare encode*: ``ffmpeg -i in.wav -c:a libmp3lame -b:a 128k out.mp3``.

Rounds alternate. It prints both times, their ratio (goal ≤ 1.15), and the
peak resident memory of the server and all its children (web processes,
worker, ffmpeg), sampled every 20 ms (the process tree every 0.25 s). The
WAV is the speech-like signal of bench_audio.py (generated once into
bench/out/).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_audio import generate  # noqa: E402
from bench_feeds import free_port  # noqa: E402

#: The client asks for the episode at most every POLL_MAX_S and, once the
#: encode's progress (``media.progress``) says the end is near, every
#: POLL_MIN_S: as a member's app would, it asks often only when an answer is
#: due. (Asking every 0.05 s throughout, as this script first did, put 20 API
#: requests a second on the machine while it encoded and took about 4 % off
#: the encode; every 0.25 s, as it did next, left up to 0.25 s on the figure.)
POLL_MAX_S = 1.0
POLL_MIN_S = 0.05
PASSWORD = "bench-upload-password"  # noqa: S105 - a throwaway hub's account


def request(base: str, method: str, path: str, **kw: Any) -> tuple[int, dict[str, str], bytes]:
    headers = kw.pop("headers", {})
    data = kw.pop("data", None)
    if "json" in kw:
        data = json.dumps(kw.pop("json")).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=600) as resp:  # noqa: S310 - our own server
            return resp.status, _lower(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, _lower(err.headers), err.read()


def _lower(headers: Any) -> dict[str, str]:
    # granian sends header names in lower case (HTTP/1.1 names are case-insensitive).
    return {k.lower(): v for k, v in headers.items()}


class Memory(threading.Thread):
    """Peak of the summed resident memory of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        tree, looked = [self.pid], 0.0
        while not self.stop.wait(0.02):
            # Walking every thread's children is the costly part: the tree is
            # looked at every 0.25 s (an ffmpeg lives for seconds at least).
            if time.monotonic() - looked > 0.25:
                tree, looked = _tree(self.pid), time.monotonic()
            total = 0
            for pid in tree:
                with contextlib.suppress(OSError, ValueError, IndexError):
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
            self.peak = max(self.peak, total)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        with contextlib.suppress(OSError):  # the process may end while it is looked at
            for task in Path(f"/proc/{p}/task").glob("*"):
                with contextlib.suppress(OSError):
                    todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def start_hub(work: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    """The one-machine default with an admin, a group and its token."""
    port = free_port()
    env = {
        **os.environ,
        "MEDIAHUB_INSTANCE_PATH": str(work / "instance"),
        "MEDIAHUB_MEDIA_ROOT": str(work / "media"),
        "MEDIAHUB_FEEDS_ROOT": str(work / "feeds"),
        "MEDIAHUB_BASE_URL": f"http://127.0.0.1:{port}",
        # After "ready" the worker would transcribe the episode (a speech model
        # of some 450 MiB, both cores): in the next round that ran beside the
        # upload and the bare encode alike. Transcripts are not part of this path.
        "MEDIAHUB_TRANSCRIBE": "false",
    }
    mediahub = str(BIN / "mediahub")
    subprocess.run([mediahub, "init"], env=env, check=True, capture_output=True)
    subprocess.run(
        [mediahub, "users", "create", "bench@example.org", "--admin", "--password-stdin"],
        env=env, input=f"{PASSWORD}\n".encode(), check=True, capture_output=True,
    )  # fmt: skip
    with open(work / "server.log", "ab") as log:  # the server keeps its own copy
        server = subprocess.Popen(
            [mediahub, "run", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if request(base, "GET", "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    _s, _h, body = request(
        base, "POST", "/api/v1/tokens", json={"email": "bench@example.org", "password": PASSWORD}
    )
    token = json.loads(body)["token"]
    auth = {"Authorization": f"Bearer {token}"}
    request(base, "POST", "/api/v1/groups", json={"slug": "bench", "name": "Bench"}, headers=auth)
    return server, base, token


def upload_until_ready(base: str, token: str, wav: Path) -> tuple[float, float]:
    """Seconds from the first byte sent to ``ready``, as a client sees it, and
    of them the seconds until the upload's last piece was answered."""
    auth = {"Authorization": f"Bearer {token}"}
    boundary = "bench"
    form = f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBench\r\n--{boundary}--\r\n'  # noqa: E501
    status, _h, body = request(
        base, "POST", "/api/v1/groups/bench/episodes", data=form.encode(),
        headers={**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )  # fmt: skip
    assert status == 201, body
    episode = json.loads(body)["id"]
    tus = {**auth, "Tus-Resumable": "1.0.0"}
    size = wav.stat().st_size
    start = time.perf_counter()
    status, headers, body = request(
        base, "POST", f"/api/v1/episodes/{episode}/audio/uploads",
        headers={**tus, "Upload-Length": str(size)},
    )  # fmt: skip
    assert status == 201, body
    location = headers["location"]
    path = location[location.index("/api/") :]
    with wav.open("rb") as fh:
        status, body = send_file(
            base, path, fh,
            headers={**tus, "Upload-Offset": "0", "Content-Length": str(size),
                     "Content-Type": "application/offset+octet-stream"},
        )  # fmt: skip
    assert status == 204, body
    sent = time.perf_counter() - start
    poll = Poll()
    while True:
        _s, _h, body = request(base, "GET", f"/api/v1/episodes/{episode}", headers=auth)
        media = json.loads(body)["media"] or {}
        if media.get("status") == "ready":
            return time.perf_counter() - start, sent
        assert media.get("status") != "failed", media
        time.sleep(poll.wait(media.get("progress")))


class Poll:
    """When to ask again: half the time the encode's progress says is left,
    between POLL_MIN_S and POLL_MAX_S (POLL_MAX_S until it has said twice)."""

    def __init__(self) -> None:
        self.first: tuple[float, float] | None = None

    def wait(self, progress: float | None) -> float:
        now = time.perf_counter()
        if not isinstance(progress, float | int) or progress <= 0:
            return POLL_MAX_S
        if self.first is None:
            self.first = (now, progress)
            return POLL_MAX_S
        if progress <= self.first[1]:
            return POLL_MAX_S
        rate = (progress - self.first[1]) / (now - self.first[0])
        left = (1 - progress) / rate
        return min(POLL_MAX_S, max(POLL_MIN_S, left / 2))


def send_file(base: str, path: str, fh: Any, headers: dict[str, str]) -> tuple[int, bytes]:
    """PATCH a file's bytes in 1 MiB writes, as curl and the tus clients do.

    urllib's connection writes a file 8 KiB at a time: for 635 MB that is
    some 77,000 writes, about 2 s of CPU on the client and the server's side
    of the socket together — CPU that the server's upload needs on a
    two-core machine and a member's app does not take from it.
    """
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600, blocksize=2**20)
    try:
        conn.request("PATCH", path, body=fh, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def settle() -> None:
    """Write out what the last step left in the page cache before the next is
    timed: the kernel writes dirty pages out some 30 s later, which fell into
    the next timed step (the last upload's 635 MB original into the bare
    encode, the bare encode's MP3 into the upload)."""
    os.sync()
    time.sleep(1)


def bare_encode(wav: Path, out: Path) -> float:
    from mediahub.audio.ffmpeg import ffmpeg_path

    start = time.perf_counter()
    subprocess.run(
        [ffmpeg_path(), "-nostdin", "-loglevel", "error", "-y", "-i", str(wav),
         "-c:a", "libmp3lame", "-b:a", "128k", str(out)],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    wav = generate(args.minutes)
    with tempfile.TemporaryDirectory(prefix="mediahub-upload-") as tmp:
        work = Path(tmp)
        server, base, token = start_hub(work)
        memory = Memory(server.pid)
        memory.start()
        bare, ours = [], []
        try:
            for n in range(args.repeat):
                print(f"round {n + 1}: load average {os.getloadavg()[0]:.2f}", flush=True)
                settle()
                bare.append(bare_encode(wav, work / "bare.mp3"))
                settle()
                total, sent = upload_until_ready(base, token, wav)
                ours.append(total)
                print(f"  bare encode {bare[-1]:6.2f} s   upload -> ready {ours[-1]:6.2f} s "
                      f"(upload {sent:.2f} s)   "
                      f"ratio {ours[-1] / bare[-1]:.3f}   peak memory so far "
                      f"{memory.peak / 2**20:.0f} MiB", flush=True)  # fmt: skip
        finally:
            memory.stop.set()
            server.terminate()
            server.wait(timeout=120)
    b, o = statistics.median(bare), statistics.median(ours)
    print(
        f"{args.minutes}-minute WAV ({wav.stat().st_size / 1e6:.0f} MB), median of {args.repeat}:"
    )
    print(f"  bare encode (ffmpeg -c:a libmp3lame -b:a 128k)  {b:7.2f} s")
    print(f"  upload -> ready, end to end                      {o:7.2f} s   ratio {o / b:.3f}")
    print(f"  peak memory of server + worker + ffmpeg          {memory.peak / 2**20:7.1f} MiB")
    print("  goal: ratio <= 1.15, memory flat in the episode's length")
    return 0


if __name__ == "__main__":
    sys.exit(main())
