"""The guarded REST channel: guards, hostile bodies, limits, the apology, and (with the model)
the action server going down and coming back.

Channel tests run `GuardedRestInput` on a real Sanic server with a fake agent
(`rest_server.py`); the `model` test runs the real Rasa server and action server.
"""

from __future__ import annotations

import json
import logging
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rasa.core.channels.channel import UserMessage, register
from rasa.core.run import create_http_input_channels
from rasa.shared.exceptions import RasaException
from sanic import Sanic

from bot.channels.limits import LimitSettings
from bot.channels.pipeline import RASA_PROCESSOR_LOGGER
from bot.channels.rest import DEFAULT_MAX_BODY_BYTES, GuardedRestInput, parse_body
from bot.ops.processes import (
    DEFAULT_MODEL,
    PROJECT_ROOT,
    Ports,
    ServerGroup,
    action_server_command,
    free_port,
    rasa_server_command,
    server_env,
    wait_for_http,
)
from tests.channels.rest_server import FakeAgent, Recorder, RestServer

APOLOGY_EN = "Sorry, I can't answer right now — please try again in a moment."
APOLOGY_JA = "申し訳ありません。ただいま応答できません。しばらくしてからもう一度お試しください。"


def fail_action(name: str) -> None:
    """Logs what Rasa's processor logs when an action fails."""
    try:
        raise ConnectionError("Cannot connect to host localhost:5055")
    except ConnectionError:
        logging.getLogger(RASA_PROCESSOR_LOGGER).exception(
            f"Encountered an exception while running action '{name}'."
            "Bot will continue, but the actions events are lost. "
        )


# --- the body parser ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"", "not JSON"),
        (b"{", "not JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        ('{"sender": "é"}'.encode("latin-1"), "not UTF-8"),
        (b"[]", "JSON object"),
        (b"null", "JSON object"),
        (b'"text"', "JSON object"),
        (b"[" * 100_000, "not JSON"),  # RecursionError, not a crash
        (b'{"message": "hi"}', "'sender' is missing"),
        (b'{"sender": null, "message": "hi"}', "'sender' is missing"),
        (b'{"sender": 42, "message": "hi"}', "'sender' must be a string"),
        (b'{"sender": ["a"], "message": "hi"}', "'sender' must be a string"),
        (b'{"sender": " ", "message": "hi"}', "'sender' must be 1 to 128"),
        (b'{"sender": "", "message": "hi"}', "'sender' must be 1 to 128"),
        (json.dumps({"sender": "a" * 129, "message": "hi"}).encode(), "'sender' must be 1 to"),
        (b'{"sender": "line:U1234", "message": "hi"}', "'sender' must be 1 to 128"),
        (b'{"sender": "a\\u2028b", "message": "hi"}', "'sender' must be 1 to 128"),
        (b'{"sender": "\\ud800", "message": "hi"}', "invalid unicode"),
        (b'{"sender": "a"}', "'message' is missing"),
        (b'{"sender": "a", "message": 1}', "'message' must be a string"),
        (b'{"sender": "a", "message": {"text": "hi"}}', "'message' must be a string"),
        (b'{"sender": "a", "message": true}', "'message' must be a string"),
        (b'{"sender": "a", "message": "\\udfff x"}', "invalid unicode"),
        (b'{"sender": "a", "message": "hi", "metadata": "ja"}', "'metadata' must be an object"),
        (b'{"sender": "a", "message": "hi", "metadata": [1]}', "'metadata' must be an object"),
        (b'{"sender": "a", "message": "hi", "metadata": {"\\ud800": 1}}', "invalid unicode"),
        (b'{"sender": "a", "message": "hi", "metadata": {"a": ["\\ud800"]}}', "invalid unicode"),
        (
            b'{"sender": "a", "message": "hi", "metadata": {"a": ' + b"[" * 30 + b"]" * 30 + b"}}",
            "nested too deeply",
        ),
        (b'{"sender": "a", "message": "hi", "input_channel": 3}', "'input_channel' must be"),
    ],
)
def test_bad_bodies_are_refused_with_a_reason(body, error):
    with pytest.raises(ValueError, match=error):
        parse_body(body)


def test_good_bodies_pass():
    body = {"sender": "u", "message": "", "metadata": {"language": "ja", "a": [{"b": None}]}}
    assert parse_body(json.dumps(body).encode()) == body
    assert parse_body(b'{"sender": "u", "message": "hi", "metadata": null}')["metadata"] is None


# --- the channel as Rasa loads it ---------------------------------------------------------
def test_credentials_key_loads_the_channel_under_the_rest_url(tmp_path, monkeypatch):
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "300")
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("bot.channels.rest.GuardedRestInput:\n  rate_limit_messages: 5\n")
    [channel] = create_http_input_channels(None, str(credentials))
    assert isinstance(channel, GuardedRestInput)
    assert channel.name() == "rest" and channel.url_prefix() == "rest"
    assert channel.settings == LimitSettings(300, 5, 60.0)
    assert channel.max_body_bytes == DEFAULT_MAX_BODY_BYTES
    app = Sanic(f"rest_routes_{uuid.uuid4().hex}")
    register([channel], app, route="/webhooks/")
    uris = {route.path.strip("/") for route in app.router.routes}
    assert {"webhooks/rest/webhook", "webhooks/rest"} <= uris


def test_bad_body_limit_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("REST_MAX_BODY_BYTES", "big")
    with pytest.raises(RasaException, match="REST_MAX_BODY_BYTES"):
        GuardedRestInput.from_credentials(None)
    monkeypatch.setenv("REST_MAX_BODY_BYTES", "1000")
    assert GuardedRestInput.from_credentials({}).max_body_bytes == 1000


def test_project_credentials_use_the_guarded_rest_channel():
    channels = create_http_input_channels(None, str(PROJECT_ROOT / "credentials.yml"))
    rest = [channel for channel in channels if channel.name() == "rest"]
    assert len(rest) == 1 and isinstance(rest[0], GuardedRestInput), (
        "credentials.yml must list `bot.channels.rest.GuardedRestInput:` instead of `rest:`"
    )


# --- the channel over HTTP ----------------------------------------------------------------
@pytest.fixture
def make_server() -> Iterator:
    """Starts servers with the channel built from the given settings; stops them after."""
    servers: list[RestServer] = []

    def make(agent: FakeAgent | None = None, max_body_bytes: int = 1024, **limits) -> RestServer:
        channel = GuardedRestInput(LimitSettings(**limits), max_body_bytes=max_body_bytes)
        server = RestServer(channel, agent).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def server(make_server) -> RestServer:
    return make_server()


def test_a_good_message_reaches_the_agent_and_is_answered(server):
    answer = server.say("Hello", sender="alice", metadata={"language": "en"})
    assert answer.status == 200
    assert answer.json() == [{"recipient_id": "alice", "text": "echo: Hello"}]
    [message] = server.agent.received
    assert (message.sender_id, message.text, message.input_channel) == ("alice", "Hello", "rest")
    assert message.metadata == {"language": "en"}
    assert server.health().json() == {"status": "ok"}


def test_input_channel_from_the_body_is_kept(server):
    server.say("hi", input_channel="website")
    assert server.agent.received[0].input_channel == "website"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\x00\x01\x02\xff",
        b"\xef\xbb\xbf{}",  # a BOM: not JSON
        '{"sender": "あ", "message": "あ"}'.encode("shift_jis"),
        b"[1, 2]",
        b"42",
        b'{"sender": 1, "message": "hi"}',
        b'{"sender": "a", "message": null}',
        b'{"sender": "a", "message": ["hi"]}',
        b'{"sender": "a", "message": "hi", "metadata": "x"}',
        b'{"sender": "a", "message": "\\ud800"}',
        b"{" * 500,
    ],
)
def test_hostile_bodies_get_400_with_a_small_json_error(server, body):
    answer = server.post(body)
    assert answer.status == 400
    error = answer.json()
    assert set(error) == {"error"} and len(answer.body) < 200
    assert server.agent.received == []


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_content_type_does_not_matter(server, content_type):
    answer = server.post(b'{"sender": "a", "message": "hi"}', content_type=content_type)
    assert answer.status == 200 and answer.texts == ["echo: hi"]


def test_huge_bodies_get_413_without_reaching_the_agent(make_server):
    server = make_server(max_body_bytes=1024)
    big = {"sender": "a", "message": "x" * 2000}
    assert server.post(big).status == 413
    assert server.post(big, chunked=True).status == 413  # no Content-Length to go by
    answer = server.post(b"\xff" * 10_000)
    assert answer.status == 413 and "error" in answer.json()
    assert server.agent.received == []
    assert server.say("still here").status == 200


def test_default_body_limit_is_64_kib():
    assert DEFAULT_MAX_BODY_BYTES == 64 * 1024


def test_wrong_method_is_4xx(server):
    assert server.request("GET", "/webhooks/rest/webhook").status == 405
    assert server.request("PUT", "/webhooks/rest/webhook", b"{}").status == 405


@pytest.mark.parametrize(
    ("message", "metadata", "expected"),
    [
        ("", None, "ご質問を入力してください。\n\nPlease type your question."),
        ("   \n ", {"language": "ja"}, "ご質問を入力してください。"),
        ("\u3000", {"language": "en-GB"}, "Please type your question."),
    ],
)
def test_empty_messages_get_a_polite_answer_without_the_model(server, message, metadata, expected):
    answer = server.say(message, sender="bob", metadata=metadata)
    assert answer.status == 200
    assert answer.json() == [{"recipient_id": "bob", "text": expected}]
    assert server.agent.received == []


def test_long_messages_get_a_polite_answer_in_their_language_without_the_model(make_server):
    server = make_server(max_body_bytes=64 * 1024, max_message_chars=100)
    assert server.say("あ" * 100).texts == ["echo: " + "あ" * 100]  # at the limit: fine
    [ja] = server.say("日本語のとても長い質問です。" * 20).texts
    assert ja.startswith("申し訳ありません") and "100文字以内" in ja
    [en] = server.say("a very long question " * 20).texts
    assert en.startswith("Sorry") and "100 characters" in en
    [both] = server.say("1234 " * 50).texts
    assert "申し訳ありません" in both and "Sorry" in both
    assert len(server.agent.received) == 1


def test_rate_limit_answers_429_politely_and_lets_the_sender_back(make_server):
    server = make_server(rate_limit_messages=3, rate_limit_window_seconds=1.5)
    assert [server.say("hi", sender="carol").status for _ in range(3)] == [200] * 3
    limited = server.say("こんにちは", sender="carol")
    assert limited.status == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 2
    assert limited.json() == [
        {
            "recipient_id": "carol",
            "text": "メッセージの送信が続いています。少し時間をおいてからもう一度お試しください。",
        }
    ]
    assert server.say("hello again", sender="carol").texts == [
        "You're sending messages very quickly. Please wait a moment and try again."
    ]
    assert server.say("hi", sender="dave").status == 200  # others are not limited
    assert len(server.agent.received) == 4
    server.channel.limits.per_sender._clock = lambda: 10**9  # the window has passed
    assert server.say("hi", sender="carol").status == 200


def test_no_bot_message_gets_the_apology_in_the_user_language(make_server):
    server = make_server(agent=FakeAgent(answer=lambda message: []))
    assert server.say("イクレイはいつ設立されましたか？", sender="eve").json() == [
        {"recipient_id": "eve", "text": APOLOGY_JA}
    ]
    assert server.say("When was ICLEI founded?").texts == [APOLOGY_EN]
    assert server.say("/greet", metadata={"language": "ja"}).texts == [APOLOGY_JA]
    assert server.say("👍").texts == [f"{APOLOGY_JA}\n\n{APOLOGY_EN}"]


def failing_turn(message: UserMessage) -> list[dict]:
    """What Rasa does when a custom action fails mid-turn: logs, carries on, says the rest."""
    fail_action("action_answer_faq")
    return [{"text": "Which city are you from?"}]


def test_a_failed_action_gets_the_apology_instead_of_a_partial_answer(make_server):
    server = make_server(agent=FakeAgent(answer=failing_turn))
    assert server.say("イクレイとは何ですか", sender="eve").json() == [
        {"recipient_id": "eve", "text": APOLOGY_JA}
    ]
    assert server.say("What is ICLEI?").texts == [APOLOGY_EN]
    streamed = server.post({"sender": "s", "message": "What is ICLEI?"}, query="?stream=true")
    assert [json.loads(line)["text"] for line in streamed.body.decode().splitlines()] == [
        "Which city are you from?",
        APOLOGY_EN,
    ]


def test_streamed_answers_and_the_streamed_apology(make_server):
    server = make_server()
    answer = server.post({"sender": "s", "message": "hi"}, query="?stream=true")
    assert answer.status == 200
    assert [json.loads(line) for line in answer.body.decode().splitlines()] == [
        {"recipient_id": "s", "text": "echo: hi"}
    ]
    silent = make_server(agent=FakeAgent(answer=lambda message: []))
    answer = silent.post({"sender": "s", "message": "Hello"}, query="?stream=true")
    assert [json.loads(line)["text"] for line in answer.body.decode().splitlines()] == [APOLOGY_EN]


def test_errors_inside_rasa_get_503_and_the_apology_and_no_user_text_in_the_log(
    make_server, caplog
):
    """Rasa's own channel logs these and answers 200 with nothing; here the visitor hears
    the apology, the client sees 503, and the log names the error but never the message."""
    secret = "my-address-is-alice@example.org"
    server = make_server(agent=FakeAgent(error=RuntimeError(f"INSERT failed: {secret}")))
    with caplog.at_level(logging.ERROR):
        answer = server.say(f"hi, {secret}")
    assert answer.status == 503 and answer.headers["Retry-After"] == "5"
    assert answer.texts == [APOLOGY_EN]
    assert "RuntimeError" in caplog.text and secret not in caplog.text
    assert server.health().status == 200


# --- fuzzing ------------------------------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = st.sampled_from(["sender", "message", "metadata", "input_channel", "text", ""])
SHAPED = st.dictionaries(FIELDS, JSON_VALUES, max_size=5).map(
    lambda body: json.dumps(body).encode()
)
ALMOST_RIGHT = st.fixed_dictionaries(
    {"sender": st.text(max_size=300) | JSON_VALUES, "message": st.text(max_size=300) | JSON_VALUES},
    optional={"metadata": JSON_VALUES, "input_channel": JSON_VALUES},
).map(lambda body: json.dumps(body, ensure_ascii=False).encode())
# Well-formed bodies with any text (control characters, emoji, RTL, over the length limit),
# some from a few senders, so that the rate limit is hit too.
WELL_FORMED = st.fixed_dictionaries(
    {
        "sender": st.sampled_from(["f1", "f2", "f3"]) | st.text(min_size=1, max_size=40),
        "message": st.text(max_size=300),
    },
    optional={
        "metadata": st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=3),
        "input_channel": st.text(max_size=70),
    },
).map(lambda body: json.dumps(body, ensure_ascii=bool(len(body) % 2)).encode())
ESCAPES = st.lists(
    st.sampled_from(
        ['"\\ud800"', '"\\udfff"', '"\\u0000"', "[", "]", "{", "}", '"a":', ",", "1e999"]
    ),
    max_size=40,
).map(lambda parts: "".join(parts).encode())
BODIES = st.one_of(
    st.binary(max_size=2000),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    SHAPED,
    ALMOST_RIGHT,
    WELL_FORMED,
    WELL_FORMED,
    ESCAPES,
    st.builds(lambda body: b'{"sender": "f", "message": ' + body + b"}", st.binary(max_size=50)),
)


@pytest.fixture(scope="module")
def fuzz_server() -> Iterator[RestServer]:
    channel = GuardedRestInput(
        LimitSettings(max_message_chars=200, rate_limit_messages=5, address_limit_messages=10**6),
        max_body_bytes=1500,
    )
    server = RestServer(channel, Recorder()).start()
    yield server
    server.stop()


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=BODIES,
    content_type=st.sampled_from([None, "application/json", "text/plain", "multipart/form-data"]),
    query=st.sampled_from(["", "?stream=true", "?stream=false", "?stream=%ff"]),
)
def test_fuzzed_bodies_never_get_a_5xx(fuzz_server, body, content_type, query):
    answer = fuzz_server.post(body, content_type=content_type, query=query)
    event(f"status {answer.status}")
    assert answer.status < 500, answer.body
    assert answer.status in (200, 400, 413, 429)
    if answer.status in (400, 413):
        assert set(answer.json()) == {"error"}


def test_fuzzed_server_keeps_answering(fuzz_server):
    # Runs after the fuzz test in this module: the same server still serves and nothing
    # the channel should have refused reached the agent.
    assert fuzz_server.health().status == 200
    assert fuzz_server.say("still there?", sender=f"after-{uuid.uuid4().hex}").status == 200
    assert fuzz_server.agent.problems == []


# --- end to end: the action server goes down and comes back --------------------------------


def _texts(url: str, sender: str, message: str) -> list[str]:
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        return [message.get("text", "") for message in json.loads(response.read())]


@pytest.mark.model
def test_action_server_down_apologises_then_recovers(tmp_path: Path):
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make train` first")
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("bot.channels.rest.GuardedRestInput:\n")
    ports = Ports(rasa=free_port(), action=free_port())
    env = server_env(ports, {"ENQUIRY_SPOOL_DIR": str(tmp_path / "spool")})
    output = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    rasa, actions = ServerGroup(), ServerGroup()

    def start_actions() -> None:
        actions.start(action_server_command(ports), env, **output)
        assert wait_for_http(f"http://localhost:{ports.action}/health", actions)

    def stop_actions() -> None:
        actions.stop()
        actions.processes.clear()

    ja, en = f"e2e-ja-{uuid.uuid4().hex[:8]}", f"e2e-en-{uuid.uuid4().hex[:8]}"
    ja_question, en_question = "イクレイはいつ設立されたのですか？", "When was ICLEI established?"
    try:
        # The action server is not running yet: even `action_session_start` fails, so these
        # conversations begin without a session start (see the report in rest.py's tests).
        rasa.start(rasa_server_command(ports, credentials=credentials), env, **output)
        assert wait_for_http(f"http://localhost:{ports.rasa}/", rasa)
        url = f"http://localhost:{ports.rasa}"
        assert _texts(url, ja, ja_question) == [APOLOGY_JA]
        assert _texts(url, en, en_question) == [APOLOGY_EN]

        start_actions()
        assert "1990年9月5日" in "".join(_texts(url, ja, ja_question))
        assert "5 September 1990" in "".join(_texts(url, en, en_question))

        # Down again in the middle of the conversations, then back.
        stop_actions()
        assert _texts(url, ja, "日本事務所の住所を教えてください") == [APOLOGY_JA]
        assert _texts(url, en, "Where is the Japan office?") == [APOLOGY_EN]
        start_actions()
        assert "Nishi-Shimbashi" in "".join(_texts(url, ja, "日本事務所の住所を教えてください"))
        assert "Nishi-Shimbashi" in "".join(_texts(url, en, "Where is the Japan office?"))
        # Follow-ups that need the conversation's state work too.
        assert "Suwon" in "".join(_texts(url, en, "and Korea?"))
        assert "1990年9月5日" in "".join(_texts(url, ja, ja_question))
    finally:
        stop_actions()
        rasa.stop()
