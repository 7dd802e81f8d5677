"""Stopping an ffmpeg process that grows beyond a memory limit (Linux)."""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path


class MemoryWatchdog(threading.Thread):
    """Kill a process whose resident set grows beyond a limit.

    An address-space rlimit would not do: ffmpeg reserves far more virtual
    memory (thread stacks, encoder lookahead) than it ever touches.
    """

    def __init__(self, proc: subprocess.Popen[bytes], limit: int) -> None:
        super().__init__(daemon=True)
        self._proc = proc
        self.limit = limit
        self._done = threading.Event()
        self.exceeded = False
        self.start()

    def run(self) -> None:
        status = Path(f"/proc/{self._proc.pid}/status")
        while not self._done.wait(0.25):
            try:
                text = status.read_text()
            except OSError:  # gone, or no /proc on this system
                return
            match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE)
            if match and int(match.group(1)) * 1024 > self.limit:
                self.exceeded = True
                self._proc.kill()
                return

    def stop(self) -> None:
        self._done.set()
        self.join()
