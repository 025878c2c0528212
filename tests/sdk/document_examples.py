"""The documents' request examples, as SDK users copy them into `Model.from_json(...)`.

They come from spec/ (where every example of the documents is placed), not retyped here.
Where an example is a listed documentation defect (spec/README.md), the correction is made
here, in the open, by the rule the defect names.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import spec

# Members a create ignores (the server sets them); the documents' examples carry them.
READ_ONLY_CAMPAIGN_MEMBERS = (
    "id",
    "status",
    "created",
    "modified",
    "totalCertifications",
    "completedCertifications",
    "alerts",
    "sourcesWithOrphanEntitlements",
)
# "Must be set only if the campaign type is ..." (documentation defect 1).
INFO_FOR_TYPE = {
    "sourceOwnerCampaignInfo": "SOURCE_OWNER",
    "searchCampaignInfo": "SEARCH",
    "roleCompositionCampaignInfo": "ROLE_COMPOSITION",
    "machineAccountCampaignInfo": "MACHINE_ACCOUNT",
}


def example(name: str) -> Any:
    """A copy of `#/components/examples/<name>`'s value."""
    return copy.deepcopy(spec.resolve(f"#/components/examples/{name}")["value"])


def request_example(operation_id: str, name: str | None = None) -> Any:
    """The example of an operation's request body (`example`, or the named `examples` entry)."""
    _, _, operation = spec.operation_by_id(operation_id)
    media = next(iter(operation["requestBody"]["content"].values()))
    if name is None:
        return copy.deepcopy(media["example"])
    return copy.deepcopy(spec.deref(media["examples"][name])["value"])


def corrected_campaign(document: dict) -> dict:
    """Documentation defect 1 corrected: keep only the info object of the campaign's own type
    and, in a role composition, one of roleIds and query; drop the read-only members."""
    campaign = {k: v for k, v in document.items() if k not in READ_ONLY_CAMPAIGN_MEMBERS}
    for member, owner_type in INFO_FOR_TYPE.items():
        if campaign.get("type") != owner_type:
            campaign.pop(member, None)
    role = campaign.get("roleCompositionCampaignInfo")
    if role and "roleIds" in role:
        role.pop("query", None)
    return campaign


def document_campaign_json(**changes: Any) -> str:
    """The create-campaign example (DocumentCampaign), corrected, as JSON."""
    return json.dumps({**corrected_campaign(example("DocumentCampaign")), **changes})


def document_template_json(**changes: Any) -> str:
    """The create-template example (DocumentTemplate), its campaign corrected (defect 2)."""
    template = example("DocumentTemplate")
    template["campaign"] = corrected_campaign(template["campaign"])
    return json.dumps({**template, **changes})


def patch_example_json(operation_id: str) -> list[str]:
    """Documentation defect 4 corrected: the example as the JSON it means, one operation each."""
    return [json.dumps(op) for op in request_example(operation_id, "documentedAsJson")]
