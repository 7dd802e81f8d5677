"""What operators and their tools see: /readyz for load balancers, /metrics for
Prometheus (only for whom it is meant), JSON log lines."""

from __future__ import annotations

import io
import json
import logging

import pytest

from mediahub.core import logs
from mediahub.storage import StorageError
from mediahub.web import metrics

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}


def test_readyz_says_ready_when_database_queue_and_storage_answer(anonymous):
    resp = anonymous.get("/readyz")
    assert resp.status_code == 200
    assert resp.get_json() == {"database": "ok", "queue": "ok", "storage": "ok"}


def test_readyz_names_what_fails_without_details(anonymous, monkeypatch):
    def broken(*_a, **_kw):
        raise StorageError("S3 is unreachable (http://10.0.0.4:5000): secret detail")

    monkeypatch.setattr("mediahub.storage.local.LocalStorage.exists", broken)
    resp = anonymous.get("/readyz")
    assert resp.status_code == 503
    assert resp.get_json() == {"database": "ok", "queue": "ok", "storage": "failed"}
    assert b"secret detail" not in resp.data
    assert resp.headers["Retry-After"]


def test_metrics_show_latency_by_endpoint_queue_and_asset_states(anonymous, audio_asset):
    from mediahub.core.extensions import db

    audio_asset("failed", "kaputt")
    audio_asset("processing")
    db.session.commit()
    anonymous.get("/healthz")
    anonymous.get("/feeds/private-kreis/private/0123456789abcdef/podcast.xml")
    resp = anonymous.get("/metrics", environ_base=LOCAL)
    assert resp.status_code == 200
    assert resp.content_type.startswith("text/plain; version=0.0.4")
    text = resp.get_data(as_text=True)
    assert 'mediahub_http_request_duration_seconds_count{endpoint="health.healthz"' in text
    assert "mediahub_queue_depth" in text
    assert 'mediahub_media_assets{state="failed"} 1.0' in text
    assert 'mediahub_media_assets{state="processing"} 1.0' in text
    # Endpoints, never paths: a path may hold a listener's secret token.
    assert "0123456789abcdef" not in text
    assert "private-kreis" not in text


def test_job_durations_and_failures_are_counted():
    before = _sample("mediahub_job_failures_total", task="mediahub.test.task")
    metrics.job_finished("mediahub.test.task", 2.5, failed=True)
    metrics.job_finished("mediahub.test.task", 0.5, failed=False)
    assert _sample("mediahub_job_failures_total", task="mediahub.test.task") == before + 1
    assert _sample("mediahub_job_duration_seconds_count", task="mediahub.test.task") >= 2


def _sample(name: str, **labels: str) -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.parametrize(
    ("environ", "token", "allowed"),
    [
        ({"REMOTE_ADDR": "127.0.0.1"}, None, True),
        ({"REMOTE_ADDR": "::1"}, None, True),
        ({"REMOTE_ADDR": "203.0.113.9"}, None, False),
        # Through a proxy on the same machine: the address is the proxy's.
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, None, False),
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": "for=203.0.113.9"}, None, False),
        (
            {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer s3cret-metrics"},
            "s3cret-metrics",
            True,
        ),
        ({"REMOTE_ADDR": "127.0.0.1"}, "s3cret-metrics", False),
        (
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_AUTHORIZATION": "Bearer wrong"},
            "s3cret-metrics",
            False,
        ),
        ({"REMOTE_ADDR": "not an address"}, None, False),
    ],
)
def test_who_may_read_the_metrics(environ, token, allowed):
    assert metrics.may_read(environ, token, ["127.0.0.0/8", "::1/128"]) is allowed


def test_metrics_are_not_there_for_others(app, anonymous):
    assert anonymous.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 404
    app.config["METRICS_TOKEN"] = "s3cret-metrics"
    assert anonymous.get("/metrics", environ_base=LOCAL).status_code == 404
    resp = anonymous.get(
        "/metrics", headers={"Authorization": "Bearer s3cret-metrics"}, environ_base=LOCAL
    )
    assert resp.status_code == 200


def test_json_logs_are_one_object_a_line():
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.JSONFormatter("worker"))
    log = logging.getLogger("mediahub.test.json")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("asset %s failed", 7, extra={"asset_id": 7})
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("with a trace")
    finally:
        log.removeHandler(handler)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["message"] == "asset 7 failed"
    assert first["level"] == "warning" and first["role"] == "worker"
    assert first["asset_id"] == 7 and first["time"].endswith("+00:00")
    assert "ValueError: boom" in second["exception"]
