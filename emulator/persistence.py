"""SQLite persistence (`--db PATH`): every acknowledged change is committed before the answer.

The tenants' data stays in memory for speed; this journal is written through on each change
and read back once at start-up.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from emulator.domain.tenant import Document


class SqliteJournal:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS documents (tenant TEXT, kind TEXT, key TEXT, body TEXT, "
            "PRIMARY KEY (tenant, kind, key))"
        )

    def put(self, tenant: str, kind: str, key: str, document: Document) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?)",
                (tenant, kind, key, json.dumps(document)),
            )

    def remove(self, tenant: str, kind: str, key: str) -> None:
        with self._lock:
            self._db.execute(
                "DELETE FROM documents WHERE tenant = ? AND kind = ? AND key = ?",
                (tenant, kind, key),
            )

    def clear(self, tenant: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM documents WHERE tenant = ?", (tenant,))

    def load(self) -> dict[str, dict[str, dict[str, Document]]]:
        loaded: dict[str, dict[str, dict[str, Document]]] = {}
        with self._lock:
            rows = self._db.execute("SELECT tenant, kind, key, body FROM documents").fetchall()
        for tenant, kind, key, body in rows:
            loaded.setdefault(tenant, {}).setdefault(kind, {})[key] = json.loads(body)
        return loaded

    def close(self) -> None:
        with self._lock:
            self._db.close()
