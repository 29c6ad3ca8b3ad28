"""The one guarded path (bot/channels/pipeline.py, limits.py, texts.py): what it answers by
itself, the limits, the apology, and the attacks a review tried on the old per-channel copies."""

from __future__ import annotations

import asyncio
import inspect
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import rasa.core.processor
from rasa.core.channels.channel import UserMessage
from rasa.shared.exceptions import RasaException

from bot.channels import texts
from bot.channels.limits import LimitSettings, SlidingWindow, client_address
from bot.channels.line import LineInput
from bot.channels.pipeline import (
    ACTION_FAILED_PREFIX,
    RASA_PROCESSOR_LOGGER,
    Inbound,
    message_language,
    watch_action_failures,
)
from bot.channels.rest import GuardedRestInput
from bot.channels.webchat import WebchatInput
from tests.channels.rest_server import FakeAgent, RestServer

APOLOGY_EN = "Sorry, I can't answer right now — please try again in a moment."
APOLOGY_JA = "申し訳ありません。ただいま応答できません。しばらくしてからもう一度お試しください。"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- texts ------------------------------------------------------------------------------
def test_every_channel_text_is_a_domain_response_in_both_languages():
    fixed = texts.fixed_texts()
    assert set(fixed) == set(texts.NAMES)
    for text in fixed.values():
        assert text.en.strip() and text.ja.strip()
        assert any("\u3040" <= char <= "\u30ff" for char in text.ja)
        assert text.ja.endswith("。")  # polite, whole sentences


def test_the_apology_and_the_unknown_language():
    assert texts.fixed_text(texts.UNAVAILABLE, "en") == APOLOGY_EN
    assert texts.fixed_text(texts.UNAVAILABLE, "ja") == APOLOGY_JA
    assert texts.fixed_text(texts.UNAVAILABLE, None) == f"{APOLOGY_JA}\n\n{APOLOGY_EN}"


def test_a_domain_without_a_channel_response_is_refused_at_start(tmp_path):
    domain = tmp_path / "domain.yml"
    domain.write_text("responses:\n  utter_channel_empty:\n    - text: hi\n")
    with pytest.raises(ValueError, match="lacks the channel responses"):
        texts.fixed_texts.__wrapped__(domain)


@pytest.mark.parametrize(
    ("text", "metadata", "language"),
    [
        ("こんにちは", None, "ja"),
        ("ICLEIの東京office", None, "ja"),
        ("Hello there", {"language": "ja"}, "en"),  # the message's own script wins
        ("OK", {"language": "ja-JP"}, "ja"),
        ("OK", None, None),
        ("안녕하세요", None, None),
        ("", "not a dict", None),
    ],
)
def test_message_language(text, metadata, language):
    assert message_language(text, metadata) == language


# --- settings and addresses ---------------------------------------------------------------
def test_settings_defaults_environment_and_overrides():
    assert LimitSettings.from_sources(env={}) == LimitSettings()
    env = {
        "MAX_MESSAGE_CHARS": "500",
        "RATE_LIMIT_MESSAGES": "0",
        "RATE_LIMIT_WINDOW_SECONDS": "2.5",
        "RATE_LIMIT_ADDRESS_MESSAGES": "7",
        "MAX_MESSAGES_IN_FLIGHT": "3",
        "TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8",
    }
    settings = LimitSettings.from_sources(env=env)
    assert settings == LimitSettings(500, 0, 2.5, 7, 3, ("127.0.0.1", "10.0.0.0/8"))
    assert not settings.enabled
    assert LimitSettings.from_sources({"max_message_chars": 100}, env).max_message_chars == 100


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MAX_MESSAGE_CHARS", "lots"),
        ("MAX_MESSAGE_CHARS", "0"),
        ("RATE_LIMIT_MESSAGES", "-1"),
        ("RATE_LIMIT_WINDOW_SECONDS", "0"),
        ("RATE_LIMIT_ADDRESS_MESSAGES", "many"),
        ("TRUSTED_PROXIES", "nginx"),
    ],
)
def test_bad_settings_are_a_clear_error(variable, value):
    with pytest.raises(RasaException, match=variable):
        LimitSettings.from_sources(env={variable: value})


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        ("203.0.113.9", None, (), "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", (), "203.0.113.9"),  # untrusted peer: header ignored
        ("127.0.0.1", "198.51.100.1", ("127.0.0.1",), "198.51.100.1"),
        # A client's own forged entry comes first; the proxy appended the real peer.
        ("127.0.0.1", "1.2.3.4, 198.51.100.1", ("127.0.0.1",), "198.51.100.1"),
        ("127.0.0.1", "198.51.100.1, 10.1.2.3", ("127.0.0.1", "10.0.0.0/8"), "198.51.100.1"),
        ("127.0.0.1", None, ("127.0.0.1",), "127.0.0.1"),
    ],
)
def test_the_client_address(peer, forwarded, trusted, client):
    assert client_address(peer, forwarded, trusted) == client


# --- the in-memory window -----------------------------------------------------------------
async def test_a_sliding_window_per_key_where_refused_messages_do_not_count():
    clock = Clock()
    window = SlidingWindow(2, 10.0, clock=clock)
    assert [await window.hit("a") for _ in range(2)] == [0, 0]
    assert await window.hit("a") == pytest.approx(10.0)
    assert await window.hit("b") == 0  # other keys are not affected
    clock.now += 6
    for _ in range(50):
        assert await window.hit("a") > 0
    clock.now += 4.5  # the first two left the window; the refused ones never counted
    assert [await window.hit("a") for _ in range(3)][:2] == [0, 0]


async def test_the_window_forgets_idle_keys_and_stays_bounded():
    clock = Clock()
    window = SlidingWindow(1, 10.0, clock=clock, max_keys=100)
    for index in range(1000):
        await window.hit(f"flood-{index}")
    assert len(window) == 100
    assert await window.hit("flood-999") > 0  # recent keys are still limited


# --- failed actions -----------------------------------------------------------------------
def fail_action(name: str) -> None:
    logging.getLogger(RASA_PROCESSOR_LOGGER).error(f"{ACTION_FAILED_PREFIX} '{name}'.")


def test_the_failure_message_is_what_the_installed_rasa_logs():
    assert rasa.core.processor.logger.name == RASA_PROCESSOR_LOGGER
    source = inspect.getsource(rasa.core.processor.MessageProcessor._run_action)
    assert f'f"{ACTION_FAILED_PREFIX} ' in source and "logger.exception(" in source


async def test_failed_actions_are_noticed_per_task_inside_the_block_only():
    fail_action("action_outside")

    async def turn(name: str | None) -> list[str]:
        with watch_action_failures() as failed:
            await asyncio.sleep(0.01)
            if name:
                fail_action(name)
            await asyncio.sleep(0.01)
        return failed

    results = await asyncio.gather(turn("action_a"), turn(None), turn("action_b"))
    assert results == [["action_a"], [], ["action_b"]]


# --- the path, channel by channel ---------------------------------------------------------
class SlowAgent:
    """Rasa's stand-in that takes its time, counting the turns it is handling at once."""

    def __init__(self, delay: float = 0.05) -> None:
        self.delay, self.running, self.most, self.received = delay, 0, 0, []

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(self.delay)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})
        self.running -= 1


@pytest.mark.parametrize(
    "channel",
    [
        lambda settings: GuardedRestInput(settings),
        lambda settings: WebchatInput((), settings),
        lambda settings: LineInput("secret", "token"),
    ],
    ids=["rest", "webchat", "line"],
)
async def test_every_channel_takes_the_same_path(channel, monkeypatch):
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "10")
    settings = LimitSettings(max_message_chars=10)
    instance = channel(settings)
    agent = SlowAgent(0)
    empty = await instance.handle(Inbound("u1", " ", {"language": "ja"}), agent.handle_message)
    assert empty.messages[0]["text"] == "ご質問を入力してください。"
    long = await instance.handle(Inbound("u1", "x" * 11), agent.handle_message)
    assert "10" in long.messages[0]["text"] and agent.received == []
    ok = await instance.handle(Inbound("u1", "hello"), agent.handle_message)
    assert ok.status == 200 and ok.answered_by_rasa
    assert agent.received[0].sender_id == instance.sender_prefix + "u1"


async def test_too_many_messages_in_flight_are_answered_busy_at_once():
    channel = GuardedRestInput(LimitSettings(max_in_flight=2))
    agent = SlowAgent(0.2)
    outcomes = await asyncio.gather(
        *(channel.handle(Inbound(f"s{i}", "hello"), agent.handle_message) for i in range(3))
    )
    assert sorted(outcome.status for outcome in outcomes) == [200, 200, 503]
    busy = next(outcome for outcome in outcomes if outcome.status == 503)
    assert busy.headers["Retry-After"] == "1" and "many people" in busy.messages[0]["text"]
    assert agent.most == 2
    assert channel.limits.in_flight == 0  # every place given back


async def test_rate_limit_zero_turns_every_limit_off():
    channel = GuardedRestInput(LimitSettings(rate_limit_messages=0, max_in_flight=1))
    agent = SlowAgent(0.01)
    outcomes = await asyncio.gather(
        *(
            channel.handle(Inbound("same", "hi", address="10.0.0.1"), agent.handle_message)
            for _ in range(100)
        )
    )
    assert {outcome.status for outcome in outcomes} == {200}


# --- attacks ------------------------------------------------------------------------------
@pytest.fixture
def rest_server() -> Iterator:
    servers: list[RestServer] = []

    def make(settings: LimitSettings, agent: FakeAgent | None = None) -> RestServer:
        server = RestServer(GuardedRestInput(settings), agent).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def test_attack_a_new_sender_id_per_request_is_limited_per_address(rest_server):
    """1,000 requests from one address, each with a new sender id: only the address limit
    gets through (the old channels let all 1,000 reach the model)."""
    server = rest_server(LimitSettings(address_limit_messages=60))
    statuses = [server.say("hi", sender=uuid.uuid4().hex).status for _ in range(1000)]
    assert statuses.count(200) == 60 and statuses.count(429) == 940
    assert len(server.agent.received) == 60


def _post_forwarded(server: RestServer, forwarded_for: str) -> int:
    """A message from a new sender id with an X-Forwarded-For header; the status."""
    body = f'{{"sender": "{uuid.uuid4().hex}", "message": "hi"}}'.encode()
    headers = {"Content-Type": "application/json", "X-Forwarded-For": forwarded_for}
    return server.request("POST", "/webhooks/rest/webhook", body, headers).status


def test_attack_a_forged_forwarded_for_does_not_reset_the_address_limit(rest_server):
    direct = rest_server(LimitSettings(address_limit_messages=5))  # no trusted proxy
    assert [_post_forwarded(direct, f"10.0.0.{i}") for i in range(20)].count(200) == 5
    # Behind a trusted proxy the header names the client: each address has its own limit.
    proxied = rest_server(LimitSettings(address_limit_messages=5, trusted_proxies=("127.0.0.1",)))
    statuses = [_post_forwarded(proxied, f"198.51.100.{i % 2}") for i in range(20)]
    assert statuses.count(200) == 10


def test_attack_another_channels_conversation_cannot_be_addressed(rest_server):
    """A LINE user id posted to REST or the widget reaches a conversation of its own, never
    the LINE user's (`line:U...`)."""
    line_user = "U4af4980629" + "0" * 22
    server = rest_server(LimitSettings())
    for sender in (f"line:{line_user}", f"webchat:wc-{line_user}", "a:b"):
        answer = server.say("what did I tell you?", sender=sender)
        assert answer.status == 400 and "sender" in answer.json()["error"]
    assert server.say("hi", sender=line_user).status == 200
    stored = {message.sender_id for message in server.agent.received}
    assert stored == {line_user}
    assert WebchatInput().stored_sender(line_user) == f"webchat:{line_user}"
    assert LineInput("s", "t").stored_sender(line_user) == f"line:{line_user}"
    assert len({"", WebchatInput.sender_prefix, LineInput.sender_prefix}) == 3


def test_attack_long_and_line_separator_senders_are_refused_before_the_model(rest_server):
    server = rest_server(LimitSettings())
    for sender in ("a" * 300, "alice\u2028bob", "alice\u2029", "alice\u0085", "al ice"):
        assert server.say("hi", sender=sender).status == 400
    assert server.agent.received == []


async def test_an_error_inside_rasa_is_answered_within_two_seconds_with_the_apology():
    """A tracker store that is down makes Rasa raise: the visitor hears the apology, in
    their language, with 503, and the next message is served again."""

    async def broken(message: Any) -> None:
        raise ConnectionError("could not connect to server: 10.0.0.5:5432 (user said: hi)")

    channel = GuardedRestInput(LimitSettings())
    outcome = await asyncio.wait_for(channel.handle(Inbound("u", "こんにちは"), broken), 2)
    assert outcome.status == 503 and outcome.messages[0]["text"] == APOLOGY_JA
    assert channel.limits.in_flight == 0
