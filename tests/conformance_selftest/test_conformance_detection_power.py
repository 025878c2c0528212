"""The conformance suite proves it can fail, as a tenant administrator runs it.

Each mutation serves the emulator with ONE documented fact broken and without its control API;
the conformance tests that check the fact run against it over HTTP with `--target` and the
tenant profile, and the run's results.json must hold a failed record for the rule (or the
response check) meant to catch it, quoting the rule's sentence. The same tests against the
intact emulator must pass, which is what makes each failure mean "caught".

A mutation with `needs_control_api` breaks a rule the suite can check only with the emulator's
control API (its clock, a client it registers): as a tenant, the record must say it was
skipped or not run (never passed); with the control API shown, it must fail.

A mutation with a `gap` is a breakage the tenant run is known to miss: a strict expected
failure, whose reason is the finding; it turns into a failure once the suite catches it.
The table of every mutation is in README.md beside this file.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from mutation_kit import Catch, Mutation
from mutation_registry import MUTATIONS

from tests.harness import (
    AS_A_TENANT,
    GUEST_CREDENTIALS,
    LIMITED_CLIENT,
    Verdicts,
    run_suite,
    served_warm,
)

LAUNCHER = Path(__file__).with_name("broken_emulator.py")


def serving(
    mutation: str | None, log: Path, control_api: bool = False, settings: Sequence[str] = ()
) -> AbstractContextManager:
    """The base URL of an emulator, `mutation` applied (None: the real `python -m emulator`,
    served with `settings`, the options a mutation's broken server has), without its control
    API unless `control_api`, with the limited client a tenant admin would provide for the 403
    checks."""
    program = ("-m", "emulator") if mutation is None else (str(LAUNCHER), "--mutation", mutation)
    hidden = () if control_api else ("--no-control-api",)
    options = ("--client", LIMITED_CLIENT, "--transition-delay", "0.05", *hidden, *settings)
    # Forked from a warm Python: some ninety emulators and suite runs, each its own process
    # with its own command line, without paying each time for the same imports.
    return served_warm(*options, program=program, log=log)


def judged(base_url: str, node_ids: Sequence[str], workdir: Path, *options: str) -> Verdicts:
    """Run exactly `node_ids` against `base_url` as a tenant admin; the run's verdicts."""
    # -x: the first failure is the verdict; later tests would only spend time.
    arguments = (*node_ids, "--target", base_url, *AS_A_TENANT, "-x", *options)
    run = run_suite(*arguments, report_dir=workdir, env=GUEST_CREDENTIALS, timeout=300, warm=True)
    return run.verdicts()


def test_every_catch_is_a_rule_or_a_check_the_suite_records() -> None:
    for mutation in MUTATIONS.values():
        catch = mutation.caught_by
        assert (catch.rule is None) != (catch.check is None), mutation.name
        assert catch.rule is not None or catch.operation is not None, mutation.name
        assert catch.sentence, mutation.name  # KeyError: not in the catalogue / checks


def test_the_readme_table_lists_every_mutation_as_the_self_test_holds_it() -> None:
    readme = Path(__file__).with_name("README.md").read_text()
    rows = {
        cells[0].strip("`"): cells[1:]
        for line in readme.splitlines()
        if line.startswith("| `")
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }
    assert sorted(rows) == sorted(MUTATIONS)
    for name, mutation in MUTATIONS.items():
        assert rows[name] == [mutation.does, str(mutation.caught_by), mutation.verdict], name


def _selection(mutations: list[Mutation]) -> list[str]:
    return sorted({node for m in mutations for node in m.selection})


WITH_CONTROL_API = [m for m in MUTATIONS.values() if m.needs_control_api]
# A mutation whose broken server has settings of its own (a short token lifetime, a rate
# limit) is held to the intact emulator served with the same settings, judged the same way.
OWN_SETTINGS = [m for m in MUTATIONS.values() if m.emulator_args]
PLAIN = [m for m in MUTATIONS.values() if not m.emulator_args]


@pytest.mark.parametrize(
    ("control_api", "mutations"),
    [
        (False, PLAIN),
        (True, WITH_CONTROL_API),
        *((False, [m]) for m in OWN_SETTINGS),
    ],
    ids=["as-a-tenant", "with-the-control-api", *(f"as-a-tenant-{m.name}" for m in OWN_SETTINGS)],
)
def test_the_intact_emulator_passes_every_selected_test(
    control_api: bool, mutations: list[Mutation], tmp_path: Path
) -> None:
    settings = mutations[0].emulator_args if mutations[0] in OWN_SETTINGS else ()
    options = mutations[0].extra_args if settings else ()
    log = tmp_path / "emulator.log"
    with serving(None, log, control_api=control_api, settings=settings) as base_url:
        # --strict: the strict-only catches must pass too on the intact emulator.
        run = judged(base_url, _selection(mutations), tmp_path / "suite", "--strict", *options)
    assert run.tests and not run.not_passed(), _explain(run)
    for mutation in mutations:
        record = run.record(mutation.caught_by.key)
        expected = _intact_outcomes(mutation, control_api)
        assert record is not None and record.outcome in expected, (
            f"intact, the record for {mutation.caught_by} is "
            f"{record.outcome if record else 'missing'}, expected {sorted(expected)}"
            f"\n{_explain(run)}"
        )


def _intact_outcomes(mutation: Mutation, control_api: bool) -> set[str]:
    """What the intact server's record for the mutation's catch may be."""
    if mutation.needs_control_api and not control_api:
        return {"skip", "not-run"}  # as a tenant the rule cannot be checked, and says so
    if mutation.gap:
        return {"pass", "skip", "not-run"}  # a gap may be that the rule is not reached at all
    return {"pass"}  # the rule was exercised, on the tenant path too


def _params() -> list:
    # raises=AssertionError: only "not caught" is the expected failure; a run that could not
    # be made (no results.json, an emulator that did not start) still fails the test.
    marks = {
        name: pytest.mark.xfail(strict=True, raises=AssertionError, reason=f"known gap: {m.gap}")
        for name, m in MUTATIONS.items()
        if m.gap
    }
    return [pytest.param(name, marks=marks.get(name, ())) for name in MUTATIONS]


@pytest.mark.parametrize("name", _params())
def test_the_breakage_is_caught_by_the_rule_meant_to_catch_it(name: str, tmp_path: Path) -> None:
    mutation = MUTATIONS[name]
    if mutation.needs_control_api:
        with serving(name, tmp_path / "tenant.log") as base_url:
            as_tenant = judged(base_url, mutation.selection, tmp_path / "tenant")
        _assert_reported_unchecked(mutation, as_tenant)
    with serving(name, tmp_path / "emulator.log", bool(mutation.needs_control_api)) as base_url:
        if mutation.strict_only:
            lenient = judged(base_url, mutation.selection, tmp_path / "lenient")
            record = lenient.record(mutation.caught_by.key)
            assert record is None or record.outcome != "fail", (
                f"{name} must be caught only with {mutation.extra_args}: {record}"
            )
        run = judged(base_url, mutation.selection, tmp_path / "suite", *mutation.extra_args)
    _assert_caught(mutation, run)


def _assert_caught(mutation: Mutation, run: Verdicts) -> None:
    catch: Catch = mutation.caught_by
    record = run.record(catch.key)
    assert record is not None and record.outcome == "fail", (
        f"{mutation.name} ({mutation.does}) went unnoticed: the record for {catch} is "
        f"{record.outcome if record else 'missing'}\n{_explain(run)}"
    )
    assert record.documented == catch.sentence, (
        f"the record for {catch} quotes {record.documented!r}, not {catch.sentence!r}"
    )
    errors = [t["nodeid"] for t in run.tests if t["outcome"] == "error"]
    assert not errors, f"{mutation.name}: set-up errors beside the verdict: {errors}"
    if catch.rule is not None:
        # The failing test says it too, in the suite's words: "[rule] The document says: ...".
        quoted = f"[{catch.rule}] The document says: {catch.sentence}"
        assert any(quoted in t.get("message", "") for t in run.tests), _explain(run)


def _assert_reported_unchecked(mutation: Mutation, run: Verdicts) -> None:
    """As a tenant the rule cannot be checked: the run must say so, and not claim a pass."""
    record = run.record(mutation.caught_by.key)
    assert record is not None and record.outcome in ("skip", "not-run") and record.reason, (
        f"{mutation.name}: as a tenant, the record for {mutation.caught_by} should say it was "
        f"not checked ({mutation.needs_control_api}), but it is "
        f"{record.outcome if record else 'missing'}\n{_explain(run)}"
    )


def _explain(run: Verdicts) -> str:
    lines = [f"{t['nodeid']}: {t['outcome']}\n{t.get('message', '')[:1500]}" for t in run.tests]
    failed = [
        f"{key}: {r.outcome} {r.reason[:300]}"
        for key, r in run.records.items()
        if r.outcome == "fail"
    ]
    return "\n".join(lines + failed) or run.output[-3000:]
