"""A person's own data as a ZIP: ``account.json`` plus their audio files.

The archive is streamed: files are copied from storage chunk by chunk into
the response, so a long episode never sits in memory whole.
"""

from __future__ import annotations

import json
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from sqlalchemy import select

from mediahub.accounts.email_change import pending_change
from mediahub.accounts.models import ApiToken, User
from mediahub.clips.models import Clip
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.episodes.models import Episode
from mediahub.posts.models import Post
from mediahub.review.kinds import Reviewable
from mediahub.review.services import history_for
from mediahub.storage.errors import ObjectNotFound

CHUNK = 1024 * 1024
_EXTENSIONS = {
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
}


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One stored object to copy into the archive."""

    arcname: str
    key: str


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _history(item: Reviewable, user: User) -> list[dict[str, Any]]:
    return [
        {
            "at": _iso(e.created_at),
            "action": e.action.value,
            "from": e.from_state.value,
            "to": e.to_state.value if e.to_state else None,
            "comment": e.comment,
            "by": "you" if e.actor_id == user.id else ("editor" if e.actor_id else "system"),
            "publish_at": _iso(e.publish_at),
        }
        for e in history_for(item.item_type, item.id)
    ]


def _common(item: Reviewable, user: User) -> dict[str, Any]:
    return {
        "id": item.id,
        "guid": item.guid,
        "group": item.group.slug,
        "title": item.title,
        "content_note": item.content_note,
        "status": item.status.value,
        "created_at": _iso(item.created_at),
        "updated_at": _iso(item.updated_at),
        "published_at": _iso(item.published_at),
        "review_history": _history(item, user),
    }


def _audio_files(episode: Any) -> list[ExportFile]:
    asset = episode.audio
    if asset is None:
        return []
    base = f"episodes/{episode.id}"
    ext = posixpath.splitext(asset.original_key)[1] or _EXTENSIONS.get(
        asset.original_content_type or "", ".bin"
    )
    files = [ExportFile(f"{base}/original{ext}", asset.original_key)]
    if asset.rendition_key:
        files.append(ExportFile(f"{base}/episode.mp3", asset.rendition_key))
    return files


def _pending_email(user: User) -> dict[str, Any] | None:
    row = pending_change(user)
    return {"new_email": row.new_email, "expires_at": _iso(row.expires_at)} if row else None


def _clips(user: User) -> list[dict[str, Any]]:
    """The passages the person marked as clips (their videos are the group's)."""
    return [
        {
            **_common(c, user),
            "episode": c.episode.guid,
            "start_s": c.start_s,
            "duration_s": c.duration_s,
        }
        for c in db.session.scalars(select(Clip).where(Clip.author_id == user.id).order_by(Clip.id))
    ]


def collect(user: User) -> tuple[dict[str, Any], list[ExportFile]]:
    """Everything about ``user`` (and nobody else) and the files to include."""

    episodes, posts, files = [], [], []
    for episode in db.session.scalars(
        select(Episode).where(Episode.author_id == user.id).order_by(Episode.id)
    ):
        episode_files = _audio_files(episode)
        files.extend(episode_files)
        episodes.append(
            {
                **_common(episode, user),
                "description": episode.description,
                "episode_type": episode.episode_type.value,
                "season": episode.season,
                "number": episode.number,
                "chapters": episode.chapters,
                "transcript_vtt": episode.transcript_vtt,
                "files": [f.arcname for f in episode_files],
            }
        )
    for post in db.session.scalars(select(Post).where(Post.author_id == user.id).order_by(Post.id)):
        posts.append({**_common(post, user), "body": post.body})
    clips = _clips(user)
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))
    data = {
        "exported_at": _iso(utcnow()),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "hub_role": user.hub_role.value,
            "locale": user.locale,
            "is_credited": user.is_credited,
            "email_notifications": user.email_notifications,
            "created_at": _iso(user.created_at),
            "password_changed_at": _iso(user.password_changed_at),
            "email_change_waiting": _pending_email(user),
        },
        "memberships": [
            {
                "group": m.group.slug,
                "group_name": m.group.name,
                "role": m.role.value,
                "since": _iso(m.created_at),
            }
            for m in sorted(user.memberships, key=lambda m: m.group.slug)
        ],
        "api_tokens": [
            {
                "label": t.label,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
            }
            for t in tokens
        ],
        "episodes": episodes,
        "posts": posts,
        "clips": clips,
    }
    return data, files


class _Sink:
    """A write-only file for ZipFile that hands written bytes to a generator."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._offset = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self._offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts.clear()
        return out


def stream_zip(data: dict[str, Any], files: list[ExportFile], storage: Any) -> Iterator[bytes]:
    """Yield the ZIP archive piece by piece (memory: about one chunk).

    A file missing from storage is noted in ``missing-files.txt`` instead of
    breaking the download.
    """
    sink = _Sink()
    missing: list[str] = []
    with zipfile.ZipFile(cast(IO[bytes], sink), "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("account.json", json.dumps(data, ensure_ascii=False, indent=2))
        yield sink.take()
        for f in files:
            try:
                with storage.open(f.key) as source:
                    # Audio hardly compresses: store it as it is.
                    info = zipfile.ZipInfo(f.arcname, date_time=utcnow().timetuple()[:6])
                    info.compress_type = zipfile.ZIP_STORED
                    with zf.open(info, "w", force_zip64=True) as target:
                        while chunk := source.read(CHUNK):
                            target.write(chunk)
                            yield sink.take()
            except ObjectNotFound:
                missing.append(f.arcname)
            yield sink.take()
        if missing:
            zf.writestr("missing-files.txt", "\n".join(missing) + "\n")
    yield sink.take()
