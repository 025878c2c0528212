"""Hypothesis strategies for the Certification Campaigns domain.

Each strategy generates values that are valid by construction unless its name starts with
`invalid_`; the invariant is in its docstring. `register_formats()` teaches schemathesis the
string formats the spec names, so generated requests are meaningful.
"""

from strategies.campaigns import campaign_bodies, invalid_campaign_bodies
from strategies.collection_params import (
    filter_expressions,
    invalid_filter_expressions,
    invalid_sorters,
    sorters,
)
from strategies.durations import durations, invalid_durations
from strategies.json_patch import (
    campaign_patches,
    forbidden_campaign_patches,
    malformed_patches,
    template_patches,
)
from strategies.placeholders import placeholder_text, placeholders
from strategies.schemathesis_formats import register_formats
from strategies.templates import invalid_schedules, schedules, template_bodies
from strategies.time_zones import invalid_time_zones, time_zones

__all__ = [
    "campaign_bodies",
    "campaign_patches",
    "durations",
    "filter_expressions",
    "forbidden_campaign_patches",
    "invalid_campaign_bodies",
    "invalid_durations",
    "invalid_filter_expressions",
    "invalid_schedules",
    "invalid_sorters",
    "invalid_time_zones",
    "malformed_patches",
    "placeholder_text",
    "placeholders",
    "register_formats",
    "schedules",
    "sorters",
    "template_bodies",
    "template_patches",
    "time_zones",
]
