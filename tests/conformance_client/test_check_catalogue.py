"""The check catalogue (conformance/judging/openapi_checks.py): the markers' names, the lists a run
sends with and the report's columns all come from the one table."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from conformance.judging.openapi_checks import CHECKS, RunChecks, check_names
from conformance.run.run_report import RunCollector

EVERY_RESPONSE = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]


@pytest.mark.parametrize("phase", ["positive", "negative", "stateful"])
def test_a_phase_sends_with_the_checks_its_tests_declare(phase) -> None:
    names = check_names(phase)
    assert names[:4] == EVERY_RESPONSE  # every answer, whichever phase sent it
    assert [check.__name__ for check in RunChecks().for_phase(phase)] == names


def test_each_phase_has_its_own_checks_and_every_check_runs_in_one() -> None:
    assert "valid_data_is_accepted" in check_names("positive")
    assert "valid_data_is_accepted" not in check_names("stateful")  # a step may meet a rule
    assert "negative_data_rejection" in check_names("negative")
    assert "allowed_step_is_accepted" in check_names("stateful")
    phases = ("positive", "negative", "stateful")
    assert {name for phase in phases for name in check_names(phase)} == set(CHECKS)
    assert {check.kind for check in CHECKS.values()} == {"schemathesis", "suite"}
    assert all(check.sentence.endswith(".") for check in CHECKS.values())


class _Marked:
    """A collected test's markers, as pytest gives them to the collector's hook."""

    nodeid = "conformance/test_x.py::test_y"

    def __init__(self, *names: str) -> None:
        self.marks = [SimpleNamespace(args=names, kwargs={})]

    def iter_markers(self, name: str):
        return iter(self.marks if name == "checks" else [])


def test_a_checks_marker_naming_a_check_the_catalogue_lacks_stops_the_run() -> None:
    collector = RunCollector(config=None)  # type: ignore[arg-type]
    collector.pytest_collection_modifyitems([_Marked(*check_names("positive"))])
    with pytest.raises(pytest.UsageError, match="'status_code' is not in the check catalogue"):
        collector.pytest_collection_modifyitems([_Marked("not_a_server_error", "status_code")])
