"""Requests to other servers: public addresses only, no redirects, bounded
in size and time. Every server here is on 127.0.0.1 (allowed explicitly)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mediahub.fediverse.remote import RemoteError, get_json, request, resolve


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/actor",
        "http://localhost:8080/actor",
        "http://10.1.2.3/actor",
        "http://192.168.0.1/actor",
        "http://172.16.5.4/actor",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[::1]/actor",
        "http://[::ffff:127.0.0.1]/actor",
        "http://[fd00::1]/",
        "http://224.0.0.1/",
        "file:///etc/passwd",
        "gopher://127.0.0.1/",
        "ftp://example.org/",
        "http://user:pw@127.0.0.1/",
        "https:///nohost",
        "http://[::1/",
        "http://127.0.0.1:99999/",
    ],
)
def test_only_public_http_addresses_are_asked(url):
    with pytest.raises(RemoteError):
        resolve(url)


def test_loopback_is_allowed_only_when_configured():
    assert resolve("http://127.0.0.1:8080/x?y=1", allow_private=True).path == "/x?y=1"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:1/elsewhere")
            self.end_headers()
            return
        if self.path == "/huge":
            self.send_response(200)
            self.end_headers()
            for _ in range(2000):
                self.wfile.write(b"x" * 1024)
            return
        body = {
            "/actor": b'{"id": "a", "host": "%s"}',
            "/list": b"[1, 2]",
            "/deep": b"[" * 50 + b"]" * 50,
        }
        payload = body.get(self.path, b"{}").replace(b"%s", self.headers["Host"].encode())
        self.send_response(200 if self.path in body else 404)
        self.send_header("Content-Type", "application/activity+json")
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_document_is_fetched_with_the_host_of_the_url(server):
    doc = get_json(f"{server}/actor", headers={}, allow_private=True)
    assert doc == {"id": "a", "host": server.removeprefix("http://")}


def test_a_local_server_is_refused_without_the_setting(server):
    with pytest.raises(RemoteError, match="public"):
        get_json(f"{server}/actor", headers={})


def test_redirects_are_not_followed(server):
    with pytest.raises(RemoteError, match="302"):
        get_json(f"{server}/redirect", headers={}, allow_private=True)


def test_answers_beyond_the_size_limit_are_dropped(server):
    with pytest.raises(RemoteError, match="larger"):
        request("GET", f"{server}/huge", headers={}, allow_private=True)


@pytest.mark.parametrize("path", ["/list", "/deep", "/missing"])
def test_anything_but_a_json_object_within_bounds_is_refused(server, path):
    with pytest.raises(RemoteError):
        get_json(f"{server}{path}", headers={}, allow_private=True)


def test_a_closed_port_is_an_error_not_a_crash():
    with pytest.raises(RemoteError, match="cannot reach"):
        get_json("http://127.0.0.1:1/actor", headers={}, allow_private=True, timeout_s=2)
