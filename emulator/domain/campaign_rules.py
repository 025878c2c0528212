"""The cross-field rules of a campaign body that the schema cannot say.

The request's shape is checked against spec/ before any of this runs; these are the
sentences of the documents that tie one member to another. Which info member belongs to
which campaign type, and which type needs its own, is read from spec/.
"""

from __future__ import annotations

from typing import Any

from emulator.domain.errors import InvalidRequest
from spec.facts import info_members

_INFO_MEMBERS = info_members()


def check_campaign_rules(campaign: dict[str, Any], where: str = "") -> None:
    """Raise InvalidRequest naming the member when a documented cross-field rule is broken."""
    campaign_type = campaign.get("type")
    for info in _INFO_MEMBERS:
        if campaign.get(info.member) is not None and campaign_type != info.campaign_type:
            raise InvalidRequest(
                f"{info.member} must be set only if the campaign type is {info.campaign_type}",
                field=where + info.member,
            )
    if not str(campaign.get("name", "")).strip():
        raise InvalidRequest("name must not be blank", field=where + "name")

    for info in _INFO_MEMBERS:
        if info.required and campaign_type == info.campaign_type and not campaign.get(info.member):
            raise InvalidRequest(
                f"A {campaign_type} campaign needs {info.member}", field=where + info.member
            )
    search = campaign.get("searchCampaignInfo") or {}
    if campaign_type == "SEARCH" and not (search.get("query") or search.get("identityIds")):
        # The schema's anyOf accepts an empty list; a server reads it as no scope.
        raise InvalidRequest(
            "A SEARCH campaign needs searchCampaignInfo with one of query or identityIds",
            field=where + "searchCampaignInfo",
        )
    role = campaign.get("roleCompositionCampaignInfo") or {}
    if campaign_type == "ROLE_COMPOSITION" and not role.get("remediatorRef"):
        raise InvalidRequest(
            "A ROLE_COMPOSITION campaign needs roleCompositionCampaignInfo with a remediatorRef",
            field=where + "roleCompositionCampaignInfo.remediatorRef",
        )
    if campaign.get("correlatedStatus") == "UNCORRELATED" and campaign_type != "SOURCE_OWNER":
        raise InvalidRequest(
            "Only SOURCE_OWNER campaigns can be Uncorrelated", field=where + "correlatedStatus"
        )
