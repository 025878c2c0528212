"""Command-line options, hypothesis profiles, markers; the preflight of a `--target` run."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import core as hypothesis_core

from conformance import preflight
from emulator.config import RateLimit

_QUIET = [
    HealthCheck.too_slow,
    HealthCheck.filter_too_much,
    HealthCheck.data_too_large,
    HealthCheck.function_scoped_fixture,
]
settings.register_profile(
    "ci",
    max_examples=12,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=_QUIET,
    database=None,
)
settings.register_profile(
    "thorough",
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=_QUIET,
)
# Like ci, but stops at the first failing example instead of shrinking it to a minimal one:
# for gates where "it fails" is the whole answer (and for the suite's own self-test).
settings.register_profile(
    "fail-fast",
    parent=settings.get_profile("ci"),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
settings.register_profile(
    "tenant",
    max_examples=3,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=_QUIET,
    database=None,
)

PROFILE = pytest.StashKey[str]()
RATE = pytest.StashKey["RateLimit | None"]()
SEED = pytest.StashKey["int | None"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "Certification Campaigns conformance")
    group.addoption(
        "--target", help="base URL of a tenant or emulator (default: embedded emulator)"
    )
    group.addoption("--read-only", action="store_true", help="send only safe (GET) requests")
    group.addoption(
        "--profile",
        choices=["ci", "fail-fast", "thorough", "tenant"],
        help="hypothesis profile (default: ci, or tenant with --target)",
    )
    group.addoption(
        "--report-dir",
        default="reports/out",
        help="where the run folder (junit.xml, results.json, report.html) goes "
        "(default reports/out/<run id>)",
    )
    group.addoption(
        "--rate-limit",
        help="client-side request limit per token, or 'off' (default: 100/10s, "
        "the tenant's, with --target; off for the embedded emulator)",
    )
    group.addoption(
        "--seed",
        type=_seed,
        help="hypothesis seed: two runs with the same seed against the same server send the "
        "same generated requests, so their results compare (default: random)",
    )


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise pytest.UsageError(f"--seed must be an integer: {text!r}") from None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "rules(*rule_ids, drawn=False): the documented rules (conformance/rules.py) a test "
        "checks on every run (drawn=True: only when hypothesis draws the step)",
    )
    config.addinivalue_line(
        "markers", "checks(*names): the response checks a schemathesis test runs"
    )
    preflight.before_the_run(config)  # a --target that cannot be used: one line, exit 6
    profile = config.getoption("--profile") or ("tenant" if config.getoption("--target") else "ci")
    settings.load_profile(profile)
    seed = config.getoption("--seed")
    if seed is not None:
        # What hypothesis' own --hypothesis-seed does: every test draws from this seed, so
        # the same examples come in the same order on every run.
        hypothesis_core.global_force_seed = seed
    config.stash[PROFILE] = profile
    config.stash[SEED] = seed
    rate = config.getoption("--rate-limit") or (
        "100/10s" if config.getoption("--target") else "off"
    )
    try:
        config.stash[RATE] = None if rate == "off" else RateLimit.parse(rate)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
