"""An idempotent demo hub: a few groups, people, drafts, and published items.

Everything goes through the real services (and the real audio pipeline), so
the demo shows what the platform does, not what a fixture pretends.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mediahub.accounts.models import HubRole, User
from mediahub.accounts.services import create_user, user_by_email
from mediahub.audio.ffmpeg import ffmpeg_path
from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.episodes.services import attach_audio, create_episode
from mediahub.groups.models import Group
from mediahub.groups.services import create_group, group_by_slug, set_member
from mediahub.media import processing
from mediahub.posts.models import Post
from mediahub.posts.services import create_post
from mediahub.review import services as review
from mediahub.site.models import SiteTextKey
from mediahub.site.texts import all_texts, save_texts

DEMO_PASSWORD = "demo-mediahub"  # noqa: S105 - printed on purpose; only the local demo hub

PEOPLE = [
    ("admin@demo.example.org", "Hub-Admin", HubRole.ADMIN),
    ("redaktion@demo.example.org", "Redaktion (Hub)", HubRole.EDITOR),
    ("sonnenblume@demo.example.org", "Sonnenblume", HubRole.NONE),
    ("kai@demo.example.org", "Kai", HubRole.NONE),
    ("mira@demo.example.org", "Mira (Gruppenleitung)", HubRole.NONE),
]
GROUPS = [
    {
        "slug": "trauer-hamburg",
        "name": "Trauercafé Hamburg",
        "category": "grief",
        "description": "Wir sind Menschen, die einen nahen Menschen verloren haben. "
        "Wir treffen uns jeden zweiten Dienstag.",
    },
    {
        "slug": "zwischenraum",
        "name": "Zwischenraum - Depression",
        "category": "depression",
        "description": "Selbsthilfegruppe für Menschen mit Depressionen.",
    },
    {
        "slug": "angehoerige-sucht",
        "name": "Angehörige von Suchtkranken",
        "category": "addiction",
        "visibility": "private",
        "description": "Ein geschützter Raum für Angehörige. Nur für Mitglieder.",
    },
]
MEMBERS = {
    "trauer-hamburg": [
        ("sonnenblume@demo.example.org", "member"),
        ("mira@demo.example.org", "manager"),
    ],
    "zwischenraum": [
        ("kai@demo.example.org", "member"),
        ("mira@demo.example.org", "editor"),
    ],
    "angehoerige-sucht": [("sonnenblume@demo.example.org", "member")],
}


def load_demo(echo: Callable[[str], Any] = print) -> None:
    """Create whatever of the demo hub is missing, and print the logins."""
    users = {
        email: user_by_email(email) or create_user(email, name, DEMO_PASSWORD, role)
        for email, name, role in PEOPLE
    }
    for fields in GROUPS:
        group = group_by_slug(fields["slug"]) or create_group(fields)
        for email, role in MEMBERS[fields["slug"]]:
            set_member(group, email, role)
    db.session.commit()
    _demo_texts(users["admin@demo.example.org"])
    _demo_items(users)
    echo(f"Demo hub ready. Log in at /login with one of these (password: {DEMO_PASSWORD}):")
    for email, name, role in PEOPLE:
        echo(f"  {email:40} {name} ({role.value})")


HELP_FOOTER = {
    "de": "**Sie brauchen jetzt Hilfe?** Die TelefonSeelsorge ist rund um die Uhr für Sie da, "
    "kostenlos und anonym: [0800 111 0 111](tel:+498001110111) oder "
    "[0800 111 0 222](tel:+498001110222).",
    "en": "**Do you need help now?** The TelefonSeelsorge crisis line (in German) is there "
    "for you day and night, free and anonymous: [0800 111 0 111](tel:+498001110111) or "
    "[0800 111 0 222](tel:+498001110222).",
}


def _demo_texts(admin: User) -> None:
    """The crisis numbers in the footer, unless an admin wrote their own."""
    stored = all_texts()
    missing = {
        (SiteTextKey.HELP_FOOTER, lang): text
        for lang, text in HELP_FOOTER.items()
        if not stored.get((SiteTextKey.HELP_FOOTER, lang))
    }
    if missing:
        save_texts(missing, admin)
        db.session.commit()


def _demo_group(slug: str) -> Group:
    group = group_by_slug(slug)
    if group is None:  # _demo_groups made them just before
        raise LookupError(f"demo group {slug!r} is missing")
    return group


def _demo_items(users: dict[str, User]) -> None:
    grief = _demo_group("trauer-hamburg")
    author = users["sonnenblume@demo.example.org"]
    editor = users["mira@demo.example.org"]
    if not db.session.scalar(select(Post).where(Post.group_id == grief.id)):
        post = create_post(
            grief,
            author,
            {
                "title": "Warum ich zum Trauercafé gehe",
                "body": "Am Anfang wollte ich mit **niemandem** reden.\n\n"
                "Heute ist der Dienstagabend ein fester Halt in meiner Woche.",
            },
        )
        review.submit(post, author)
        review.approve(post, editor, comment="Danke fürs Teilen!")
        create_post(grief, author, {"title": "Entwurf: Der erste Jahrestag", "body": "…"})
        db.session.commit()
    if not db.session.scalar(select(Episode).where(Episode.group_id == grief.id)):
        _demo_episode(grief, author, editor)
    kai = users["kai@demo.example.org"]
    group = _demo_group("zwischenraum")
    if not db.session.scalar(select(Post).where(Post.group_id == group.id)):
        post = create_post(
            group, kai, {"title": "Kleine Schritte", "body": "Was mir an schlechten Tagen hilft."}
        )
        review.submit(post, kai)
        db.session.commit()


def _demo_episode(group: Any, author: User, editor: User) -> None:

    episode = create_episode(
        group,
        author,
        {
            "title": "Folge 1: Wie wir uns gefunden haben",
            "description": "Drei Mitglieder erzählen, wie sie zur Gruppe gekommen sind.",
            "content_note": "Thema: Tod eines nahen Menschen",
            "season": 1,
            "number": 1,
        },
    )
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "demo.wav"
        # Twenty seconds of a soft, speech-like tone (no network, no samples).
        subprocess.run(
            [
                ffmpeg_path(),
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=220:duration=20,volume=0.3",
                "-f",
                "lavfi",
                "-i",
                "anoisesrc=color=pink:duration=20:amplitude=0.02",
                "-filter_complex",
                "amix=inputs=2,tremolo=f=3:d=0.7",
                "-ar",
                "44100",
                "-ac",
                "2",
                str(wav),
            ],
            check=True,
            timeout=60,
        )
        with wav.open("rb") as fh:
            asset = attach_audio(episode, fh, uploader=author, content_type="audio/wav")
        db.session.commit()
    processing.process(asset.id)
    db.session.refresh(episode)
    review.submit(episode, author)
    if episode.audio.is_ready:
        review.approve(episode, editor)
    db.session.commit()
