"""Fixtures for the statistics: a published episode with a file of realistic
size, requests from chosen addresses and apps, and counting them."""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer
from sqlalchemy import select

from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.media.models import AssetKind, AssetState, MediaAsset
from mediahub.review.workflow import ItemState
from mediahub.stats import services
from mediahub.stats.models import StatsEpisodeDay, StatsFeedDay
from mediahub.stats.recording import hub_today, hub_zone, recording_of
from mediahub.stats.tasks import pass_now
from mediahub.storage import current_storage
from tests.conftest import close_every_answer, need

#: Five minutes at 64 kbps behind a 50 KB ID3 header (cover art).
HEADER = 50_000
SECONDS = 300
SIZE = HEADER + SECONDS * 8_000
#: One minute of audio plus the header: what a listener must have asked for.
NEEDED = HEADER + 60 * 8_000

PODCASTS = "Podcasts/1650.20 CFNetwork/1408.0.4 Darwin/22.5.0"
APPLE_CORE = "AppleCoreMedia/1.0.0.20E252 (iPhone; U; CPU OS 16_4_1 like Mac OS X; en_us)"
ANTENNAPOD = "AntennaPod/3.4.0"
OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
REDIS_URL = os.environ.get("MEDIAHUB_TEST_REDIS_URL")


@pytest.fixture
def client(client: Any) -> Any:
    return close_every_answer(client)


def store_audio(app: Any, size: int = SIZE, seconds: float = SECONDS, kbps: int = 64) -> Any:
    """A ready audio asset whose rendition has ``size`` bytes in the app's storage."""
    st = current_storage()
    data = b"ID3" + b"\0" * (size - 3)
    rendition = st.save(f"renditions/stats/{os.urandom(6).hex()}.mp3", io.BytesIO(data))
    asset = MediaAsset(
        kind=AssetKind.EPISODE_AUDIO,
        status=AssetState.READY,
        storage_backend=app.config["MEDIA_BACKEND"],
        original_key=rendition.key,
        original_size=size,
        original_sha256=rendition.sha256,
        rendition_key=rendition.key,
        rendition_size=rendition.size,
        rendition_sha256=rendition.sha256,
        content_type="audio/mpeg",
        duration_s=seconds,
        bitrate_kbps=kbps,
    )
    db.session.add(asset)
    db.session.flush()
    return asset


@pytest.fixture
def publish(app: Any, make_episode: Callable[..., Any]) -> Callable[..., Any]:
    """A published episode of ``group`` with a file of :data:`SIZE` bytes."""

    def make(group: Any, author: Any, **fields: Any) -> Any:
        episode = make_episode(group, author, audio=False, **fields)
        episode.audio = store_audio(app)
        episode.status = ItemState.PUBLISHED
        episode.published_at = utcnow() - dt.timedelta(days=1)
        db.session.commit()
        return episode

    return make


@pytest.fixture
def people(make_user: Callable[..., Any]) -> dict[str, Any]:
    return {
        "manager": make_user("Mira"),
        "editor": make_user("Emil"),
        "member": make_user("Malte"),
        "outsider": make_user("Olga"),
        "hub_editor": make_user("Hanna", hub_role="editor"),
        "admin": make_user("Ada", hub_role="admin"),
    }


@pytest.fixture
def team(make_group: Callable[..., Any], people: dict[str, Any]) -> Callable[..., Any]:
    """A group with a manager, an editor and a member."""

    def make(slug: str = "kreis", **fields: Any) -> Any:
        return make_group(
            slug,
            members={
                people["manager"]: "manager",
                people["editor"]: "editor",
                people["member"]: "member",
            },
            **fields,
        )

    return make


def listen(client: Any, url: str, agent: str, address: str = "203.0.113.7", **kw: Any) -> Any:
    """One request as a podcast app at ``address`` would send it."""
    method = kw.pop("method", "GET")
    headers = {"User-Agent": agent, **kw.pop("headers", {})}
    return client.open(
        url, method=method, headers=headers, environ_base={"REMOTE_ADDR": address}, **kw
    )


def count(app: Any) -> services.PassReport:
    """Write what the process recorded and count the day (as the worker does)."""
    recording = recording_of(app)
    assert recording is not None
    recording.flush()
    return pass_now()


def downloads(app: Any, episode: Any) -> int:
    """The episode's downloads today, after counting."""
    count(app)
    today = hub_today(hub_zone(app))
    found = db.session.scalar(
        select(StatsEpisodeDay.downloads).where(
            StatsEpisodeDay.episode_id == episode.id, StatsEpisodeDay.day == today
        )
    )
    return found or 0


def subscribers(app: Any, group_id: int | None, feed: str = "podcast") -> tuple[int, int]:
    """Today's (listeners, announced) of a feed, after counting."""
    count(app)
    today = hub_today(hub_zone(app))
    row = db.session.execute(
        select(StatsFeedDay.listeners, StatsFeedDay.announced).where(
            StatsFeedDay.group_id.is_(None)
            if group_id is None
            else StatsFeedDay.group_id == group_id,
            StatsFeedDay.feed == feed,
            StatsFeedDay.day == today,
        )
    ).first()
    return (row[0], row[1]) if row else (0, 0)


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[str]:
    """moto's S3 server on a free local port, with a bucket for the hub."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    starter = threading.Thread(target=server.start, daemon=True)
    starter.start()
    starter.join(timeout=15)
    need(not starter.is_alive(), "moto's S3 server did not start within 15 s")
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="eu-central-1"
    ).client("s3", endpoint_url=endpoint)
    s3.create_bucket(
        Bucket="hub-stats", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    s3.close()
    yield endpoint
    server.stop()
