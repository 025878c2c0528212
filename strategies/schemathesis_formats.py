"""Teach schemathesis the string formats the spec names, so generated values mean something.

Without them a generated `filters` is random text, which the API rightly refuses: a run would
test only the 400 path. The spec names each format on the parameter or member that uses it
(`format: campaign-filters`, ...; spec/README.md, "the format names").
"""

from __future__ import annotations

from collections.abc import Mapping

import schemathesis
from hypothesis import strategies as st

from strategies.collection_params import (
    CAMPAIGN_FILTER_VALUES,
    CAMPAIGN_FILTERS,
    CAMPAIGN_SORTERS,
    TEMPLATE_FILTER_VALUES,
    TEMPLATE_FILTERS,
    TEMPLATE_SORTERS,
    filter_expressions,
    sorters,
)
from strategies.durations import durations
from strategies.time_zones import time_zones


def format_strategies() -> Mapping[str, st.SearchStrategy[str]]:
    """Each format name the spec declares, and the strategy for its values."""
    return {
        "campaign-filters": filter_expressions(CAMPAIGN_FILTERS, CAMPAIGN_FILTER_VALUES),
        "campaign-template-filters": filter_expressions(TEMPLATE_FILTERS, TEMPLATE_FILTER_VALUES),
        "campaign-sorters": sorters(CAMPAIGN_SORTERS),
        "campaign-template-sorters": sorters(TEMPLATE_SORTERS),
        "iso8601-duration": durations(),
        "time-zone-offset": time_zones(),
    }


def register_formats() -> None:
    """Register every format of `format_strategies()` with schemathesis (idempotent)."""
    for name, strategy in format_strategies().items():
        schemathesis.openapi.format(name, strategy)
