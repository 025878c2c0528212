"""A learned answer profile: what a run saw the target do differently from the documents.

A view of the contract, as data: the reports read it to say what it changes (`reports
profile`), the emulator to answer as it says (`--like`), and neither imports the other.
`derive_profile` reads the `behaviour` section of a results file (version 3, as the reports
write it: plain JSON) and keeps only what the emulator can reproduce without losing its
state machine:

- a success status the target answered instead of the documented one (never the documented
  one seen at all for that operation);
- undocumented members of successful answers, added with a placeholder of the observed type;
- enum values outside the documented set, accepted in requests and allowed in answers.

Everything else stays as documented. What was seen but is not reproduced (an undocumented
error status: the run cannot tell which request causes it; header facts) is kept as a note,
so `describe` can say so. `describe` words each change with the observation behind it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import spec

# The results file versions that record the target's behaviour (version 3 added it; version
# 4 also says whether the run completed).
LEARNS_FROM_VERSIONS = (3, 4)


class ProfileSourceError(ValueError):
    """A document a profile cannot be learned from; the one-line message says why."""


@dataclass(frozen=True)
class StatusChange:
    operation_id: str
    documented: int
    answered: int
    why: str


@dataclass(frozen=True)
class MemberAddition:
    operation_id: str
    pointer: str  # in the answer's body; "*" stands for every item of an array
    example: Any
    why: str


@dataclass(frozen=True)
class EnumWidening:
    schema: str  # spec location of the enum, e.g. "#/components/schemas/CampaignType"
    values: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class LearnedProfile:
    """The changes to the documented answers, each with the observation behind it."""

    source: str  # where the observations come from: "<target kind> run <run id>"
    statuses: tuple[StatusChange, ...] = ()
    members: tuple[MemberAddition, ...] = ()
    enums: tuple[EnumWidening, ...] = ()
    notes: tuple[str, ...] = field(default=())  # seen, not reproduced

    @property
    def name(self) -> str:
        """A stable name for this profile: "learned-" and a digest of its changes."""
        changes = [asdict(c) for c in (*self.statuses, *self.members, *self.enums)]
        digest = hashlib.sha256(json.dumps(changes, sort_keys=True).encode()).hexdigest()
        return f"learned-{digest[:12]}"

    def is_empty(self) -> bool:
        return not (self.statuses or self.members or self.enums)


def derive_profile(behaviour: dict[str, Any], source: str) -> LearnedProfile:
    """The profile a results file's `behaviour` section teaches; `source` says whose run."""
    statuses: list[StatusChange] = []
    notes: list[str] = []
    for operation_id, counts in behaviour["status_counts"].items():
        try:
            _, _, operation = spec.operation_by_id(operation_id)
        except KeyError:
            continue
        documented = [int(c) for c in operation["responses"] if c.isdigit()]
        success = spec.success_status(operation)
        seen = {int(code): count for code, count in counts.items()}
        instead = {c: n for c, n in seen.items() if 200 <= c < 300 and c not in documented}
        if instead and success not in seen:
            answered = max(instead, key=lambda code: instead[code])
            statuses.append(
                StatusChange(
                    operation_id,
                    success,
                    answered,
                    f"the target answered {answered} ({_times(instead[answered])}) and never "
                    f"the documented {success}",
                )
            )
        elif instead:
            notes.append(
                f"{operation_id} answered {_codes(instead)} besides the documented {success} "
                f"({_times(seen[success])}): kept {success}"
            )
        errors = {c: n for c, n in seen.items() if c >= 300 and c not in documented}
        if errors:
            notes.append(
                f"{operation_id} answered undocumented {_codes(errors)}: not reproduced (the "
                "run does not tell which request causes it)"
            )
    members = {}
    for member in behaviour["undocumented_members"]:
        operation_id, status, pointer = member["operation_id"], member["status"], member["pointer"]
        if not 200 <= status < 300:
            notes.append(
                f"{operation_id} {status} answers carried undocumented {pointer}: not "
                "reproduced (error answers keep the documented shape)"
            )
            continue
        if (operation_id, pointer) not in members:
            members[operation_id, pointer] = MemberAddition(
                operation_id,
                pointer,
                member["example"],
                f"seen in {status} answers ({_times(member['count'])}), not declared "
                f"by {member['schema']}",
            )
    enums: dict[str, dict[str, list[str]]] = {}
    for seen_value in behaviour["enum_values"]:
        where = f"{seen_value['operation_id']} {seen_value['pointer']}"
        enums.setdefault(seen_value["schema"], {}).setdefault(seen_value["value"], []).append(where)
    widenings = tuple(
        EnumWidening(
            schema,
            tuple(sorted(values)),
            "; ".join(
                f"{value} seen at {', '.join(dict.fromkeys(places))}"
                for value, places in sorted(values.items())
            ),
        )
        for schema, values in sorted(enums.items())
    )
    notes.extend(_header_notes(behaviour))
    return LearnedProfile(
        source, tuple(statuses), tuple(members.values()), widenings, tuple(dict.fromkeys(notes))
    )


def _header_notes(behaviour: dict[str, Any]) -> list[str]:
    notes = []
    if behaviour["retry_after_formats"]:
        formats = ", ".join(f"{fmt} ({n})" for fmt, n in behaviour["retry_after_formats"].items())
        notes.append(f"Retry-After came as {formats}: the emulator sends delta-seconds")
    for operation_id, facts in behaviour["total_count"].items():
        if facts.get("requested_absent"):
            notes.append(
                f"{operation_id} left out X-Total-Count answering count=true "
                f"({_times(facts['requested_absent'])}): not reproduced, the emulator sends it"
            )
    return notes


def load_profile(path: Path | str, allow_incomplete: bool = False) -> LearnedProfile:
    """The profile a results file (version 3 or 4) teaches. `ProfileSourceError` (one line)
    for a file that is not one, or a run cut short (unless `allow_incomplete`), `OSError`
    when it cannot be read."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProfileSourceError(f"{path}: not JSON ({error.msg} at line {error.lineno})") from None
    return profile_from_document(document, str(path), allow_incomplete)


def profile_from_document(
    document: Any, source: str = "document", allow_incomplete: bool = False
) -> LearnedProfile:
    """The profile a parsed results document teaches; `ProfileSourceError` naming `source`.
    A run that did not complete saw only part of the target: refused unless allowed."""
    if not isinstance(document, dict) or "schema_version" not in document:
        raise ProfileSourceError(f"{source}: not a results file (no schema_version member)")
    if document["schema_version"] not in LEARNS_FROM_VERSIONS:
        raise ProfileSourceError(
            f"{source}: results schema_version {document['schema_version']!r} records no "
            f"observations to learn from (versions 3 and 4 do): rerun the suite"
        )
    completion = (document.get("run") or {}).get("completion") or {"completed": True}
    if not allow_incomplete and completion.get("completed") is False:
        raise ProfileSourceError(
            f"{source}: the run did not complete ({completion.get('stopped')}: "
            f"{completion.get('detail')}), so it saw only part of the target: rerun it, or "
            "pass --allow-incomplete"
        )
    try:
        run = document["run"]
        return derive_profile(document["behaviour"], f"{run['target_kind']} run {run['run_id']}")
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise ProfileSourceError(
            f"{source}: not a valid results file ({type(error).__name__}: {error})"
        ) from None


def describe(profile: LearnedProfile) -> str:
    """The profile in plain words, one change per line with the observation behind it."""
    lines = [f"Profile {profile.name}, learned from the {profile.source}."]
    if profile.is_empty():
        lines.append("It changes nothing: the target answered as the documents say.")
    else:
        lines.append("Compared with the documents, the emulator will:")
    for status in profile.statuses:
        lines.append(
            f"- answer {status.operation_id} with {status.answered} instead of "
            f"{status.documented}: {status.why}"
        )
    for member in profile.members:
        lines.append(
            f"- add {member.pointer} = {json.dumps(member.example)} to {member.operation_id} "
            f"answers: {member.why}"
        )
    for enum in profile.enums:
        lines.append(
            f"- accept {', '.join(enum.values)} at {enum.schema} (in requests and answers): "
            f"{enum.why}"
        )
    if profile.notes:
        lines.append("Seen but not changed:")
        lines.extend(f"- {note}" for note in profile.notes)
    if not profile.is_empty():
        lines.append("Everything else answers as the documents say; the lifecycle is unchanged.")
    return "\n".join(lines)


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _codes(counts: dict[int, int]) -> str:
    return ", ".join(f"{code} ({_times(n)})" for code, n in sorted(counts.items()))
