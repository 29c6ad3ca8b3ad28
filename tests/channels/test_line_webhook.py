"""The LINE channel on a real Sanic server, against a local fake LINE Messaging API."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from linebot import SignatureValidator

from bot.channels import texts as channel_texts
from bot.channels.line import REPLY_TOKEN_MAX_AGE_MS, signature_is_valid
from tests.channels.conftest import (
    CHANNEL_SECRET,
    USER_ID,
    FakeLineApi,
    FakeRasa,
    LineServer,
    follow_event,
    free_port,
    make_channel,
    now_ms,
    postback_event,
    sign,
    start_line_server,
    sticker_event,
    text_event,
    unfollow_event,
    webhook_body,
)

_UNSUPPORTED = channel_texts.fixed_texts()[channel_texts.UNSUPPORTED_MESSAGE]
UNSUPPORTED = {"ja": _UNSUPPORTED.ja, "en": _UNSUPPORTED.en}


def answer_with(count: int):
    """A Rasa stand-in answer of `count` numbered text messages."""
    return lambda message: [{"text": f"answer {i + 1}"} for i in range(count)]


def texts(messages: list[dict]) -> list[str]:
    return [message["text"] for message in messages]


# --- authentication and bad requests ------------------------------------------------------
def test_signature_check_agrees_with_line_bot_sdk() -> None:
    body = webhook_body(text_event("hello"))
    validator = SignatureValidator(CHANNEL_SECRET)
    assert validator.validate(body.decode(), sign(body))
    assert signature_is_valid(CHANNEL_SECRET, body, sign(body))
    assert not signature_is_valid(CHANNEL_SECRET, body + b" ", sign(body))
    assert not signature_is_valid(CHANNEL_SECRET, body, sign(body, "another-secret"))
    assert not signature_is_valid(CHANNEL_SECRET, body, "日本語")


async def test_health(line: LineServer) -> None:
    async with line.client.get(line.url + "/webhooks/line/") as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "ok"}


async def test_a_signed_text_message_is_answered_with_a_reply(
    line: LineServer, line_api: FakeLineApi
) -> None:
    resp = await line.post(webhook_body(text_event("What is ICLEI?")))
    assert resp.status == 200
    assert len(line.rasa.received) == 1
    message = line.rasa.received[0]
    assert message.text == "What is ICLEI?"
    assert message.sender_id == f"line:{USER_ID}"
    assert message.input_channel == "line"
    assert message.metadata == {"channel": "line", "line_user_id": USER_ID, "language": "en"}
    assert len(line_api.replies) == 1 and line_api.pushes == []
    assert texts(line_api.replies[0]["messages"]) == ["echo: What is ICLEI?"]


@pytest.mark.parametrize(
    "signature",
    [None, "", sign(b"another body"), sign(b"{}", "another-secret"), "not base64 at all"],
)
async def test_missing_or_forged_signature_is_refused_and_nothing_happens(
    line: LineServer, line_api: FakeLineApi, signature: str | None
) -> None:
    body = webhook_body(text_event("hello"))
    resp = await line.post(body, signature=signature)
    assert resp.status == (401 if not signature else 403)
    assert line.rasa.received == []
    assert line_api.replies == [] and line_api.pushes == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[]",
        b'"events"',
        b'{"destination": "U1"}',
        b'{"events": {}}',
        b'{"events": ["text"]}',
        b'{"events": [{"type": 3}]}',
        b'{"events": [{"type": "message", "timestamp": "yesterday"}]}',
        b'{"events": [{"type": "message", "timestamp": true}]}',
        b'{"events": [{"type": "message", "source": {"type": "user", "userId": 7}}]}',
        b'{"events": [{"type": "message", "message": {"type": "text", "text": ["a"]}}]}',
        b'{"events": [{"type": "postback", "postback": "data"}]}',
        b'{"events": [{"type": "message", "deliveryContext": {"isRedelivery": "no"}}]}',
        b"\xff\xfe\x00binary\x80\x81",
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
async def test_malformed_bodies_get_400(
    line: LineServer, line_api: FakeLineApi, body: bytes
) -> None:
    resp = await line.post(body)
    assert resp.status == 400
    assert line.rasa.received == [] and line_api.replies == []


async def test_malformed_body_says_what_is_wrong(line: LineServer) -> None:
    body = b'{"events": [{"type": "message", "timestamp": "yesterday"}]}'
    async with line.client.post(
        line.url + "/webhooks/line/webhook", data=body, headers={"X-Line-Signature": sign(body)}
    ) as resp:
        assert resp.status == 400
        assert await resp.json() == {"error": "event.timestamp must be a int"}


async def test_a_huge_body_gets_413_without_being_processed(
    line: LineServer, line_api: FakeLineApi
) -> None:
    event = text_event("x" * 2_000_000)
    body = json.dumps({"events": [event.as_json_dict()]}).encode()
    resp = await line.post(body)
    assert resp.status == 413
    assert line.rasa.received == [] and line_api.replies == []
    # The server is fine afterwards.
    assert (await line.post(webhook_body(text_event("hi")))).status == 200


async def test_webhook_url_verification_gets_200(line: LineServer, line_api: FakeLineApi) -> None:
    body = json.dumps({"destination": "Uxxxxxxxx", "events": []}).encode()
    resp = await line.post(body)
    assert resp.status == 200
    assert line.rasa.received == [] and line_api.replies == [] and line_api.pushes == []


async def test_line_gets_200_before_rasa_has_answered(
    line_api: FakeLineApi, rasa: FakeRasa
) -> None:
    release = asyncio.Event()

    async def slow(message) -> None:
        await release.wait()
        await message.output_channel.send_text_message(message.sender_id, "late answer")

    rasa.handle_message = slow  # type: ignore[method-assign]
    async for line in start_line_server(make_channel(line_api.url), rasa):
        body = webhook_body(text_event("hello"))
        headers = {"X-Line-Signature": sign(body), "Content-Type": "application/json"}
        async with line.client.post(
            line.url + "/webhooks/line/webhook", data=body, headers=headers
        ) as resp:
            assert resp.status == 200  # while Rasa is still thinking
        assert line_api.replies == []
        release.set()
        await line.channel.wait_idle(timeout=5)
        assert texts(line_api.replies[0]["messages"]) == ["late answer"]


# --- one reply per turn, the rest by push -------------------------------------------------
async def test_seven_bot_messages_are_one_reply_of_5_and_one_push_of_2(
    line: LineServer, line_api: FakeLineApi
) -> None:
    line.rasa.answer = answer_with(7)
    await line.post(webhook_body(text_event("tell me everything")))
    assert [len(call["messages"]) for call in line_api.replies] == [5]
    assert [len(call["messages"]) for call in line_api.pushes] == [2]
    assert line_api.pushes[0]["to"] == USER_ID
    assert texts(line_api.sent) == [f"answer {i}" for i in range(1, 8)]
    assert line_api.refused == []


async def test_twelve_bot_messages_are_a_reply_and_two_pushes(
    line: LineServer, line_api: FakeLineApi
) -> None:
    line.rasa.answer = answer_with(12)
    await line.post(webhook_body(text_event("more")))
    assert [len(call["messages"]) for call in line_api.replies] == [5]
    assert [len(call["messages"]) for call in line_api.pushes] == [5, 2]
    assert texts(line_api.sent) == [f"answer {i}" for i in range(1, 13)]


async def test_an_expired_reply_token_means_push_only(
    line: LineServer, line_api: FakeLineApi
) -> None:
    line.rasa.answer = answer_with(7)
    old = now_ms() - REPLY_TOKEN_MAX_AGE_MS - 10_000
    await line.post(webhook_body(text_event("sent a while ago", timestamp=old)))
    assert line_api.replies == []
    assert [len(call["messages"]) for call in line_api.pushes] == [5, 2]
    assert texts(line_api.sent) == [f"answer {i}" for i in range(1, 8)]


async def test_a_reply_token_refused_by_line_means_push(
    line: LineServer, line_api: FakeLineApi
) -> None:
    line_api.invalid_reply_tokens.add("spent-token")
    line.rasa.answer = answer_with(3)
    await line.post(webhook_body(text_event("hello", reply_token="spent-token")))
    assert line_api.replies == []
    assert [len(call["messages"]) for call in line_api.pushes] == [3]


async def test_a_redelivered_event_is_answered_by_push(
    line: LineServer, line_api: FakeLineApi
) -> None:
    await line.post(webhook_body(text_event("hello", redelivery=True)))
    assert line_api.replies == []
    assert texts(line_api.sent) == ["echo: hello"]


async def test_the_same_webhook_event_twice_is_answered_once(
    line: LineServer, line_api: FakeLineApi
) -> None:
    first = text_event("hello", event_id="01FZ74A0TDDPYRVKNK77XKC3ZR")
    await line.post(webhook_body(first))
    again = text_event("hello", event_id="01FZ74A0TDDPYRVKNK77XKC3ZR", redelivery=True)
    resp = await line.post(webhook_body(again))
    assert resp.status == 200
    assert len(line.rasa.received) == 1
    assert texts(line_api.sent) == ["echo: hello"]


async def test_events_of_one_webhook_are_answered_in_order(
    line: LineServer, line_api: FakeLineApi
) -> None:
    await line.post(webhook_body(text_event("one"), text_event("two"), text_event("three")))
    assert [message.text for message in line.rasa.received] == ["one", "two", "three"]
    assert texts(line_api.sent) == ["echo: one", "echo: two", "echo: three"]


async def test_attack_a_captured_signed_body_replayed_later_is_ignored(
    line: LineServer, line_api: FakeLineApi
) -> None:
    """A signed body is valid for ever; its events carry their time. One captured ten
    minutes ago (a new event id, so no de-duplication helps) is not answered."""
    captured = text_event("send me the enquiry summary", timestamp=now_ms() - 600_000)
    assert (await line.post(webhook_body(captured))).status == 200
    assert line.rasa.received == [] and line_api.sent == []


async def test_quick_messages_of_one_user_are_answered_in_order_across_webhooks(
    line: LineServer, line_api: FakeLineApi
) -> None:
    """Two webhooks in quick succession: the first turn is slow (a profile lookup, a long
    answer); the second waits for it instead of overtaking."""
    original = line.rasa.handle_message

    async def first_slow(message) -> None:
        if message.text == "first":
            await asyncio.sleep(0.3)
        await original(message)

    line.rasa.handle_message = first_slow  # type: ignore[method-assign]
    await line.post(webhook_body(text_event("first")), wait=False)
    await line.post(webhook_body(text_event("second")))
    assert texts(line_api.sent) == ["echo: first", "echo: second"]
    assert line.channel._user_locks == {}  # nothing left behind


async def test_a_turn_that_failed_is_released_for_the_redelivery(
    line: LineServer, line_api: FakeLineApi
) -> None:
    """An event is marked seen only once answered: when answering blew up, LINE's
    redelivery of the same event is answered."""
    calls = []

    async def deliver_once_broken(event, messages) -> None:
        calls.append(event.event_id)
        if len(calls) == 1:
            raise RuntimeError("the process died mid-turn")
        await original_deliver(event, messages)

    original_deliver = line.channel._deliver
    line.channel._deliver = deliver_once_broken  # type: ignore[method-assign]
    event_id = "01HREDELIVERME000000000000"
    await line.post(webhook_body(text_event("hello", event_id=event_id)))
    await line.post(webhook_body(text_event("hello", event_id=event_id, redelivery=True)))
    assert calls == [event_id, event_id]
    assert texts(line_api.sent) == ["echo: hello"]
    # Answered now: a third delivery is a duplicate.
    await line.post(webhook_body(text_event("hello", event_id=event_id, redelivery=True)))
    assert len(calls) == 2


async def test_line_has_the_same_rate_limit_and_apology_as_the_other_channels(
    line_api: FakeLineApi, rasa: FakeRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATE_LIMIT_MESSAGES", "2")
    async for line in start_line_server(make_channel(line_api.url), rasa):
        for text in ("one", "two", "三つ目です"):
            await line.post(webhook_body(text_event(text)))
        assert len(rasa.received) == 2
        assert "少し時間をおいて" in texts(line_api.sent)[-1]
    monkeypatch.delenv("RATE_LIMIT_MESSAGES")
    rasa.answer = lambda message: []  # an action failed: Rasa said nothing
    async for line in start_line_server(make_channel(line_api.url), rasa):
        await line.post(webhook_body(text_event("イクレイとは？", user_id="U" + "1" * 32)))
        assert texts(line_api.sent)[-1].startswith("申し訳ありません。ただいま応答できません")


async def test_a_failing_push_is_retried_once_delivered(
    line: LineServer, line_api: FakeLineApi
) -> None:
    line_api.push_failures = 2
    await line.post(webhook_body(text_event("hello", redelivery=True)))
    assert texts(line_api.sent) == ["echo: hello"]
    # Three attempts, one retry key: LINE would deliver at most once.
    assert len(line_api.push_retry_keys) == 3 and len(set(line_api.push_retry_keys)) == 1


async def test_an_unreachable_line_api_never_crashes_the_server(
    rasa: FakeRasa, caplog: pytest.LogCaptureFixture
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    rasa.answer = answer_with(7)
    async for line in start_line_server(make_channel(closed), rasa):
        for _ in range(2):
            with caplog.at_level(logging.WARNING):
                resp = await line.post(webhook_body(text_event("hello")))
                assert resp.status == 200
            expired = text_event("hello", timestamp=now_ms() - 120_000)
            assert (await line.post(webhook_body(expired))).status == 200
        async with line.client.get(line.url + "/webhooks/line/") as health:
            assert health.status == 200
        assert len(rasa.received) == 4
    assert "not reachable" in caplog.text
    assert "answering events failed" not in caplog.text
    assert USER_ID not in caplog.text  # no personal data in the logs


# --- quick replies and LINE's limits, through the fake API's checks -----------------------
async def test_buttons_become_quick_replies_within_lines_limits(
    line: LineServer, line_api: FakeLineApi
) -> None:
    buttons = [{"title": f"Button {i}", "payload": f"/choice{i}"} for i in range(14)]
    buttons[0] = {"title": "A button title much longer than twenty", "payload": "/long_title"}
    buttons[1] = {"title": "Too long payload", "payload": "/p" + "x" * 400}
    line.rasa.answer = lambda message: [{"text": "Choose:", "buttons": buttons}]
    await line.post(webhook_body(text_event("menu")))
    assert line_api.refused == []
    (message,) = line_api.sent
    items = message["quickReply"]["items"]
    assert len(items) == 13
    assert items[0]["action"] == {
        "type": "postback",
        "label": "A button title much…",
        "data": "/long_title",
        "displayText": "A button title much longer than twenty",
    }
    assert "/p" + "x" * 400 not in [item["action"]["data"] for item in items]


async def test_a_postback_reaches_rasa_as_the_payload(line: LineServer) -> None:
    payload = '/ask_office_contact{"place": "japan"}'
    await line.post(webhook_body(postback_event(payload)))
    assert [message.text for message in line.rasa.received] == [payload]


async def test_a_text_over_5000_utf16_units_is_split(
    line: LineServer, line_api: FakeLineApi
) -> None:
    # 4,800 characters, so one message if counted in code points, but 5,400 UTF-16 units.
    long_text = "🌏 ICLEI\n" * 600
    line.rasa.answer = lambda message: [{"text": long_text}]
    await line.post(webhook_body(text_event("long")))
    assert line_api.refused == []
    parts = texts(line_api.sent)
    assert len(parts) == 2
    assert all(len(part.encode("utf-16-le")) // 2 <= 5000 for part in parts)
    assert "\n".join(parts) == long_text.strip()


async def test_markdown_is_sent_as_plain_text(line: LineServer, line_api: FakeLineApi) -> None:
    line.rasa.answer = lambda message: [
        {"text": "**ICLEI Japan**: [website](https://japan.iclei.org)"}
    ]
    await line.post(webhook_body(text_event("japan office")))
    assert texts(line_api.sent) == ["ICLEI Japan: website https://japan.iclei.org"]


# --- follow, unfollow, stickers, standby, language ----------------------------------------
async def test_follow_greets_in_the_profile_language_with_a_language_choice(
    line: LineServer, line_api: FakeLineApi
) -> None:
    line_api.languages[USER_ID] = "ja"
    line.rasa.answer = lambda message: [
        {
            "text": "こんにちは",
            "buttons": [{"title": "イクレイとは？", "payload": "/what_is_iclei"}],
        }
    ]
    await line.post(webhook_body(follow_event()))
    (greet,) = line.rasa.received
    assert greet.text == "/greet"
    assert greet.metadata == {"channel": "line", "line_user_id": USER_ID, "language": "ja"}
    assert line_api.profile_requests == [USER_ID]
    (message,) = line_api.replies[0]["messages"]
    labels = [item["action"]["label"] for item in message["quickReply"]["items"]]
    assert labels == ["イクレイとは？", "日本語", "English"]
    assert message["quickReply"]["items"][2]["action"]["data"] == '/greet{"language": "en"}'


async def test_choosing_english_switches_the_language_sent_to_rasa(
    line: LineServer, line_api: FakeLineApi
) -> None:
    line_api.languages[USER_ID] = "ja"
    await line.post(webhook_body(follow_event()))
    await line.post(webhook_body(postback_event('/greet{"language": "en"}')))
    await line.post(webhook_body(postback_event("/list_offices")))
    assert [m.metadata["language"] for m in line.rasa.received] == ["ja", "en", "en"]
    assert line_api.profile_requests == [USER_ID]  # asked once, then remembered


async def test_follow_without_a_profile_still_greets(
    line: LineServer, line_api: FakeLineApi
) -> None:
    await line.post(webhook_body(follow_event()))  # the fake answers 404 for this user
    (greet,) = line.rasa.received
    assert greet.text == "/greet" and "language" not in greet.metadata
    assert len(line_api.sent) == 1


async def test_the_language_follows_the_users_messages(
    line: LineServer, line_api: FakeLineApi
) -> None:
    line_api.languages[USER_ID] = "en"
    await line.post(webhook_body(text_event("東京事務所の電話番号は？")))
    await line.post(webhook_body(text_event("OK")))  # ambiguous: keeps Japanese
    await line.post(webhook_body(postback_event("/list_offices")))
    await line.post(webhook_body(text_event("And the Bonn office?")))
    assert [m.metadata["language"] for m in line.rasa.received] == ["ja", "ja", "ja", "en"]


async def test_unfollow_stops_all_sending(line: LineServer, line_api: FakeLineApi) -> None:
    await line.post(webhook_body(unfollow_event()))
    assert line.rasa.received == []
    assert line_api.replies == [] and line_api.pushes == []


async def test_an_answer_in_progress_is_not_sent_after_an_unfollow(
    line_api: FakeLineApi, rasa: FakeRasa
) -> None:
    release = asyncio.Event()

    async def slow(message) -> None:
        rasa.received.append(message)
        await release.wait()
        await message.output_channel.send_text_message(message.sender_id, "too late")

    rasa.handle_message = slow  # type: ignore[method-assign]
    async for line in start_line_server(make_channel(line_api.url), rasa):
        headers = {"Content-Type": "application/json"}
        body = webhook_body(text_event("hello"))
        async with line.client.post(
            line.url + "/webhooks/line/webhook",
            data=body,
            headers={**headers, "X-Line-Signature": sign(body)},
        ) as resp:
            assert resp.status == 200
        # While Rasa is still thinking about "hello", the user blocks the bot.
        await line.post(webhook_body(unfollow_event()), wait=False)
        while USER_ID not in line.channel.memory.unfollowed:
            await asyncio.sleep(0.01)
        release.set()
        await line.channel.wait_idle(timeout=5)
        assert line_api.replies == [] and line_api.pushes == []
        # Following again lifts the block: the greeting is sent.
        await line.post(webhook_body(follow_event()))
        assert texts(line_api.sent) == ["too late"]
        assert [message.text for message in rasa.received] == ["hello", "/greet"]


async def test_a_sticker_gets_a_polite_text_in_the_users_language(
    line: LineServer, line_api: FakeLineApi
) -> None:
    line_api.languages[USER_ID] = "ja"
    await line.post(webhook_body(sticker_event()))
    assert line.rasa.received == []
    assert texts(line_api.sent) == [UNSUPPORTED["ja"]]
    await line.post(webhook_body(text_event("Thanks, which offices are there?")))
    await line.post(webhook_body(sticker_event()))
    assert texts(line_api.sent)[-1] == UNSUPPORTED["en"]


async def test_image_location_and_file_messages_get_the_polite_text(
    line: LineServer, line_api: FakeLineApi
) -> None:
    line_api.languages[USER_ID] = "en"
    for message in (
        {"type": "image", "id": "1", "contentProvider": {"type": "line"}},
        {"type": "location", "id": "2", "latitude": 35.6, "longitude": 139.7, "address": "x"},
        {"type": "file", "id": "3", "fileName": "a.pdf", "fileSize": 10},
    ):
        event = text_event("placeholder").as_json_dict()
        event["message"] = message
        await line.post(webhook_body(event))
    assert texts(line_api.sent) == [UNSUPPORTED["en"]] * 3
    assert line.rasa.received == []


async def test_a_sticker_from_a_user_of_unknown_language_gets_both(
    line: LineServer, line_api: FakeLineApi
) -> None:
    await line.post(webhook_body(sticker_event()))
    (text,) = texts(line_api.sent)
    assert UNSUPPORTED["ja"] in text and UNSUPPORTED["en"] in text


async def test_standby_and_group_events_are_ignored(
    line: LineServer, line_api: FakeLineApi
) -> None:
    group = text_event("hello everyone").as_json_dict()
    group["source"] = {"type": "group", "groupId": "C123", "userId": USER_ID}
    resp = await line.post(webhook_body(text_event("hello", mode="standby"), group))
    assert resp.status == 200
    assert line.rasa.received == [] and line_api.sent == []
