"""The conformance suite's pytest plugins, one concern per module (loaded by conftest.py).

- `options`: command-line options resolved once into `RunOptions`, hypothesis profiles,
  markers, the preflight;
- `target_fixtures`: the target (embedded emulator or `--target`), its clock, `writable`;
- `guest`: the guest session every request goes through, and `suite_api`;
- `reporting`: the session's `RunCollector` and the run folder written at the end;
- `every_rule`: a test that declares a rule and never checks it fails, naming the rule;
- `progress`: the tenant plan before the run, progress lines, the summary after it;
- `run_last`: tests marked `run_last` run after all others (the expired-token test);
- `target_outage`: a target that stops answering ends the run in one line, exit 6;
- `flaky_server`: a server answering the same request differently is reported as such;
- `workers`: a run split over pytest-xdist workers is one run (run id, rate budget, settings).

Whatever a plugin keeps in pytest's stash is under a key of `keys`, so none imports another.
"""

PLUGINS = [
    "conformance.plugins.options",
    "conformance.plugins.target_fixtures",
    "conformance.plugins.guest",
    "conformance.plugins.reporting",
    "conformance.plugins.every_rule",
    "conformance.plugins.progress",
    "conformance.plugins.run_last",
    "conformance.plugins.target_outage",
    "conformance.plugins.flaky_server",
    "conformance.plugins.workers",
]
