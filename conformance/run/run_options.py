"""The run's options, resolved once: a frozen value every plugin reads.

Each option is read from its sources in order, the first that gives a value winning: the
command line, then the settings file of the current folder (conformance/run/settings_file.py).
Defaults that depend on the target (the `tenant` profile and the tenant's rate limit with
`--target`) are decided here, and the target itself is reached through `reach` (the
preflight), whose normalised address the run then uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from conformance.targets.preflight import TargetAddress
from spec.rate_limit import TENANT_RATE_LIMIT, RateLimit

PROFILES = ("ci", "fail-fast", "thorough", "tenant")
DEFAULT_REPORT_DIR = "reports/out"
# The options a source may give, by the name pytest stores them under (`--read-only`: read_only).
NAMES = ("target", "read_only", "profile", "rate_limit", "seed", "report_dir")

Source = Mapping[str, Any]  # option name -> value as given (None: not given)


@dataclass(frozen=True)
class RunOptions:
    target: TargetAddress | None  # None: the embedded emulator
    read_only: bool = False
    profile: str = "ci"
    rate_limit: RateLimit | None = None  # None: no client-side limit (`--rate-limit off`)
    seed: int | None = None
    report_dir: str = DEFAULT_REPORT_DIR


def resolve(sources: Sequence[Source], reach: Callable[[str], TargetAddress]) -> RunOptions:
    """The run's options from `sources` (first given wins). Raises ValueError for a value
    that makes no sense (said in one line), and whatever `reach` raises for the target."""
    given = {name: _first(name, sources) for name in NAMES}
    profile = given["profile"] or ("ci" if given["target"] is None else "tenant")
    if profile not in PROFILES:
        raise ValueError(f"--profile must be one of {', '.join(PROFILES)}, got {profile!r}")
    rate = given["rate_limit"] or ("off" if given["target"] is None else TENANT_RATE_LIMIT)
    options = RunOptions(
        target=None,
        read_only=bool(given["read_only"]),
        profile=profile,
        rate_limit=None if str(rate) == "off" else RateLimit.parse(str(rate)),
        seed=_seed(given["seed"]),
        report_dir=str(given["report_dir"] or DEFAULT_REPORT_DIR),
    )
    if given["target"] is None:
        return options
    # Last: the options above are checked before the preflight spends seconds on the network.
    return replace(options, target=reach(str(given["target"])))


def _first(name: str, sources: Sequence[Source]) -> Any:
    return next((source[name] for source in sources if source.get(name) is not None), None)


def _seed(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"--seed must be an integer: {value!r}") from None
