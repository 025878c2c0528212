"""One in-process emulator for the whole folder: property tests post many values to it."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from spec_checked_api import Api

from emulator import EmulatorConfig, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    # The strategies generate what the documents allow, so the tenant answers as they do.
    config = EmulatorConfig(transition_delay=0.0, answers="documented")
    with TestClient(create_app(config)) as http:
        yield Api(http)
