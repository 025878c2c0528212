"""Hypothesis strategies for the Certification Campaigns domain.

Each strategy generates values that are valid by construction unless its name starts with
`invalid_`; the invariant is in its docstring. `register_formats()` teaches schemathesis the
string formats the spec names, so generated requests are meaningful.
"""

from strategies.collection_params import (
    filter_expressions,
    invalid_filter_expressions,
    invalid_sorters,
    sorters,
)
from strategies.durations import durations, invalid_durations
from strategies.schemathesis_formats import register_formats
from strategies.time_zones import invalid_time_zones, time_zones

__all__ = [
    "durations",
    "filter_expressions",
    "invalid_durations",
    "invalid_filter_expressions",
    "invalid_sorters",
    "invalid_time_zones",
    "register_formats",
    "sorters",
    "time_zones",
]
