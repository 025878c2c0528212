"""Teach schemathesis the string formats the spec names, so generated values mean something.

Without them a generated `filters` is random text, which the API rightly refuses: a run would
test only the 400 path. The spec names each format on the parameter or member that uses it
(`format: campaign-filters`, ...; spec/README.md, "the format names").
"""

from __future__ import annotations

from collections.abc import Mapping

import schemathesis
from hypothesis import strategies as st

from strategies import collection_params as params
from strategies.durations import durations
from strategies.time_zones import time_zones


def format_strategies() -> Mapping[str, st.SearchStrategy[str]]:
    """Each format name the spec declares, and the strategy for its values."""
    return {
        "campaign-filters": params.filter_expressions(
            params.CAMPAIGN_FILTERS, params.CAMPAIGN_FILTER_VALUES
        ),
        "campaign-template-filters": params.filter_expressions(
            params.TEMPLATE_FILTERS, params.TEMPLATE_FILTER_VALUES
        ),
        "campaign-sorters": params.sorters(params.CAMPAIGN_SORTERS),
        "campaign-template-sorters": params.sorters(params.TEMPLATE_SORTERS),
        "iso8601-duration": durations(),
        "time-zone-offset": time_zones(),
    }


def register_formats() -> None:
    """Register every format of `format_strategies()` with schemathesis (idempotent)."""
    for name, strategy in format_strategies().items():
        schemathesis.openapi.format(name, strategy)
