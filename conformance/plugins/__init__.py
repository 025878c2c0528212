"""The conformance suite's pytest plugins, one concern per module (loaded by conftest.py).

- `options`: command-line options, hypothesis profiles, `--seed`, markers, preflight;
- `target_fixtures`: the target (embedded emulator or `--target`), its clock, `writable`;
- `guest`: the guest session every request goes through, and `suite_api`;
- `reporting`: the session's `RunCollector` and the run folder written at the end;
- `every_rule`: a test that declares a rule and never checks it fails, naming the rule;
- `progress`: the tenant plan before the run, progress lines, the summary after it;
- `run_last`: tests marked `run_last` run after all others (the expired-token test).
"""

PLUGINS = [
    "conformance.plugins.options",
    "conformance.plugins.target_fixtures",
    "conformance.plugins.guest",
    "conformance.plugins.reporting",
    "conformance.plugins.every_rule",
    "conformance.plugins.progress",
    "conformance.plugins.run_last",
    "conformance.target_outage",
    "conformance.flaky_server",
]
