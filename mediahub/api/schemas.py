"""Output schemas whose fields depend on who asks (Indico's ``hide_restricted_data``).

Every field of an :class:`AudienceSchema` declares the lowest
:class:`~mediahub.core.audience.Audience` that may see it, with :func:`shown_to`;
a schema with an undeclared field refuses to be made. When an object is
dumped, the schema asks the policies how the viewer stands to that object
(``audience_of``) and drops, in one place, every field meant for a higher
audience. Lists are decided per object: a member sees the editors' comment
on their own episode and not on the others'.

The viewer is the API caller (``accounts.identity.api_caller``) unless a block says
otherwise with :func:`viewing_as`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from flask import g
from marshmallow import Schema, post_dump

from mediahub.core.audience import Audience

if TYPE_CHECKING:
    from mediahub.accounts.models import User

#: Who the readers of a field are, for the OpenAPI description.
_READERS = {
    Audience.MEMBER: "members of the group and the roles above",
    Audience.AUTHOR: "the author, the group's editors and managers, hub editors and admins",
    Audience.EDITOR: "the group's editors and managers, hub editors and admins",
    Audience.MANAGER: "the group's managers and hub admins",
}
_UNSET = object()
_viewer: ContextVar[Any] = ContextVar("mediahub_api_viewer", default=_UNSET)


def shown_to(audience: Audience, description: str | None = None, **metadata: Any) -> dict:
    """Field metadata: who may see the field, said in the OpenAPI description too."""
    if audience > Audience.PUBLIC:
        only = f"Only for {_READERS[audience]}; absent for other callers."
        description = f"{description.rstrip('.')}. {only}" if description else only
    if description:
        metadata["description"] = description
    return {**metadata, "audience": audience, "x-audience": audience.name.lower()}


def everybody(description: str | None = None, **metadata: Any) -> dict:
    """Field metadata for what every reader of the object may see."""
    return shown_to(Audience.PUBLIC, description, **metadata)


@contextlib.contextmanager
def viewing_as(user: User | None) -> Iterator[None]:
    """Dump schemas for ``user`` (None: an anonymous caller) inside the block."""
    token = _viewer.set(user)
    try:
        yield
    finally:
        _viewer.reset(token)


def viewer() -> User | None:
    """The person the output is for."""
    user = _viewer.get()
    caller: User | None = g.get("api_user")
    return caller if user is _UNSET else user


def field_audience(field: Any) -> Audience | None:
    """The lowest audience that may see ``field`` (None: it declares none,
    which an :class:`AudienceSchema` refuses when it is made)."""
    audience: Audience | None = field.metadata.get("audience")
    return audience


class AudienceSchema(Schema):
    """A schema whose every field says who may see it (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        undeclared = [
            name
            for name, field in self.dump_fields.items()
            if not isinstance(field_audience(field), Audience)
        ]
        if undeclared:
            raise TypeError(
                f"{type(self).__name__}: say who may see {', '.join(sorted(undeclared))} "
                "(metadata=shown_to(Audience.…))"
            )

    def audience_of(self, obj: Any) -> Audience:
        """How the viewer stands to ``obj`` (subclasses ask the policies)."""
        raise NotImplementedError

    @post_dump(pass_original=True)
    def _hide_restricted(self, data: dict[str, Any], original: Any, **_: Any) -> dict[str, Any]:
        audience = self.audience_of(original)
        for name, field in self.dump_fields.items():
            lowest = field_audience(field)
            if lowest is None or lowest > audience:
                data.pop(field.data_key or name, None)
        return data
