"""The runs the learned-profile tests read: the suite against a drifted emulator, against an
emulator `--like` that run, and against one answering as the documents (the control). Made
once per session: each costs an inner suite run."""

from __future__ import annotations

import pytest
from learning_runs import DRIFT_LAUNCHER, run_suite, seed_foreign_objects, served


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("learned-profiles")
    found = {}
    with served([str(DRIFT_LAUNCHER)], "--answers", "published", log=work / "drift.log") as url:
        found["foreign ids"] = seed_foreign_objects(url)
        found["drifted"] = run_suite(url, work / "drifted")
    like = ["-m", "emulator", "--like", str(found["drifted"])]
    with served(like, log=work / "learned.log") as url:
        seed_foreign_objects(url)
        found["learned"] = run_suite(url, work / "learned")
    with served(["-m", "emulator"], "--answers", "documented", log=work / "plain.log") as url:
        seed_foreign_objects(url)
        found["documented"] = run_suite(url, work / "documented")
    return found
