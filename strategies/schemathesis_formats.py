"""Teach schemathesis the string formats the spec names, so generated values mean something.

Without them a generated `filters` is random text, which the API rightly refuses: the run
would test only the 400 path. The formats are named in spec/ (`format:` on the parameters).
"""

from __future__ import annotations

import schemathesis

from strategies.collection_params import (
    CAMPAIGN_FILTERS,
    CAMPAIGN_SORTERS,
    TEMPLATE_FILTERS,
    TEMPLATE_SORTERS,
    filter_expressions,
    sorters,
)
from strategies.durations import durations
from strategies.time_zones import time_zones

FORMATS = {
    "campaign-filters": filter_expressions(CAMPAIGN_FILTERS),
    "campaign-template-filters": filter_expressions(TEMPLATE_FILTERS),
    "campaign-sorters": sorters(CAMPAIGN_SORTERS),
    "campaign-template-sorters": sorters(TEMPLATE_SORTERS),
    "iso8601-duration": durations(),
    "time-zone-offset": time_zones(),
}


def register_formats() -> None:
    for name, strategy in FORMATS.items():
        schemathesis.openapi.format(name, strategy)
