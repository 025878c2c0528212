"""Both example clients against an emulator tenant (the campaigns_tenant fixture exports the
SAIL_* variables); run with `pytest examples/token_clients --campaigns-gate`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("client", ["basic_auth_client.py", "multipart_client.py"])
def test_the_client_gets_a_token_and_works(campaigns_tenant, client):
    result = subprocess.run(
        [sys.executable, str(HERE / client)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **campaigns_tenant.env},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Nightly manager review"]
