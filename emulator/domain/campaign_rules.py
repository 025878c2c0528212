"""The cross-field rules of a campaign body that the schema cannot say.

The request's shape is checked against spec/ before any of this runs; these are the
sentences of the documents that tie one member to another.
"""

from __future__ import annotations

from typing import Any

from emulator.domain.errors import InvalidRequest

# "Must be set only if the campaign type is X" (and, where X needs it, must be set).
_INFO_FOR_TYPE = {
    "sourceOwnerCampaignInfo": "SOURCE_OWNER",
    "searchCampaignInfo": "SEARCH",
    "roleCompositionCampaignInfo": "ROLE_COMPOSITION",
}


def check_campaign_rules(campaign: dict[str, Any], where: str = "") -> None:
    """Raise InvalidRequest naming the member when a documented cross-field rule is broken."""
    campaign_type = campaign.get("type")
    for member, owner_type in _INFO_FOR_TYPE.items():
        if campaign.get(member) is not None and campaign_type != owner_type:
            raise InvalidRequest(
                f"{member} must be set only if the campaign type is {owner_type}",
                field=where + member,
            )
    if not str(campaign.get("name", "")).strip():
        raise InvalidRequest("name must not be blank", field=where + "name")

    if campaign_type == "SEARCH":
        info = campaign.get("searchCampaignInfo")
        if not info or not (info.get("query") or info.get("identityIds")):
            raise InvalidRequest(
                "A SEARCH campaign needs searchCampaignInfo with one of query or identityIds",
                field=where + "searchCampaignInfo",
            )
    if campaign_type == "ROLE_COMPOSITION":
        info = campaign.get("roleCompositionCampaignInfo")
        if not info or not info.get("remediatorRef"):
            raise InvalidRequest(
                "A ROLE_COMPOSITION campaign needs roleCompositionCampaignInfo with a "
                "remediatorRef",
                field=where + "roleCompositionCampaignInfo.remediatorRef",
            )
    if campaign.get("correlatedStatus") == "UNCORRELATED" and campaign_type != "SOURCE_OWNER":
        raise InvalidRequest(
            "Only SOURCE_OWNER campaigns can be Uncorrelated", field=where + "correlatedStatus"
        )
