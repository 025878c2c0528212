"""The runs the learned-profile tests read: the suite against a drifted emulator, against an
emulator `--like` that run, and against one answering as the documents (the control). Made
once per session: each costs an inner suite run (its emulator and suite processes forked
from a warm Python, tests/warm_python.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from learning_runs import DRIFT_LAUNCHER, EMULATOR_OPTIONS, learn_from, seed_foreign_objects

from tests.harness import served_warm


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("learned-profiles")
    with ThreadPoolExecutor(max_workers=1) as pool:  # the control meanwhile: it waits on HTTP
        documented = pool.submit(_run_against_the_documents, work)
        found = _run_against_the_drifted_then_the_learned(work)
        found["documented"] = documented.result()
    return found


def _run_against_the_drifted_then_the_learned(work: Path) -> dict:
    found = {}
    drifted = [str(DRIFT_LAUNCHER)]
    log = work / "drift.log"
    with served_warm(*EMULATOR_OPTIONS, "--answers", "published", program=drifted, log=log) as url:
        found["foreign ids"] = seed_foreign_objects(url)
        found["drifted"] = learn_from(url, work / "drifted")
    like = ("--like", str(found["drifted"]))
    with served_warm(*EMULATOR_OPTIONS, *like, log=work / "learned.log") as url:
        seed_foreign_objects(url)
        found["learned"] = learn_from(url, work / "learned")
    return found


def _run_against_the_documents(work: Path) -> Path:
    documented = ("--answers", "documented")
    with served_warm(*EMULATOR_OPTIONS, *documented, log=work / "plain.log") as url:
        seed_foreign_objects(url)
        return learn_from(url, work / "documented")
