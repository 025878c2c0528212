"""The README's upgrade walkthrough, run: the suite against the emulator in tenant mode (no
control API, a tenant's rate limit, the tenant profile, the same --seed), before and after
an "upgrade" from the published answers to the documented ones.

- Runs of an unchanged target diff to "No changes." and exit 0 (three pairs).
- The upgrade's diff names createCampaign's new status first and lists MACHINE_ACCOUNT's
  refusal, and is what the README's upgrade section shows.
- A server answering 2% of requests with 500 diffs to a pull-request comment that names the
  500s in its first lines, and no record passes not_a_server_error for an operation the run
  saw answer a 5xx.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reports.__main__ import main as reports_main
from tests.conformance_runs.recording_proxy import RecordingProxy
from tests.harness import GUEST_CREDENTIALS, LIMITED_CLIENT, REPO, run_suite, served_in_thread
from tests.upgrade_runs import UpgradeRuns

RUN_ID = re.compile(r"\d{8}t\d{6}-[0-9a-f]{6}")
README_EXAMPLE = re.compile(r"<!-- upgrade-diff -->\n```text\n(.*?)```", re.S)


def diff(capsys, *arguments: str) -> tuple[int, str]:
    code = reports_main(["diff", *arguments])
    out, err = capsys.readouterr()
    return code, out + err


def suite(base_url: str, folder: Path) -> Path:
    """The whole suite as a tenant administrator runs it (`--target`: the tenant profile),
    seeded, unthrottled (the emulator has no rate limit here). Forked from a warm Python, so
    without assertion rewriting: the diff reads the records, not assertion texts."""
    run = run_suite(
        *("conformance", "-q", "-p", "no:cacheprovider", "--target", base_url, "--seed", "42"),
        *("--rate-limit", "off", "--assert=plain"),
        report_dir=folder,
        env=GUEST_CREDENTIALS,
        warm=True,
    )
    assert run.process.returncode in (0, 1), run.output[-3000:]
    return run.folder


@pytest.fixture
def upgrade(upgrade_runs: UpgradeRuns) -> dict[str, Path]:
    """Three runs of the published emulator, one of the documented one: the README
    walkthrough's (tests/upgrade_runs.py), shared with the README's test."""
    for name, code in upgrade_runs.exit_codes.items():
        assert code in (0, 1), upgrade_runs.outputs[name][-3000:]
    names = {"before-1": "before", "before-2": "after", "before-3": "tonight"}
    return {
        **{key: upgrade_runs.folder(name) for key, name in names.items()},
        "after": upgrade_runs.folder("upgraded"),
    }


def test_runs_of_an_unchanged_target_report_no_change(upgrade, capsys) -> None:
    for before, after in [
        ("before-1", "before-2"),
        ("before-2", "before-3"),
        ("before-1", "before-3"),
    ]:
        code, out = diff(capsys, str(upgrade[before]), str(upgrade[after]))
        assert (code, out.strip().splitlines()[-1]) == (0, "No changes."), out


def test_the_upgrade_names_the_new_status_first_and_the_refused_type(upgrade, capsys) -> None:
    code, out = diff(capsys, str(upgrade["before-1"].parent), str(upgrade["after"].parent))
    assert code == 1, out
    lines = out.splitlines()
    first = lines[lines.index("Regressions (2):") + 1]
    assert first.strip().startswith("createCampaign now answers 200; it answered 202 before")
    assert "MACHINE_ACCOUNT as a campaign type (known drift 1): now refused with 400" in out
    # More runs on the before side change nothing here: they agree.
    also = [str(upgrade[name]) for name in ("before-2", "before-3")]
    code, again = diff(
        capsys,
        str(upgrade["before-1"]),
        str(upgrade["after"]),
        "--also-before",
        *also[:1],
        "--also-before",
        also[1],
    )
    assert code == 1 and "Flaky" not in again


def test_the_readme_shows_the_upgrade_diff_as_it_prints(upgrade, capsys) -> None:
    _, out = diff(capsys, str(upgrade["before-1"]), str(upgrade["after"]), "--format", "markdown")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = README_EXAMPLE.search(readme)
    assert shown is not None, "the README's upgrade section has no <!-- upgrade-diff --> example"
    readme_sections, printed_sections = _sections(shown.group(1)), _sections(out)
    # What the target does differently, and the verdict, as printed, to the letter.
    for heading in ("", "### Regressions", "**Result"):
        assert readme_sections.get(heading) == printed_sections.get(heading), (heading, out)
    # The changes list what the two runs happened to send differently (operations now or no
    # longer judged, status codes newly or no longer seen): the same kinds of line, not the
    # same lines, from one pair of runs to the next.
    kinds = ("- now judged on ", "- no longer judged on ", "- status codes of ")
    for sections in (readme_sections, printed_sections):
        for line in sections.get("### Changes", []):
            assert line.startswith(kinds), (line, out)


def _sections(markdown: str) -> dict[str, list[str]]:
    """A diff's lines by section: its headline (""), each `### Name` without its count, and
    the closing `**Result` line."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in RUN_ID.sub("RUN", markdown).strip().splitlines():
        if line.startswith(("### ", "**Result")):
            current = line.split(" (")[0] if line.startswith("### ") else "**Result"
            sections[current] = [line] if current == "**Result" else []
        elif line.strip():
            sections[current].append(line)
    return sections


def test_injected_500s_are_one_line_each_named_first(tmp_path: Path, capsys) -> None:
    # Emulators served by threads here (the test is about the runs, not a server process);
    # background work takes 0.05 s, not 0.2: the lifecycle tests' polls were half of a run.
    options = ("--client", LIMITED_CLIENT, "--transition-delay", "0.05")
    with served_in_thread(*options) as clean, served_in_thread(*options) as faulty:
        # The faults start once the preflight was answered: a 500 to the preflight would end
        # the run before it began (exit 6), one run in fifty.
        proxy = RecordingProxy(faulty)
        proxy.on_first("GET", "/v3/campaigns?limit=1", lambda: _faults(faulty, 0.02))
        with proxy.serving(), ThreadPoolExecutor(max_workers=2) as pool:
            folders = list(
                pool.map(
                    lambda url, name: suite(url, tmp_path / name),
                    (clean, proxy.base_url),
                    ("clean", "faulty"),
                )
            )
    code, markdown = diff(capsys, str(folders[0]), str(folders[1]), "--format", "markdown")
    lines = markdown.splitlines()
    assert code == 1 and len(lines) < 60, markdown
    assert any("answered 500" in line for line in lines[:10]), markdown
    document = json.loads((folders[1] / "results.json").read_text(encoding="utf-8"))
    seen = {op["operation_id"]: op["status_codes_seen"] for op in document["operations"]}
    passed_anyway = [
        record["operation_id"]
        for record in document["records"]
        if record["check"] == "not_a_server_error"
        and record["outcome"] == "pass"
        and any(code >= 500 for code in seen.get(record["operation_id"], ()))
    ]
    assert passed_anyway == []


def _faults(base_url: str, rate: float) -> None:
    import requests

    response = requests.put(
        f"{base_url}/emulator/tenants/default/faults",
        json={"errorRate": rate, "errorStatus": 500},
        timeout=10,
    )
    response.raise_for_status()
