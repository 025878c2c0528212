"""An in-process emulator (fresh per test) and a spec-checked client for it."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from spec_checked_api import Api

from emulator import EmulatorConfig, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    return EmulatorConfig(transition_delay=0.0)


@pytest.fixture
def http(emulator_config) -> Iterator[TestClient]:
    with TestClient(create_app(emulator_config)) as client:
        yield client


@pytest.fixture
def api(http) -> Api:
    return Api(http)
