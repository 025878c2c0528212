"""One tenant's data: documents by kind and id, its clock, and its scheduled background work.

Every mutation goes through `put`/`remove`, which also write through to the journal (SQLite
when the emulator runs with `--db`), so a restart loses nothing that was acknowledged.
Background work (PENDING -> STAGED and the like) is a due-time queue drained at the start of
each request: deterministic, thread-free, and it follows the tenant clock when it is advanced.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from emulator.domain.clock import TenantClock, format_timestamp, parse_timestamp

Document = dict[str, Any]

# Kinds of stored documents.
CAMPAIGN = "campaign"
TEMPLATE = "template"
SCHEDULE = "schedule"
REPORT = "report"
CERTIFICATION = "certification"
SETTINGS = "settings"
KINDS = (CAMPAIGN, TEMPLATE, SCHEDULE, REPORT, CERTIFICATION, SETTINGS)


class Journal(Protocol):
    """Where acknowledged state is kept across restarts."""

    def put(self, tenant: str, kind: str, key: str, document: Document) -> None: ...
    def remove(self, tenant: str, kind: str, key: str) -> None: ...
    def clear(self, tenant: str) -> None: ...
    def load(self) -> dict[str, dict[str, dict[str, Document]]]: ...


class NoJournal:
    """The in-memory default: nothing survives the process."""

    def put(self, tenant: str, kind: str, key: str, document: Document) -> None:
        pass

    def remove(self, tenant: str, kind: str, key: str) -> None:
        pass

    def clear(self, tenant: str) -> None:
        pass

    def load(self) -> dict[str, dict[str, dict[str, Document]]]:
        return {}


@dataclass
class Violation:
    """A request a client got wrong: the operation, what the contract says, what was sent.

    `kind` is "violation" (fails the gate) or "warning" (fails it only when asked);
    `tracking_id` is the one the answer carried, which the client's own logs show; `member`
    names the offending member or parameter when there is one."""

    at: str
    operation_id: str | None
    method: str
    path: str
    status: int
    reason: str
    client_id: str | None
    kind: str = "violation"
    tracking_id: str | None = None
    member: str | None = None

    def as_dict(self) -> Document:
        return {
            "at": self.at,
            "kind": self.kind,
            "operationId": self.operation_id,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "reason": self.reason,
            "member": self.member,
            "trackingId": self.tracking_id,
            "clientId": self.client_id,
        }


@dataclass
class Tenant:
    name: str
    journal: Journal = field(default_factory=NoJournal)
    clock: TenantClock = field(default_factory=TenantClock)
    documents: dict[str, dict[str, Document]] = field(
        default_factory=lambda: {kind: {} for kind in KINDS}
    )
    violations: list[Violation] = field(default_factory=list)
    # Requests of one tenant are applied one at a time: no lost update, whatever the server.
    lock: threading.RLock = field(default_factory=threading.RLock)
    _due: list[tuple[datetime, int, str, str]] = field(default_factory=list)
    _sequence: Iterator[int] = field(default_factory=itertools.count)
    max_violations: int = 10_000
    # Seconds that background work (PENDING -> STAGED, ...) takes on this tenant's clock.
    transition_delay: float = 0.0
    # Which description the tenant answers as: "documented" or "published" (spec/ x-published).
    answers: str = "documented"

    # --- documents ---------------------------------------------------------------------
    def get(self, kind: str, key: str) -> Document | None:
        return self.documents[kind].get(key)

    def all(self, kind: str) -> list[Document]:
        return list(self.documents[kind].values())

    def put(self, kind: str, key: str, document: Document) -> None:
        self.documents[kind][key] = document
        self.journal.put(self.name, kind, key, document)

    def remove(self, kind: str, key: str) -> Document | None:
        document = self.documents[kind].pop(key, None)
        if document is not None:
            self.journal.remove(self.name, kind, key)
        return document

    def reset(self) -> None:
        """Forget everything: documents, clock offset, queued work and violations."""
        for kind in KINDS:
            self.documents[kind].clear()
        self.clock.offset_seconds = 0.0
        self._due.clear()
        self.violations.clear()
        self.journal.clear(self.name)

    # --- clock -------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def advance_clock(self, seconds: float) -> datetime:
        moment = self.clock.advance(seconds)
        self.put(SETTINGS, "clock", {"offsetSeconds": self.clock.offset_seconds})
        return moment

    # --- background work -----------------------------------------------------------------
    def schedule(self, due: datetime, kind: str, key: str) -> None:
        """Remember that the document `kind/key` has work finishing at `due`."""
        heapq.heappush(self._due, (due, next(self._sequence), kind, key))

    def run_due_work(self, finish: Callable[[str, Document], None]) -> None:
        """Call `finish(kind, document)` for every queued piece of work now due."""
        now = self.now()
        while self._due and self._due[0][0] <= now:
            _, _, kind, key = heapq.heappop(self._due)
            document = self.get(kind, key)
            if document is not None:
                finish(kind, document)

    def requeue_pending(self) -> None:
        """After loading from the journal, queue again the work documents still wait for."""
        for kind in (CAMPAIGN, REPORT):
            for key, document in self.documents[kind].items():
                due = document.get("_meta", {}).get("settleAt")
                if due:
                    self.schedule(parse_timestamp(due), kind, key)

    # --- violations ----------------------------------------------------------------------
    def record_violation(self, violation: Violation) -> None:
        # Bounded, so a client hammering bad requests cannot grow memory without limit.
        if len(self.violations) >= self.max_violations:
            del self.violations[0]
        self.violations.append(violation)

    def stamp(self) -> str:
        return format_timestamp(self.now())
