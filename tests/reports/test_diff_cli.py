"""`python -m reports`: every way the command can be misused is one line on stderr, exit 2."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from reports.__main__ import main
from reports.model import RunResult
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


def test_a_directory_instead_of_a_file(tmp_path: Path, results_file: str, capsys) -> None:
    assert_one_line_error(*run_main(["diff", results_file, str(tmp_path)], capsys), "cannot read")


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
