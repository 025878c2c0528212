"""spec.routes: the one matcher of a request to its operation, seen two ways.

`match` names the operation a client meant (the method chooses among the templates a path
matches); `resource` is the gate's view (the path first, so a method the path does not take is
a 405 rather than another operation)."""

from __future__ import annotations

from spec import routes


def test_match_names_the_operation_from_a_url_or_a_path():
    found = routes.match("get", "https://tenant.example/v3/campaigns/2c91%2F8?detail=FULL")
    assert (found.operation_id, found.path_params) == ("getCampaign", {"id": "2c91/8"})
    assert routes.operation_id("POST", "/campaigns/delete") == "deleteCampaigns"
    assert routes.match("PUT", "/v3/campaigns") is None


def test_a_literal_segment_is_never_read_as_a_parameter_by_the_gate():
    """`GET /v3/campaigns/delete` is getCampaign of a campaign named "delete" to a client's
    tagging, and a method that path does not take to the gate."""
    assert routes.operation_id("GET", "/v3/campaigns/delete") == "getCampaign"
    resource = routes.resource("/v3/campaigns/delete")
    assert resource.path_template == "/campaigns/delete"
    assert resource.methods == ["POST"] and resource.operation("GET") is None
    assert resource.operation("post").operation_id == "deleteCampaigns"


def test_a_resource_knows_every_method_of_its_path_and_its_parameters():
    resource = routes.resource("/v3/campaigns/abc")
    assert resource.methods == ["GET", "PATCH"]
    found = resource.operation("PATCH")
    assert (found.operation_id, found.path_params) == ("updateCampaign", {"id": "abc"})


def test_only_paths_under_v3_that_the_api_has_are_resources():
    assert routes.resource("/campaigns/abc") is None
    assert routes.resource("/v3/campaign/abc") is None
    assert routes.resource("/v3/certifications/c1").operation("GET").operation_id == (
        "getIdentityCertification"
    )
