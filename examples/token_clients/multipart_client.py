"""An example client that posts its token request as multipart/form-data, as many HTTP
clients do for a form (the other common encoding is x-www-form-urlencoded)."""

from __future__ import annotations

import sys

import requests
from campaign_report import main


def token(base_url: str, client_id: str, secret: str) -> str:
    fields = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    response = requests.post(
        f"{base_url}/oauth/token",
        files={name: (None, value) for name, value in fields.items()},  # multipart/form-data
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["access_token"]


if __name__ == "__main__":
    sys.exit(main(token))
