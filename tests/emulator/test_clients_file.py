"""`--clients-file` takes the client records the control API's POST /emulator/clients takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.config import load_clients_file


def test_records_are_spelled_as_the_control_api_spells_them(tmp_path: Path):
    path = tmp_path / "clients.yaml"
    path.write_text(
        "- {clientId: ci, clientSecret: ci-secret, authorities: [HELPDESK], tenant: acme}\n"
        "- {clientId: admin, clientSecret: admin-secret}\n"
    )
    ci, admin = load_clients_file(path)
    assert (ci.client_id, ci.client_secret, ci.authorities, ci.tenant) == (
        "ci",
        "ci-secret",
        frozenset({"HELPDESK"}),
        "acme",
    )
    assert (admin.authorities, admin.tenant) == (frozenset({"ORG_ADMIN"}), "default")


def test_a_record_without_client_id_is_refused_naming_the_keys(tmp_path: Path):
    path = tmp_path / "clients.yaml"
    path.write_text("- {id: ci, secret: ci-secret}\n")
    with pytest.raises(ValueError, match="clientId and clientSecret"):
        load_clients_file(path)
