"""The shell commands the README gives, as a reader would copy them."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
_FENCE = re.compile(r"^```(\w*)\s*$")
_INLINE = re.compile(r"`((?:python|tox|pytest|\.tox/)[^`]*)`")
_PROGRAMS = ("python ", "tox", "pytest ", ".tox/", "export ", "SAIL_BASE_URL=")


def _strip_comment(line: str) -> str:
    """`cmd   # what it does` -> `cmd` (a # that follows whitespace starts a comment)."""
    return re.split(r"\s+#\s", " " + line.strip() + " ", maxsplit=1)[0].strip()


def shell_commands(text: str | None = None) -> list[str]:
    """Every line of the ```sh blocks, and every command quoted inline in the prose."""
    text = README.read_text() if text is None else text
    commands: list[str] = []
    language = None
    for line in text.splitlines():
        fence = _FENCE.match(line.strip())
        if fence:
            language = None if language is not None else fence.group(1)
            continue
        if language == "sh":
            command = _strip_comment(line)
            if command and not line.lstrip().startswith("#"):
                commands.append(command)
        elif language is None:
            for quoted in _INLINE.findall(line):
                if quoted.startswith(_PROGRAMS) and (" " in quoted or quoted == "tox"):
                    commands.append(quoted)
    return list(dict.fromkeys(commands))
