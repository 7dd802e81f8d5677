"""Statistics pages: a group's (its managers and editors, hub admins), an
episode's, and the hub's (admins, groups ranked); every table also as CSV."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from mediahub.accounts.identity import viewer
from mediahub.core.errors import InvalidInput, NotFound, require
from mediahub.core.extensions import db
from mediahub.core.urls import make_url_for
from mediahub.episodes.models import Episode
from mediahub.groups.models import Group
from mediahub.groups.services import load_group
from mediahub.stats import tables
from mediahub.stats.forms import PeriodChoice, choose_period
from mediahub.stats.policy import can_view_group_stats, can_view_hub_stats
from mediahub.stats.queries import Report, episode_report, scope_report
from mediahub.stats.recording import hub_today, hub_zone
from mediahub.web.pages import render_page

bp = Blueprint("stats", __name__)


def _choice() -> PeriodChoice:
    return choose_period(request.args, hub_today(hub_zone(current_app)))


def _group(slug: str) -> Group:
    group = load_group(slug, viewer())
    require(can_view_group_stats(viewer(), group))
    return group


def _episode(group: Group, episode_id: int) -> Episode:
    episode = db.session.get(Episode, episode_id)
    if episode is None or episode.group_id != group.id:
        raise NotFound(_l("There is no such episode in this group."))
    return episode


def _all_tables(report: Report, by: str, scope: str) -> list[tables.Table]:
    """Every table of a page, in page order; the chart's period first."""
    result = [tables.downloads_table(report, by)]
    if scope == "group":
        result += [tables.episodes_table(report), tables.launch_table(report)]
    if scope == "hub":
        result.append(tables.groups_table(report))
    result += tables.breakdowns(report)
    if scope != "episode":
        result.append(tables.subscribers_table(report))
    return result


def _csv(report: Report, scope: str, name: str, filename: str) -> Response:
    """One table of the page as a CSV file (the period's downloads by any grouping)."""
    found = [t for by in tables.PERIODS for t in [tables.downloads_table(report, by)]]
    found += _all_tables(report, "day", scope)[1:]
    table = next((t for t in found if t.name == name), None)
    if table is None:
        raise NotFound(_l("There is no such table."))
    resp = Response("\ufeff" + table.csv(), mimetype="text/csv")
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}-{name}.csv"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _checked(choice: PeriodChoice) -> PeriodChoice:
    if choice.errors:  # a file has no form to show the error beside
        raise InvalidInput(next(iter(choice.errors.values())), field=next(iter(choice.errors)))
    return choice


def _csv_urls(endpoint: str, choice: PeriodChoice, **values: Any) -> Any:
    """Table name → its CSV file's address, for the period shown."""
    period = {"from": choice.period.start.isoformat(), "to": choice.period.end.isoformat()}
    return lambda name: url_for(endpoint, name=name, **values, **period)  # type: ignore[arg-type]


def _span(choice: PeriodChoice) -> str:
    return f"{choice.period.start.isoformat()}-{choice.period.end.isoformat()}"


@bp.route("/groups/<slug>/stats")
@login_required
def group_stats(slug: str) -> Any:
    """A group's downloads, episodes, apps, devices, countries and subscribers."""
    group = _group(slug)
    choice = _choice()
    report = scope_report(group, choice.period, hub_zone(current_app))
    return render_page(
        "stats/group.html",
        choice.status,
        group=group,
        choice=choice,
        report=report,
        totals=tables.totals(report),
        tables=_all_tables(report, choice.by, "group"),
        csv_url=_csv_urls("stats.group_stats_csv", choice, slug=slug),
        episode_url=_episode_urls(slug),
    )


def _episode_urls(slug: str) -> Any:
    """Links to a group's episode pages (hundreds on a page: built from one
    template, not by werkzeug each)."""
    link = make_url_for()
    return lambda episode_id: link("stats.episode_stats", slug=slug, episode_id=episode_id)


@bp.route("/groups/<slug>/stats/<name>.csv")
@login_required
def group_stats_csv(slug: str, name: str) -> Any:
    group = _group(slug)
    choice = _checked(_choice())
    return _csv(
        scope_report(group, choice.period, hub_zone(current_app)),
        "group",
        name,
        f"{slug}-{_span(choice)}",
    )


@bp.route("/groups/<slug>/stats/episodes/<int:episode_id>")
@login_required
def episode_stats(slug: str, episode_id: int) -> Any:
    """One episode's downloads, apps, devices and countries."""
    group = _group(slug)
    episode = _episode(group, episode_id)
    choice = _choice()
    report = episode_report(episode, choice.period, hub_zone(current_app))
    return render_page(
        "stats/episode.html",
        choice.status,
        group=group,
        episode=episode,
        choice=choice,
        totals=tables.totals(report),
        tables=_all_tables(report, choice.by, "episode"),
        csv_url=_csv_urls("stats.episode_stats_csv", choice, slug=slug, episode_id=episode_id),
    )


@bp.route("/groups/<slug>/stats/episodes/<int:episode_id>/<name>.csv")
@login_required
def episode_stats_csv(slug: str, episode_id: int, name: str) -> Any:
    episode = _episode(_group(slug), episode_id)
    choice = _checked(_choice())
    filename = f"{slug}-episode-{episode.id}-{_span(choice)}"
    return _csv(
        episode_report(episode, choice.period, hub_zone(current_app)), "episode", name, filename
    )


@bp.route("/admin/stats")
@login_required
def hub_stats() -> Any:
    """The whole hub's figures, with its groups ranked (admins)."""
    require(can_view_hub_stats(viewer()))
    choice = _choice()
    report = scope_report(None, choice.period, hub_zone(current_app))
    return render_page(
        "stats/hub.html",
        choice.status,
        choice=choice,
        totals=tables.totals(report),
        tables=_all_tables(report, choice.by, "hub"),
        csv_url=_csv_urls("stats.hub_stats_csv", choice),
    )


@bp.route("/admin/stats/<name>.csv")
@login_required
def hub_stats_csv(name: str) -> Any:
    require(can_view_hub_stats(viewer()))
    choice = _checked(_choice())
    return _csv(
        scope_report(None, choice.period, hub_zone(current_app)),
        "hub",
        name,
        f"hub-{_span(choice)}",
    )
