"""All tenants of one emulator process, each isolated, each with its own traffic controls."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from emulator.config import EmulatorConfig
from emulator.domain.tenant import SETTINGS, Journal, NoJournal, Tenant, Violation
from emulator.gate.client_manners import ClientManners
from emulator.traffic_controls import FaultProfile, RateLimiter


@dataclass
class TenantSlot:
    """A tenant's data plus the switches the control API turns."""

    tenant: Tenant
    rate_limiter: RateLimiter
    faults: FaultProfile = field(default_factory=FaultProfile)
    manners: ClientManners = field(default_factory=ClientManners)


class TenantRegistry:
    def __init__(self, config: EmulatorConfig, journal: Journal | None = None) -> None:
        self._config = config
        self._journal = journal or NoJournal()
        self._slots: dict[str, TenantSlot] = {}
        self._lock = threading.Lock()
        # Violations no tenant can be blamed for (a request without any token).
        self.unattributed: list[Violation] = []
        for name, documents in self._journal.load().items():
            slot = self.slot(name)
            for kind, by_key in documents.items():
                slot.tenant.documents[kind].update(by_key)
            clock = slot.tenant.documents[SETTINGS].get("clock")
            if clock:
                slot.tenant.clock.offset_seconds = clock["offsetSeconds"]
            slot.tenant.requeue_pending()

    def slot(self, name: str) -> TenantSlot:
        with self._lock:
            if name not in self._slots:
                tenant = Tenant(
                    name,
                    journal=self._journal,
                    transition_delay=self._config.transition_delay,
                    answers=self._config.answers,
                )
                self._slots[name] = TenantSlot(
                    tenant, RateLimiter(self._config.rate_limit), self._default_faults()
                )
            return self._slots[name]

    def _default_faults(self) -> FaultProfile:
        return FaultProfile(latency_ms=self._config.latency_ms)

    def names(self) -> list[str]:
        return sorted(self._slots)

    def reset(self, name: str) -> None:
        slot = self.slot(name)
        with slot.tenant.lock:
            slot.tenant.reset()
            slot.tenant.transition_delay = self._config.transition_delay
            slot.tenant.answers = self._config.answers
            slot.rate_limiter = RateLimiter(self._config.rate_limit)
            slot.faults = self._default_faults()
            slot.manners = ClientManners()
