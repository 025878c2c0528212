"""Each operation's example request, as the documents give it, for the examples phase of
test_openapi_conformance.py: every operation sent its documented request on every run, so
its documented success answer is judged in every profile, not only when generation happens
to reach it.

The request is the parameters' `example`s and the request body's first example, from the
spec as the suite runs it (the examples listed as documentation defects are removed there).
Two things cannot be taken as written: ids, which name the vendor's objects and are replaced
by objects of this run, and a body whose every documented example is a listed defect
(createCampaign, createCampaignTemplate), for which a body from `strategies/` stands in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Sent in this order: reads and creates first, then changes, then what changes an object's
# state for the operations after it (activation, deletion). A template gets its schedule
# before the schedule is read and deleted.
ORDER = (
    "getActiveCampaigns",
    "getCampaign",
    "getCampaignReports",
    "getCampaignReportsConfig",
    "getCampaignTemplates",
    "getCampaignTemplate",
    "createCampaign",
    "createCampaignTemplate",
    "setCampaignReportsConfig",
    "updateCampaign",
    "patchCampaignTemplate",
    "setCampaignTemplateSchedule",
    "getCampaignTemplateSchedule",
    "deleteCampaignTemplateSchedule",
    "startGenerateCampaignTemplate",
    "completeCampaign",
    "move",
    "startCampaignReport",
    "startCampaignRemediationScan",
    "startCampaign",
    "deleteCampaigns",
    "deleteCampaignTemplate",
)


@dataclass
class ExampleRequest:
    operation_id: str
    path_parameters: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    media_type: str | None = None
    has_body: bool = False  # False: the documents give no usable example of the body
    body_required: bool = False


def example_request(document: dict[str, Any], operation_id: str) -> ExampleRequest:
    """The documented example of `operation_id` in `document` (an OpenAPI description with
    local refs); parameters without an example are left out."""
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return _example(document, item.get("parameters", []), operation)
    raise KeyError(operation_id)


def _example(document: dict, shared: list, operation: dict) -> ExampleRequest:
    request = ExampleRequest(operation["operationId"])
    for listed in [*shared, *operation.get("parameters", [])]:
        parameter = _deref(document, listed)
        if "example" not in parameter:
            continue
        if parameter["in"] == "path":
            request.path_parameters[parameter["name"]] = parameter["example"]
        elif parameter["in"] == "query":
            request.query[parameter["name"]] = _query_text(parameter["example"])
    body = _deref(document, operation.get("requestBody", {}))
    request.body_required = bool(body.get("required"))
    for media_type, media in body.get("content", {}).items():
        request.media_type = media_type
        if "example" in media:
            request.body, request.has_body = media["example"], True
        elif media.get("examples"):
            first = _deref(document, next(iter(media["examples"].values())))
            request.body, request.has_body = first["value"], True
        break
    return request


def _deref(document: dict, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _query_text(value: Any) -> Any:
    """A query value as a client writes it: JSON's true and false, not Python's."""
    return ("true" if value else "false") if isinstance(value, bool) else value
