"""An example client that authenticates with HTTP Basic (RFC 6749 section 2.3.1): the client
id and secret go in the Authorization header, the body carries only the grant type."""

from __future__ import annotations

import sys

import requests
from campaign_report import main


def token(base_url: str, client_id: str, secret: str) -> str:
    response = requests.post(
        f"{base_url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),  # requests sends "Authorization: Basic base64(id:secret)"
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["access_token"]


if __name__ == "__main__":
    sys.exit(main(token))
