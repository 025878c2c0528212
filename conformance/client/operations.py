"""Which documented operation an HTTP request is, and what it may do to a tenant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote, urlsplit

import spec

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


@cache
def _patterns() -> list[tuple[re.Pattern[str], str, str, str]]:
    patterns = []
    for method, path, operation in spec.operations(neighbours=True):
        regex = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(path))
        patterns.append((re.compile(f"{regex}$"), method, path, operation["operationId"]))
    # Literal segments first, so /campaigns/delete is not read as /campaigns/{id}.
    patterns.sort(key=lambda entry: entry[2].count("{"))
    return patterns


def identify(method: str, url: str) -> Operation | None:
    """The operation a request to `url` is, if any (paths are matched after `/v3`)."""
    path = urlsplit(url).path
    _, _, api_path = path.partition("/v3")
    for pattern, op_method, template, operation_id in _patterns():
        if op_method != method.upper():
            continue
        match = pattern.match(api_path)
        if match:
            params = {key: unquote(value) for key, value in match.groupdict().items()}
            return Operation(operation_id, op_method, template, params)
    return None
