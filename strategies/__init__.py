"""Hypothesis strategies for the Certification Campaigns domain.

Each strategy generates values that are valid by construction (against spec/ and the
documents' sentences) unless its name says otherwise (`invalid_`, `forbidden_`, `malformed_`);
the invariants are in its docstring. Strategies that create objects take a `name_prefix`
(e.g. a run id) and those that make dates take a timezone-aware `now`.
`register_formats()` teaches schemathesis the string formats the spec names.
"""

from strategies.campaign_parts import (
    access_constraints,
    campaign_reviewers,
    role_composition_campaign_infos,
    search_campaign_infos,
    source_owner_campaign_infos,
)
from strategies.campaigns import campaign_bodies
from strategies.collection_params import (
    CAMPAIGN_FILTER_VALUES,
    CAMPAIGN_FILTERS,
    CAMPAIGN_SORTERS,
    TEMPLATE_FILTER_VALUES,
    TEMPLATE_FILTERS,
    TEMPLATE_SORTERS,
    filter_expressions,
    invalid_filter_expressions,
    invalid_sorters,
    sorters,
)
from strategies.durations import durations, invalid_durations
from strategies.invalid_campaigns import (
    INVALID_CAMPAIGN_REASONS,
    SCHEMA_SILENT_REASONS,
    invalid_campaign_bodies,
)
from strategies.json_patch import (
    CAMPAIGN_PATCHABLE,
    TEMPLATE_PATCHABLE,
    campaign_patches,
    forbidden_campaign_patches,
    forbidden_template_patches,
    template_patches,
)
from strategies.malformed_patches import malformed_patches
from strategies.placeholders import placeholder_text, placeholders
from strategies.scalars import future_date_times, ids, names
from strategies.schedules import invalid_schedules, schedules
from strategies.schemathesis_formats import format_strategies, register_formats
from strategies.templates import template_bodies, template_campaigns
from strategies.time_zones import invalid_time_zones, time_zones

__all__ = [
    "CAMPAIGN_FILTERS",
    "CAMPAIGN_FILTER_VALUES",
    "CAMPAIGN_PATCHABLE",
    "CAMPAIGN_SORTERS",
    "INVALID_CAMPAIGN_REASONS",
    "SCHEMA_SILENT_REASONS",
    "TEMPLATE_FILTERS",
    "TEMPLATE_FILTER_VALUES",
    "TEMPLATE_PATCHABLE",
    "TEMPLATE_SORTERS",
    "access_constraints",
    "campaign_bodies",
    "campaign_patches",
    "campaign_reviewers",
    "durations",
    "filter_expressions",
    "forbidden_campaign_patches",
    "forbidden_template_patches",
    "format_strategies",
    "future_date_times",
    "ids",
    "invalid_campaign_bodies",
    "invalid_durations",
    "invalid_filter_expressions",
    "invalid_schedules",
    "invalid_sorters",
    "invalid_time_zones",
    "malformed_patches",
    "names",
    "placeholder_text",
    "placeholders",
    "register_formats",
    "role_composition_campaign_infos",
    "schedules",
    "search_campaign_infos",
    "sorters",
    "source_owner_campaign_infos",
    "template_bodies",
    "template_campaigns",
    "template_patches",
    "time_zones",
]
