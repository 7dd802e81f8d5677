"""The fediverse feature's blueprint, shared by its protocol endpoints
(:mod:`.protocol`) and its pages for managers and editors (:mod:`.views`)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("fediverse", __name__)

ACTIVITY_JSON = "application/activity+json"
JRD_JSON = "application/jrd+json"
