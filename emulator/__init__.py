"""A stateful emulator of a tenant's v3 Certification Campaigns API (ASGI app and CLI)."""

from emulator.app import create_app
from emulator.config import EmulatorConfig

__all__ = ["EmulatorConfig", "create_app"]
