"""`python -m reports`: every way the command can be misused is one line on stderr, exit 2."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from reports.__main__ import main
from reports.model import Completion, RunResult
from reports.results_json import write_results_json

REPO = Path(__file__).resolve().parents[2]


def run_main(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as leaving:  # argparse leaves through SystemExit
        code = leaving.code if isinstance(leaving.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def results_file(sample_run: RunResult, tmp_path: Path) -> str:
    return str(write_results_json(sample_run, tmp_path / "results.json"))


def assert_one_line_error(code: int, out: str, err: str, fragment: str) -> None:
    assert code == 2
    assert out == ""
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert re.match(r"python -m reports( diff)?: error: ", err)
    assert fragment in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{ not json", "not JSON"),
        ("", "not JSON"),
        ('{"hello": "world"}', "not a results file"),
        ('"a string"', "not a results file"),
        ('{"schema_version": 99, "run": {}}', "schema_version 99 is not supported"),
        ('{"schema_version": 1}', "schema_version 1 is not supported"),
        ('{"schema_version": 2}', "not a valid results file"),
    ],
)
def test_files_that_are_not_results_files(
    tmp_path: Path, results_file: str, capsys, content: str, fragment: str
) -> None:
    other = tmp_path / "other.json"
    other.write_text(content, encoding="utf-8")
    assert_one_line_error(*run_main(["diff", results_file, str(other)], capsys), fragment)


def test_a_missing_file(tmp_path: Path, results_file: str, capsys) -> None:
    missing = str(tmp_path / "nowhere.json")
    code, out, err = run_main(["diff", missing, results_file], capsys)
    assert_one_line_error(code, out, err, f"{missing}: no such file")


def test_an_error_names_the_side_it_is_about(tmp_path: Path, results_file: str, capsys) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run_main(["diff", results_file, str(empty)], capsys)
    assert_one_line_error(code, out, err, f"after: {empty}: no results.json in it")
    code, out, err = run_main(["diff", str(tmp_path / "gone"), results_file], capsys)
    assert_one_line_error(code, out, err, f"before: {tmp_path / 'gone'}: no such file")


def test_a_run_folder_or_a_report_folder_of_runs(
    sample_run: RunResult, tmp_path: Path, capsys
) -> None:
    """As --report-dir leaves them: the latest run of a folder is taken, and the output says
    which."""
    for name, started in [
        ("20260101t0900-a", "2026-01-01T09:00:00+00:00"),
        ("20260102t0900-b", "2026-01-02T09:00:00+00:00"),
    ]:
        run = replace(
            sample_run, metadata=replace(sample_run.metadata, run_id=name, started_at=started)
        )
        (tmp_path / "before" / name).mkdir(parents=True)
        write_results_json(run, tmp_path / "before" / name / "results.json")
    code, out, err = run_main(
        ["diff", str(tmp_path / "before"), str(tmp_path / "before" / "20260101t0900-a")], capsys
    )
    assert "before: " in err and "20260102t0900-b/results.json (the latest of 2 runs)" in err
    assert out.startswith("Run 20260101t0900-a compared with run 20260102t0900-b")
    assert code == 0


def test_an_incomplete_run_is_refused_unless_allowed(
    sample_run: RunResult, tmp_path: Path, results_file: str, capsys
) -> None:
    completion = Completion(
        False, "target-stopped-answering", "the target stopped answering", 180, 93
    )
    cut = replace(sample_run, metadata=replace(sample_run.metadata, completion=completion))
    cut_file = str(write_results_json(cut, tmp_path / "cut.json"))
    code, out, err = run_main(["diff", results_file, cut_file], capsys)
    assert_one_line_error(code, out, err, f"after: {cut_file}: the run did not complete")
    assert "93 of 180 tests run" in err and "--allow-incomplete" in err
    code, out, err = run_main(["profile", cut_file], capsys)
    assert_one_line_error(code, out, err, "the run did not complete")
    code, out, err = run_main(["diff", results_file, cut_file, "--allow-incomplete"], capsys)
    assert code == 0 and "INCOMPLETE RUN (target-stopped-answering" in err
    # What it did not reach is listed apart, not as a change of the target.
    empty = replace(cut, records=[], observed={})
    code, out, err = run_main(
        [
            "diff",
            results_file,
            str(write_results_json(empty, tmp_path / "empty.json")),
            "--allow-incomplete",
        ],
        capsys,
    )
    assert "Not reached (" in out and "(the after run stopped before them, not compared: " in out
    assert "no longer judged" not in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ([], "required"),
        (["show", "x.json"], "invalid choice"),
        (["diff", "only-one.json"], "the following arguments are required"),
        (["diff", "{f}", "{f}", "--format", "yaml"], "invalid choice: 'yaml'"),
        (["diff", "{f}", "{f}", "--slowdown-factor", "fast"], "not a number: 'fast'"),
        (["diff", "{f}", "{f}", "--slowdown-factor", "0.5"], "must be a number >= 1.0"),
        (["diff", "{f}", "{f}", "--slowdown-factor", "nan"], "must be a number >= 1.0"),
        (["diff", "{f}", "{f}", "--no-such-option"], "unrecognized arguments"),
    ],
)
def test_bad_usage(results_file: str, capsys, argv: list[str], fragment: str) -> None:
    argv = [arg.replace("{f}", results_file) for arg in argv]
    assert_one_line_error(*run_main(argv, capsys), fragment)


def test_the_module_entry_point_exit_codes(results_file: str, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reports", *args],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )

    same = run("diff", results_file, results_file)
    assert (same.returncode, same.stderr) == (0, "")
    assert "No changes." in same.stdout
    missing = run("diff", results_file, str(tmp_path / "gone.json"))
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1
    assert "no such file" in missing.stderr


@pytest.mark.parametrize(
    ("argv", "prefix"),
    [
        (["diff", "/nonexistent/before", "x"], "campaigns-conformance: error: before: "),
        (["diff"], "campaigns-conformance diff: error: "),
        (["profile", "/nonexistent/run"], "campaigns-conformance: error: results: "),
    ],
)
def test_errors_name_the_command_the_user_typed(argv: list[str], prefix: str, capsys) -> None:
    from conformance.run.cli import main as conformance_main

    try:
        code = conformance_main(argv)
    except SystemExit as leaving:
        code = leaving.code
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert err.startswith(prefix), err
    assert err.count("\n") == 1 and "python -m" not in err
