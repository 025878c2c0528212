"""The settings file: `campaigns-conformance.toml` or pyproject's [tool.campaigns-conformance],
a source of the run's options after the command line; a secret in it is refused, named."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.client.tokens import Credentials
from conformance.run.run_options import resolve
from conformance.run.settings_file import SettingsError, settings_source
from conformance.targets.preflight import TargetAddress

SETTINGS = """
target = "https://acme.api.identitynow.com"
profile = "thorough"
rate-limit = "50/10s"
report-dir = "out/runs"
read-only = true
seed = 42
"""


def reached(url: str) -> TargetAddress:
    return TargetAddress(url, Credentials("id", "secret"))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("campaigns-conformance.toml", SETTINGS),
        ("pyproject.toml", "[project]\nname = 'x'\n[tool.campaigns-conformance]\n" + SETTINGS),
    ],
)
def test_every_setting_is_read_from_either_file(tmp_path: Path, name: str, text: str):
    (tmp_path / name).write_text(text)
    options = resolve([{}, settings_source(tmp_path)], reach=reached)
    assert options.target.base_url == "https://acme.api.identitynow.com"
    assert options.profile == "thorough" and options.read_only is True
    assert (options.rate_limit.requests, options.rate_limit.per_seconds) == (50, 10.0)
    assert options.report_dir == "out/runs" and options.seed == 42


def test_the_command_line_wins_over_the_file_and_the_file_over_the_defaults(tmp_path: Path):
    (tmp_path / "campaigns-conformance.toml").write_text('profile = "thorough"\nseed = 7\n')
    command_line = {"profile": "ci", "seed": None, "target": None}
    options = resolve([command_line, settings_source(tmp_path)], reach=reached)
    assert (options.profile, options.seed, options.target) == ("ci", 7, None)
    assert resolve([{}, settings_source(tmp_path / "nothing")], reach=reached).profile == "ci"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('client-secret = "s3cr3t"', "'client-secret' looks like a secret"),
        ('SAIL_CLIENT_SECRET = "s3cr3t"', "'SAIL_CLIENT_SECRET' looks like a secret"),
        ('token = "eyJ..."', "'token' looks like a secret"),
        ('targt = "https://x"', "unknown setting 'targt'; known: target, profile"),
        ("seed = true", "seed must be an integer or a string"),
        ('read-only = "yes"', "read-only must be true or false"),
        ("target = ", "campaigns-conformance.toml: not TOML"),
    ],
)
def test_what_the_file_may_not_hold_is_one_line_naming_the_key(tmp_path: Path, text, words):
    (tmp_path / "campaigns-conformance.toml").write_text(text + "\n")
    with pytest.raises(SettingsError) as refused:
        settings_source(tmp_path)
    said = str(refused.value)
    assert words in said and "\n" not in said and "s3cr3t" not in said, said


def test_settings_in_both_files_are_refused(tmp_path: Path):
    (tmp_path / "campaigns-conformance.toml").write_text("seed = 1\n")
    (tmp_path / "pyproject.toml").write_text("[tool.campaigns-conformance]\nseed = 2\n")
    with pytest.raises(SettingsError, match="settings in both"):
        settings_source(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    assert settings_source(tmp_path) == {"seed": 1}
