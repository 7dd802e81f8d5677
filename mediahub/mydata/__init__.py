"""A person's own data: downloading everything the hub keeps about them,
and deleting the account (published items stay with their group, nameless).

It sits above the item kinds (it exports and deletes episodes and posts), so
it is a feature of its own; its pages and API calls live at the accounts'
addresses, on the accounts' blueprints.
"""

from __future__ import annotations

from flask import Flask

from mediahub.mydata import api, views

#: Modules imported for what they declare (routes on the accounts' blueprints).
_DECLARING = (api, views)


def init_app(app: Flask) -> None:
    """Nothing to register: the accounts feature registers the blueprints."""
