"""Runs named as people type them: a results.json, a run folder, or a report folder holding
several runs (`--report-dir`), for `python -m reports diff` and `profile`.

Errors name the side they are about ("before: reports/out/before: no results.json in it or
in any folder in it"), in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reports.model import RunResult
from reports.results_json import ResultsFileError, load_results
from reports.run_folder import RESULTS_FILE


class UnreadableRun(Exception):
    """A run that could not be found or read; the message names the side and says why."""


@dataclass(frozen=True)
class FoundRun:
    path: Path  # the results.json
    result: RunResult
    among: int = 1  # runs in the folder it was chosen from


def results_files(path: str, side: str) -> list[Path]:
    """Every results file `path` names: itself, the one of a run folder, or one per run of a
    report folder (oldest first by name, which starts with the run's time)."""
    given = Path(path)
    if given.is_file():
        return [given]
    if not given.exists():
        raise UnreadableRun(f"{side}: {path}: no such file or folder")
    if (given / RESULTS_FILE).is_file():
        return [given / RESULTS_FILE]
    found = sorted(given.glob(f"*/{RESULTS_FILE}"))
    if not found:
        raise UnreadableRun(f"{side}: {path}: no {RESULTS_FILE} in it or in any folder in it")
    return found


def read_run(path: Path, side: str) -> RunResult:
    try:
        return load_results(path)
    except ResultsFileError as error:
        raise UnreadableRun(f"{side}: {error}") from None
    except OSError as error:
        raise UnreadableRun(f"{side}: {path}: cannot read ({error.strerror})") from None


def latest_run(path: str, side: str) -> FoundRun:
    """The run `path` names; of several, the one that started last."""
    runs = all_runs(path, side)
    return max(runs, key=lambda run: (run.result.metadata.started_at, run.path.parent.name))


def all_runs(path: str, side: str) -> list[FoundRun]:
    files = results_files(path, side)
    return [FoundRun(file, read_run(file, side), len(files)) for file in files]


def refuse_incomplete(run: FoundRun, side: str) -> None:
    """One line for a run that did not go through every test, naming why."""
    completion = run.result.metadata.completion
    if not completion.completed:
        how_far = f"{completion.tests_run} of {completion.tests_collected} tests run"
        raise UnreadableRun(
            f"{side}: {run.path}: the run did not complete ({completion.stopped}, {how_far}: "
            f"{completion.detail}); rerun it, or pass --allow-incomplete to use what it reached"
        )
