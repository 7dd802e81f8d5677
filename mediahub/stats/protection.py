"""Small numbers withheld: no figure lets anybody pick out one person's listening.

A figure is shown only when at least :data:`THRESHOLD` different listeners
stand behind it. Listener keys change every day, so across several days we
cannot tell whether two downloads came from one person or two; what we do
know is how many different listeners a figure had *on one day*. The
*evidence* of a figure is therefore the largest number of different
listeners it had on any one of its days, and a figure with evidence below 3
is withheld ("fewer than 3") — even when it adds up to more downloads.

Withholding one figure of a table is not enough when the table's total is
shown: the total minus the others would give it away. So when exactly one
figure of a table is withheld, the smallest shown one is withheld too
(secondary suppression); a coarser period (week, month) that holds exactly
one withheld day is withheld for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

#: Fewer different listeners than this and a figure is withheld.
THRESHOLD = 3
#: What the API and CSV files say for a withheld figure (pages say it in the
#: reader's language).
WITHHELD = "fewer than 3"

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Figure(Generic[K]):
    """One cell of a table: its key (a day, an app…), its downloads, and the
    largest number of different listeners it had on one day."""

    key: K
    downloads: int
    evidence: int
    is_withheld: bool = False

    @property
    def shown(self) -> int | None:
        """The downloads, or None when withheld."""
        return None if self.is_withheld else self.downloads

    def as_data(self) -> int | str:
        """The value for the API and CSV files."""
        return WITHHELD if self.is_withheld else self.downloads


def figure(key: K, downloads: int, evidence: int) -> Figure[K]:
    """A figure, withheld when fewer than :data:`THRESHOLD` listeners stand behind it."""
    return Figure(key, downloads, evidence, is_withheld=downloads > 0 and evidence < THRESHOLD)


def protect(figures: Iterable[Figure[K]]) -> list[Figure[K]]:
    """The figures of one table, with a second one withheld when exactly one is."""
    table = [f if f.is_withheld else figure(f.key, f.downloads, f.evidence) for f in figures]
    withheld = [f for f in table if f.is_withheld]
    if len(withheld) != 1:
        return table
    shown = [(f.downloads, i) for i, f in enumerate(table) if not f.is_withheld and f.downloads]
    if shown:
        _, index = min(shown)
        table[index] = replace(table[index], is_withheld=True)
    return table


def total(figures: Sequence[Figure[Any]], key: K) -> Figure[K]:
    """The sum of a table's figures (its evidence: the best of theirs)."""
    return figure(
        key,
        sum(f.downloads for f in figures),
        max((f.evidence for f in figures), default=0),
    )


def coarser(days: Sequence[Figure[K]], period_of: Callable[[K], K]) -> list[Figure[K]]:
    """Days (already protected) summed into weeks or months.

    A period's evidence is the best of its days'; a period holding exactly
    one withheld day is withheld, as it would give that day away.
    """
    periods: dict[K, list[Figure[K]]] = {}
    for day in days:
        periods.setdefault(period_of(day.key), []).append(day)
    result = []
    for key, members in periods.items():
        summed = total(members, key)
        if sum(1 for m in members if m.is_withheld) == 1:
            summed = replace(summed, is_withheld=summed.downloads > 0)
        result.append(summed)
    return protect(result)
