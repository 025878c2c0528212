"""The shell commands the README gives, as a reader would copy them."""

from __future__ import annotations

import configparser
import re
import shlex
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
_FENCE = re.compile(r"^```(\w*)\s*$")
_INLINE = re.compile(r"`((?:python|tox|pytest|\.tox/|campaigns-)[^`]*)`")
_PROGRAMS = ("python ", "tox", "pytest ", ".tox/", "export ", "SAIL_BASE_URL=", "campaigns-")


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


class NotInTheReadme(AssertionError):
    pass


def readme_line(command: str, replace: dict[str, str] | None = None) -> str:
    """The README's `command`, as a shell line that runs it here: `python` (also tox's
    `.tox/ENV/bin/python`), `pytest` and the package's `campaigns-*` commands are this
    environment's; `tox -e ENV -- ARGS` is the
    command tox.ini gives ENV, with ARGS for {posargs} and the variables it reads left to the
    shell; then each `replace` key (a placeholder, a tenant URL, a report folder) becomes its
    value. Raises NotInTheReadme if the README does not give `command`, so a test that runs
    it fails when the README changes it."""
    if command not in shell_commands():
        raise NotInTheReadme(f"the README does not give {command!r}")
    line = command
    tox = re.search(r"\btox -e (\w+)(?: -- (.*))?$", line)
    if tox:
        env, arguments = tox.group(1), tox.group(2) or ""
        config = tox_config()
        section = config[f"testenv:{env}"] if config.has_section(f"testenv:{env}") else None
        if section is None or "commands" not in section:
            section = config["testenv"]
        run = section["commands"].strip().replace("{posargs}", arguments)
        # tox reads its environment as it starts: `VAR=value tox ...` gives it VAR.
        assigned = dict(re.findall(r"(?:^|\s)(\w+)=(\S+)(?=\s)", line[: tox.start()]))
        run = re.sub(
            r"\{env:(\w+):[^}]*\}", lambda m: assigned.get(m.group(1), f"${{{m.group(1)}}}"), run
        )
        line = line[: tox.start()] + run
    python = shlex.quote(sys.executable)
    # The package's commands, as `pip install .` put them beside this environment's python.
    scripts = shlex.quote(str(Path(sys.executable).parent))
    line = re.sub(r"(^|&& |\s)(campaigns-(?:conformance|emulator))\b", rf"\g<1>{scripts}/\2", line)
    line = re.sub(r"(^|&& |\s)(?:\.tox/\w+/bin/)?python ", rf"\g<1>{python} ", line)
    line = re.sub(r"(^|&& |\s)pytest ", rf"\g<1>{python} -m pytest ", line)
    for placeholder, value in (replace or {}).items():
        line = line.replace(placeholder, value)
    return line


def tox_config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO / "tox.ini")
    return parser
