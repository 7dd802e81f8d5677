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
from mediahub.episodes.services import (
    attach_audio,
    create_episode,
    set_chapters,
    set_transcript,
)
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


def load_demo(echo: Callable[[str], Any] = print, login_url: str = "/login") -> None:
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
    echo(f"Demo hub ready. Log in at {login_url} as one of these (password: {DEMO_PASSWORD}):")
    for line in login_lines([users[email] for email, _name, _role in PEOPLE]):
        echo(line)


_HUB_ROLES = {HubRole.ADMIN: "administrator of the hub", HubRole.EDITOR: "reviews every group"}
_GROUP_ROLES = {"member": "member", "editor": "editor", "manager": "manager"}


def login_lines(people: list[User]) -> list[str]:
    """One line per person: address, name, and their roles as stored (hub
    role, and the role in each group), so the list stays true."""
    width = max(len(p.email) for p in people) + 2
    lines = []
    for person in people:
        roles = [_HUB_ROLES[person.hub_role]] if person.hub_role in _HUB_ROLES else []
        by_role: dict[str, list[str]] = {}
        for membership in sorted(person.memberships, key=lambda m: m.group.name):
            group = membership.group
            shown = (
                group.name if group.visibility == "public" else f"{group.name} ({group.visibility})"
            )
            by_role.setdefault(str(membership.role), []).append(shown)
        for role, groups in by_role.items():
            roles.append(f"{_GROUP_ROLES.get(role, role)} of {', '.join(groups)}")
        lines.append(f"  {person.email:{width}}{person.display_name}: {'; '.join(roles)}")
    return lines


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


#: The demo episode: long enough to skip around in, with chapters and a
#: transcript, so that the player shows everything it does.
DEMO_SECONDS = 75
DEMO_CHAPTERS = (
    "00:00 Ankommen\n00:15 Wie ich zur Gruppe kam\n00:30 Was mir hilft\n00:55 Zum Schluss"
)
DEMO_TRANSCRIPT = """WEBVTT

00:00:00.000 --> 00:00:06.000
<v Mira>Willkommen zur ersten Folge vom Trauercafé Hamburg.

00:00:06.000 --> 00:00:15.000
<v Mira>Heute erzählen drei von uns, wie sie zur Gruppe gekommen sind.

00:00:15.000 --> 00:00:23.000
<v Sonnenblume>Nach dem Tod meiner Mutter wollte ich mit niemandem reden.

00:00:23.000 --> 00:00:30.000
<v Sonnenblume>Eine Freundin hat mir dann von den Dienstagabenden erzählt.

00:00:30.000 --> 00:00:38.000
<v Kai>Mir hilft es, dass hier niemand sagt, wie lange Trauer dauern darf.

00:00:38.000 --> 00:00:46.000
<v Kai>Manchmal reden wir, manchmal sitzen wir einfach zusammen.

00:00:46.000 --> 00:00:55.000
<v Sonnenblume>Ich gehe jedes Mal ein bisschen leichter nach Hause.

00:00:55.000 --> 00:01:05.000
<v Mira>Wenn ihr mögt, kommt einfach vorbei. Ihr müsst nichts sagen.
"""


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
    set_chapters(episode, author, DEMO_CHAPTERS)
    set_transcript(episode, author, DEMO_TRANSCRIPT.encode())
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "demo.wav"
        # A soft, speech-like tone as long as the transcript (no network, no samples).
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
                f"sine=frequency=220:duration={DEMO_SECONDS},volume=0.3",
                "-f",
                "lavfi",
                "-i",
                f"anoisesrc=color=pink:duration={DEMO_SECONDS}:amplitude=0.02",
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
