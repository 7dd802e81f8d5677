"""Small numbers withheld, and not given away by the figures around them."""

from __future__ import annotations

import datetime as dt

from mediahub.stats.protection import WITHHELD, coarser, figure, protect, total


def test_fewer_than_three_listeners_are_withheld():
    assert figure("AntennaPod", 1, 1).is_withheld
    assert figure("AntennaPod", 2, 2).as_data() == WITHHELD == "fewer than 3"
    assert figure("AntennaPod", 3, 3).as_data() == 3
    # Nothing to hide in nothing.
    assert figure("AntennaPod", 0, 0).as_data() == 0


def test_many_downloads_of_one_listener_per_day_are_still_withheld():
    # Thirty downloads over a month, never more than two listeners on a day:
    # it may well be the same person every day.
    assert figure("Podcast Republic", 30, 2).is_withheld
    assert figure("Podcast Republic", 30, 3).shown == 30


def test_a_single_withheld_figure_takes_the_smallest_other_one_with_it():
    table = protect([figure("A", 50, 20), figure("B", 4, 4), figure("C", 1, 1), figure("D", 9, 5)])
    shown = {f.key: f.shown for f in table}
    assert shown == {"A": 50, "B": None, "C": None, "D": 9}
    # The total stays, and minus what is shown it gives only the sum of two.
    assert total(table, "all").shown == 64


def test_two_withheld_figures_need_no_third():
    table = protect([figure("A", 50, 20), figure("B", 2, 2), figure("C", 1, 1)])
    assert [f.shown for f in table] == [50, None, None]


def test_weeks_holding_exactly_one_withheld_day_are_withheld():
    monday = dt.date(2026, 3, 2)
    days = protect(
        [figure(monday + dt.timedelta(days=i), n, n) for i, n in enumerate([5, 1, 6, 7, 2, 8, 9])]
        + [figure(monday + dt.timedelta(days=7 + i), 4, 4) for i in range(7)]
    )

    def week(day):
        return day - dt.timedelta(days=day.weekday())

    weeks = {f.key: f.shown for f in coarser(days, week)}
    # Two withheld days in the first week: its sum is no single day's.
    assert weeks[monday] == 38
    days[4] = figure(days[4].key, 3, 3)  # now one withheld day in the week
    weeks = {f.key: f for f in coarser(days, week)}
    assert weeks[monday].is_withheld
