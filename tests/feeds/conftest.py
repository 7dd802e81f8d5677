"""Fixtures for feed tests: a hub with a contact address, published items,
and readers for the written files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from lxml import etree

from mediahub.core.extensions import db

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "atom": "http://www.w3.org/2005/Atom",
}
CONTACT = "kontakt@hub.test"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "CONTACT_EMAIL": CONTACT, "HUB_NAME": "Selbsthilfe-Hub"}


@pytest.fixture
def editor(make_user: Callable[..., Any]) -> Any:
    return make_user("Redaktion", hub_role="editor")


@pytest.fixture
def author(make_user: Callable[..., Any]) -> Any:
    return make_user("Sonnenblume")


@pytest.fixture
def publish(editor: Any) -> Callable[[Any], Any]:
    """Submit and approve an item through the real workflow; commits."""
    from mediahub.review import services as review

    def do(item: Any) -> Any:
        review.submit(item, item.author)
        review.approve(item, editor)
        db.session.commit()
        return item

    return do


@pytest.fixture
def feeds_root(app: Flask) -> Path:
    return Path(app.config["FEEDS_ROOT"])


def parse(data: bytes) -> Any:
    """The document as lxml parses it (refusing anything not well-formed)."""
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def xp(tree: Any, path: str) -> list[Any]:
    return tree.xpath(path, namespaces=NS)


def one(tree: Any, path: str) -> Any:
    found = xp(tree, path)
    assert len(found) == 1, f"{path}: {len(found)} matches"
    return found[0]
