"""What the feeds say about the hub itself (one value for every feed)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HubInfo:
    """What the feeds say about the hub itself."""

    name: str
    contact_email: str | None = None
    language: str = "de"
    #: Artwork of the hub-wide podcast feed (absolute URL); Apple lists no
    #: podcast without one (``artwork.hub_cover_url``).
    cover_url: str | None = None
    #: WebSub hubs announced in every feed that is not private.
    websub_hubs: tuple[str, ...] = ()
