"""The OpenAPI description of the v3 Certification Campaigns API, and validators built from it.

Everything that checks a request or a response against the contract (the emulator, the
conformance suite, the project's tests) goes through here, so the YAML file stays the single
source of truth.

Answers: the file is the documents' contract ("documented"). Where the vendor's published
description differs and clients depend on it, the node carries an `x-published` member whose
members replace the node's own in the "published" view (for `responses`, its success codes
replace the documented ones). "either" accepts both: the union of enums and success codes, for
a suite that must tell which of the two a target follows. Operations of neighbouring APIs
(tagged other than `Certification Campaigns`) are supplements the emulator serves; they are left
out of `operations()` and `load_spec()` unless asked for, so "the API" stays the 22 operations.

Further views can be defined at run time (`define_answers`): a name and a change applied to a
copy of the documents' contract, e.g. a profile learned from a tenant run. Every function
taking `answers` accepts their names.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from jsonschema.protocols import Validator
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_PATH = Path(__file__).with_name("certification-campaigns.yaml")
SPEC_URI = "urn:certification-campaigns"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

Direction = Literal["request", "response"]
Answers = Literal["documented", "published", "either"] | str  # or a defined view's name
ANSWER_PROFILES: tuple[str, ...] = ("documented", "published")
CAMPAIGNS_TAG = "Certification Campaigns"


# libyaml's parser when PyYAML was built with it: the same document, read in a seventh of the
# time (every emulator and suite process reads the spec once as it starts).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _load() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)


# Views defined at run time: name -> a change made to a copy of the documents' contract.
_DEFINED: dict[str, Callable[[dict[str, Any]], None]] = {}


def define_answers(name: str, change: Callable[[dict[str, Any]], None]) -> str:
    """Define the view `name`: the documents' contract as `change` edits a copy of it. A name
    stands for one view for the life of the process (views are cached): defining it again
    with another change is refused."""
    if name in ("documented", "published", "either"):
        raise ValueError(f"{name!r} is a built-in view")
    held = _DEFINED.setdefault(name, change)
    if held is not change:
        raise ValueError(f"answers {name!r} are already defined")
    return name


def defined_answers() -> tuple[str, ...]:
    return tuple(_DEFINED)


@cache
def _answering(answers: Answers) -> dict[str, Any]:
    """The spec as a target answering `answers` would be described."""
    if answers == "documented":
        return _load()
    if answers in _DEFINED:
        document = copy.deepcopy(_load())
        _DEFINED[answers](document)
        return document
    if answers not in ("published", "either"):
        raise ValueError(f"answers must be documented, published or either, not {answers!r}")
    document = copy.deepcopy(_load())
    _apply_published(document, union=answers == "either")
    return document


def _apply_published(node: Any, *, union: bool) -> None:
    if isinstance(node, list):
        for item in node:
            _apply_published(item, union=union)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _apply_published(value, union=union)
    overlay = node.get("x-published")
    if not isinstance(overlay, dict):
        return
    for key, value in overlay.items():
        if key.startswith("x-"):
            continue
        if key == "responses":
            if not union:
                for code in [c for c in node["responses"] if c.startswith("2")]:
                    del node["responses"][code]
            node["responses"].update(copy.deepcopy(value))
        elif key == "enum" and union:
            node["enum"] = [*node["enum"], *(v for v in value if v not in node["enum"])]
        else:
            node[key] = copy.deepcopy(value)


def _is_neighbour(item: dict[str, Any]) -> bool:
    """A path of a neighbouring API (see the module docstring)."""
    return all(
        CAMPAIGNS_TAG not in item[method].get("tags", [])
        for method in HTTP_METHODS
        if method in item
    )


def load_spec(answers: Answers = "documented", *, neighbours: bool = False) -> dict[str, Any]:
    """A fresh deep copy of the spec, safe for callers to mutate: the Certification Campaigns
    API (plus the neighbouring operations with `neighbours=True`), as `answers` describes it."""
    document = copy.deepcopy(_answering(answers))
    if not neighbours:
        document["paths"] = {
            path: item for path, item in document["paths"].items() if not _is_neighbour(item)
        }
    return document


@cache
def _registry(answers: Answers = "documented") -> Registry:
    resource = Resource.from_contents(_answering(answers), default_specification=DRAFT4)
    return Registry().with_resource(SPEC_URI, resource)


def validator_for(
    schema: dict[str, Any], direction: Direction = "response", answers: Answers = "documented"
) -> Validator:
    """A validator for an OpenAPI 3.0 schema taken from the spec (local `#/` refs allowed).

    Responses are checked with the read validator (writeOnly members are errors). Requests are
    checked without the write rule, because the API ignores read-only fields sent in a create
    body instead of rejecting them (spec/SOURCES.md#open-request-schemas). `$ref`s resolve in
    the spec as `answers` describes it.
    """
    rebased = _rebase_refs(schema)
    cls = OAS30ReadValidator if direction == "response" else OAS30Validator
    return cls(rebased, registry=_registry(answers), format_checker=oas30_format_checker)


def component_validator(
    name: str, direction: Direction = "response", answers: Answers = "documented"
) -> Validator:
    """A validator for `#/components/schemas/<name>`."""
    return validator_for({"$ref": f"#/components/schemas/{name}"}, direction, answers)


def resolve(pointer: str) -> Any:
    """The object a local `#/...` reference points at."""
    node: Any = _load()
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def deref(node: Any) -> Any:
    """Follow `$ref` chains until a concrete object (one level, not recursive)."""
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(node["$ref"])
    return node


def declared_properties(schema: dict[str, Any]) -> dict[str, Any] | None:
    """Every member a schema declares, through allOf/anyOf/oneOf; None for a free-form object."""
    schema = deref(schema)
    parts = [deref(p) for key in ("allOf", "anyOf", "oneOf") for p in schema.get(key, [])]
    if "properties" not in schema and not any("properties" in p or "allOf" in p for p in parts):
        return None
    declared = dict(schema.get("properties", {}))
    for part in parts:
        declared.update(declared_properties(part) or {})
    return declared


def undeclared_members(
    schema: dict[str, Any], value: Any, where: str = ""
) -> Iterator[tuple[str, str, list[str]]]:
    """(location, member, the names declared there) for every member of `value`, at any
    depth, that `schema` does not declare. Locations read `campaign.name` (`[]` for an array's
    items), or `/campaign/name` below a `where` that is a JSON Pointer."""
    schema = deref(schema)
    if isinstance(value, list):
        if "items" in schema:
            for item in value:
                yield from undeclared_members(schema["items"], item, f"{where}[]")
        return
    if not isinstance(value, dict):
        return
    declared = declared_properties(schema)
    if declared is None:
        return  # a free-form object: every member is allowed
    for name, member in value.items():
        if where.startswith("/"):
            location = f"{where}/{name}"
        else:
            location = f"{where}.{name}" if where else name
        if name in declared:
            yield from undeclared_members(declared[name], member, location)
        else:
            yield location, name, sorted(declared)


def operations(
    answers: Answers = "documented", *, neighbours: bool = False
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (method, path, operation object) of the Certification Campaigns API in document
    order; with `neighbours=True` also the neighbouring operations the emulator serves."""
    for path, item in _answering(answers)["paths"].items():
        if _is_neighbour(item) and not neighbours:
            continue
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def operation_by_id(
    operation_id: str, answers: Answers = "documented"
) -> tuple[str, str, dict[str, Any]]:
    for method, path, operation in operations(answers, neighbours=True):
        if operation["operationId"] == operation_id:
            return method, path, operation
    raise KeyError(operation_id)


def success_status(operation: dict[str, Any]) -> int:
    """The status an operation answers when it succeeds (its lowest documented 2xx)."""
    return min(int(code) for code in operation["responses"] if code.startswith("2"))


def _rebase_refs(node: Any) -> Any:
    """Point local `#/...` refs at the registered spec resource so nested schemas resolve."""
    if isinstance(node, dict):
        return {
            key: (
                SPEC_URI + value if key == "$ref" and value.startswith("#") else _rebase_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rebase_refs(item) for item in node]
    return node
