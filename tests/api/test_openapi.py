"""The OpenAPI description is generated from the code and matches DESIGN.md."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

# DESIGN.md's API contract: (method, path) pairs that must be documented.
CONTRACT = [
    ("post", "/api/v1/tokens"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/groups"),
    ("post", "/api/v1/groups"),
    ("get", "/api/v1/groups/{slug}"),
    ("patch", "/api/v1/groups/{slug}"),
    ("put", "/api/v1/groups/{slug}/cover"),
    ("post", "/api/v1/groups/{slug}/members"),
    ("post", "/api/v1/groups/{slug}/episodes"),
    ("get", "/api/v1/episodes/{item_id}"),
    ("patch", "/api/v1/episodes/{item_id}"),
    ("delete", "/api/v1/episodes/{item_id}"),
    ("put", "/api/v1/episodes/{item_id}/audio"),
    ("put", "/api/v1/episodes/{item_id}/transcript"),
    ("put", "/api/v1/episodes/{item_id}/chapters"),
    ("get", "/api/v1/episodes/{item_id}/transcript/machine"),
    ("put", "/api/v1/episodes/{item_id}/transcript/machine"),
    ("delete", "/api/v1/episodes/{item_id}/transcript/machine"),
    ("post", "/api/v1/episodes/{item_id}/transcript/machine/approve"),
    ("post", "/api/v1/episodes/{item_id}/transcript/machine/retry"),
    ("post", "/api/v1/groups/{slug}/feed-tokens"),
    ("delete", "/api/v1/groups/{slug}/feed-tokens/{token_id}"),
    ("put", "/api/v1/episodes/{item_id}/image"),
    ("post", "/api/v1/episodes/{item_id}/audio/uploads"),
    ("options", "/api/v1/uploads"),
    ("get", "/api/v1/uploads/{upload_id}"),
    ("patch", "/api/v1/uploads/{upload_id}"),
    ("delete", "/api/v1/uploads/{upload_id}"),
    ("post", "/api/v1/groups/{slug}/posts"),
    ("get", "/api/v1/posts/{item_id}"),
    ("patch", "/api/v1/posts/{item_id}"),
    ("delete", "/api/v1/posts/{item_id}"),
    *[
        ("post", f"/api/v1/{kind}/{{item_id}}/{action}")
        for kind in ("episodes", "posts")
        for action in ("submit", "review", "unpublish")
    ],
]


@pytest.fixture
def spec(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return resp.get_json()


def test_spec_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    validate(spec)


@pytest.mark.parametrize(("method", "path"), CONTRACT)
def test_contract_call_is_documented(spec, method, path):
    paths = {p.replace("<", "{").replace(">", "}"): v for p, v in spec["paths"].items()}
    assert path in paths, sorted(paths)
    assert method in paths[path]


def test_bearer_auth_is_declared(spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    review = spec["paths"]["/api/v1/episodes/{item_id}/review"]["post"]
    body = review["requestBody"]["content"]["application/json"]["schema"]
    assert "$ref" in body or "properties" in body
