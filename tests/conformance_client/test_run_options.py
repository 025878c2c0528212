"""The run's options are resolved once, from ordered sources, with the target's address the
preflight returns (normalised), and defaults that follow from whether there is a target."""

from __future__ import annotations

import pytest

from conformance.client import Credentials, RateLimit
from conformance.run.run_options import RunOptions, resolve
from conformance.targets import preflight
from conformance.targets.request_plan import estimated_seconds

ENVIRON = {"SAIL_CLIENT_ID": "conformance", "SAIL_CLIENT_SECRET": "conformance-secret"}


def offline(url: str) -> preflight.TargetAddress:
    return preflight.address(url, ENVIRON)


def test_without_a_target_the_embedded_emulator_runs_unthrottled_in_the_ci_profile():
    options = resolve([{}], reach=offline)
    assert options == RunOptions(target=None, profile="ci", rate_limit=None)


def test_a_target_is_reached_once_and_its_normalised_address_kept():
    reached: list[str] = []

    def reach(url: str) -> preflight.TargetAddress:
        reached.append(url)
        return offline(url)

    options = resolve([{"target": " https://acme.api.identitynow.com/v3/ "}], reach=reach)
    assert reached == [" https://acme.api.identitynow.com/v3/ "]
    assert options.target == preflight.TargetAddress(
        "https://acme.api.identitynow.com", Credentials("conformance", "conformance-secret")
    )
    assert options.profile == "tenant"
    assert options.rate_limit == RateLimit(100, 10.0)


def test_the_first_source_that_gives_an_option_wins():
    command_line = {"profile": "thorough", "seed": None, "rate_limit": "off"}
    settings = {"profile": "ci", "seed": "42", "rate_limit": "5/1s", "read_only": True}
    options = resolve([command_line, settings], reach=offline)
    assert (options.profile, options.seed, options.rate_limit, options.read_only) == (
        "thorough",
        42,
        None,
        True,
    )


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"seed": "x"}, "--seed must be an integer"),
        ({"rate_limit": "fast"}, "rate limit must look like 100/10s"),
        ({"rate_limit": "0/10s"}, "rate limit must be positive"),
        ({"profile": "quick"}, "--profile must be one of"),
    ],
)
def test_a_value_that_makes_no_sense_is_refused_before_the_target_is_reached(given, says):
    def reach(url: str) -> preflight.TargetAddress:
        raise AssertionError("the preflight ran for a command line that was refused")

    with pytest.raises(ValueError, match=says):
        resolve([{**given, "target": "https://acme.api.identitynow.com"}], reach=reach)


def test_the_options_are_frozen():
    options = resolve([{}], reach=offline)
    with pytest.raises(AttributeError):
        options.read_only = True  # type: ignore[misc]


def test_the_plan_s_time_is_the_slower_of_the_round_trips_and_the_rate_limit():
    limit = RateLimit(100, 10.0)
    alone = estimated_seconds(700, limit, round_trip=0.3, workers=1)
    six = estimated_seconds(700, limit, round_trip=0.3, workers=6)
    near = estimated_seconds(700, limit, round_trip=0.005, workers=1)
    assert alone > 700 * 0.3, "one process waits a round trip per request"
    assert limit.seconds_for(700) < six < alone, "workers wait side by side, down to the limit"
    assert limit.seconds_for(700) < near < alone, "a near target is held by the limit"
