"""Hosts on this machine: one Linux network namespace each, joined by a bridge.

::

    root namespace (the test) ── veth ──┐
    <net>-db      10.R.S.2  ── veth ──┤
    <net>-redis   10.R.S.3  ── veth ──┤  bridge "br0" inside the namespace <net>-sw
    ...                                │
    <net>-lb      10.R.S.9  ── veth ──┘

Only what is created here is touched: namespaces and links named after
this run, addresses in a /24 that no route of the machine uses. Every host
has its own loopback and address; a process started "on" a host runs
inside its namespace (``ip netns exec``) and sees only that network.
Killing a host kills every process in its namespace (SIGKILL), like
pulling the plug; cutting its cable (the link's far end down) makes it
unreachable while it keeps running.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

IP = shutil.which("ip") or "/usr/sbin/ip"


class NetnsUnavailable(Exception):
    """Network namespaces cannot be made here (not root, no iproute2, a container)."""


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([IP, *args], capture_output=True, text=True, check=check, timeout=30)


def probe() -> None:
    """Raise :class:`NetnsUnavailable` with the reason when namespaces cannot be used."""
    name = f"mhprobe{os.getpid()}"
    try:
        ip("netns", "add", name)
    except FileNotFoundError:
        raise NetnsUnavailable("iproute2 (the ip command) is not installed") from None
    except subprocess.CalledProcessError as err:
        raise NetnsUnavailable(f"ip netns add is not permitted: {err.stderr.strip()}") from None
    try:
        ip("link", "add", f"{name}a", "type", "veth", "peer", "name", f"{name}b")
        ip("link", "del", f"{name}a")
    except subprocess.CalledProcessError as err:
        raise NetnsUnavailable(f"veth links cannot be made: {err.stderr.strip()}") from None
    finally:
        ip("netns", "del", name, check=False)


_ROUTE_TYPES = {"local", "broadcast", "unreachable", "blackhole", "prohibit", "throw", "multicast"}


def _used_networks() -> list[ipaddress.IPv4Network]:
    used = []
    for line in ip("-4", "route", "show", "table", "all").stdout.splitlines():
        words = line.split()
        dest = words[1] if words and words[0] in _ROUTE_TYPES and len(words) > 1 else words[0]
        with contextlib.suppress(ValueError, IndexError):
            used.append(ipaddress.ip_network(dest, strict=False))
    for line in ip("-4", "-o", "addr").stdout.splitlines():
        with contextlib.suppress(ValueError, IndexError):
            used.append(ipaddress.ip_network(line.split()[3], strict=False))
    return used


def free_subnet() -> ipaddress.IPv4Network:
    """A /24 in 10.0.0.0/8 that no route and no address of this machine touches."""
    used = _used_networks()
    start = os.getpid()
    for n in range(300):
        second, third = 100 + (start + n) % 150, (start // 150 + n * 7) % 250
        candidate = ipaddress.ip_network(f"10.{second}.{third}.0/24")
        if not any(candidate.overlaps(u) for u in used):
            return candidate
    raise NetnsUnavailable("no free 10.x.y.0/24 for the test network")


@dataclass
class Host:
    """One machine: a namespace, an address, the processes started on it."""

    net: Network
    name: str
    index: int
    address: str
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def ns(self) -> str:
        return f"{self.net.prefix}-{self.name}"

    @property
    def cable(self) -> str:
        """The bridge side of this host's link (inside the switch namespace)."""
        return f"{self.net.prefix}h{self.index}"

    def popen(
        self,
        args: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        log: Path | None = None,
        cwd: Path | None = None,
        stdin: Any = subprocess.DEVNULL,
    ) -> subprocess.Popen[bytes]:
        """Start ``args`` on this host (output appended to ``log``)."""
        out: IO[bytes] | int = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
        proc = subprocess.Popen(
            [IP, "netns", "exec", self.ns, *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=stdin,
            cwd=cwd,
            start_new_session=True,
        )
        if log:
            out.close()  # type: ignore[union-attr]
        self.procs.append(proc)
        return proc

    def run(
        self,
        args: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        input: str | None = None,
        timeout: float = 120,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``args`` on this host to its end."""
        result = subprocess.run(
            [IP, "netns", "exec", self.ns, *args],
            env=env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode:
            raise AssertionError(
                f"{' '.join(args)} on {self.name} exited {result.returncode}:\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def pids(self) -> list[int]:
        out = ip("netns", "pids", self.ns, check=False).stdout
        return [int(p) for p in out.split()]

    def kill(self) -> None:
        """Pull the plug: SIGKILL every process in the namespace, at once."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for proc in self.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
        self.procs.clear()

    def unplug(self) -> None:
        """Cut the host's cable: it keeps running but nobody reaches it."""
        ip("-n", self.net.switch, "link", "set", self.cable, "down")

    def plug(self) -> None:
        ip("-n", self.net.switch, "link", "set", self.cable, "up")

    def wait_port(self, port: int, timeout: float = 60) -> None:
        """Wait until something listens on ``address:port`` (checked from the host)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            listening = self.run(["ss", "-Hltn", f"sport = :{port}"], check=False).stdout
            if listening.strip():
                return
            time.sleep(0.2)
        raise TimeoutError(f"nothing listens on {self.name}:{port} after {timeout} s")


class Network:
    """The switch namespace with its bridge, the hosts, and the test's own link."""

    def __init__(self, prefix: str | None = None) -> None:
        self.prefix = prefix or f"mhc{os.getpid() % 10000}"
        self.subnet = free_subnet()
        hosts = list(self.subnet.hosts())
        self._addresses = iter(str(a) for a in hosts[1:])
        self.gateway = str(hosts[0])  # the test's address, in the root namespace
        self.hosts: dict[str, Host] = {}

    @property
    def switch(self) -> str:
        return f"{self.prefix}-sw"

    @property
    def _root_link(self) -> str:
        return f"{self.prefix}r"

    def create(self) -> None:
        ip("netns", "add", self.switch)
        ip("-n", self.switch, "link", "add", "br0", "type", "bridge")
        ip("-n", self.switch, "link", "set", "br0", "up")
        ip("link", "add", self._root_link, "type", "veth", "peer", "name", f"{self.prefix}R")
        ip("link", "set", f"{self.prefix}R", "netns", self.switch)
        ip("-n", self.switch, "link", "set", f"{self.prefix}R", "master", "br0", "up")
        ip("addr", "add", f"{self.gateway}/{self.subnet.prefixlen}", "dev", self._root_link)
        ip("link", "set", self._root_link, "up")

    def add_host(self, name: str) -> Host:
        host = Host(self, name, len(self.hosts) + 1, next(self._addresses))
        ip("netns", "add", host.ns)
        ip("-n", host.ns, "link", "set", "lo", "up")
        ip("link", "add", host.cable, "type", "veth", "peer", "name", f"{host.cable}e")
        ip("link", "set", f"{host.cable}e", "netns", host.ns)
        ip("-n", host.ns, "link", "set", f"{host.cable}e", "name", "eth0")
        ip("-n", host.ns, "addr", "add", f"{host.address}/{self.subnet.prefixlen}", "dev", "eth0")
        ip("-n", host.ns, "link", "set", "eth0", "up")
        ip("link", "set", host.cable, "netns", self.switch)
        ip("-n", self.switch, "link", "set", host.cable, "master", "br0", "up")
        self.hosts[name] = host
        return host

    def destroy(self) -> None:
        """Kill every process on every host and remove all that was created."""
        for host in self.hosts.values():
            host.kill()
            ip("netns", "del", host.ns, check=False)
        ip("link", "del", self._root_link, check=False)
        ip("netns", "del", self.switch, check=False)
