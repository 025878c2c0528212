"""What this run created and what tenant-wide settings it changed, so it can leave no trace.

Every object the suite creates carries the run id in its name (`cc-run-<id> ...`); the ledger
remembers the ids, and at the end deletes them and restores the settings it changed to their
exact prior value. `sweep` removes leftovers of earlier, interrupted runs by the name prefix.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests

from conformance.client.circuit_breaker import TargetStoppedAnswering

RUN_PREFIX = "cc-run-"


def new_run_id() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dt%H%M%S")
    return f"{stamp}-{secrets.token_hex(3)}"


@dataclass
class CleanupReport:
    deleted: dict[str, int] = field(default_factory=lambda: {"campaign": 0, "template": 0})
    restored: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    abandoned: str = ""  # why cleanup stopped early (the target stopped answering)

    def summary(self) -> str:
        text = (
            f"cleanup: deleted {self.deleted['campaign']} campaign(s) and "
            f"{self.deleted['template']} template(s)"
        )
        if self.restored:
            # Several workers' cleanups together may each have restored a setting (of their own
            # emulator each): said once, with how many times.
            times = Counter(self.restored)
            restored = [name if n == 1 else f"{name} ({n} times)" for name, n in times.items()]
            text += f"; restored {', '.join(restored)}"
        if self.failures:
            text += f"; {len(self.failures)} failure(s): " + "; ".join(self.failures)
        if self.abandoned:
            text += f"; {self.abandoned}"
        return text

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> CleanupReport:
        return cls(**json.loads(text))

    @classmethod
    def combined(cls, reports: list[CleanupReport]) -> CleanupReport:
        """The cleanups of several processes of one run (pytest-xdist workers) as one."""
        together = cls()
        for report in reports:
            for kind, count in report.deleted.items():
                together.deleted[kind] = together.deleted.get(kind, 0) + count
            together.restored += report.restored
            together.failures += report.failures
            if report.abandoned and report.abandoned not in together.abandoned:
                together.abandoned = "; ".join(filter(None, [together.abandoned, report.abandoned]))
        return together


class RunLedger:
    def __init__(self, run_id: str | None = None) -> None:
        self.run_id = run_id or new_run_id()
        self.name_prefix = f"{RUN_PREFIX}{self.run_id} "
        self._owned: dict[str, dict[str, None]] = {"campaign": {}, "template": {}}
        self._settings: dict[str, Any] = {}
        self._lock = threading.Lock()

    def name(self, text: str = "") -> str:
        """A name for a new object: the run prefix, then `text`."""
        return text if text.startswith(self.name_prefix) else self.name_prefix + text

    def record_created(self, kind: str, object_id: str) -> None:
        with self._lock:
            self._owned[kind][object_id] = None

    def forget(self, kind: str, object_id: str) -> None:
        with self._lock:
            self._owned[kind].pop(object_id, None)

    def owns(self, kind: str, object_id: str) -> bool:
        return object_id in self._owned[kind]

    def owned(self, kind: str) -> list[str]:
        with self._lock:
            return list(self._owned[kind])

    def remember_setting(self, name: str, value: Any) -> None:
        """Keep the first value seen: that is the tenant's, to be restored at the end."""
        with self._lock:
            self._settings.setdefault(name, value)

    def has_setting(self, name: str) -> bool:
        return name in self._settings

    def cleanup(self, session: requests.Session, base_url: str) -> CleanupReport:
        """Delete what this run created; restore what it changed. Never raises.

        If the target has stopped answering, cleanup still tries once; when that fails too it
        stops and says what is left and how to sweep it later."""
        report = CleanupReport()
        breaker = getattr(session, "breaker", None)
        if breaker is not None and breaker.is_open:
            breaker.try_again()
        try:
            self._clean(session, base_url, report)
        except TargetStoppedAnswering:
            left = [f"{len(self.owned(kind))} {kind}(s)" for kind in ("campaign", "template")]
            if "reportsConfig" in self._settings and not report.restored:
                prior = json.dumps(self._settings["reportsConfig"])
                left.append(f"the reports configuration changed (it was {prior})")
            report.abandoned = (
                f"stopped, the target is not answering; left {', '.join(left)}: sweep them "
                f"with `campaigns-conformance cleanup --target {base_url}` once it answers"
            )
            return report
        for kind in ("campaign", "template"):
            for object_id in self.owned(kind):
                self.forget(kind, object_id)
        return report

    def _clean(self, session: requests.Session, base_url: str, report: CleanupReport) -> None:
        api = base_url.rstrip("/") + "/v3"
        campaigns = self.owned("campaign")
        for start in range(0, len(campaigns), 50):
            batch = campaigns[start : start + 50]
            _delete(
                session,
                "POST",
                f"{api}/campaigns/delete",
                report,
                "campaign",
                batch,
                json={"ids": batch},
            )
        for template_id in self.owned("template"):
            _delete(
                session,
                "DELETE",
                f"{api}/campaign-templates/{template_id}",
                report,
                "template",
                [template_id],
            )
        if "reportsConfig" in self._settings:
            try:
                response = session.put(
                    f"{api}/campaigns/reports-configuration", json=self._settings["reportsConfig"]
                )
                response.raise_for_status()
                report.restored.append("the campaign reports configuration")
            except requests.RequestException as error:
                report.failures.append(f"reports configuration not restored: {error}")


def _delete(session, method, url, report, kind, ids, **kwargs) -> None:
    try:
        response = session.request(method, url, **kwargs)
    except requests.RequestException as error:
        report.failures.append(f"{kind} {ids}: {type(error).__name__}")
        return
    if response.status_code in (200, 202, 204, 404):
        report.deleted[kind] += len(ids) if response.status_code != 404 else 0
    else:
        report.failures.append(f"{kind} {ids}: HTTP {response.status_code}")


def sweep(
    session: requests.Session, ledger: RunLedger, base_url: str, prefix: str = RUN_PREFIX
) -> CleanupReport:
    """Delete every campaign and template whose name starts with `prefix` (earlier runs)."""
    adopt(session, ledger, base_url, prefix)
    return ledger.cleanup(session, base_url)


def adopt(session: requests.Session, ledger: RunLedger, base_url: str, prefix: str) -> None:
    """Enter into `ledger` every campaign and template whose name starts with `prefix`, which
    is what lets a guarded session delete them: the prefix proves they were made by this
    suite (with the run's own prefix, by this run)."""
    api = base_url.rstrip("/") + "/v3"
    for kind, path in (("campaign", "campaigns"), ("template", "campaign-templates")):
        offset = 0
        while True:
            response = session.get(
                f"{api}/{path}",
                params={"filters": f'name sw "{prefix}"', "limit": 250, "offset": offset},
            )
            response.raise_for_status()
            page = response.json()
            for item in page:
                ledger.record_created(kind, item["id"])
            if len(page) < 250:
                break
            offset += 250
