"""spec/ owns the API's rules: the emulator agrees with `spec.facts` on every one, and a change
to the contract changes the emulator's behaviour and the suite's expectation together."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import pytest
import requests
import yaml

import spec
from emulator.control_client import fetch_token
from emulator.domain import campaign_lifecycle, campaigns, certifications, templates
from emulator.domain.campaign_rules import check_campaign_rules
from emulator.domain.errors import InvalidRequest
from emulator.request_contract import load_contracts
from spec import facts
from tests.harness import emulator_process

REPO = Path(__file__).resolve().parents[2]
LAUNCHER = Path(__file__).with_name("spec_copy_emulator.py")
CAMPAIGN_STATUSES = facts.enum("SlimCampaign", "status")


def _as_sets(fields) -> dict[str, frozenset[str]]:
    return {field: frozenset(ops) for field, ops in fields.items()}


def test_campaign_statuses_and_patchable_fields_per_status_agree():
    assert {status.value for status in campaign_lifecycle.CampaignStatus} == set(CAMPAIGN_STATUSES)
    by_status = facts.patchable_by_status("updateCampaign")
    assert by_status["STAGED"] and by_status["ACTIVE"] == ("deadline",)
    for status in CAMPAIGN_STATUSES:
        assert campaign_lifecycle.patchable_fields(status) == set(by_status.get(status, ()))


@pytest.mark.parametrize(
    ("module", "operation_id"),
    [
        (campaigns, "getActiveCampaigns"),
        (templates, "getCampaignTemplates"),
        (certifications, "listIdentityCertifications"),
    ],
)
def test_filterable_and_sortable_fields_agree(module, operation_id):
    assert _as_sets(facts.filterable(operation_id)) == module.FILTER_FIELDS
    assert set(facts.sortable(operation_id)) == module.SORT_FIELDS
    assert module.FILTER_FIELDS and module.SORT_FIELDS


def test_template_patchable_and_read_only_members_agree():
    assert set(facts.patchable("patchCampaignTemplate")) == templates.PATCHABLE
    assert set(facts.read_only_members("CampaignTemplate")) == templates._READ_ONLY
    assert set(facts.read_only_members("Campaign")) == campaigns.READ_ONLY_FIELDS
    assert {"id", "created"} <= campaigns.READ_ONLY_FIELDS


def test_authorities_per_operation_agree():
    contracts = load_contracts()
    assert len(contracts) >= 22
    for operation_id, contract in contracts.items():
        assert contract.authorities == facts.authorities(operation_id), operation_id


def test_required_members_and_the_emulators_defaults_are_documented_values():
    assert set(facts.required_members("Campaign")) >= {"name", "description", "type"}
    assert "MANAGER" in facts.enum("CampaignType")
    for member in ("correlatedStatus", "mandatoryCommentRequirement"):
        assert campaigns.DEFAULTS[member] in facts.enum("Campaign", member), member


# --- the proof: one fact changed in a copy of the contract -----------------------------------
def _contract_without_staged_auto_revoke(tmp_path: Path) -> Path:
    document = yaml.safe_load(spec.SPEC_PATH.read_text(encoding="utf-8"))
    patch = document["paths"]["/campaigns/{id}"]["patch"]["requestBody"]
    patch["x-patchable-by-status"]["STAGED"].remove("autoRevokeAllowed")
    copy = tmp_path / "certification-campaigns.yaml"
    copy.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return copy


def _patch_staged_auto_revoke(base_url: str) -> int:
    token = fetch_token(base_url, "conformance", "conformance-secret").access_token
    headers = {"Authorization": f"Bearer {token}"}
    body = {"name": "patched", "description": "d", "type": "MANAGER"}
    created = requests.post(f"{base_url}/v3/campaigns", json=body, headers=headers, timeout=10)
    created.raise_for_status()
    url = f"{base_url}/v3/campaigns/{created.json()['id']}"
    for _ in range(100):  # PENDING -> STAGED runs in the background
        if requests.get(url, headers=headers, timeout=10).json()["status"] == "STAGED":
            break
        time.sleep(0.05)
    patch = [{"op": "replace", "path": "/autoRevokeAllowed", "value": True}]
    answer = requests.patch(
        url,
        data=json.dumps(patch),
        headers={**headers, "Content-Type": "application/json-patch+json"},
        timeout=10,
    )
    return answer.status_code


def _suite_expects(contract: Path) -> list[str]:
    """What the suite's generated patches allow in STAGED, read with that contract."""
    code = (
        "import json, sys, spec; from pathlib import Path; spec.SPEC_PATH = Path(sys.argv[1]); "
        "from strategies.json_patch import CAMPAIGN_PATCHABLE; "
        "print(json.dumps(list(CAMPAIGN_PATCHABLE['STAGED'])))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code, str(contract)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(found.stdout)


def test_one_fact_changed_in_the_contract_changes_emulator_and_suite_together(tmp_path):
    changed = _contract_without_staged_auto_revoke(tmp_path)
    served = {}
    for name, program in (
        ("documents", [str(LAUNCHER), str(spec.SPEC_PATH)]),
        ("changed copy", [str(LAUNCHER), str(changed)]),
    ):
        server = emulator_process("--transition-delay", "0", program=program)
        try:
            served[name] = _patch_staged_auto_revoke(server.base_url)
        finally:
            server.stop()
    assert served == {"documents": 200, "changed copy": 400}
    assert "autoRevokeAllowed" in _suite_expects(spec.SPEC_PATH)
    assert "autoRevokeAllowed" not in _suite_expects(changed)


def test_the_emulator_ties_each_info_member_to_the_type_spec_names():
    infos = facts.info_members()
    assert {info.campaign_type for info in infos} < set(facts.enum("CampaignType"))
    for info in infos:
        for other in set(facts.enum("CampaignType")) - {info.campaign_type}:
            body = {"name": "n", "type": other, info.member: {}}
            with pytest.raises(InvalidRequest, match=info.member):
                check_campaign_rules(body)
        needs = pytest.raises(InvalidRequest, match=info.member) if info.required else nullcontext()
        with needs:
            check_campaign_rules({"name": "n", "type": info.campaign_type})


def test_boolean_members_are_the_campaign_schemas_booleans():
    from strategies.campaigns import BOOLEAN_MEMBERS

    assert set(BOOLEAN_MEMBERS) == {
        name
        for name in facts.declared_members("Campaign")
        if facts.member_schema("Campaign", name).get("type") == "boolean"
    }
    assert "sunsetCommentsRequired" in BOOLEAN_MEMBERS and len(BOOLEAN_MEMBERS) == 4
