"""The one-machine default (`mediahub run`: granian and the worker) under the
issue's load: 200 listeners and 10 uploaders for 60 seconds, without an error."""

from __future__ import annotations

import pytest

from bench import loadtest
from bench.bench_feeds import free_port


@pytest.mark.slow
def test_the_one_machine_default_serves_the_load_without_errors(tmp_path):
    server = loadtest.start_one_machine(tmp_path, free_port())
    try:
        base = f"http://127.0.0.1:{server.args[-1]}"
        results = loadtest.load(base, loadtest.DEMO_ADMIN, tmp_path)
    finally:
        server.terminate()
        assert server.wait(timeout=120) == 0  # a clean stop on SIGTERM
    print(
        loadtest.report("one machine (mediahub run): 200 listeners + 10 uploaders, 60 s", results)
    )
    assert all(f["failures"] == 0 for f in results.values()), results
    assert results["media range"]["requests"] > 0
