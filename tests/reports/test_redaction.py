"""No secret and no bearer token reaches a report file."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from reports.model import CheckRecord, Exchange, RunResult, TestOutcome
from reports.redaction import Redactor
from reports.run_folder import write_run
from tests.reports.suite_names import SCHEMA_CHECK, STATUS_CHECK, UNAUTHORIZED

CLIENT_SECRET = "s3cr3t+Client/Secret=42&x"
# A JWT, as the token endpoint hands out, and an opaque token only the Bearer rule can catch.
ACCESS_TOKEN = (
    "eyJhbGciOiJSUzI1NiJ9.eyJ0ZW5hbnQiOiJhY21lIiwiY2xpZW50X2lkIjoiY2kifQ.c2lnbmF0dXJlLWJ5dGVz"
)
OPAQUE_TOKEN = "opaque_0123456789abcdef"
FORBIDDEN = [
    CLIENT_SECRET,
    quote(CLIENT_SECRET, safe=""),
    quote_plus(CLIENT_SECRET),
    ACCESS_TOKEN,
    OPAQUE_TOKEN,
]


def leaky_run(make_run) -> RunResult:
    """Secrets everywhere a run can carry them: headers, bodies, URLs, reasons."""
    token_request = Exchange(
        method="POST",
        url=f"https://acme.api.identitynow.com/oauth/token?client_secret={quote_plus(CLIENT_SECRET)}",
        request_headers={"Content-Type": "application/x-www-form-urlencoded"},
        request_body="grant_type=client_credentials&client_id=ci"
        f"&client_secret={quote_plus(CLIENT_SECRET)}",
        status_code=200,
        response_headers={"Set-Cookie": f"session={OPAQUE_TOKEN}; HttpOnly"},
        response_body=json.dumps(
            {"access_token": ACCESS_TOKEN, "token_type": "bearer", "expires_in": 749}
        ),
    )
    api_call = Exchange(
        method="PATCH",
        url="https://acme.api.identitynow.com/v3/campaigns/2c91",
        request_headers={"Authorization": f"Bearer {ACCESS_TOKEN}", "Accept": "application/json"},
        request_body=json.dumps({"client_secret": CLIENT_SECRET, "note": "ok"}),
        status_code=500,
        response_headers={"Content-Type": "application/json"},
        response_body=json.dumps({"messages": [{"text": f"token {ACCESS_TOKEN} rejected"}]}),
    )
    return make_run(
        [
            CheckRecord("rule", None, UNAUTHORIZED.id, "auth", "fail", exchange=token_request),
            CheckRecord(
                "check",
                "updateCampaign",
                STATUS_CHECK,
                "schemathesis",
                "fail",
                reason=f"sent Authorization: Bearer {OPAQUE_TOKEN}, got 500",
                documented=f"client_secret={CLIENT_SECRET} must never be echoed",
                exchange=api_call,
            ),
            CheckRecord(
                "check",
                "getCampaign",
                SCHEMA_CHECK,
                "schemathesis",
                "skip",
                reason=f"no token: {ACCESS_TOKEN}",
            ),
        ],
        target_url=f"https://acme.api.identitynow.com?client_secret={quote_plus(CLIENT_SECRET)}",
    )


def assert_nothing_leaked(folder: Path) -> None:
    written = sorted(p for p in folder.rglob("*") if p.is_file())
    assert [p.name for p in written] == ["junit.xml", "report.html", "results.json"]
    for path in written:
        text = path.read_text(encoding="utf-8")
        for secret in FORBIDDEN:
            assert secret not in text, f"{secret!r} leaked into {path.name}"
        assert "***" in text


def test_write_run_keeps_registered_secrets_and_bearer_tokens_out(make_run, tmp_path) -> None:
    folder = write_run(leaky_run(make_run), tmp_path, redactor=Redactor([CLIENT_SECRET]))
    assert folder == tmp_path / "cc-20250101T120000-ab12"
    assert_nothing_leaked(folder)
    curl = (folder / "report.html").read_text(encoding="utf-8")
    assert "Bearer $SAIL_TOKEN" in curl


def test_without_a_redactor_the_secret_in_the_environment_is_still_masked(
    make_run, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("SAIL_CLIENT_SECRET", CLIENT_SECRET)
    assert_nothing_leaked(write_run(leaky_run(make_run), tmp_path))


def test_a_registered_token_is_masked_in_any_field(make_run, tmp_path) -> None:
    test = "conformance/test_x.py::test_echo"
    run = make_run(
        [
            CheckRecord(
                "check",
                "getCampaign",
                SCHEMA_CHECK,
                "schemathesis",
                "fail",
                reason=f"echoed {OPAQUE_TOKEN}",
                tests=[test],
            )
        ],
        tests=[TestOutcome(test, "failed", "call", f"E  echoed {OPAQUE_TOKEN}")],
    )
    assert_nothing_leaked(write_run(run, tmp_path, redactor=Redactor([OPAQUE_TOKEN])))


def test_the_run_given_to_write_run_is_not_changed(make_run, tmp_path) -> None:
    run = leaky_run(make_run)
    write_run(run, tmp_path, redactor=Redactor([CLIENT_SECRET]))
    assert run.records[1].exchange is not None
    assert ACCESS_TOKEN in run.records[1].exchange.request_headers["Authorization"]


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***"),
        ("bearer\tXYZ==", "bearer\t***"),
        ('{"access_token": "a\\"b", "x": 1}', '{"access_token": "***", "x": 1}'),
        ('{"refresh_token":"r"}', '{"refresh_token":"***"}'),
        ("a=1&client_secret=xyz&b=2", "a=1&client_secret=***&b=2"),
        ("/oauth/token?access_token=t0k", "/oauth/token?access_token=***"),
        ("jwt eyJhbGciOi.eyJzdWIiOi.sig-nat_ure end", "jwt *** end"),
        ("no secrets here", "no secrets here"),
    ],
)
def test_built_in_rules(text: str, redacted: str) -> None:
    assert Redactor().redact_text(text) == redacted


def test_registered_secrets_in_every_spelling() -> None:
    redactor = Redactor(['p@ss w/"rd'])
    assert redactor.redact_text('p@ss w/"rd') == "***"
    assert redactor.redact_text("x=p%40ss%20w%2F%22rd") == "x=***"
    assert redactor.redact_text("x=p%40ss+w%2F%22rd") == "x=***"
    assert redactor.redact_text('{"pw": "p@ss w/\\"rd"}') == '{"pw": "***"}'
    with pytest.raises(ValueError):
        redactor.register("")


def test_credential_headers_keep_only_their_scheme() -> None:
    headers = Redactor().redact_headers(
        {"authorization": "Basic dXNlcjpwdw==", "Cookie": "a=b", "Accept": "*/*"}
    )
    assert headers == {"authorization": "Basic ***", "Cookie": "***", "Accept": "*/*"}


def test_unsafe_run_ids_cannot_name_a_folder(make_run, tmp_path) -> None:
    for run_id in ("../escape", "a/b", ".hidden", ""):
        with pytest.raises(ValueError, match="run_id"):
            write_run(make_run([], run_id=run_id), tmp_path)


def test_writing_a_run_again_replaces_its_files(make_run, tmp_path) -> None:
    first = write_run(make_run([], request_count=1), tmp_path)
    second = write_run(make_run([], request_count=2), tmp_path)
    assert first == second
    assert json.loads((second / "results.json").read_text())["run"]["request_count"] == 2
    assert sorted(p.name for p in second.iterdir()) == ["junit.xml", "report.html", "results.json"]
