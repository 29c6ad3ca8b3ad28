"""The webchat channel on a real Sanic server set up as Rasa sets up its own (Sanic-CORS
installed): request checks, CORS headers, static files. No model needed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rasa.shared.exceptions import RasaException

from bot.channels.webchat import (
    ENV_ALLOWED_ORIGINS,
    RequestError,
    WebchatInput,
    parse_allowed_origins,
    parse_request,
)
from tests.widget.conftest import (
    ALLOWED_ORIGIN,
    ChannelServer,
    FakeRasa,
    start_channel_server,
)

WEBHOOK = "/webhooks/webchat/webhook"
SENDER = "wc-0123456789abcdef"
JSON_HEADERS = {"Content-Type": "application/json"}


def body(**fields: Any) -> bytes:
    data = {"sender": SENDER, "message": "hello", **fields}
    return json.dumps({k: v for k, v in data.items() if v is not ...}).encode()


async def post(server: ChannelServer, data: bytes, **headers: str) -> tuple[int, Any, Any]:
    async with server.client.post(
        server.url + WEBHOOK, data=data, headers={**JSON_HEADERS, **headers}
    ) as resp:
        return resp.status, await resp.json(), resp.headers


# --- request checks -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        (b"{not json", 400, "not JSON"),
        (b"\xff\xfe", 400, "not JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (body(sender=...), 400, "sender is missing"),
        (body(sender=12345678), 400, "sender must be"),
        (body(sender="short"), 400, "sender must be"),
        (body(sender="../../etc/passwd"), 400, "sender must be"),
        (body(message=...), 400, "message is missing"),
        (body(message=["hi"]), 400, "message must be a string"),
        (body(message="\ud800 lone"), 400, "invalid unicode"),
        (body(metadata="ja"), 400, "metadata must be an object"),
        (body(metadata={"language": 1}), 400, "metadata.language must be a string"),
        (body(metadata={"page_url": "javascript:alert(1)"}), 400, "page_url"),
        (body(metadata={"page_url": "https://x.org/" + "a" * 3000}), 400, "page_url"),
    ],
)
async def test_malformed_requests_get_4xx_and_reach_no_one(
    webchat: ChannelServer, data: bytes, status: int, error: str
) -> None:
    with pytest.raises(RequestError) as raised:
        parse_request(data)
    assert raised.value.status == status and error in str(raised.value)

    got_status, answer, _ = await post(webchat, data)
    assert got_status == status
    assert error in answer["error"]
    assert webchat.rasa.received == []


async def test_a_message_of_the_maximum_length_is_taken(webchat: ChannelServer) -> None:
    status, _, _ = await post(webchat, body(message="あ" * 2000))
    assert status == 200


async def test_empty_and_over_long_messages_get_a_polite_answer_as_on_rest(
    webchat: ChannelServer,
) -> None:
    status, answer, _ = await post(webchat, body(message="   ", metadata={"language": "ja"}))
    assert (status, answer[0]["text"]) == (200, "ご質問を入力してください。")
    status, answer, _ = await post(webchat, body(message="あ" * 2001))
    assert status == 200 and "2,000文字以内" in answer[0]["text"]
    assert webchat.rasa.received == []


async def test_conversations_are_stored_under_the_webchat_prefix(webchat: ChannelServer) -> None:
    await post(webchat, body(sender="wc-0123456789abcdef"))
    assert webchat.rasa.received[0].sender_id == "webchat:wc-0123456789abcdef"


async def test_an_oversized_body_is_refused_unread(webchat: ChannelServer) -> None:
    status, answer, _ = await post(webchat, b" " * (WebchatInput.max_body_bytes + 1) + body())
    assert (status, answer) == (413, {"error": "body too large"})


async def test_a_body_not_sent_as_json_is_refused(webchat: ChannelServer) -> None:
    status, _, _ = await post(webchat, body(), **{"Content-Type": "text/plain"})
    assert status == 415
    assert webchat.rasa.received == []


async def test_a_good_request_reaches_rasa_with_checked_metadata(webchat: ChannelServer) -> None:
    data = body(
        message="日本事務所の住所は？\n\nよろしく",
        metadata={
            "language": "ja-JP",
            "page_url": "https://www.iclei.org/ja/?email=taro@example.org#form",
            "admin": True,
        },
    )
    status, answer, headers = await post(webchat, data, Origin=ALLOWED_ORIGIN)
    assert status == 200
    # Paragraphs stay in one message (the widget shows the line breaks).
    echo = "echo: 日本事務所の住所は？\n\nよろしく\n\nsecond paragraph"
    assert answer == [{"recipient_id": SENDER, "text": echo}]
    assert headers["Cache-Control"] == "no-store"
    (message,) = webchat.rasa.received
    assert message.sender_id == f"webchat:{SENDER}"
    assert message.input_channel == "webchat"
    # Only the known keys, the language as the language detector wants it, the page without
    # its query or fragment (personal data may ride in them).
    assert message.metadata == {"language": "ja", "page_url": "https://www.iclei.org/ja/"}


async def test_a_language_the_bot_does_not_speak_is_dropped(webchat: ChannelServer) -> None:
    status, _, _ = await post(webchat, body(metadata={"language": "ko"}))
    assert status == 200
    assert webchat.rasa.received[0].metadata == {}


# --- CORS ---------------------------------------------------------------------------------
def cors_headers(headers: Any) -> dict[str, list[str]]:
    names = {name.lower() for name in headers if name.lower().startswith("access-control-")}
    return {name: headers.getall(name) for name in sorted(names)}


@pytest.mark.parametrize("rasa_cors", [None, "*", ["https://www.iclei.org"]])
async def test_exactly_one_layer_sets_cors_headers(rasa_cors: Any) -> None:
    """Whatever `rasa run --cors` says, the channel's own headers are the only ones."""
    channel = WebchatInput([ALLOWED_ORIGIN])
    async for server in start_channel_server(channel, rasa_cors):
        _, _, headers = await post(server, body(), Origin=ALLOWED_ORIGIN)
        assert cors_headers(headers) == {"access-control-allow-origin": [ALLOWED_ORIGIN]}
        assert "Origin" in headers["Vary"]

        preflight = {
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        async with server.client.options(server.url + WEBHOOK, headers=preflight) as resp:
            assert resp.status in (200, 204)
            assert cors_headers(resp.headers) == {
                "access-control-allow-headers": ["Content-Type"],
                "access-control-allow-methods": ["GET, POST, OPTIONS"],
                "access-control-allow-origin": [ALLOWED_ORIGIN],
                "access-control-max-age": ["600"],
            }

        # Another site: no CORS headers, and the webhook refuses it outright.
        evil = "https://evil.example"
        async with server.client.options(
            server.url + WEBHOOK, headers={**preflight, "Origin": evil}
        ) as resp:
            assert cors_headers(resp.headers) == {}
        status, answer, headers = await post(server, body(), Origin=evil)
        assert (status, answer) == (403, {"error": "origin not allowed"})
        assert cors_headers(headers) == {}
        assert len(server.rasa.received) == 1


async def test_the_bots_own_pages_need_no_configuration() -> None:
    async for server in start_channel_server(WebchatInput()):
        host = server.url.removeprefix("http://")
        status, _, headers = await post(server, body(), Origin=server.url)
        assert status == 200
        assert headers.getall("Access-Control-Allow-Origin") == [f"http://{host}"]
        status, _, _ = await post(server, body(), Origin="https://www.iclei.org")
        assert status == 403


async def test_a_wildcard_allows_any_site() -> None:
    async for server in start_channel_server(WebchatInput(parse_allowed_origins("*"))):
        status, _, headers = await post(server, body(), Origin="https://any.example")
        assert status == 200
        assert headers.getall("Access-Control-Allow-Origin") == ["https://any.example"]
        assert "Access-Control-Allow-Credentials" not in headers  # no cookies are involved


def test_allowed_origins_from_the_environment_and_credentials(monkeypatch) -> None:
    monkeypatch.setenv(ENV_ALLOWED_ORIGINS, " https://www.iclei.org/, https://Japan.iclei.org ,")
    channel = WebchatInput.from_credentials(None)
    assert channel.allowed_origins == {"https://www.iclei.org", "https://japan.iclei.org"}
    channel = WebchatInput.from_credentials({"allowed_origins": ["http://localhost:8000"]})
    assert channel.allowed_origins == {"http://localhost:8000"}
    monkeypatch.delenv(ENV_ALLOWED_ORIGINS)
    assert WebchatInput.from_credentials({}).allowed_origins == frozenset()


@pytest.mark.parametrize("value", ["www.iclei.org", "https://www.iclei.org/path", "ftp://x.org"])
def test_a_bad_allowed_origin_stops_the_start(value: str) -> None:
    with pytest.raises(RasaException, match=ENV_ALLOWED_ORIGINS):
        parse_allowed_origins(value)


# --- pages and files ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "content_type", "cache_control", "starts"),
    [
        ("/widget.js", "text/javascript; charset=utf-8", "public, max-age=300", b"/*"),
        ("/widget.css", "text/css; charset=utf-8", "public, max-age=300", b"/*"),
        ("/", "text/html; charset=utf-8", "no-cache", b"<!DOCTYPE html>"),
    ],
)
async def test_static_files(
    webchat: ChannelServer, path: str, content_type: str, cache_control: str, starts: bytes
) -> None:
    url = webchat.url + "/webhooks/webchat" + path
    async with webchat.client.get(url) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == content_type
        assert resp.headers["Cache-Control"] == cache_control
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert (await resp.read()).startswith(starts)
        etag = resp.headers["ETag"]
    async with webchat.client.get(url, headers={"If-None-Match": etag}) as resp:
        assert resp.status == 304
        assert await resp.read() == b""


async def test_demo_page_embeds_the_widget_under_a_strict_policy(webchat: ChannelServer) -> None:
    async with webchat.client.get(webchat.url + "/webhooks/webchat/") as resp:
        page = await resp.text()
        policy = resp.headers["Content-Security-Policy"]
    assert '<script src="/webhooks/webchat/widget.js" data-lang="ja"></script>' in page
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy


async def test_health(webchat: ChannelServer) -> None:
    async with webchat.client.get(webchat.url + "/webhooks/webchat/health") as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "ok"}


# --- rate limit and failed actions: the REST channel's guards on the widget too -----------
async def test_a_sender_over_the_rate_limit_gets_429_and_a_polite_answer() -> None:
    from bot.channels.limits import LimitSettings

    channel = WebchatInput([ALLOWED_ORIGIN], LimitSettings(rate_limit_messages=2))
    async for server in start_channel_server(channel):
        ok = [await post(server, body(message="日本の事務所は？")) for _ in range(2)]
        assert [status for status, _, _ in ok] == [200, 200]
        status, answer, headers = await post(server, body(message="日本の事務所は？"))
        assert status == 429
        assert int(headers["Retry-After"]) >= 1
        assert "少し時間をおいて" in answer[0]["text"]
        assert len(server.rasa.received) == 2  # the third never reached the assistant
        # Another visitor is not affected.
        status, _, _ = await post(server, body(sender="wc-another-visitor-01"))
        assert status == 200


async def test_a_failed_action_gets_an_apology_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import logging

    from bot.channels.pipeline import RASA_PROCESSOR_LOGGER

    async def failing(message: Any) -> None:
        logging.getLogger(RASA_PROCESSOR_LOGGER).error(
            "Encountered an exception while running action 'action_answer_faq'."
        )

    monkeypatch.setattr(FakeRasa, "handle_message", lambda self, message: failing(message))
    async for server in start_channel_server(WebchatInput([ALLOWED_ORIGIN])):
        for text, expected in [("イクレイとは？", "申し訳ありません"), ("What is ICLEI?", "Sorry")]:
            status, answer, _ = await post(server, body(message=text))
            assert status == 200
            assert len(answer) == 1 and expected in answer[0]["text"]
