"""The proxy's judgement of single exchanges, and its HAR log: in process, exchange by
exchange, without a server (tests/emulator/test_recording_proxy.py runs it end to end)."""

from __future__ import annotations

import base64
import gzip
import json

from emulator.proxy.har import HarLog, ValuePlaceholders
from emulator.proxy.traffic_judge import Seen, TrafficJudge
from reports import Redactor

UPSTREAM = "https://acme.example"
ERROR = {"detailCode": "400", "trackingId": "t-1", "messages": [{"text": "bad"}]}
CAMPAIGN = {"id": "c1", "name": "Q1", "description": None, "type": "MANAGER", "status": "STAGED"}


def exchange(
    method: str,
    path: str,
    status: int | None = 200,
    answer: object = None,
    *,
    body: bytes = b"",
    query: str = "",
    headers: dict | None = None,
    answer_headers: dict | None = None,
) -> Seen:
    content = json.dumps(answer).encode() if answer is not None else b""
    return Seen(
        "2026-01-01T00:00:00+00:00",
        method,
        UPSTREAM + path + (f"?{query}" if query else ""),
        path,
        {"Authorization": "Bearer t", **(headers or {})},
        body,
        status,
        {"Content-Type": "application/json", **(answer_headers or {})} if content else {},
        content,
        1.0,
    )


def judged(*exchanges: Seen) -> list[tuple[str, str]]:
    judge = TrafficJudge()
    for seen in exchanges:
        judge.judge(seen)
    return [(f["kind"], f["reason"]) for f in judge.findings + judge.token_warnings()]


def test_a_documented_exchange_has_no_finding():
    assert judged(exchange("GET", "/v3/campaigns", 200, [CAMPAIGN])) == []


def test_a_body_that_is_not_json_is_forwarded_and_the_clients():
    [(kind, reason)] = judged(
        exchange(
            "POST",
            "/v3/campaigns",
            400,
            ERROR,
            body=b"{not json",
            headers={"Content-Type": "application/json"},
        )
    )
    assert kind == "violation" and reason.startswith("client: body: is not valid JSON")


def test_count_true_without_x_total_count_is_the_tenants():
    found = judged(exchange("GET", "/v3/campaigns", 200, [CAMPAIGN], query="count=true"))
    assert found == [
        (
            "violation",
            "tenant: getActiveCampaigns: count=true was asked, but the answer has no X-Total-Count",
        )
    ]


def test_an_error_without_a_tracking_id_is_the_tenants_error_shape():
    found = judged(exchange("GET", "/v3/campaigns/c1", 404, {"messages": [{"text": "gone"}]}))
    assert (
        "violation",
        "tenant: a 404 answer is not an ErrorResponseDto with a trackingId and "
        "at least one message",
    ) in found


def test_a_429_without_retry_after_and_a_request_before_its_retry_after():
    found = judged(exchange("GET", "/v3/campaigns", 429, {"message": "slow down"}))
    assert (
        "violation",
        "tenant: getActiveCampaigns: a 429 without Retry-After does not say when to retry",
    ) in found
    told = exchange(
        "GET", "/v3/campaigns", 429, {"message": "slow down"}, answer_headers={"Retry-After": "30"}
    )
    again = exchange("GET", "/v3/campaigns", 200, [CAMPAIGN])
    assert ("violation", "client: sent before the Retry-After its token was given ran out") in (
        judged(told, again)
    )


def test_a_gzipped_answer_is_judged_as_its_content():
    seen = exchange("GET", "/v3/campaigns", 200, [{**CAMPAIGN, "colour": "blue"}])
    zipped = Seen(
        **{
            **vars(seen),
            "response_headers": {**seen.response_headers, "Content-Encoding": "gzip"},
            "response_body": gzip.compress(seen.response_body),
        }
    )
    assert judged(zipped) == [
        ("warning", "tenant: getActiveCampaigns 200 has undeclared members: [].colour")
    ]


def test_a_new_token_for_every_request_is_a_client_warning():
    token = exchange("POST", "/oauth/token", 200, {"access_token": "x", "expires_in": 3600})
    lists = exchange("GET", "/v3/campaigns", 200, [CAMPAIGN])
    [(kind, reason)] = judged(*[token, lists] * 5)
    assert kind == "warning"
    assert reason == (
        "client: asked for a new token 5 times for 5 API requests: keep a token until it is "
        "about to expire (expires_in)"
    )


def test_the_har_log_keeps_no_credential_and_can_replace_names(tmp_path):
    basic = base64.b64encode(b"id:the-secret").decode()
    token = exchange(
        "POST",
        "/oauth/token",
        200,
        {"access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "expires_in": 60},
        body=b"grant_type=client_credentials",
        headers={"Authorization": f"Basic {basic}"},
    )
    person = {**CAMPAIGN, "name": "Ada Lovelace", "email": "ada@acme.example"}
    got = exchange("GET", "/v3/campaigns/c1", 200, person)
    values = ValuePlaceholders()
    har = HarLog(Redactor(["the-secret"]), values)
    for seen in (token, got):
        har.add(seen)
    log = json.loads(har.write(tmp_path / "traffic.har").read_text(encoding="utf-8"))["log"]
    text = json.dumps(log)
    assert log["version"] == "1.2" and len(log["entries"]) == 2
    assert basic not in text and "eyJ" not in text and "Bearer t" not in text
    assert "Ada Lovelace" not in text and "ada@acme.example" not in text
    answer = json.loads(log["entries"][1]["response"]["content"]["text"])
    assert (answer["name"], answer["email"]) == ("name-1", "person-2@example.com")
    # The same placeholders in the findings the results file quotes:
    assert values.text("/name: 'Ada Lovelace' is too long") == "/name: 'name-1' is too long"
    assert {"startedDateTime", "time", "request", "response", "cache", "timings"} <= set(
        log["entries"][0]
    )
