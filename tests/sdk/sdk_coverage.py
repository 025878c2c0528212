"""Which SDK methods each test drives: declared with @drives, checked after every test and in
total (all 22 methods of CertificationCampaignsApi)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sailpoint.v3.api.certification_campaigns_api import CertificationCampaignsApi

_VARIANTS = ("_with_http_info", "_without_preload_content")

# --- which SDK methods each test must drive (checked after the test, and in total) ---------
COVERAGE: dict[str, frozenset[str]] = {}


def drives(*methods: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(test: Callable[..., None]) -> Callable[..., None]:
        COVERAGE[test.__name__] = frozenset(methods)
        return test

    return register


def sdk_methods() -> set[str]:
    return {
        name
        for name in vars(CertificationCampaignsApi)
        if not name.startswith("_") and not name.endswith(_VARIANTS)
    }


class RecordingApi:
    """The SDK's API object, remembering which methods (any variant) a test called."""

    def __init__(self, api: CertificationCampaignsApi) -> None:
        self._api = api
        self.called: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        base = name
        for suffix in _VARIANTS:
            base = base.removesuffix(suffix)
        self.called.add(base)
        return getattr(self._api, name)
