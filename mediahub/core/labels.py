"""The names people read for the enums (states, roles, types), translated.

Each feature registers the names of its own enums next to them
(``labels.register(ItemState, {...})``); templates show them with the
``label`` filter and forms offer them with :func:`choices`.

StrEnum members of different enums compare equal when their values do
("editor"), so the tables are looked up by the enum's type first.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from wtforms import SelectChoice

LABELS: dict[type[enum.Enum], dict[Any, Any]] = {}


def register(enum_cls: type[enum.Enum], names: Mapping[Any, Any]) -> None:
    """Give every member of ``enum_cls`` the name people read for it."""
    missing = set(enum_cls) - set(names)
    if missing:
        raise ValueError(f"{enum_cls.__name__}: no label for {sorted(map(str, missing))}")
    LABELS[enum_cls] = dict(names)


def label(value: enum.Enum) -> Any:
    """The translated name of an enum member (``{{ item.status | label }}``)."""
    return LABELS[type(value)][value]


def choices(enum_cls: type[enum.Enum]) -> list[SelectChoice]:
    """The members with their translated names, for a form's select or radio field."""
    return [SelectChoice(member.value, text) for member, text in LABELS[enum_cls].items()]
