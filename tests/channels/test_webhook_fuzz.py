"""Hypothesis against the LINE and web chat webhooks, as against REST in test_rest_guard:
whatever arrives (signed or forged, JSON or not, any shape), the answer is never a 5xx,
nothing malformed reaches Rasa, and the server keeps serving."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.channels.line import LineInput
from bot.channels.line_api import LineApi
from bot.channels.webchat import WebchatInput
from bot.ops.processes import free_port
from tests.channels.conftest import ACCESS_TOKEN, CHANNEL_SECRET, sign
from tests.channels.rest_server import Recorder, RestServer

LINE_PATH = "/webhooks/line/webhook"
WEBCHAT_PATH = "/webhooks/webchat/webhook"

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)
LINE_EVENT = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["message", "postback", "follow", "unfollow", "join", "x"])
        | JSON_VALUES,
        "mode": st.sampled_from(["active", "standby"]) | JSON_VALUES,
        "timestamp": st.integers(min_value=0, max_value=2**53) | JSON_VALUES,
        "replyToken": st.text(max_size=40) | JSON_VALUES,
        "webhookEventId": st.text(max_size=30) | JSON_VALUES,
        "source": st.fixed_dictionaries(
            {"type": st.sampled_from(["user", "group", "room"]) | JSON_VALUES},
            optional={"userId": st.text(max_size=40) | JSON_VALUES},
        )
        | JSON_VALUES,
        "message": st.fixed_dictionaries(
            {"type": st.sampled_from(["text", "sticker", "image"]) | JSON_VALUES},
            optional={"id": st.text(max_size=10), "text": st.text(max_size=300) | JSON_VALUES},
        )
        | JSON_VALUES,
        "postback": st.fixed_dictionaries({"data": st.text(max_size=50) | JSON_VALUES})
        | JSON_VALUES,
        "deliveryContext": st.fixed_dictionaries({"isRedelivery": st.booleans() | JSON_VALUES})
        | JSON_VALUES,
    },
)
LINE_BODIES = (
    st.fixed_dictionaries(
        {"events": st.lists(LINE_EVENT, max_size=3) | JSON_VALUES},
        optional={"destination": st.text(max_size=40) | JSON_VALUES},
    ).map(lambda body: json.dumps(body, ensure_ascii=False).encode())
    | JSON_VALUES.map(lambda value: json.dumps(value).encode())
    | st.binary(max_size=300)
)
SIGNATURES = st.sampled_from(["valid", "missing", "forged", "empty", "not base64"])


def headers_for(body: bytes, signature: str) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    forged = base64.b64encode(uuid.uuid4().bytes * 2).decode()
    value = {"valid": sign(body), "forged": forged, "empty": "", "not base64": "%%%"}.get(signature)
    if value is not None:
        headers["X-Line-Signature"] = value
    return headers


@pytest.fixture(scope="module")
def line_server() -> Iterator[RestServer]:
    # The LINE API is a port nothing listens on: every reply fails fast, as when LINE is down.
    api_url = f"http://127.0.0.1:{free_port()}"
    api = LineApi(ACCESS_TOKEN, api_url, timeout=1, retry_delay=0.01)
    server = RestServer(LineInput(CHANNEL_SECRET, ACCESS_TOKEN, api_url, api=api), Recorder())
    yield server.start()
    server.stop()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=LINE_BODIES, signature=SIGNATURES)
def test_fuzzed_line_webhooks_never_get_a_5xx(line_server, body, signature):
    received = len(line_server.agent.received)
    answer = line_server.request("POST", LINE_PATH, body, headers_for(body, signature))
    event(f"{signature}: {answer.status}")
    assert answer.status < 500, answer.body
    if signature == "valid":
        assert answer.status in (200, 400, 413)
    else:  # nothing unsigned gets past the signature check
        assert answer.status in (401, 403)
        assert len(line_server.agent.received) == received


def test_the_fuzzed_line_webhook_keeps_serving(line_server):
    health = line_server.request("GET", "/webhooks/line/")
    assert health.status == 200
    assert line_server.agent.problems == []


@pytest.fixture(scope="module")
def webchat_server() -> Iterator[RestServer]:
    server = RestServer(WebchatInput(["https://www.iclei.org"]), Recorder())
    yield server.start()
    server.stop()


WEBCHAT_BODIES = st.fixed_dictionaries(
    {},
    optional={
        "sender": st.from_regex(r"[A-Za-z0-9_-]{8,64}", fullmatch=True) | JSON_VALUES,
        "message": st.text(max_size=300) | JSON_VALUES,
        "metadata": st.fixed_dictionaries(
            {},
            optional={
                "language": st.sampled_from(["ja", "en", "fr", "ja-JP"]) | JSON_VALUES,
                "page_url": st.sampled_from(["https://www.iclei.org/", "javascript:x"])
                | JSON_VALUES,
            },
        )
        | JSON_VALUES,
    },
).map(lambda body: json.dumps(body, ensure_ascii=False).encode()) | st.binary(max_size=300)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=WEBCHAT_BODIES,
    content_type=st.sampled_from(["application/json", "text/plain", None]),
    origin=st.sampled_from([None, "https://www.iclei.org", "https://evil.example"]),
)
def test_fuzzed_webchat_requests_never_get_a_5xx(webchat_server, body, content_type, origin):
    headers: dict[str, Any] = {}
    if content_type:
        headers["Content-Type"] = content_type
    if origin:
        headers["Origin"] = origin
    answer = webchat_server.request("POST", WEBCHAT_PATH, body, headers)
    event(f"status {answer.status}")
    assert answer.status < 500, answer.body
    assert answer.status in (200, 400, 403, 413, 415, 429)
    if origin == "https://evil.example":
        assert answer.status == 403


def test_the_fuzzed_webchat_keeps_serving(webchat_server):
    body = json.dumps({"sender": f"after-{uuid.uuid4().hex}", "message": "hello"}).encode()
    answer = webchat_server.request(
        "POST", WEBCHAT_PATH, body, {"Content-Type": "application/json"}
    )
    assert answer.status == 200
    assert webchat_server.agent.problems == []
