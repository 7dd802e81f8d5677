"""Topics a group can choose, mapped onto Apple Podcasts' category list."""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import lazy_gettext as _l


class Category(NamedTuple):
    label: object  # lazy translation
    apple: str
    apple_sub: str | None


CATEGORIES: dict[str, Category] = {
    "self-help": Category(_l("Self-help in general"), "Education", "Self-Improvement"),
    "depression": Category(_l("Depression"), "Health & Fitness", "Mental Health"),
    "anxiety": Category(_l("Anxiety and panic"), "Health & Fitness", "Mental Health"),
    "addiction": Category(_l("Addiction"), "Health & Fitness", "Mental Health"),
    "grief": Category(_l("Grief and loss"), "Health & Fitness", "Mental Health"),
    "mental-health": Category(
        _l("Other mental health topics"), "Health & Fitness", "Mental Health"
    ),
    "chronic-illness": Category(_l("Chronic illness"), "Health & Fitness", "Medicine"),
    "disability": Category(_l("Disability"), "Health & Fitness", "Medicine"),
    "family": Category(_l("Parents and family"), "Kids & Family", "Parenting"),
    "relationships": Category(_l("Relationships"), "Society & Culture", "Relationships"),
    "other": Category(_l("Other"), "Health & Fitness", None),
}
