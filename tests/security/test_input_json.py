"""Request JSON is parsed in one place, with bounds; every API field is one of ours.

What a hostile client sends as JSON (100,000 brackets, NaN, 1e400, bytes
that are not UTF-8, a body of megabytes) is answered with a 4xx that says
what is wrong, before any view or schema runs.
"""

from __future__ import annotations

import pytest
from flask import Flask
from marshmallow import Schema
from marshmallow import fields as ma

from mediahub.api import fields as ours

from .input_setup import SLUG, make_team


@pytest.fixture
def team(make_user, make_group, api_token):
    return make_team(make_user, make_group, api_token)


def _targets(team, make_episode):
    episode = make_episode(team.group, team.manager)
    return [
        ("post", "/api/v1/tokens", {"Accept-Language": "en"}),  # not even logged in
        ("patch", "/api/v1/users/me", team.as_manager),
        ("post", f"/api/v1/groups/{SLUG}/posts", team.as_manager),
        ("patch", f"/api/v1/groups/{SLUG}", team.as_manager),
        ("put", f"/api/v1/episodes/{episode.id}/chapters", team.as_manager),
        ("post", f"/api/v1/episodes/{episode.id}/review", team.as_editor),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,
        "{" * 100_000,
        '{"a":' * 50_000,
        "[" * 33 + "]" * 33,  # one level more than allowed
        '{"chapters": ' + "[" * 40 + "]" * 40 + "}",
    ],
    ids=["brackets", "braces", "objects", "33-levels", "deep-value"],
)
def test_deeply_nested_json_is_refused_at_once(client, team, make_episode, body):
    for method, url, headers in _targets(team, make_episode):
        resp = getattr(client, method)(
            url, data=body, content_type="application/json", headers=headers
        )
        assert resp.status_code == 400, (url, resp.get_json())
        error = resp.get_json()["error"]
        assert error["code"] == "bad_json"
        assert "nested too deeply" in error["message"] or "not valid JSON" in error["message"]


def test_json_as_deep_as_allowed_is_read(client, team):
    deep = "[" * 31 + "1" + "]" * 31
    resp = client.patch(
        "/api/v1/users/me",
        data='{"display_name": "Maren", "x": ' + deep + "}",
        content_type="application/json",
        headers=team.as_manager,
    )
    # Read, then refused by the schema for the unknown field: not by the parser.
    assert resp.status_code == 422
    assert "x" in resp.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{"display_name": NaN}', "NaN"),
        ('{"display_name": Infinity}', "Infinity"),
        ('{"display_name": -Infinity}', "-Infinity"),
        ('{"display_name": 1e400}', "too large"),
        ('{"display_name": -1e400}', "too large"),
        ('{"display_name": "a",}', "not valid JSON"),
        ('{"display_name": ' + "9" * 5000 + "}", "too long"),
    ],
)
def test_numbers_json_does_not_know_are_refused(client, team, body, says):
    resp = client.patch(
        "/api/v1/users/me", data=body, content_type="application/json", headers=team.as_manager
    )
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "bad_json"
    assert says in resp.get_json()["error"]["message"]


def test_a_body_that_is_not_utf8_is_refused(client, team):
    resp = client.patch(
        "/api/v1/users/me",
        data='{"display_name": "Jürgen"}'.encode("latin-1"),
        content_type="application/json",
        headers=team.as_manager,
    )
    assert resp.status_code == 400
    assert "UTF-8" in resp.get_json()["error"]["message"]


def test_a_json_body_larger_than_allowed_is_refused_before_reading(app, client, team):
    app.config["MAX_JSON_BYTES"] = 1024
    resp = client.post(
        f"/api/v1/groups/{SLUG}/posts",
        json={"title": "Lang", "body": "x" * 2000},
        headers=team.as_manager,
    )
    assert resp.status_code == 413
    assert resp.get_json()["error"]["code"] == "too_large"
    assert "at most 1 KB" in resp.get_json()["error"]["message"]


def test_empty_json_body_is_no_body(client, team, make_episode):
    # An app that sends Content-Type: application/json without a body.
    episode = make_episode(team.group, team.manager)
    resp = client.post(
        f"/api/v1/episodes/{episode.id}/submit",
        data=b"",
        content_type="application/json",
        headers=team.as_manager,
    )
    assert resp.status_code == 200


# --- Every field of every API schema is one of ours ---------------------------

#: marshmallow's own types a schema may use: they only answer (Function,
#: Method) or only hold fields that are checked themselves (Nested, List).
_CONTAINERS = (ma.Function, ma.Method, ma.Nested, ma.List)
_OURS = (
    ours.Str,
    ours.Int,
    ours.Bool,
    ours.Float,
    ours.AwareDateTime,
    ours.Url,
    ours.File,
    ours.AnyJSON,
    ours.Dict,
    ours.Date,
    ours.Day,
)


def _our_schemas(app: Flask) -> list[type[Schema]]:
    """Every schema class the application defines (the app has imported them all)."""
    found, todo = set(), [Schema]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("mediahub."):
                found.add(sub)
    assert len(found) > 20, "the API's schemas were not found"
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def _fields(field: ma.Field) -> list[ma.Field]:
    if isinstance(field, ma.List):
        return [field, *_fields(field.inner)]
    return [field]


def _input_schemas(app: Flask) -> set[type[Schema]]:
    """The schemas endpoints load requests with (``@blp.arguments``)."""
    found = set()
    for view in app.view_functions.values():
        for parameter in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
            schema = parameter["schema"]
            found.add(schema if isinstance(schema, type) else type(schema))
    return found


def test_every_api_field_is_one_of_ours(app):
    wrong = []
    for cls in _our_schemas(app):
        for name, field in cls().fields.items():
            for each in _fields(field):
                if isinstance(each, _OURS) or type(each) in _CONTAINERS:
                    continue
                # An answer-only container may dump its own way; it takes nothing in.
                if each.dump_only and isinstance(each, _CONTAINERS):
                    continue
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: {type(each).__name__}")
    assert not wrong, "use mediahub.api.fields, not marshmallow's own: " + ", ".join(wrong)


def test_every_text_an_endpoint_takes_is_bounded(app):
    inputs = _input_schemas(app)
    assert len(inputs) > 10
    unbounded = [
        f"{cls.__name__}.{name}"
        for cls in inputs
        for name, field in cls().fields.items()
        if isinstance(field, ours.Str) and not field.dump_only and field.max_length is None
    ]
    assert not unbounded, f"give these a max_length (the column's size): {unbounded}"


def test_the_openapi_description_shows_the_bounds(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    group = spec["components"]["schemas"]["GroupFields"]["properties"]
    assert group["name"]["maxLength"] == 120
    episode = spec["components"]["schemas"]["EpisodeUpdate"]["properties"]
    assert (episode["season"]["minimum"], episode["season"]["maximum"]) == (1, 9999)
