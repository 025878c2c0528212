"""The README's upgrade walkthrough, its runs made once per test session.

The README's own commands (`campaigns-conformance run --target TENANT --seed 42 --report-dir
reports/out/before`, `.../after`, `.../tonight`) run against emulators in tenant mode (no
control API, a rate limit, the tenant profile) answering as the published API, one each; the
same command once more against one answering as the documented API is the "upgrade". The README's
test (tests/readme) diffs the three runs of the unchanged tenant as its nightly walkthrough
does; the upgrade verification (tests/reports) diffs them against the upgrade. Both read these
runs (`upgrade_runs`, a session fixture of tests/conftest.py in one xdist group), so the
walkthrough's suite runs are made once.
"""

from __future__ import annotations

import subprocess
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from tests.harness import GUEST_CREDENTIALS, LIMITED_CLIENT, REPO, served_warm, suite_environment
from tests.readme.readme_commands import readme_line

TENANT = "https://acme.api.identitynow.com"
BEFORE = f"campaigns-conformance run --target {TENANT} --seed 42 --report-dir reports/out/before"
AFTER = f"campaigns-conformance run --target {TENANT} --seed 42 --report-dir reports/out/after"
TONIGHT = f"campaigns-conformance run --target {TENANT} --seed 42 --report-dir reports/out/tonight"
# The tests the walkthrough runs: those that show the drift, a lifecycle walkthrough and the
# generated requests of createCampaign; small enough to run four times at a tenant's rate.
SELECTION = (
    "vendor_drift or lifecycle or stateful_links"
    " or (honours_the_spec and createCampaign) or (documented_example and createCampaign)"
)
# The tenant's rate limit (100/10s) would make these runs mostly waiting; both sides run ten
# times faster, 100/1s: the same throttle on the client and the same 429s on the server.
RATE_LIMIT = "100/1s"
# Background work (PENDING -> STAGED and the like) takes 0.05 s instead of 0.2: the lifecycle
# tests poll for it, and at 0.2 s their polls were two thirds of each run's time.
TENANT_MODE = (
    *("--no-control-api", "--rate-limit", RATE_LIMIT, "--client", LIMITED_CLIENT),
    *("--transition-delay", "0.05"),
)
# Assertion rewriting only details the failure text of bare asserts (the diffs read the
# records), and it recompiles the project's modules in every run that cannot cache them.
CHOSEN = f" -k '{SELECTION}' --rate-limit {RATE_LIMIT} -p no:cacheprovider --assert=plain -q"


@dataclass
class UpgradeRuns:
    root: Path  # what the README calls reports/out/
    replace: dict[str, dict[str, str]]  # per run, the README's placeholders -> what it used
    commands: dict[str, str]  # before, after, tonight, upgraded -> the shell line run
    exit_codes: dict[str, int]
    outputs: dict[str, str]

    def folder(self, name: str) -> Path:
        """The one run folder a command wrote (reports/out/NAME/RUN_ID)."""
        [folder] = [path for path in (self.root / name).iterdir() if path.is_dir()]
        return folder


def make_upgrade_runs(root: Path) -> UpgradeRuns:
    """The four runs side by side, each against a tenant of its own: three answering as the
    published API (before, after, tonight), one as the documented API (the upgrade). Runs of
    one tenant at once would meet in what is tenant-wide: one run's reports configuration
    read back by the other's round trip. The emulators are forked from a warm Python."""
    answers = {"before": "published", "after": "published", "tonight": "published"}
    answers["upgraded"] = "documented"
    given = {"before": BEFORE, "after": AFTER, "tonight": TONIGHT, "upgraded": BEFORE}
    with ExitStack() as stack:
        folders = {name: {"reports/out/": f"{root}/"} for name in ("before", "after", "tonight")}
        folders["upgraded"] = {"reports/out/before": f"{root}/upgraded"}
        replace = {}
        for name, answer in answers.items():
            log = root.with_name(f"{root.name}-{name}.log")
            tenant = stack.enter_context(served_warm(*TENANT_MODE, "--answers", answer, log=log))
            replace[name] = {TENANT: tenant, **folders[name]}
        commands = {name: readme_line(given[name], replace[name]) + CHOSEN for name in given}
        runs = {
            name: subprocess.Popen(
                command,
                shell=True,
                cwd=REPO,
                env=suite_environment(GUEST_CREDENTIALS),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for name, command in commands.items()
        }
        outputs = {name: process.communicate(timeout=300)[0] for name, process in runs.items()}
    exit_codes = {name: process.returncode for name, process in runs.items()}
    return UpgradeRuns(root, replace, commands, exit_codes, outputs)
