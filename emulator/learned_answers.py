"""Answers learned from a tenant run (`--like results.json`), on the answer-profile mechanism.

A learned profile (spec.learned_profile) becomes a spec view (`spec.define_answers`) named
after it: the documents' contract with the learned success statuses and the widened enums, so
request validation, the success status and the domain's schema checks follow it exactly as
they follow "published". The undocumented members it learned are not part of any contract;
`add_learned_members` puts them into the answers of the operations that showed them. A tenant
answers as a learned profile when its `answers` is the profile's name; its state machine is
the same as under any other profile.
"""

from __future__ import annotations

import copy
from typing import Any

import spec
from spec.learned_profile import LearnedProfile

# Profile name -> the profile, for every learned profile this process serves.
_PROFILES: dict[str, LearnedProfile] = {}


def register(profile: LearnedProfile) -> str:
    """Make the profile's answers available under its name (idempotent) and return it."""
    name = profile.name
    if name not in _PROFILES:
        spec.define_answers(name, lambda document: apply_to_contract(profile, document))
        _PROFILES[name] = profile
    return name


def profile_named(name: str) -> LearnedProfile | None:
    return _PROFILES.get(name)


def apply_to_contract(profile: LearnedProfile, document: dict[str, Any]) -> None:
    """Edit a copy of the documents' contract as the profile says."""
    for change in profile.statuses:
        for item in document["paths"].values():
            for operation in item.values():
                if isinstance(operation, dict) and operation.get("operationId") == (
                    change.operation_id
                ):
                    responses = operation["responses"]
                    answered = responses.pop(str(change.documented))
                    responses[str(change.answered)] = answered
    for widening in profile.enums:
        node = _node(document, widening.schema)
        if node is None or "enum" not in node:
            continue
        node["enum"] = [*node["enum"], *(v for v in widening.values if v not in node["enum"])]


def add_learned_members(answers: str, operation_id: str, body: Any) -> Any:
    """`body` with the members the profile learned for this operation's answers (never
    replacing a member the emulator sends)."""
    profile = _PROFILES.get(answers)
    if profile is None or body is None:
        return body
    for member in profile.members:
        if member.operation_id == operation_id:
            parts = member.pointer.strip("/").split("/")
            _add(body, parts, member.example)
    return body


def _add(node: Any, parts: list[str], example: Any) -> None:
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(node, list) and rest:
            for item in node:
                _add(item, rest, example)
        return
    if not isinstance(node, dict):
        return
    if not rest:
        node.setdefault(head, copy.deepcopy(example))
    elif head in node:
        _add(node[head], rest, example)


def _node(document: dict[str, Any], location: str) -> dict[str, Any] | None:
    node: Any = document
    for part in location.removeprefix("#/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node if isinstance(node, dict) else None
