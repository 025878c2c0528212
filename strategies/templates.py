"""Campaign template create bodies, whose campaign may carry date/time placeholders."""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

from strategies.campaigns import campaign_bodies
from strategies.durations import durations
from strategies.placeholders import placeholder_text
from strategies.scalars import MAX_NAME_LENGTH, names, printable_text


@st.composite
def template_campaigns(
    draw: st.DrawFn,
    campaign_type: str | None = None,
    *,
    name_prefix: str = "",
    now: datetime | None = None,
) -> dict:
    """The `campaign` of a template: a valid campaign body (see `campaign_bodies`) without a
    deadline (generation sets it from deadlineDuration), whose name and description may
    carry java.util.Formatter placeholders. The name starts with `name_prefix` and stays
    non-blank and within 128 characters once expanded; a description is text or null."""
    campaign = draw(campaign_bodies(campaign_type, name_prefix=name_prefix, now=now))
    campaign.pop("deadline", None)
    campaign["name"] = draw(placeholder_text(name_prefix, MAX_NAME_LENGTH))
    campaign["description"] = draw(st.none() | placeholder_text(max_size=200))
    return campaign


@st.composite
def template_bodies(
    draw: st.DrawFn,
    campaign_type: str | None = None,
    *,
    name_prefix: str = "",
    now: datetime | None = None,
) -> dict:
    """A createCampaignTemplate body: `name` (starting with `name_prefix`), `description`,
    `campaign` from `template_campaigns`, and sometimes a `deadlineDuration` from
    `durations`. Name and description are always sent, because the vendor's SDK cannot read
    a template without them (spec/README.md, known drift 3)."""
    body = {
        "name": draw(names(name_prefix)),
        "description": draw(printable_text()),
        "campaign": draw(template_campaigns(campaign_type, name_prefix=name_prefix, now=now)),
    }
    if draw(st.booleans()):
        body["deadlineDuration"] = draw(durations())
    return body
