"""What a mutation is, and the few patching tools the mutations are written with.

A mutation breaks ONE documented fact of the emulator by replacing a function or a table of
emulator/ in the launcher's process, before the app is built. Nothing on disk changes, so a
mutation can never leak into another run, and the emulator's own code stays untouched.

Patches replace module attributes that callers look up at call time (`campaigns.create`, not
a name some other module imported): each mutation notes which caller it relies on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Catch:
    """The record of the run's results.json that must fail: a documented rule of
    conformance/judging/rules.py, or one response check on one operation."""

    rule: str | None = None
    operation: str | None = None
    check: str | None = None

    @property
    def key(self) -> tuple[str, str | None, str]:
        """(record_type, operation_id, check) as results.json keys its records."""
        if self.rule is not None:
            return ("rule", None, self.rule)
        return ("check", self.operation, str(self.check))

    @property
    def sentence(self) -> str:
        """What the documents say, as the record must quote it (KeyError for a rule or check
        the suite does not have). Imported here: the launcher must not pay for schemathesis."""
        from conformance.judging.openapi_checks import CHECKS
        from conformance.judging.rules import RULES

        return RULES[self.rule].sentence if self.rule else CHECKS[str(self.check)].sentence

    def __str__(self) -> str:
        return f"rule {self.rule}" if self.rule else f"{self.operation} x {self.check}"


def rule(rule_id: str) -> Catch:
    return Catch(rule=rule_id)


def check(operation_id: str, name: str) -> Catch:
    return Catch(operation=operation_id, check=name)


@dataclass(frozen=True)
class Mutation:
    """One broken documented fact, the record that must catch it, and the tests to run.

    The tests in `selection` run as on a tenant (`--target`, tenant profile, no control API)
    and the record `caught_by` must fail, quoting its sentence.
    """

    name: str
    does: str  # what the broken server does, in a few words
    apply: Callable[[], None]
    caught_by: Catch
    selection: tuple[str, ...]  # conformance node ids that check the fact
    extra_args: tuple[str, ...] = ()  # conformance options the catch needs (e.g. --strict)
    # Emulator options the broken server is served with (e.g. a short --token-ttl); they are
    # the target's settings, as a tenant has its own, not a way around the breakage.
    emulator_args: tuple[str, ...] = ()
    strict_only: bool = False  # must pass without `extra_args`: the breakage is strict-only
    # The rule needs the emulator's control API (its clock, a client it registers): as a
    # tenant the run must report the rule skipped or not run, never passed; with the control
    # API (--target at an emulator that shows it) the record must fail. Says why.
    needs_control_api: str | None = None
    # The suite is known to miss it as a tenant: why (a finding, run as a strict xfail).
    gap: str | None = None

    @property
    def verdict(self) -> str:
        """The verdict the self-test holds it to, in the words of the README's table."""
        if self.gap:
            return "known gap"
        if self.needs_control_api:
            return "not checked as a tenant; caught with the control API"
        return "caught"


def registry(*groups: Iterable[Mutation]) -> dict[str, Mutation]:
    mutations: dict[str, Mutation] = {}
    for mutation in (m for group in groups for m in group):
        if mutation.name in mutations:
            raise ValueError(f"two mutations are named {mutation.name}")
        mutations[mutation.name] = mutation
    return mutations


# --- tools -----------------------------------------------------------------------------------
def rewrite_responses(operation_ids: Iterable[str], change: Callable[[dict], dict]) -> None:
    """Pass every object the operations answer (each item of a list) through `change`.

    Rewriting at the handler boundary breaks only what clients see: the stored documents stay
    valid, so the lifecycle keeps working and the breakage stays ONE fact.
    """
    from emulator.api_operations import HANDLERS

    for operation_id in operation_ids:
        original = HANDLERS[operation_id]

        def handler(call: Any, original: Callable = original) -> tuple[Any, dict[str, str]]:
            body, headers = original(call)
            if isinstance(body, list):
                return [change(dict(item)) for item in body], headers
            return (change(dict(body)) if isinstance(body, dict) else body), headers

        HANDLERS[operation_id] = handler


def change_contract(operation_id: str, **fields: Any) -> None:
    """Change what the pipeline derives from spec/ for one operation (success status,
    authorities). `emulator.pipeline` imported `load_contracts` by name, so that name is
    replaced."""
    import emulator.pipeline

    original = emulator.pipeline.load_contracts

    def load_contracts() -> dict:
        contracts = original()
        contracts[operation_id] = dataclasses.replace(contracts[operation_id], **fields)
        return contracts

    emulator.pipeline.load_contracts = load_contracts


class EveryAuthority(frozenset):
    """Stands for "no authority check": intersecting any caller's authorities with it is
    non-empty. The pipeline asks `principal.authorities & contract.authorities`; Python tries a
    right operand's reflected method first when it is a subclass overriding it."""

    def __rand__(self, other: frozenset) -> frozenset:  # type: ignore[override]
        return frozenset(other) or frozenset({"ANYONE"})
