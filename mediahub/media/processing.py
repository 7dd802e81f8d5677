"""Processing of one media asset; the audio pipeline plugs in here."""

from __future__ import annotations


def process(asset_id: int) -> None:
    """Until the audio pipeline lands, uploads stay in state ``uploaded``."""
