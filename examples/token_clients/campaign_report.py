"""Shared by the two example clients: with a token, create a campaign and list them all.

`python basic_auth_client.py` and `python multipart_client.py` differ only in how they ask for
the token; both read SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET like the vendor SDK.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import requests


def environment() -> tuple[str, str, str]:
    return (
        os.environ["SAIL_BASE_URL"].rstrip("/"),
        os.environ["SAIL_CLIENT_ID"],
        os.environ["SAIL_CLIENT_SECRET"],
    )


def main(get_token: Callable[[str, str, str], str]) -> int:
    """Get a token the client's way, then do the work; one line on stderr when it fails."""
    base_url, client_id, secret = environment()
    try:
        token = get_token(base_url, client_id, secret)
    except requests.RequestException as error:
        print(f"token request failed: {error}", file=sys.stderr)
        return 1
    return run(token, base_url)


def run(token: str, base_url: str) -> int:
    """Create one campaign and print every campaign's name; 0 on success."""
    headers = {"Authorization": f"Bearer {token}"}
    campaign = {"name": "Nightly manager review", "description": None, "type": "MANAGER"}
    created = requests.post(f"{base_url}/v3/campaigns", json=campaign, headers=headers, timeout=30)
    if created.status_code not in (200, 202):  # documents: 200; published description: 202
        print(f"create failed: {created.status_code} {created.text}", file=sys.stderr)
        return 1
    listed = requests.get(f"{base_url}/v3/campaigns", headers=headers, timeout=30)
    listed.raise_for_status()
    for item in listed.json():
        print(item["name"])
    return 0
