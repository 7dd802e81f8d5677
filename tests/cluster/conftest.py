"""The cluster in network namespaces, built once for all cluster tests.

Skipped with the reason when this machine cannot make network namespaces
or lacks a server program; under CI (``CI=true``) that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import need

from .cluster import Cluster, missing_programs
from .netns import NetnsUnavailable, probe


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/cluster/" in str(item.path):
            item.add_marker(pytest.mark.cluster)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    need(os.geteuid() == 0, "the cluster test makes network namespaces: run it as root")
    try:
        probe()
    except NetnsUnavailable as err:
        need(False, str(err))
    missing = missing_programs()
    need(not missing, f"the cluster needs {', '.join(missing)} (Debian packages)")
    built = Cluster()
    try:
        built.start()
    except BaseException:
        print(built.tails())
        built.stop()
        raise
    yield built
    built.stop()
