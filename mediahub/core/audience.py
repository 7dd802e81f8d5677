"""Who is asking, seen from one object: the audiences that decide what is shown.

What a group, an episode or a post shows depends on the reader's relation to
it. The levels are ordered: each one sees everything the levels below see.
The policies decide a reader's level (``groups.policy.group_audience``,
``review.policy.item_audience``); the API's schemas declare the lowest level
that may see each field (``api.schemas.AudienceSchema``).
"""

from __future__ import annotations

import enum


class Audience(enum.IntEnum):
    #: Anybody who may read the object: anonymous callers, people outside the
    #: group (of a public or unlisted group; a private one they cannot read).
    PUBLIC = 0
    #: A member of the object's group (any role).
    MEMBER = 10
    #: The item's author.
    AUTHOR = 20
    #: Those who review the group's items: its editors and managers, hub
    #: editors and hub administrators.
    EDITOR = 30
    #: Those who run the group: its managers and hub administrators.
    MANAGER = 40
