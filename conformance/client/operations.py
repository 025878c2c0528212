"""Which documented operation an HTTP request is, and what it may do to a tenant."""

from __future__ import annotations

from dataclasses import dataclass

from spec import routes

# Operations that change an existing object named by its id (path, or body for delete).
MUTATES_CAMPAIGN = frozenset(
    {
        "updateCampaign",
        "startCampaign",
        "completeCampaign",
        "move",
        "startCampaignReport",
        "startCampaignRemediationScan",
        "deleteCampaigns",
    }
)
MUTATES_TEMPLATE = frozenset(
    {
        "patchCampaignTemplate",
        "deleteCampaignTemplate",
        "setCampaignTemplateSchedule",
        "deleteCampaignTemplateSchedule",
        "startGenerateCampaignTemplate",
    }
)
CREATES = {
    "createCampaign": "campaign",
    "createCampaignTemplate": "template",
    "startGenerateCampaignTemplate": "campaign",
}
TENANT_SETTINGS = frozenset({"setCampaignReportsConfig"})


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path_template: str
    path_params: dict[str, str]

    @property
    def is_safe(self) -> bool:
        return self.method == "GET"


def identify(method: str, url: str) -> Operation | None:
    """The operation a request to `url` is, if any."""
    found = routes.match(method, url)
    if found is None:
        return None
    return Operation(found.operation_id, found.method, found.path_template, found.path_params)
