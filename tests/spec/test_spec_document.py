"""The spec is a faithful, loadable transcription of the documents.

The tables below are the documents' operation index and response tables, copied by hand; a
difference between them and the YAML is a transcription error.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

import spec

REPO_ROOT = Path(__file__).resolve().parents[2]

_ERRORS = {"400", "401", "403", "429", "500"}
_WITH_404 = _ERRORS | {"404"}

# operationId: (method, path, documented status codes)
DOCUMENTED_OPERATIONS: dict[str, tuple[str, str, set[str]]] = {
    "completeCampaign": ("POST", "/campaigns/{id}/complete", {"202"} | _WITH_404),
    "createCampaign": ("POST", "/campaigns", {"200"} | _ERRORS),
    "createCampaignTemplate": ("POST", "/campaign-templates", {"200"} | _ERRORS),
    "deleteCampaignTemplate": ("DELETE", "/campaign-templates/{id}", {"204"} | _WITH_404),
    "deleteCampaignTemplateSchedule": (
        "DELETE",
        "/campaign-templates/{id}/schedule",
        {"204"} | _WITH_404,
    ),
    "deleteCampaigns": ("POST", "/campaigns/delete", {"202"} | _WITH_404),
    "getActiveCampaigns": ("GET", "/campaigns", {"200"} | _ERRORS),
    "getCampaign": ("GET", "/campaigns/{id}", {"200"} | _WITH_404),
    "getCampaignReports": ("GET", "/campaigns/{id}/reports", {"200"} | _WITH_404),
    "getCampaignReportsConfig": ("GET", "/campaigns/reports-configuration", {"200"} | _ERRORS),
    "getCampaignTemplate": ("GET", "/campaign-templates/{id}", {"200"} | _WITH_404),
    "getCampaignTemplateSchedule": (
        "GET",
        "/campaign-templates/{id}/schedule",
        {"200"} | _WITH_404,
    ),
    "getCampaignTemplates": ("GET", "/campaign-templates", {"200"} | _ERRORS),
    "move": ("POST", "/campaigns/{id}/reassign", {"202"} | _WITH_404),
    "patchCampaignTemplate": ("PATCH", "/campaign-templates/{id}", {"200"} | _WITH_404),
    "setCampaignReportsConfig": ("PUT", "/campaigns/reports-configuration", {"200"} | _ERRORS),
    "setCampaignTemplateSchedule": (
        "PUT",
        "/campaign-templates/{id}/schedule",
        {"204"} | _WITH_404,
    ),
    "startCampaign": ("POST", "/campaigns/{id}/activate", {"202"} | _WITH_404),
    "startCampaignRemediationScan": (
        "POST",
        "/campaigns/{id}/run-remediation-scan",
        {"202"} | _WITH_404,
    ),
    "startCampaignReport": ("POST", "/campaigns/{id}/run-report/{type}", {"202"} | _WITH_404),
    # The document lists no 404 here; the spec adds it as a marked supplement.
    "startGenerateCampaignTemplate": (
        "POST",
        "/campaign-templates/{id}/generate",
        {"200", "404"} | _ERRORS,
    ),
    "updateCampaign": ("PATCH", "/campaigns/{id}", {"200"} | _WITH_404),
}

# Request bodies: operationId -> (media type, required)
DOCUMENTED_BODIES = {
    "completeCampaign": ("application/json", False),
    "createCampaign": ("application/json", True),
    "createCampaignTemplate": ("application/json", True),
    "deleteCampaigns": ("application/json", True),
    "move": ("application/json", True),
    "patchCampaignTemplate": ("application/json-patch+json", True),
    "setCampaignReportsConfig": ("application/json", True),
    "setCampaignTemplateSchedule": ("application/json", False),
    "startCampaign": ("application/json", False),
    "updateCampaign": ("application/json-patch+json", True),
}

# Where a supplemented fact may come from (see spec/README.md, "Supplements").
X_SOURCE_ORIGINS = (
    "SOURCES.md#",
    "RFC 6902",
    "[SDK]",
    "correction of",
    "nullable:",
    "the format names",
    "the vendor's published description",
)


def _walk(node: Any, path: str = "#"):
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def test_spec_is_valid_openapi_3_0_3():
    document, _ = read_from_filename(str(spec.SPEC_PATH))
    assert document["openapi"] == "3.0.3"
    validate(document)


def test_exactly_the_22_documented_operations():
    found = {op["operationId"]: (method, path) for method, path, op in spec.operations()}
    expected = {oid: (method, path) for oid, (method, path, _) in DOCUMENTED_OPERATIONS.items()}
    assert found == expected
    assert spec.load_spec()["servers"][0]["url"] == "{base}/v3"
    assert all(op["tags"] == [spec.CAMPAIGNS_TAG] for _, _, op in spec.operations())
    assert "/certifications" not in spec.load_spec()["paths"]


def test_the_neighbouring_certifications_list_is_a_marked_supplement():
    """Reassign needs certification ids; only the Certifications API lists them (spec/SOURCES.md,
    certifications). The neighbouring operations are tagged apart and carry their source."""
    every = {op["operationId"]: (m, p, op) for m, p, op in spec.operations(neighbours=True)}
    assert set(every) - set(DOCUMENTED_OPERATIONS) == {
        "listIdentityCertifications",
        "getIdentityCertification",
    }
    method, path, operation = every["listIdentityCertifications"]
    assert (method, path, operation["tags"]) == ("GET", "/certifications", ["Certifications"])
    assert operation["x-source"].startswith("SOURCES.md#certifications")
    assert set(operation["responses"]) == {"200"} | _ERRORS
    assert operation["x-sailpoint-userLevels"] == ["ORG_ADMIN", "CERT_ADMIN", "REPORT_ADMIN"]
    parameters = {p["name"]: p for p in map(spec.deref, operation["parameters"])}
    assert set(parameters) == {
        "reviewer-identity",
        "limit",
        "offset",
        "count",
        "filters",
        "sorters",
    }
    assert parameters["filters"]["x-filterable"] == {
        "id": ["eq", "in"],
        "campaign.id": ["eq", "in"],
        "phase": ["eq"],
        "completed": ["eq"],
    }
    assert parameters["sorters"]["x-sortable"] == ["name", "due", "signed"]


def test_the_published_answers_differ_exactly_where_known_drift_says():
    """`x-published` holds the vendor's published description where clients depend on it."""
    _, _, documented = spec.operation_by_id("createCampaign")
    _, _, published = spec.operation_by_id("createCampaign", "published")
    _, _, either = spec.operation_by_id("createCampaign", "either")
    assert {c for c in documented["responses"] if c < "3"} == {"200"}
    assert {c for c in published["responses"] if c < "3"} == {"202"}
    assert {c for c in either["responses"] if c < "3"} == {"200", "202"}
    assert "MACHINE_ACCOUNT" not in spec.resolve("#/components/schemas/CampaignType")["enum"]
    for answers in ("published", "either"):
        campaign_type = spec.load_spec(answers)["components"]["schemas"]["CampaignType"]
        assert "MACHINE_ACCOUNT" in campaign_type["enum"]
    overlays = [
        (path, node["x-published"])
        for path, node in _walk(spec.load_spec(neighbours=True))
        if isinstance(node, dict) and "x-published" in node
    ]
    assert len(overlays) == 2, [path for path, _ in overlays]
    for path, overlay in overlays:
        assert overlay["x-source"].startswith("SOURCES.md#published-drift"), path
    with pytest.raises(ValueError, match="answers must be"):
        spec.load_spec("vendor")


@pytest.mark.parametrize(
    ("schedule", "valid"),
    [
        ({"type": "WEEKLY", "hours": {"type": "LIST", "values": ["9"]}, "months": None}, True),
        ({"type": "WEEKLY", "hours": {"type": "LIST", "values": ["9"], "interval": None}}, True),
        ({"type": "WEEKLY", "hours": {"type": "LIST", "values": ["9"]}, "expiration": None}, True),
        ({"type": "WEEKLY", "hours": None}, False),
        ({"type": "WEEKLY", "hours": {"type": "LIST", "values": ["9"]}, "days": None}, False),
        ({"type": "WEEKLY", "hours": {"type": "LIST", "values": ["9"]}, "months": {}}, False),
        ({"type": "WEEKLY", "hours": {"type": "LIST", "values": ["9"]}, "months": 3}, False),
    ],
)
def test_schedule_members_the_vendor_marks_nullable_accept_null(schedule, valid):
    """spec/SOURCES.md: months, each selection's interval and expiration are nullable (what
    SDK models send when unset); nothing else is."""
    for answers in spec.ANSWER_PROFILES:
        validator = spec.component_validator("Schedule", "request", answers)
        assert validator.is_valid(schedule) is valid


@pytest.mark.parametrize("operation_id", sorted(DOCUMENTED_OPERATIONS))
def test_documented_status_codes(operation_id):
    _, _, operation = spec.operation_by_id(operation_id)
    assert set(operation["responses"]) == DOCUMENTED_OPERATIONS[operation_id][2]


@pytest.mark.parametrize("operation_id", sorted(DOCUMENTED_OPERATIONS))
def test_request_body_media_type_and_requiredness(operation_id):
    _, _, operation = spec.operation_by_id(operation_id)
    body = operation.get("requestBody")
    if operation_id not in DOCUMENTED_BODIES:
        assert body is None
        return
    media_type, required = DOCUMENTED_BODIES[operation_id]
    assert list(body["content"]) == [media_type]
    assert body.get("required", False) is required


@pytest.mark.parametrize("operation_id", sorted(DOCUMENTED_OPERATIONS))
def test_every_operation_records_the_authorities_it_needs(operation_id):
    _, _, operation = spec.operation_by_id(operation_id)
    levels = operation["x-sailpoint-userLevels"]
    assert {"ORG_ADMIN", "CERT_ADMIN"} <= set(levels) <= {"ORG_ADMIN", "CERT_ADMIN", "REPORT_ADMIN"}
    report_admin_ops = {
        "getActiveCampaigns",
        "getCampaignReports",
        "startCampaignReport",
        "startCampaignRemediationScan",
    }
    assert ("REPORT_ADMIN" in levels) == (operation_id in report_admin_ops)


def test_rate_limit_and_total_count_headers():
    too_many = spec.resolve("#/components/responses/TooManyRequests")
    assert "Retry-After" in too_many["headers"]
    for operation_id in ("getActiveCampaigns", "getCampaignTemplates"):
        _, _, operation = spec.operation_by_id(operation_id)
        assert "X-Total-Count" in operation["responses"]["200"]["headers"]


def test_collection_parameters_follow_the_standard():
    limit = spec.resolve("#/components/parameters/limit")["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (0, 250, 250)
    offset = spec.resolve("#/components/parameters/offset")["schema"]
    assert (offset["minimum"], offset["default"]) == (0, 0)
    _, _, campaigns = spec.operation_by_id("getActiveCampaigns")
    filters = next(p for p in campaigns["parameters"] if p.get("name") == "filters")
    assert filters["x-filterable"] == {
        "id": ["eq", "in"],
        "name": ["eq", "sw"],
        "status": ["eq", "in"],
    }


def test_every_ref_resolves():
    refs = [
        node["$ref"]
        for _, node in _walk(spec.load_spec(neighbours=True))
        if isinstance(node, dict) and "$ref" in node
    ]
    assert len(refs) > 100
    for ref in refs:
        assert ref.startswith("#/"), ref
        assert spec.resolve(ref) is not None, ref


def test_every_supplement_names_its_origin():
    sources = [
        (path, node["x-source"])
        for path, node in _walk(spec.load_spec(neighbours=True))
        if isinstance(node, dict) and "x-source" in node
    ]
    assert len(sources) > 20
    for path, source in sources:
        assert source.startswith(X_SOURCE_ORIGINS), f"{path}: {source!r}"


def test_every_source_cited_is_a_section_a_user_can_open():
    """`SOURCES.md#section` in the spec and the rule catalogue names a section of spec/SOURCES.md
    (the facts from outside the documents, each with its public source); nothing the project
    ships cites a file outside the repository."""
    folder = REPO_ROOT / "spec"
    sections = set(re.findall(r"^## (\S+)$", (folder / "SOURCES.md").read_text(), re.M))
    shipped = [folder / "certification-campaigns.yaml", folder / "README.md"]
    for package in ("conformance", "spec", "emulator", "strategies", "reports"):
        shipped += sorted(REPO_ROOT.glob(f"{package}/**/*.py"))
    cited = set()
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        assert "DESIGN.md" not in text and "shared/" not in text, path
        cited |= set(re.findall(r"SOURCES\.md#([\w-]+)", text))
    assert cited and cited <= sections, sorted(cited - sections)


def _media_examples():
    for _, _, operation in spec.operations():
        oid = operation["operationId"]
        if "requestBody" in operation:
            for media in operation["requestBody"]["content"].values():
                yield oid, "request", media
        for code, response in operation["responses"].items():
            for media in spec.deref(response).get("content", {}).values():
                yield oid, code, media


def _examples():
    for oid, where, media in _media_examples():
        named = {"example": {"value": media["example"]}} if "example" in media else {}
        named.update({k: spec.deref(v) for k, v in media.get("examples", {}).items()})
        for name, example in named.items():
            yield pytest.param(media["schema"], where, example, id=f"{oid}-{where}-{name}")


@pytest.mark.parametrize(("schema", "where", "example"), list(_examples()))
def test_example_validates_unless_listed_as_a_documentation_defect(schema, where, example):
    direction = "request" if where == "request" else "response"
    errors = list(spec.validator_for(schema, direction).iter_errors(example["value"]))
    if "x-documentation-defect" in example:
        assert errors, "listed as a documentation defect, but the example is valid"
    else:
        assert not errors, [e.message for e in errors]


def test_the_documents_examples_are_all_placed():
    components = spec.load_spec()["components"]["examples"]
    assert set(components) == {
        "DocumentCampaign",
        "DocumentTemplate",
        "DocumentSchedule",
        "DocumentTemplateFromSchema",
        "DocumentManagerTemplate",
        "DocumentSearchTemplate",
        "DocumentSourceOwnerTemplate",
        "DocumentRoleCompositionTemplate",
    }
    referenced = {
        node["$ref"].rsplit("/", 1)[1]
        for _, node in _walk(spec.load_spec())
        if isinstance(node, dict) and "#/components/examples/" in node.get("$ref", "")
    }
    assert referenced == set(components)


def test_every_documentation_defect_is_listed_in_the_spec_readme():
    readme = (REPO_ROOT / "spec" / "README.md").read_text(encoding="utf-8")
    for name in spec.load_spec()["components"]["examples"]:
        example = spec.resolve(f"#/components/examples/{name}")
        if "x-documentation-defect" in example:
            assert name in readme, f"{name} is a defect but spec/README.md does not list it"


def _links():
    for _, _, operation in spec.operations():
        for response in operation["responses"].values():
            for name, link in spec.deref(response).get("links", {}).items():
                yield pytest.param(operation, link, id=f"{operation['operationId']}-{name}")


EXPECTED_LINKS = {
    "createCampaign": {
        "getCampaign",
        "updateCampaign",
        "startCampaign",
        "completeCampaign",
        "move",
        "startCampaignReport",
        "getCampaignReports",
        "startCampaignRemediationScan",
        "deleteCampaigns",
    },
    "createCampaignTemplate": {
        "getCampaignTemplate",
        "patchCampaignTemplate",
        "deleteCampaignTemplate",
        "getCampaignTemplateSchedule",
        "setCampaignTemplateSchedule",
        "deleteCampaignTemplateSchedule",
        "startGenerateCampaignTemplate",
    },
    "startGenerateCampaignTemplate": {"getCampaign"},
}


def test_links_wire_the_resource_flows():
    found: dict[str, set[str]] = {}
    for param in _links():
        operation, link = param.values
        found.setdefault(operation["operationId"], set()).add(link["operationId"])
    assert found == EXPECTED_LINKS


@pytest.mark.parametrize(("source", "link"), list(_links()))
def test_link_names_an_existing_operation_and_parameter(source, link):
    _, _, target = spec.operation_by_id(link["operationId"])
    declared = {p["name"] for p in map(spec.deref, target.get("parameters", []))}
    for name, expression in link.get("parameters", {}).items():
        assert name in declared
        assert re.fullmatch(r"\$response\.body#/\w+", expression)
    if "requestBody" in link:
        assert "requestBody" in target
    # The source's response must carry the member the expression reads.
    response = spec.deref(source["responses"]["200"])
    schema = spec.deref(next(iter(response["content"].values()))["schema"])
    properties = _properties(schema)
    assert "id" in properties


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    properties = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        properties.update(_properties(spec.deref(part)))
    return properties


def test_the_neighbouring_certification_get_names_its_public_source():
    """getIdentityCertification, which real integrations call after listing, is served from
    the vendor's published description: tagged apart like the list, its source named."""
    method, path, operation = spec.operation_by_id("getIdentityCertification")
    assert (method, path, operation["tags"]) == ("GET", "/certifications/{id}", ["Certifications"])
    assert "sailpoint-oss/api-specs" in operation["x-source"]
    assert set(operation["responses"]) == {"200", "404"} | _ERRORS
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/IdentityCertificationDto"}
    assert "/certifications/{id}" not in spec.load_spec()["paths"]
