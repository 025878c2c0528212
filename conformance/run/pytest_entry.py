"""The suite's pytest plugin, registered by entry point (`pytest11`: campaigns_conformance).

Installed, the package brings its test modules (`conformance/test_*.py`) and this plugin, so
the suite runs from any folder: `campaigns-conformance run`, or `pytest --pyargs conformance`.
Its options exist in every pytest session of that environment (they parse before any test
module is found); the suite's own plugins load with its test modules (conformance/conftest.py)
and act only there.

Here too: a clean ending on Ctrl-C (`_CleanInterrupt`), and choosing tests by what they
check. `--rule ID` (repeatable) keeps exactly the tests that declare that rule
(`@pytest.mark.rules`, drawn or not), `--operation OPERATION_ID` the tests of that operation
(parametrized by it); given both, the tests of either. Their fixtures (the setup) come with
them. An unknown id is one line listing the known ones, before the target is reached.
"""

from __future__ import annotations

import pytest

from conformance.run.run_options import DEFAULT_REPORT_DIR, PROFILES
from spec.rate_limit import TENANT_RATE_LIMIT


def pytest_addoption(parser: pytest.Parser) -> None:
    # No defaults here: an option not given is None, so a further source (a settings file)
    # can give it; conformance/run/run_options.py decides the defaults.
    group = parser.getgroup("conformance", "Certification Campaigns conformance")
    group.addoption(
        "--target", help="base URL of a tenant or emulator (default: embedded emulator)"
    )
    group.addoption(
        "--read-only", action="store_true", default=None, help="send only safe (GET) requests"
    )
    group.addoption(
        "--profile",
        choices=PROFILES,
        help="hypothesis profile (default: ci, or tenant with --target)",
    )
    group.addoption(
        "--report-dir",
        help="where the run folder (junit.xml, results.json, report.html) goes "
        f"(default {DEFAULT_REPORT_DIR}/<run id>)",
    )
    group.addoption(
        "--rate-limit",
        help="client-side request limit per token, or 'off' (default: "
        f"{TENANT_RATE_LIMIT}, the tenant's, with --target; off for the embedded emulator)",
    )
    group.addoption(
        "--seed",
        help="hypothesis seed: two runs with the same seed against the same server send the "
        "same generated requests, so their results compare (default: random)",
    )
    group.addoption(
        "--rule",
        action="append",
        metavar="ID",
        help="run only the tests that declare this rule (repeatable), e.g. activate-only-staged",
    )
    group.addoption(
        "--operation",
        action="append",
        metavar="OPERATION_ID",
        help="run only the tests of this operation (repeatable), e.g. startCampaign",
    )


def _known_rules() -> list[str]:
    from conformance.judging.rules import RULE_IDS

    return list(RULE_IDS)


def _known_operations() -> list[str]:
    import spec

    return [operation["operationId"] for _, _, operation in spec.operations()]


def _chosen(config: pytest.Config, option: str) -> list[str]:
    return config.getoption(option, None) or []


_INTERRUPTED_WRAPPER = "ignore:(?s).*KeyboardInterrupt:pluggy.PluggyTeardownRaisedWarning"


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_CleanInterrupt(config), "conformance-clean-interrupt")
    # A Ctrl-C that lands in a hook wrapper's teardown (hypothesis' or the run collector's
    # makereport) is reported by pluggy as a warning quoting the KeyboardInterrupt; the run
    # already ends on its own line saying it was interrupted.
    config.addinivalue_line("filterwarnings", _INTERRUPTED_WRAPPER)
    for option, known in (("rule", _known_rules), ("operation", _known_operations)):
        chosen = _chosen(config, option)
        if not chosen:
            continue
        names = known()
        unknown = [name for name in chosen if name not in names]
        if unknown:
            raise pytest.UsageError(
                f"unknown --{option} {', '.join(unknown)}; known: {', '.join(sorted(names))}"
            )


def declares(item: pytest.Item, rules: list[str]) -> bool:
    return any(rule in mark.args for mark in item.iter_markers("rules") for rule in rules)


def is_of(item: pytest.Item, operations: list[str]) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return params.get("operation_id") in operations


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rules, operations = _chosen(config, "rule"), _chosen(config, "operation")
    if not rules and not operations:
        return
    kept, dropped = [], []
    for item in items:
        chosen = declares(item, rules) or is_of(item, operations)
        (kept if chosen else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept


class _CleanInterrupt:
    """Ctrl-C during a suite run: pytest would print where the KeyboardInterrupt happened (some
    line of the client's throttle) and end on its count of the tests that passed. The suite's
    run ends instead on one line saying it was interrupted and what cleanup did; the exit
    status stays pytest's 2. Other pytest sessions are left as they are."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.interrupted = False

    def _suite_runs(self) -> bool:
        from conformance.plugins import keys

        return keys.RUN_OPTIONS in self.config.stash

    @pytest.hookimpl(trylast=True)  # after the terminal reporter kept its report of it
    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo) -> None:
        # pytest ends a run a plugin stopped (a target that stopped answering) with its own
        # Interrupted, a KeyboardInterrupt too: that one already said why, and it is no Ctrl-C.
        if not self._suite_runs() or excinfo.errisinstance(pytest.Session.Interrupted):
            return
        self.interrupted = True
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        crash = getattr(getattr(reporter, "_keyboardinterrupt_memo", None), "reprcrash", None)
        if crash is not None:  # its separator line says this instead of the traceback's
            crash.message = "interrupted (Ctrl-C)"

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if not self.interrupted:
            return
        from conformance.plugins.workers import cleanup_of_the_run

        cleanup = cleanup_of_the_run(config)
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        line = f"conformance: the run was interrupted (Ctrl-C); {cleanup}"
        if reporter is not None:
            reporter.write_line(line, yellow=True)
        else:
            print(line)
