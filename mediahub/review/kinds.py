"""What goes through review: the reviewable item and the registry of its kinds.

Episodes and posts (and whatever comes next: clips, transcripts) share one
workflow. ``review`` knows them only through this module: a :class:`Reviewable`
is anything with the columns of ``ReviewableMixin``; an :class:`ItemKind`
says how one kind of them is named, stored, shown and checked. Each kind
registers itself from its feature's ``init_app`` (``register_kind``); the
workflow, the queue, the item pages and the API then work for every
registered kind, and ``review`` imports no concrete kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from flask_babel import lazy_gettext as _l

from mediahub.review.workflow import ItemState

if TYPE_CHECKING:
    from mediahub.accounts.models import User
    from mediahub.groups.models import Group


class Reviewable(Protocol):
    """An item that goes through review (the columns of ``ReviewableMixin``)."""

    #: The kind's name ("episode"): in audit rows, URLs and signals.
    item_type: str
    id: int
    guid: str
    title: str
    content_note: str
    status: ItemState
    publish_at: dt.datetime | None
    published_at: dt.datetime | None
    submitted_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    #: What the editors saw at their last decision ({"at", "fields"}), or None.
    review_snapshot: dict[str, Any] | None

    # Set when the item is made; the workflow only reads them.
    @property
    def group_id(self) -> int: ...

    @property
    def author_id(self) -> int | None: ...

    @property
    def group(self) -> Group: ...

    @property
    def author(self) -> User | None: ...

    @property
    def is_public(self) -> bool: ...


def _no_check(item: Reviewable) -> None:
    """A kind without extra conditions for this step."""


def _no_context(item: Reviewable) -> dict[str, Any]:
    return {}


def _title_and_note(item: Reviewable) -> dict[str, str]:
    return {"title": item.title or "", "content_note": item.content_note or ""}


#: The fields every kind compares, with the labels editors read.
BASE_COMPARED: tuple[tuple[str, Any], ...] = (
    ("title", _l("Title")),
    ("content_note", _l("Content note")),
)


@dataclass(frozen=True, eq=False)
class ItemKind:
    """One kind of reviewable item and what the shared workflow needs to know about it.

    Each kind is one object, registered once: equal means the same object."""

    #: "episode": the value of ``item_type`` and of audit rows' ``item_type``.
    name: str
    #: The mapped class (a ``ReviewableMixin`` model).
    model: type[Any]
    #: "episodes": the first part of the item's addresses (``/episodes/7``).
    collection: str
    #: The public page's endpoint (``slug`` and ``item_id``).
    public_endpoint: str
    #: The edit page's endpoint (``item_id``).
    edit_endpoint: str
    #: What people are told after an action ("submitted", "deleted", "unpublished"),
    #: per kind because German needs the grammatical gender.
    messages: Mapping[str, Any]
    #: Raises a domain error when the item cannot be sent to review yet.
    check_submittable: Callable[[Reviewable], None] = _no_check
    #: Raises a domain error when the item cannot be approved yet.
    check_approvable: Callable[[Reviewable], None] = _no_check
    #: More template context for the item's own and review pages.
    extra_context: Callable[[Reviewable], dict[str, Any]] = field(default=_no_context)
    #: What an editor reads, as texts (field -> text), to show what changed
    #: since the last decision; ``compared`` names the fields in page order.
    snapshot: Callable[[Reviewable], dict[str, str]] = _title_and_note
    compared: tuple[tuple[str, Any], ...] = BASE_COMPARED

    @property
    def template(self) -> str:
        """The item's own page (``episodes/detail.html``)."""
        return f"{self.collection}/detail.html"


_KINDS: dict[str, ItemKind] = {}


def register_kind(kind: ItemKind) -> ItemKind:
    """Add ``kind`` to the registry (again: replaced, so tests may re-create apps)."""
    _KINDS[kind.name] = kind
    return kind


def kinds() -> Iterator[ItemKind]:
    """Every registered kind, in the order they were registered."""
    return iter(tuple(_KINDS.values()))


def kind_by_name(name: str) -> ItemKind:
    """The kind whose items have ``item_type == name``.

    Raises:
        LookupError: no such kind is registered.
    """
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no reviewable item kind {name!r}") from None


def kind_by_collection(collection: str) -> ItemKind:
    """The kind whose addresses start with ``collection`` ("episodes").

    Raises:
        LookupError: no such kind is registered.
    """
    for kind in _KINDS.values():
        if kind.collection == collection:
            return kind
    raise LookupError(f"no reviewable item kind at {collection!r}")


def kind_of(item: Reviewable) -> ItemKind:
    """The kind of ``item``."""
    return kind_by_name(item.item_type)
