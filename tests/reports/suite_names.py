"""Check names and rule ids the suite really emits, taken from the suite itself: a renamed
check or rule breaks the report tests instead of leaving them testing names nobody emits."""

from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from conformance.judging.openapi_checks import documented_error_shape
from conformance.judging.rules import RULES

SCHEMA_CHECK = response_schema_conformance.__name__
STATUS_CHECK = status_code_conformance.__name__
ERROR_SHAPE_CHECK = documented_error_shape.__name__
PAST_DUE = RULES["complete-past-due"]
UNAUTHORIZED = RULES["401"]
RETRY_AFTER = RULES["429"]
UNAUTHORIZED_TEST = "conformance/test_auth_and_errors.py::test_401_without_a_token[getCampaign]"
