"""The recording proxy's client to its upstream forwards a request as the client sent it and
brings the answer back as the upstream sent it: checked on the bytes a raw upstream received."""

from __future__ import annotations

import asyncio
import gzip

import pytest

from emulator.proxy.upstream import Upstream, UpstreamError

ANSWER_BODY = gzip.compress(b'{"id":"c1"}')
ANSWER = (
    b"HTTP/1.1 201 Created\r\n"
    b"Content-Type: application/json\r\n"
    b"Content-Encoding: gzip\r\n"
    b"Set-Cookie: a=1\r\n"
    b"Set-Cookie: b=2\r\n"
    b"Location: /v3/elsewhere\r\n"
    b"Content-Length: " + str(len(ANSWER_BODY)).encode() + b"\r\n\r\n" + ANSWER_BODY
)


async def _exchange_with_raw_upstream(method: str, target: str, headers, body: bytes):
    """(the request bytes the upstream received, the proxy's answer)."""
    received = bytearray()

    async def upstream(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        received.extend(head)
        length = next(
            (
                int(line.split(b":")[1])
                for line in head.lower().split(b"\r\n")
                if line.startswith(b"content-length:")
            ),
            0,
        )
        received.extend(await reader.readexactly(length))
        writer.write(ANSWER)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(upstream, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = Upstream(f"http://127.0.0.1:{port}/base/")
    try:
        answer = await client.send(method, target, headers, body)
    finally:
        await client.close()
        server.close()
    return bytes(received), answer


def test_the_request_goes_on_as_the_client_sent_it():
    target = '/v3/campaigns/a%2Fb?filters=name%20eq%20"x"&x=1&x=2'
    headers = [
        (b"Authorization", b"Bearer t"),
        (b"X-Trace", b"1"),
        (b"X-Trace", b"2"),
        (b"Content-Type", b"application/json-patch+json"),
        (b"Content-Length", b"999"),  # the client's own count is rewritten from the body
    ]
    body = b'[{"op":"replace","path":"/name","value":"n"}]'
    received, _ = asyncio.run(_exchange_with_raw_upstream("PATCH", target, headers, body))
    head, _, sent_body = received.partition(b"\r\n\r\n")
    request_line, *header_lines = head.split(b"\r\n")
    assert (
        request_line == b'PATCH /base/v3/campaigns/a%2Fb?filters=name%20eq%20"x"&x=1&x=2 HTTP/1.1'
    )
    sent = [tuple(line.split(b": ", 1)) for line in header_lines]
    names = {name.lower() for name, _ in sent}
    assert names == {b"host", b"authorization", b"x-trace", b"content-type", b"content-length"}
    assert [value for name, value in sent if name == b"X-Trace"] == [b"1", b"2"]
    assert (b"Content-Length", str(len(body)).encode()) in sent
    assert sent_body == body


def test_the_answer_comes_back_as_the_upstream_sent_it():
    _, answer = asyncio.run(_exchange_with_raw_upstream("GET", "/v3/campaigns", [], b""))
    assert answer.status == 201, "no redirect followed"
    assert answer.body == ANSWER_BODY, "not decompressed"
    assert [v for k, v in answer.headers if k.lower() == b"set-cookie"] == [b"a=1", b"b=2"]
    assert (b"Content-Encoding", b"gzip") in answer.headers


def test_an_upstream_that_refuses_the_connection_is_named():
    async def refused() -> None:
        client = Upstream("http://127.0.0.1:9")
        try:
            await client.send("GET", "/v3/campaigns", [], b"")
        finally:
            await client.close()

    with pytest.raises(UpstreamError, match=r"^ConnectionRefusedError: "):
        asyncio.run(refused())
