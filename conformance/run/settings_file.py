"""The run's settings in a file of the current folder, one source of the run's options.

`campaigns-conformance.toml`, or the `[tool.campaigns-conformance]` table of `pyproject.toml`:

    [tool.campaigns-conformance]
    target = "https://acme.api.identitynow.com"
    profile = "tenant"            # ci, fail-fast, thorough, tenant
    rate-limit = "100/10s"        # or "off"
    report-dir = "reports/out"
    read-only = true
    seed = 42

The command line wins over the file, the file over the defaults (conformance/run/run_options.py
takes its sources in that order). Secrets come only from the environment (SAIL_CLIENT_ID,
SAIL_CLIENT_SECRET): a file holding one is refused, naming the key, so a secret is never
committed with a project's settings.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

FILE_NAME = "campaigns-conformance.toml"
TABLE = "campaigns-conformance"  # under [tool] in pyproject.toml
# key in the file -> the option's name in the run's options, and the types it may have
KEYS: dict[str, tuple[str, tuple[type, ...]]] = {
    "target": ("target", (str,)),
    "profile": ("profile", (str,)),
    "rate-limit": ("rate_limit", (str,)),
    "report-dir": ("report_dir", (str,)),
    "read-only": ("read_only", (bool,)),
    "seed": ("seed", (int, str)),
}
_KINDS = {str: "a string", int: "an integer", bool: "true or false"}
_SECRET_WORDS = ("secret", "token", "password", "credential", "client-id", "client_id")


class SettingsError(ValueError):
    """A settings file the run cannot take; the one-line message names the file and the key."""


def settings_source(folder: Path | None = None) -> dict[str, Any]:
    """The options the folder's settings file gives, by option name ({} when it has none)."""
    folder = Path.cwd() if folder is None else folder
    found = [(path, table) for path, table in _tables(folder) if table is not None]
    if len(found) > 1:
        raise SettingsError(
            f"settings in both {found[0][0].name} and {found[1][0].name}: keep one of them"
        )
    if not found:
        return {}
    path, table = found[0]
    return _options(path, table)


def _tables(folder: Path) -> list[tuple[Path, dict[str, Any] | None]]:
    own, project = folder / FILE_NAME, folder / "pyproject.toml"
    tables = []
    if own.is_file():
        tables.append((own, _read(own)))
    if project.is_file():
        tables.append((project, _read(project).get("tool", {}).get(TABLE)))
    return tables


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path.name}: not TOML ({error})") from None


def _options(path: Path, table: Any) -> dict[str, Any]:
    where = f"{path.name} [tool.{TABLE}]" if path.name == "pyproject.toml" else path.name
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: must be a table of settings")
    options = {}
    for key, value in table.items():
        if any(word in key.lower() for word in _SECRET_WORDS):
            raise SettingsError(
                f"{where}: {key!r} looks like a secret; secrets come only from the environment "
                "(SAIL_CLIENT_ID, SAIL_CLIENT_SECRET): remove it from the file"
            )
        if key not in KEYS:
            raise SettingsError(f"{where}: unknown setting {key!r}; known: {', '.join(KEYS)}")
        name, types = KEYS[key]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            kinds = " or ".join(_KINDS[kind] for kind in types)
            raise SettingsError(f"{where}: {key} must be {kinds}, not {value!r}")
        options[name] = value
    return options
