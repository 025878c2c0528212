"""Schemathesis can load the spec and generate a schema-valid request for every operation
(the 22 Certification Campaigns operations and the neighbouring list the emulator serves)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, find, settings
from schemathesis.core import NotSet

import spec

SCHEMA = schemathesis.openapi.from_dict(spec.load_spec(neighbours=True))
OPERATIONS = {
    result.ok().definition.raw["operationId"]: result.ok() for result in SCHEMA.get_all_operations()
}


def test_schemathesis_sees_all_22_operations_and_the_neighbours():
    assert len(OPERATIONS) == 24
    for neighbour in ("listIdentityCertifications", "getIdentityCertification"):
        assert OPERATIONS[neighbour].definition.raw["tags"] == ["Certifications"]
    campaigns_api = schemathesis.openapi.from_dict(spec.load_spec())
    assert len(list(campaigns_api.get_all_operations())) == 22


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_generates_a_valid_case(operation_id):
    operation = OPERATIONS[operation_id]
    case = find(
        operation.as_strategy(),
        lambda case: True,
        # Any case will do: no shrinking it to a minimal one (that alone took ~100 s).
        settings=settings(
            database=None,
            max_examples=20,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        ),
    )
    _, _, raw = spec.operation_by_id(operation_id)
    for name in ("id", "type"):
        if "{" + name + "}" in operation.path:
            assert isinstance(case.path_parameters[name], str)
    body = raw.get("requestBody")
    # An optional body may be left out (NotSet); a present one must match its schema.
    if body is not None and not isinstance(case.body, NotSet):
        schema = body["content"][case.media_type]["schema"]
        errors = list(spec.validator_for(schema, "request").iter_errors(case.body))
        assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_takes_any_request_exactly_when_schemathesis_cannot_break_a_request(operation_id):
    """The suite skips an operation's negative phase at once when `facts.takes_any_request`
    says no request to it can break its schema; schemathesis must agree, or that skip would
    hide generated requests (True) or search for nothing (False)."""
    from hypothesis.errors import NoSuchExample, Unsatisfiable
    from schemathesis.generation import GenerationMode

    from spec import facts

    negative = OPERATIONS[operation_id].as_strategy(generation_mode=GenerationMode.NEGATIVE)
    quick = settings(
        database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)
    )
    try:
        find(negative, lambda case: True, settings=quick)
        breakable = True
    except (Unsatisfiable, NoSuchExample):
        breakable = False
    assert facts.takes_any_request(operation_id) is not breakable
