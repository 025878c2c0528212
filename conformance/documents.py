"""The sentences of the documents a conformance case checks, and how a failure reads.

A failing case reads "The document says: <sentence> The server did: <what it did>", in the
manner of web-platform-tests: the reader sees the contract and the breach side by side.
"""

from __future__ import annotations

from typing import Any

import requests

SAYS = {
    "created-pending-then-staged": "Create, activate, complete and delete are accepted and then "
    "finish in the background (statuses PENDING -> STAGED, ACTIVATING -> ACTIVE, COMPLETING -> "
    "COMPLETED). [DESIGN.md §3]",
    "activate-only-staged": "Use this API to submit a job to activate the certified campaign with "
    "the specified ID. The campaign must be staged.",
    "activate-future-deadline": "This date must be in the future in order to activate the "
    "campaign. If you try to activate a campaign with a deadline of today or in the past, you "
    "will receive a 400 error response.",
    "complete-past-due": "This endpoint will run successfully for any campaigns that are past "
    "due. This endpoint will return a content error if the campaign is not past due.",
    "complete-action": "Default behavior is for the campaign to auto-approve upon completion, "
    "unless autoCompleteAction=REVOKE",
    "patch-staged": "When the campaign is in the STAGED status, you can patch these fields: name, "
    "description, recommendationsEnabled, deadline, emailNotificationEnabled, autoRevokeAllowed",
    "patch-active": "When the campaign is in the ACTIVE status, you can patch these fields: "
    "deadline",
    "patch-answer": "This response indicates that the PATCH operation succeeded, and the API "
    "returns the campaign's new representation. (SlimCampaign)",
    "delete-campaigns": "Use this API to delete certification campaigns whose IDs are specified "
    "in the provided list of campaign IDs.",
    "not-found": "Not Found - returned if the request URL refers to a resource or object that "
    "does not exist",
    "run-report": "Use this API to run a report for a certification campaign.",
    "get-reports": "Use this API to fetch all reports for a certification campaign by campaign ID.",
    "reassign": "This API reassigns the specified certifications from one identity to another.",
    "template-owner": "The owner of this template ... This field is automatically populated at "
    "creation time with the current user.",
    "template-patchable": "The following fields are patchable: name, description, "
    "deadlineDuration, campaign (all fields that are allowed during create)",
    "schedule-404": "The API returns a 404 if there is no schedule set.",
    "schedule-overwrite": "If a schedule already exists, the API overwrites it with the new one.",
    "template-scheduled": "Indicates if this campaign template has been scheduled.",
    "generate-placeholders": "Placeholders in those fields are formatted with the current date "
    "and time upon generation. Valid placeholders are the date/time conversion suffix characters "
    "supported by java.util.Formatter.",
    "generate-deadline": "When this template generates a campaign, the campaign's deadline will "
    "be the current date plus this duration.",
    "template-delete": "Use this API to delete a certification campaign template by ID.",
    "reports-config": "Use this API to overwrite the configuration for campaign reports.",
    "filters": "Filtering is supported for the following fields and operators: {fields}",
    "sorters": "Sorting is supported for the following fields: {fields}",
    "limit": "Max number of results to return. (limit 0..250, default 250) [DESIGN.md §3]",
    "count": "If true it will populate the X-Total-Count response header with the number of "
    "results that would be returned if limit and offset were ignored.",
    "paging": "Offset into the full result set. Usually specified with limit to paginate "
    "through the results.",
    "detail": "Determines whether slim, or increased level of detail is provided for each "
    "campaign in the returned list. Slim is the default behavior.",
    "401": "Unauthorized - Returned if there is no authorization header, or if the JWT token is "
    'expired. ({"error": ...})',
    "403": "Forbidden - Returned if the user you are running as, doesn't have access to this "
    "end-point.",
    "400": "Client Error - Returned if the request body is invalid. (ErrorResponseDto)",
    "429": "The Retry-After header in the response includes how long to wait before trying again.",
}


class ContractBreach(AssertionError):
    """A server behaviour the documents rule out."""


def says(rule: str, **fields: str) -> str:
    return SAYS[rule].format(**fields) if fields else SAYS[rule]


def expect(condition: bool, rule: str, did: str, **fields: str) -> None:
    """Fail with the document's sentence and what the server did, unless `condition` holds."""
    if not condition:
        raise ContractBreach(f"The document says: {says(rule, **fields)}\nThe server did: {did}")


def described(response: requests.Response) -> str:
    """A response, in one line: method, path, status and the start of the body."""
    request = response.request
    body: Any = response.text[:300]
    return f"{request.method} {request.path_url} -> {response.status_code} {body}"
