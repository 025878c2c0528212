"""POST /oauth/token as RFC 6749 words it for client credentials.

Credentials in the body, the query string or HTTP Basic (section 2.3.1, never two at once); the
body urlencoded or multipart; errors are section 5.2's {"error", "error_description"} with 400,
or 401 and a Basic challenge when client authentication fails.
"""

from __future__ import annotations

import base64

import pytest

CLIENT_ID, SECRET = "conformance", "conformance-secret"
CREDENTIALS = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": SECRET}
GRANT_ONLY = {"grant_type": "client_credentials"}


def basic(client_id: str = CLIENT_ID, secret: str = SECRET) -> dict[str, str]:
    encoded = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def multipart(fields: dict[str, str]) -> dict:
    return {name: (None, value) for name, value in fields.items()}


def assert_token(response) -> None:
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["token_type"], body["expires_in"]) == ("bearer", 3600)
    assert body["access_token"].count(".") == 2, "a JWT"
    assert response.headers["cache-control"] == "no-store"


def assert_error(response, status: int, code: str, *, challenge: bool = False) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code and body["error_description"]
    assert ("www-authenticate" in response.headers) is challenge
    if challenge:
        assert response.headers["www-authenticate"].startswith("Basic ")


def test_the_token_works_on_the_api(http):
    token = http.post("/oauth/token", data=CREDENTIALS).json()["access_token"]
    listed = http.get("/v3/campaigns", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda http: http.post("/oauth/token", data=CREDENTIALS), id="urlencoded"),
        pytest.param(
            lambda http: http.post("/oauth/token", files=multipart(CREDENTIALS)), id="multipart"
        ),
        pytest.param(lambda http: http.post("/oauth/token", params=CREDENTIALS), id="query"),
        pytest.param(
            lambda http: http.post("/oauth/token", data=GRANT_ONLY, headers=basic()),
            id="basic+urlencoded",
        ),
        pytest.param(
            lambda http: http.post("/oauth/token", files=multipart(GRANT_ONLY), headers=basic()),
            id="basic+multipart",
        ),
        pytest.param(
            lambda http: http.post("/oauth/token", params=GRANT_ONLY, headers=basic()),
            id="basic+query",
        ),
        pytest.param(
            lambda http: http.post(
                "/oauth/token", data={**GRANT_ONLY, "client_id": CLIENT_ID}, headers=basic()
            ),
            id="basic+client_id-in-body",  # RFC 6749 3.2.1 allows a client to name itself
        ),
    ],
)
def test_every_way_a_client_may_ask_gets_a_token(http, send):
    assert_token(send(http))


def test_basic_credentials_are_form_encoded_before_base64(http):
    """2.3.1: id and secret are application/x-www-form-urlencoded, then joined by ':'."""
    from emulator.config import make_client

    http.app.state.emulator.tokens.register(make_client("odd id", "p:w+d%"))
    encoded = base64.b64encode(b"odd+id:p%3Aw%2Bd%25").decode()
    response = http.post(
        "/oauth/token", data=GRANT_ONLY, headers={"Authorization": f"Basic {encoded}"}
    )
    assert_token(response)


# --- failed client authentication: 401 and a Basic challenge ---------------------------------
@pytest.mark.parametrize(
    ("send"),
    [
        pytest.param(
            lambda http: http.post("/oauth/token", data=GRANT_ONLY, headers=basic(secret="x")),
            id="basic-wrong-secret",
        ),
        pytest.param(
            lambda http: http.post("/oauth/token", data=GRANT_ONLY, headers=basic("nobody")),
            id="basic-unknown-client",
        ),
        pytest.param(
            lambda http: http.post("/oauth/token", data={**CREDENTIALS, "client_secret": "x"}),
            id="urlencoded-wrong-secret",
        ),
        pytest.param(
            lambda http: http.post(
                "/oauth/token", files=multipart({**CREDENTIALS, "client_id": "nobody"})
            ),
            id="multipart-unknown-client",
        ),
    ],
)
def test_wrong_credentials_are_invalid_client(http, send):
    assert_error(send(http), 401, "invalid_client", challenge=True)


# --- malformed requests: 400 invalid_request ---------------------------------------------
BAD_REQUESTS = {
    "urlencoded-no-secret": dict(data={**GRANT_ONLY, "client_id": CLIENT_ID}),
    "urlencoded-empty-id": dict(data={**CREDENTIALS, "client_id": ""}),
    "urlencoded-no-grant-type": dict(data={"client_id": CLIENT_ID, "client_secret": SECRET}),
    "multipart-no-secret": dict(files=multipart({**GRANT_ONLY, "client_id": CLIENT_ID})),
    "multipart-no-grant-type": dict(
        files=multipart({"client_id": CLIENT_ID, "client_secret": SECRET})
    ),
    "multipart-file-part": dict(
        files={**multipart(GRANT_ONLY), "client_id": ("id.txt", b"conformance")},
        data={"client_secret": SECRET},
    ),
    "query-no-credentials": dict(params=GRANT_ONLY),
    "nothing-at-all": {},
    "basic-and-body-secret": dict(data=CREDENTIALS, headers=basic()),
    "basic-and-multipart-secret": dict(files=multipart(CREDENTIALS), headers=basic()),
    "basic-and-query-secret": dict(params=CREDENTIALS, headers=basic()),
    "basic-and-a-different-client-id": dict(
        data={**GRANT_ONLY, "client_id": "someone-else"}, headers=basic()
    ),
    "basic-not-base64": dict(data=GRANT_ONLY, headers={"Authorization": "Basic %%%"}),
    "basic-without-colon": dict(
        data=GRANT_ONLY,
        headers={"Authorization": "Basic " + base64.b64encode(b"conformance").decode()},
    ),
    "basic-not-utf8": dict(
        data=GRANT_ONLY,
        headers={"Authorization": "Basic " + base64.b64encode(b"\xff\xfe:x").decode()},
    ),
    "bearer-instead-of-basic": dict(data=CREDENTIALS, headers={"Authorization": "Bearer abc"}),
    "json-body": dict(json=CREDENTIALS),
    "text-body": dict(
        content=b"grant_type=client_credentials", headers={"Content-Type": "text/plain"}
    ),
    "urlencoded-not-ascii": dict(
        content="grant_type=client_credentials&client_id=conformance&client_secret=é".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ),
    "urlencoded-not-utf8": dict(
        content=b"grant_type=client_credentials&client_id=conformance&client_secret=%ff",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ),
    "urlencoded-repeated-parameter": dict(
        content=b"grant_type=client_credentials&client_id=a&client_id=conformance"
        b"&client_secret=conformance-secret",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ),
    "query-and-body-repeat-a-parameter": dict(params=GRANT_ONLY, data=CREDENTIALS),
}


@pytest.mark.parametrize("request_kwargs", list(BAD_REQUESTS.values()), ids=list(BAD_REQUESTS))
def test_malformed_requests_are_invalid_request(http, request_kwargs):
    assert_error(http.post("/oauth/token", **request_kwargs), 400, "invalid_request")


@pytest.mark.parametrize(
    "request_kwargs",
    [
        dict(data={**CREDENTIALS, "grant_type": "password"}),
        dict(files=multipart({**CREDENTIALS, "grant_type": "authorization_code"})),
        dict(data={**GRANT_ONLY, "grant_type": "refresh_token"}, headers=basic()),
    ],
    ids=["urlencoded", "multipart", "basic"],
)
def test_other_grants_are_unsupported_grant_type(http, request_kwargs):
    assert_error(http.post("/oauth/token", **request_kwargs), 400, "unsupported_grant_type")


def test_a_refused_token_request_changes_nothing(http):
    """A burst of bad requests leaves the endpoint serving good ones as before."""
    for request_kwargs in BAD_REQUESTS.values():
        http.post("/oauth/token", **request_kwargs)
    assert_token(http.post("/oauth/token", data=GRANT_ONLY, headers=basic()))
    assert http.get("/emulator/tenants/default/violations").json() == []


def test_other_methods_are_405_with_allow(http):
    response = http.get("/oauth/token")
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert response.json()["detailCode"].startswith("405")
