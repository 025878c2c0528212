"""Which way the suite's dependencies point: the suite speaks to an emulator only through
conformance/targets/target.py (to start one, and to use its control API), and its plugins keep
what they share in pytest's stash under keys of one module, never importing one another."""

from __future__ import annotations

import ast
from pathlib import Path

SUITE = Path(__file__).resolve().parents[2] / "conformance"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_only_the_target_module_imports_the_emulator():
    importers = {
        str(path.relative_to(SUITE))
        for path in SUITE.rglob("*.py")
        if any(name.split(".")[0] == "emulator" for name in imported_modules(path))
    }
    assert importers == {"targets/target.py"}


def test_plugins_share_stash_keys_through_the_keys_module_only():
    for path in SUITE.rglob("*.py"):
        if path.name != "keys.py":
            assert "StashKey" not in path.read_text(), f"{path.name} defines a stash key"
    for path in (SUITE / "plugins").glob("*.py"):
        others = {
            name
            for name in imported_modules(path)
            if name.startswith("conformance.plugins.") and name != "conformance.plugins.keys"
        }
        assert not others, f"{path.name} imports {sorted(others)}"
