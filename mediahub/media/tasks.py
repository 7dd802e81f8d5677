"""Background processing of uploaded media (filled in by the audio pipeline)."""

from __future__ import annotations

import logging

from ..queue import app_task

log = logging.getLogger(__name__)


@app_task(retries=0)
def process_asset(asset_id: int) -> None:
    from .processing import process

    process(asset_id)
