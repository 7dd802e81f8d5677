"""Every API call that needs a login answers 401 before it looks at the body.

Walks every route under /api/v1: without a token, with a made-up token and
with another scheme, each with a body that would fail validation (or the
wrong content type), the answer is 401 with the Bearer challenge — never a
422 with field errors, a 415 or a 404 that tells something about the
endpoint or the data behind it.
"""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from mediahub.api.blueprint import PREFIX

#: The calls anybody may make. A new one here is a decision, not an accident.
PUBLIC = {
    ("POST", "/api/v1/tokens"),
    ("POST", "/api/v1/password-resets"),
    ("POST", "/api/v1/password-resets/complete"),
    ("GET", "/api/v1/groups"),
    ("GET", "/api/v1/groups/<slug>"),
    ("GET", "/api/v1/groups/<slug>/episodes"),
    ("GET", "/api/v1/episodes/<int:item_id>"),
    ("GET", "/api/v1/groups/<slug>/posts"),
    ("GET", "/api/v1/posts/<int:item_id>"),
    ("OPTIONS", "/api/v1/uploads"),
}
#: Served by flask-smorest itself (the OpenAPI description).
DOCUMENTATION = {"/api/v1/openapi.json"}

BAD_JSON = {"slug": 5, "name": ["x"], "email": {"a": 1}, "decision": 0, "chapters": None}
AUTHORIZATIONS = {
    "none": {},
    "made-up token": {"Authorization": "Bearer mh_invented_0123456789abcdef"},
    "empty bearer": {"Authorization": "Bearer "},
    "other scheme": {"Authorization": "Basic YWRtaW46YWRtaW4="},
}


def _calls(app: Any) -> list[tuple[str, str, str]]:
    calls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/") or rule.rule in DOCUMENTATION:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD"}):
            if method == "OPTIONS" and rule.provide_automatic_options:
                continue
            calls.append((method, rule.rule, _url(app, rule)))
    return calls


def _url(app: Any, rule: Rule) -> str:
    values = {}
    for name, converter in rule._converters.items():  # werkzeug's parsed rule
        if isinstance(converter, IntegerConverter):
            values[name] = "1"
        elif isinstance(converter, AnyConverter):
            values[name] = "intro"
        else:
            values[name] = "trauer"
    with app.test_request_context():
        return rule.build(values, append_unknown=False)[1]


def test_the_public_calls_are_exactly_the_known_ones(app):
    public = {
        (method, path)
        for method, path, _url in _calls(app)
        if getattr(app.view_functions[_endpoint(app, method, path)], "is_public", False)
        or (method, path) == ("OPTIONS", "/api/v1/uploads")
    }
    assert public == PUBLIC


def _endpoint(app: Any, method: str, path: str) -> str:
    for rule in app.url_map.iter_rules():
        if rule.rule == path and method in (rule.methods or set()):
            return rule.endpoint
    raise LookupError((method, path))


@pytest.mark.parametrize("who", list(AUTHORIZATIONS))
@pytest.mark.parametrize("body", ["bad-json", "wrong-type", "multipart", "none"])
def test_every_call_that_needs_a_login_answers_401_first(
    app, client, make_user, make_group, who, body
):
    user = make_user("Anna", hub_role="admin")
    make_group("trauer", members={user: "manager"})  # the data exists: still nothing leaks
    checked = 0
    for method, path, url in _calls(app):
        if (method, path) in PUBLIC:
            continue
        kwargs: dict[str, Any] = {"headers": {**AUTHORIZATIONS[who], "Tus-Resumable": "1.0.0"}}
        if method in {"POST", "PUT", "PATCH"}:
            kwargs.update(_body(body))
        resp = client.open(url, method=method, **kwargs)
        assert resp.status_code == 401, (method, url, who, body, resp.get_json())
        error = resp.get_json()["error"]
        assert error["code"] == "unauthorized" and "fields" not in error, (method, url)
        assert resp.headers["WWW-Authenticate"] == "Bearer"
        checked += 1
    assert checked > 40


def _body(kind: str) -> dict[str, Any]:
    if kind == "bad-json":
        return {"json": BAD_JSON}
    if kind == "wrong-type":
        return {"data": b"\x00\xff not what anybody takes", "content_type": "application/x-evil"}
    if kind == "multipart":
        return {"data": {"title": "", "season": "NaN"}, "content_type": "multipart/form-data"}
    return {}


def test_the_example_of_the_issue(client):
    resp = client.post("/api/v1/groups", json={"slug": "", "name": 42})
    assert resp.status_code == 401
    assert resp.get_json() == {
        "error": {
            "code": "unauthorized",
            "message": resp.get_json()["error"]["message"],
        }
    }


def test_a_login_still_gets_its_field_errors(client, make_user, api_token):
    headers = api_token(make_user("Ada", hub_role="admin"))
    resp = client.post("/api/v1/groups", headers=headers, json={"slug": "", "name": 42})
    assert resp.status_code == 422
    assert "name" in resp.get_json()["error"]["fields"]
