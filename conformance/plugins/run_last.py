"""Tests marked `run_last` run after every other collected test (in their own order).

The expired-token test uses the run's first token once it has expired: the later it runs,
the likelier that token has lived out its `expires_in`.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "run_last: run after every other test of the run")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("run_last") is not None)  # stable
