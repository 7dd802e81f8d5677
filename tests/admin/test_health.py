"""The admins' health page and API, the worker heartbeat, and /healthz."""

from __future__ import annotations

import datetime as dt

from mediahub.admin import checks, tasks
from mediahub.admin.models import WorkerHeartbeat
from mediahub.core.extensions import db


def test_healthz_answers_ok_to_anybody(anonymous):
    resp = anonymous.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_data(as_text=True) == "ok"


def test_health_page_is_for_admins_only(make_user, browser, anonymous):
    assert anonymous.get("/admin/health").status_code == 302  # to the login
    assert browser(make_user("Anna")).get("/admin/health").status_code == 403
    assert browser(make_user("Eve", hub_role="editor")).get("/admin/health").status_code == 403


def test_health_page_shows_every_part(make_user, browser):
    admin = make_user("Admin", hub_role="admin")
    html = browser(admin).get("/admin/health").get_data(as_text=True)
    database = checks.database()
    assert database["at_head"]
    assert "Datenbank" in html and db.engine.dialect.name in html and database["head"] in html
    assert "Warteschlange" in html
    assert "Noch nie gesehen" in html  # no worker has run in this test
    assert "Medienspeicher" in html and "local" in html and "frei von" in html
    assert "ffmpeg" in html


def test_heartbeat_turns_red_after_three_minutes(app):
    now = dt.datetime.now(dt.UTC)
    tasks.beat(now - dt.timedelta(seconds=30))
    fresh = checks.worker(now)
    assert fresh["ok"] and fresh["seconds_ago"] == 30 and fresh["alive_workers"] == 1
    stale = checks.worker(now + dt.timedelta(minutes=4))
    assert not stale["ok"] and stale["seconds_ago"] == 270
    assert db.session.scalar(db.select(db.func.count()).select_from(WorkerHeartbeat)) == 1


def test_health_api(make_user, api_token, client):
    admin = make_user("Admin", hub_role="admin")
    tasks.worker_heartbeat()
    body = client.get("/api/v1/health", headers=api_token(admin)).json
    assert body["database"]["ok"] and body["database"]["at_head"]
    assert body["database"]["dialect"] in {"sqlite", "postgresql"}
    assert body["queue"]["ok"] and isinstance(body["queue"]["pending"], int)
    assert body["worker"]["ok"] and body["worker"]["seconds_ago"] < 60
    assert body["storage"] == {
        "ok": True,
        "backend": "local",
        "probe": "ok",
        "free_bytes": body["storage"]["free_bytes"],
        "total_bytes": body["storage"]["total_bytes"],
    }
    assert body["ffmpeg"]["ok"] and body["ffmpeg"]["version"]
    assert body["ok"] is True
    member = make_user("Anna")
    assert client.get("/api/v1/health", headers=api_token(member)).status_code == 403
    assert client.get("/api/v1/health").status_code == 401


def test_a_broken_storage_is_reported_not_raised(app):
    app.config["MEDIA_ROOT"] = "/proc/no-such-dir"
    app.extensions.pop("mediahub.storage", None)
    result = checks.storage()
    assert result["ok"] is False and result["error"]
