"""A fake LINE Messaging API, a stand-in for Rasa, and a real Sanic server with the channel.

Nothing here needs a trained model: `FakeRasa` answers each user message with the bot
messages a test scripts. The fake LINE API refuses what the real one would (wrong token,
more than 5 messages, texts over 5,000 UTF-16 units, too many or too long quick replies),
so a test that passes sends what LINE accepts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from linebot import WebhookParser
from linebot.models import (
    FollowEvent,
    MessageEvent,
    PostbackEvent,
    SourceUser,
    StickerMessage,
    TextMessage,
    UnfollowEvent,
)
from linebot.models.delivery_context import DeliveryContext
from linebot.models.events import Postback
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from bot.channels.line import LineInput
from bot.channels.line_api import LineApi
from bot.ops.processes import free_port

CHANNEL_SECRET = "0123456789abcdef0123456789abcdef"
ACCESS_TOKEN = "test-access-token"
USER_ID = "U4af4980629" + "0" * 22
WEBHOOK_PATH = "/webhooks/line/webhook"

# Several Sanic apps start in this process (one per test): test mode lets each one apply
# Sanic's start-up code rewriting afresh instead of failing on the second app.
Sanic.test_mode = True


def sign(body: bytes, secret: str = CHANNEL_SECRET) -> str:
    """X-Line-Signature of `body`, computed as LINE documents it."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def now_ms() -> int:
    """The time as LINE stamps events: milliseconds since the epoch."""
    return int(time.time() * 1000)


# --- webhook bodies, built with line-bot-sdk's own models ---------------------------------
def _common(
    event_id: str | None,
    timestamp: int | None,
    redelivery: bool,
    user_id: str,
    mode: str,
) -> dict[str, Any]:
    return {
        "timestamp": now_ms() if timestamp is None else timestamp,
        "source": SourceUser(user_id=user_id),
        "mode": mode,
        "webhook_event_id": event_id or uuid.uuid4().hex.upper()[:26],
        "delivery_context": DeliveryContext(is_redelivery=redelivery),
    }


def text_event(
    text: str,
    *,
    event_id: str | None = None,
    timestamp: int | None = None,
    redelivery: bool = False,
    user_id: str = USER_ID,
    mode: str = "active",
    reply_token: str | None = None,
) -> MessageEvent:
    """A user's text message event."""
    return MessageEvent(
        reply_token=reply_token or uuid.uuid4().hex,
        message=TextMessage(id=str(uuid.uuid4().int)[:18], text=text),
        **_common(event_id, timestamp, redelivery, user_id, mode),
    )


def sticker_event(user_id: str = USER_ID) -> MessageEvent:
    """A user's sticker message event."""
    return MessageEvent(
        reply_token=uuid.uuid4().hex,
        message=StickerMessage(id="1", package_id="446", sticker_id="1988"),
        **_common(None, None, False, user_id, "active"),
    )


def postback_event(data: str, user_id: str = USER_ID) -> PostbackEvent:
    """A user's tap on a quick reply with a postback action."""
    return PostbackEvent(
        reply_token=uuid.uuid4().hex,
        postback=Postback(data=data),
        **_common(None, None, False, user_id, "active"),
    )


def follow_event(user_id: str = USER_ID) -> FollowEvent:
    """A user adds the bot as a friend (or unblocks it)."""
    return FollowEvent(
        reply_token=uuid.uuid4().hex, **_common(None, None, False, user_id, "active")
    )


def unfollow_event(user_id: str = USER_ID) -> UnfollowEvent:
    """A user blocks the bot."""
    return UnfollowEvent(**_common(None, None, False, user_id, "active"))


def webhook_body(*events: Any) -> bytes:
    """The JSON body LINE posts for `events` (line-bot-sdk models or plain dicts)."""
    payload = {
        "destination": "Uxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "events": [event if isinstance(event, dict) else event.as_json_dict() for event in events],
    }
    body = json.dumps(payload, ensure_ascii=False).encode()
    # The SDK's own parser must read what we send, with our signature: the bodies are real.
    WebhookParser(CHANNEL_SECRET).parse(body.decode(), sign(body))
    return body


# --- the fake LINE Messaging API ----------------------------------------------------------
def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def line_limit_errors(messages: Any) -> list[str]:
    """What the real API would refuse in a `messages` array (the limits the channel keeps)."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return ["messages: 1 to 5"]
    errors = []
    for index, message in enumerate(messages):
        if message.get("type") == "text":
            text = message.get("text")
            if not isinstance(text, str) or not text or _utf16(text) > 5000:
                errors.append(f"messages[{index}].text: 1 to 5000")
        items = message.get("quickReply", {}).get("items", [])
        if len(items) > 13:
            errors.append(f"messages[{index}].quickReply.items: at most 13")
        for item in items:
            action = item["action"]
            if not 1 <= _utf16(action["label"]) <= 20:
                errors.append("quickReply label: 1 to 20")
            if action["type"] == "postback" and _utf16(action["data"]) > 300:
                errors.append("postback data: at most 300")
            if _utf16(action.get("displayText", "")) > 300:
                errors.append("displayText: at most 300")
    return errors


@dataclass
class FakeLineApi:
    """A local LINE Messaging API that records reply, push and profile calls."""

    url: str = ""
    replies: list[dict[str, Any]] = field(default_factory=list)
    pushes: list[dict[str, Any]] = field(default_factory=list)
    profile_requests: list[str] = field(default_factory=list)
    refused: list[list[str]] = field(default_factory=list)
    # userId -> profile language; users not in it get 404, as for non-friends.
    languages: dict[str, str] = field(default_factory=dict)
    # Reply tokens answered with 400 "Invalid reply token".
    invalid_reply_tokens: set[str] = field(default_factory=set)
    # How many push calls get a 500 before pushes succeed.
    push_failures: int = 0
    push_retry_keys: list[str] = field(default_factory=list)

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {ACCESS_TOKEN}"

    async def reply(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"message": "Authentication failed"}, status=401)
        body = await request.json()
        if body["replyToken"] in self.invalid_reply_tokens:
            return web.json_response({"message": "Invalid reply token"}, status=400)
        errors = line_limit_errors(body.get("messages"))
        if errors:
            self.refused.append(errors)
            return web.json_response({"message": "The request body has 1 error(s)"}, status=400)
        self.invalid_reply_tokens.add(body["replyToken"])  # a token works once
        self.replies.append(body)
        return web.json_response({"sentMessages": []})

    async def push(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"message": "Authentication failed"}, status=401)
        self.push_retry_keys.append(request.headers.get("X-Line-Retry-Key", ""))
        if self.push_failures > 0:
            self.push_failures -= 1
            return web.json_response({"message": "Internal error"}, status=500)
        body = await request.json()
        errors = line_limit_errors(body.get("messages"))
        if errors:
            self.refused.append(errors)
            return web.json_response({"message": "The request body has 1 error(s)"}, status=400)
        self.pushes.append(body)
        return web.json_response({"sentMessages": []})

    async def profile(self, request: web.Request) -> web.Response:
        user_id = request.match_info["user_id"]
        self.profile_requests.append(user_id)
        if not self._authorised(request) or user_id not in self.languages:
            return web.json_response({"message": "Not found"}, status=404)
        return web.json_response(
            {"userId": user_id, "displayName": "Test", "language": self.languages[user_id]}
        )

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Every message sent, replies first then pushes (each in order)."""
        return [m for call in self.replies + self.pushes for m in call["messages"]]

    def app(self) -> web.Application:
        """The aiohttp application serving the three endpoints."""
        app = web.Application()
        app.router.add_post("/v2/bot/message/reply", self.reply)
        app.router.add_post("/v2/bot/message/push", self.push)
        app.router.add_get("/v2/bot/profile/{user_id}", self.profile)
        return app


@pytest.fixture
async def line_api() -> AsyncIterator[FakeLineApi]:
    """The fake LINE API, listening on 127.0.0.1."""
    fake = FakeLineApi()
    runner = web.AppRunner(fake.app())
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    fake.url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        await runner.cleanup()


# --- Rasa's side --------------------------------------------------------------------------
BotAnswer = Callable[[UserMessage], list[dict[str, Any]]]


@dataclass
class FakeRasa:
    """Stands in for `agent.handle_message`: answers with the bot messages `answer` gives."""

    answer: BotAnswer = lambda message: [{"text": f"echo: {message.text}"}]
    received: list[UserMessage] = field(default_factory=list)

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        for bot_message in self.answer(message):
            await message.output_channel.send_response(message.sender_id, dict(bot_message))


@dataclass
class LineServer:
    """The channel on a running Sanic server, with a client to post webhooks."""

    url: str
    channel: LineInput
    rasa: FakeRasa
    client: aiohttp.ClientSession

    async def post(
        self, body: bytes, signature: str | None = "sign", wait: bool = True, **headers: str
    ) -> aiohttp.ClientResponse:
        """POSTs `body` to the webhook, signed correctly unless `signature` says otherwise;
        then (`wait`) waits until the channel has answered the events."""
        if signature == "sign":
            signature = sign(body)
        if signature is not None:
            headers["X-Line-Signature"] = signature
        headers.setdefault("Content-Type", "application/json")
        async with self.client.post(self.url + WEBHOOK_PATH, data=body, headers=headers) as resp:
            await resp.read()
        if wait:
            await self.channel.wait_idle(timeout=10)
        return resp


async def start_line_server(channel: LineInput, rasa: FakeRasa) -> AsyncIterator[LineServer]:
    """Runs `channel` in a Sanic app the way Rasa registers input channels."""
    app = Sanic(f"line_test_{uuid.uuid4().hex}")
    app.ctx.agent = SimpleNamespace(handle_message=rasa.handle_message)
    register([channel], app, route="/webhooks/")
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    await server.before_start()
    await server.after_start()
    client = aiohttp.ClientSession()
    try:
        yield LineServer(f"http://127.0.0.1:{port}", channel, rasa, client)
    finally:
        await client.close()
        await server.before_stop()
        await server.close()
        await server.after_stop()


def make_channel(api_url: str, **kwargs: Any) -> LineInput:
    """The channel with the test secret and token, calling `api_url`; fast push retries."""
    api = LineApi(ACCESS_TOKEN, api_url, timeout=5, retry_delay=0.01)
    return LineInput(CHANNEL_SECRET, ACCESS_TOKEN, api_url, api=api, **kwargs)


@pytest.fixture
def rasa() -> FakeRasa:
    """Rasa's stand-in; tests set `rasa.answer`."""
    return FakeRasa()


@pytest.fixture
async def line(line_api: FakeLineApi, rasa: FakeRasa) -> AsyncIterator[LineServer]:
    """The channel, on, against the fake LINE API."""
    async for server in start_line_server(make_channel(line_api.url), rasa):
        yield server
