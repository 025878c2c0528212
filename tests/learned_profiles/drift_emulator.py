"""`python tests/learned_profiles/drift_emulator.py [emulator options]`

Serves the emulator as `python -m emulator` does (same options, same ready line), drifted
from the documents as a tenant might be: give `--answers published` for createCampaign 202 and
MACHINE_ACCOUNT accepted; this process also adds two members no document declares to every
campaign it answers (`revision`, and `lastEditor` holding a person's name and e-mail, so a
report that copied values would leak them). Nothing on disk changes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# Run as a script, this folder is first on sys.path; the repository must come first after it,
# so that the emulator served is the one in this tree.
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))

from emulator.__main__ import main as emulator_main

CAMPAIGN_ANSWERS = ("createCampaign", "getCampaign", "getActiveCampaigns", "updateCampaign")
EDITOR_NAME = "Ada Foreign-Lovelace"
EDITOR_EMAIL = "ada.lovelace@foreign-tenant.example"


def _drifted(campaign: dict) -> dict:
    return {
        **campaign,
        "revision": 7,
        "lastEditor": {"name": EDITOR_NAME, "email": EDITOR_EMAIL},
    }


def add_undocumented_members() -> None:
    """Every campaign answered carries the members. Patched at the handler table the
    pipeline reads at call time, so the stored campaigns and the lifecycle stay intact."""
    from emulator.api_operations import HANDLERS

    for operation_id in CAMPAIGN_ANSWERS:
        original = HANDLERS[operation_id]

        def handler(call: Any, original=original) -> tuple[Any, dict[str, str]]:
            body, headers = original(call)
            if isinstance(body, list):
                return [_drifted(item) for item in body], headers
            return (_drifted(body) if isinstance(body, dict) else body), headers

        HANDLERS[operation_id] = handler


if __name__ == "__main__":
    add_undocumented_members()
    raise SystemExit(emulator_main(sys.argv[1:]))
