"""API schemas of the listener statistics.

Every figure is a whole number, or the text ``"fewer than 3"`` when fewer
than 3 different listeners stand behind it (see
:mod:`mediahub.stats.protection`) — the same rule as on the pages.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema

from mediahub.accounts.models import User
from mediahub.api import fields
from mediahub.api.schemas import AudienceSchema, shown_to, viewer
from mediahub.core.audience import Audience
from mediahub.groups.policy import group_audience
from mediahub.stats.protection import WITHHELD, Figure
from mediahub.stats.tally import BROWSER

FIGURE_DOC = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [WITHHELD]}],
    "description": 'Downloads, or "fewer than 3" when fewer than 3 different listeners '
    "stand behind the figure (on any one day).",
}


def _figure(description: str | None = None) -> fields.Function:
    doc = dict(FIGURE_DOC)
    if description:
        doc["description"] = f"{description}. {FIGURE_DOC['description']}"
    return fields.Function(lambda f: f.as_data(), metadata=doc)


class PeriodArgsSchema(Schema):
    """The period asked for (default: the last 30 days, at most 3 years)."""

    start = fields.Day(data_key="from", metadata={"description": "first day, e.g. 2025-05-01"})
    end = fields.Day(data_key="to", metadata={"description": "last day (default: today)"})


class DaySchema(Schema):
    date = fields.Function(lambda f: f.key.isoformat(), metadata={"format": "date"})
    downloads = _figure()


class EpisodeFigureSchema(Schema):
    id = fields.Function(lambda f: f.key.id)
    title = fields.Function(lambda f: f.key.title)
    downloads = _figure()


class GroupFigureSchema(Schema):
    slug = fields.Function(lambda f: f.key.slug)
    name = fields.Function(lambda f: f.key.name)
    downloads = _figure()


def _app(figure: Figure[str]) -> str | None:
    return "web browser" if figure.key == BROWSER else (figure.key or None)


class AppSchema(Schema):
    app = fields.Function(
        _app,
        metadata={"description": 'the app (OPAWG name), "web browser", or null: not known'},
    )
    downloads = _figure()


class DeviceSchema(Schema):
    device = fields.Function(
        lambda f: f.key or None,
        metadata={
            "description": "mobile, computer, smart_speaker, smart_tv, watch, auto; null: not known"
        },
    )
    downloads = _figure()


class CountrySchema(Schema):
    country = fields.Function(
        lambda f: f.key or None,
        metadata={"description": "ISO 3166-1 alpha-2 code; null: not known"},
    )
    downloads = _figure()


class SubscribersSchema(Schema):
    date = fields.Function(lambda s: s.day.isoformat(), metadata={"format": "date"})
    estimate = fields.Function(
        lambda s: s.estimate.as_data(),
        metadata={
            "oneOf": FIGURE_DOC["oneOf"],
            "description": "different apps fetching the podcast feed that day plus the "
            'subscribers feed services announce; "fewer than 3" below 3',
        },
    )


def _shown(description: str, **metadata: Any) -> dict[str, Any]:
    # Every figure is for those who may see the group's statistics (its
    # editors and managers, hub admins; of a private group its managers).
    return shown_to(Audience.EDITOR, description, **metadata)


class StatsSchema(AudienceSchema):
    """A group's (or the hub's, or an episode's) figures for a period."""

    start = fields.Function(
        lambda r: r.period.start.isoformat(), data_key="from", metadata=_shown("first day")
    )
    end = fields.Function(
        lambda r: r.period.end.isoformat(), data_key="to", metadata=_shown("last day")
    )
    timezone = fields.Function(
        lambda r: r.zone, metadata=_shown("the hub's time zone, which days are counted in")
    )
    downloads = fields.Function(
        lambda r: r.total.as_data(),
        metadata=_shown(
            f"downloads in the period. {FIGURE_DOC['description']}", oneOf=FIGURE_DOC["oneOf"]
        ),
    )
    by_day = fields.List(fields.Nested(DaySchema), metadata=_shown("per day"))
    by_episode = fields.List(
        fields.Nested(EpisodeFigureSchema), metadata=_shown("per episode (groups)")
    )
    by_group = fields.List(fields.Nested(GroupFigureSchema), metadata=_shown("per group (hub)"))
    by_app = fields.List(fields.Nested(AppSchema), metadata=_shown("per app"))
    by_device = fields.List(fields.Nested(DeviceSchema), metadata=_shown("per kind of device"))
    by_country = fields.List(
        fields.Nested(CountrySchema), metadata=_shown("per country (if the hub records them)")
    )
    subscribers = fields.List(
        fields.Nested(SubscribersSchema),
        metadata=_shown("estimated subscribers of the podcast feed per day"),
    )

    def audience_of(self, report: Any) -> Audience:
        group = getattr(report, "group", None)
        user: User | None = viewer()
        if group is None:  # the hub's figures: its admins
            return Audience.MANAGER if user is not None and user.is_admin else Audience.PUBLIC
        return group_audience(user, group)
