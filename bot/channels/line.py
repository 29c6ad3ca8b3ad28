"""LINE Messaging API input channel: `bot.channels.line.LineInput` in credentials.yml.

    POST /webhooks/line/webhook   LINE's webhook (X-Line-Signature checked before anything)
    GET  /webhooks/line/          health: {"status": "ok"}, or 503 when the channel is off

The webhook answers 200 at once (LINE gives up after about 2 s) and handles the events in
the background, one user's events one after the other in the order they came. Each user
message is one turn on the guarded path (pipeline.py: limits per user, the apology when an
action fails), stored as `line:<userId>`; Rasa's messages are turned into LINE messages
(`line_messages`) and sent in one reply (5 messages at most); the rest go by push, and so
does everything when the reply token is too old, refused, or comes with a redelivered event.

A signed body can be captured and posted again: events older than LINE_MAX_EVENT_AGE_SECONDS
(300) are ignored, and an event id is claimed before it is handled and marked done only
after, so a duplicate is answered once and a turn that failed half-way can be retried.

Configuration, from credentials.yml keys or else the environment:
    channel_secret  / LINE_CHANNEL_SECRET         verifies the webhook's signature
    access_token    / LINE_CHANNEL_ACCESS_TOKEN   authorises reply, push and profile calls
    api_base_url    / LINE_API_BASE_URL           default https://api.line.me
    LINE_MAX_EVENT_AGE_SECONDS                    events older than this are ignored (300)
Without the secret and the token the channel is off: one warning at start, and the webhook
answers 503.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import inspect
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import texts
from bot.channels.line_api import DEFAULT_API_BASE_URL, LineApi, SendResult
from bot.channels.line_memory import LineMemory
from bot.channels.line_messages import (
    LANGUAGE_CHOICES,
    add_quick_replies,
    chunks,
    greet_payload,
    language_choice_items,
    text_messages,
    to_line_messages,
)
from bot.channels.pipeline import GuardedInput, Inbound, OnNewMessage
from bot.nlu.language_detector import LanguageDetector, detect_language, language_from_metadata

logger = logging.getLogger(__name__)

ENV_CHANNEL_SECRET = "LINE_CHANNEL_SECRET"
ENV_ACCESS_TOKEN = "LINE_CHANNEL_ACCESS_TOKEN"
ENV_API_BASE_URL = "LINE_API_BASE_URL"
SIGNATURE_HEADER = "X-Line-Signature"
ENV_MAX_EVENT_AGE = "LINE_MAX_EVENT_AGE_SECONDS"
DEFAULT_MAX_EVENT_AGE_SECONDS = 300
# A reply token is valid for about a minute after the event; keep a margin for the call.
REPLY_TOKEN_MAX_AGE_MS = 50_000
# How long shutdown waits for events still being answered.
SHUTDOWN_GRACE_SECONDS = 10.0
OFF_MESSAGE = (
    f"The LINE channel is off: set {ENV_CHANNEL_SECRET} and {ENV_ACCESS_TOKEN} "
    "(LINE Developers console, Messaging API tab) and restart."
)
# Message types answered with the polite "text only, please" (and any future type).
TEXT_MESSAGE = "text"


class WebhookFormatError(ValueError):
    """The webhook body is not the JSON LINE sends."""


@dataclass(frozen=True)
class LineEvent:
    """The parts of one webhook event the channel uses (already type-checked)."""

    type: str
    event_id: str | None = None
    timestamp_ms: int | None = None
    mode: str = "active"
    source_type: str | None = None
    user_id: str | None = None
    reply_token: str | None = None
    is_redelivery: bool = False
    message_type: str | None = None
    text: str | None = None
    postback_data: str | None = None


def _get(obj: dict[str, Any], key: str, kind: type, where: str, required: bool = False) -> Any:
    """obj[key] if it is a `kind` (None when absent and not required), else the error."""
    value = obj.get(key)
    if value is None:
        if required:
            raise WebhookFormatError(f"{where}.{key} is missing")
        return None
    # bool is an int in Python, but never a valid timestamp.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise WebhookFormatError(f"{where}.{key} must be a {kind.__name__}")
    return value


def parse_event(raw: Any) -> LineEvent:
    """One webhook event, checked field by field; unknown event types are kept as they are."""
    if not isinstance(raw, dict):
        raise WebhookFormatError("every event must be an object")
    source = _get(raw, "source", dict, "event") or {}
    delivery = _get(raw, "deliveryContext", dict, "event") or {}
    message = _get(raw, "message", dict, "event") or {}
    postback = _get(raw, "postback", dict, "event") or {}
    return LineEvent(
        type=_get(raw, "type", str, "event", required=True),
        event_id=_get(raw, "webhookEventId", str, "event"),
        timestamp_ms=_get(raw, "timestamp", int, "event"),
        mode=_get(raw, "mode", str, "event") or "active",
        source_type=_get(source, "type", str, "source"),
        user_id=_get(source, "userId", str, "source"),
        reply_token=_get(raw, "replyToken", str, "event"),
        is_redelivery=bool(_get(delivery, "isRedelivery", bool, "deliveryContext")),
        message_type=_get(message, "type", str, "message"),
        text=_get(message, "text", str, "message"),
        postback_data=_get(postback, "data", str, "postback"),
    )


def parse_webhook(body: bytes) -> list[LineEvent]:
    """The events of a webhook body ({"destination": ..., "events": [...]})."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise WebhookFormatError("the body is not JSON") from error
    if not isinstance(data, dict):
        raise WebhookFormatError("the body must be a JSON object")
    events = data.get("events")
    if not isinstance(events, list):
        raise WebhookFormatError("the body must have an 'events' list")
    return [parse_event(event) for event in events]


def signature_is_valid(channel_secret: str, body: bytes, signature: str) -> bool:
    """True if `signature` is base64(HMAC-SHA256(channel secret, raw body)), compared in
    constant time."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest), signature.encode("utf-8"))


def _supported_language(language: str | None) -> str | None:
    """ "ja" or "en" for a locale tag such as "ja", "en-US"; None for others."""
    return language_from_metadata({"language": language}, "language")


class LineInput(GuardedInput):
    """Rasa input channel for a LINE Official Account (Messaging API webhook)."""

    @classmethod
    def name(cls) -> str:
        """The key in credentials.yml and the URL part /webhooks/line/."""
        return "line"

    sender_prefix = "line:"
    # LINE's webhook bodies are a few kB; anything near this is not from LINE.
    max_body_bytes = 1024 * 1024

    def __init__(
        self,
        channel_secret: str | None,
        access_token: str | None,
        api_base_url: str = DEFAULT_API_BASE_URL,
        *,
        api: LineApi | None = None,
        memory: LineMemory | None = None,
        clock_ms: Callable[[], int] | None = None,
        max_event_age_seconds: float | None = None,
    ) -> None:
        """A channel that is on when both the secret and the access token are given."""
        super().__init__()
        self.channel_secret = channel_secret or ""
        self.enabled = bool(channel_secret and access_token)
        self.api = api or LineApi(access_token or "", api_base_url)
        self.memory = memory or LineMemory.from_environment()
        self._clock_ms = clock_ms or (lambda: int(time.time() * 1000))
        if max_event_age_seconds is None:
            raw = os.environ.get(ENV_MAX_EVENT_AGE, "").strip()
            max_event_age_seconds = float(raw) if raw else DEFAULT_MAX_EVENT_AGE_SECONDS
        self.max_event_age_ms = max_event_age_seconds * 1000
        # user -> [lock, events holding or awaiting it]: a user's turns run in arrival order.
        self._user_locks: dict[str, list[Any]] = {}
        self._ambiguous_words = LanguageDetector.get_default_config()["ambiguous_words"]
        # Strong references: the event loop keeps only weak ones to running tasks.
        self._tasks: set[asyncio.Task] = set()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> LineInput:
        """The channel from credentials.yml's `line` block, else the LINE_* environment."""
        credentials = credentials or {}

        def setting(key: str, variable: str) -> str | None:
            value = credentials.get(key) or os.environ.get(variable)
            return str(value).strip() if value else None

        secret = setting("channel_secret", ENV_CHANNEL_SECRET)
        token = setting("access_token", ENV_ACCESS_TOKEN)
        base_url = setting("api_base_url", ENV_API_BASE_URL) or DEFAULT_API_BASE_URL
        if not base_url.startswith(("https://", "http://")):
            raise RasaException(
                f"{ENV_API_BASE_URL} must be an http(s) URL such as {DEFAULT_API_BASE_URL}, "
                f"not {base_url!r}."
            )
        if not (secret and token):
            missing = [
                variable
                for variable, value in ((ENV_CHANNEL_SECRET, secret), (ENV_ACCESS_TOKEN, token))
                if not value
            ]
            logger.warning("%s (%s not set)", OFF_MESSAGE, " and ".join(missing))
        return cls(secret, token, base_url)

    # --- HTTP -------------------------------------------------------------------------
    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The health route and the webhook."""
        module = inspect.getmodule(self)
        line_webhook = Blueprint(
            f"line_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @line_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"status": "off", "message": OFF_MESSAGE}, status=503)
            return response.json({"status": "ok"})

        # Streamed, so that an oversized body is refused without being read into memory.
        @line_webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        @line_webhook.listener("before_server_stop")
        async def finish(*_: Any) -> None:
            await self.wait_idle(SHUTDOWN_GRACE_SECONDS)
            await self.api.close()

        return line_webhook

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        if not self.enabled:
            return response.json({"error": OFF_MESSAGE}, status=503)
        body = await self.read_body(request)
        if body is None:
            return response.json({"error": "body too large"}, status=413)
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature:
            return response.json({"error": f"{SIGNATURE_HEADER} header missing"}, status=401)
        if not signature_is_valid(self.channel_secret, body, signature):
            logger.warning("LINE webhook: invalid signature; request ignored")
            return response.json({"error": "invalid signature"}, status=403)
        try:
            events = parse_webhook(body)
        except WebhookFormatError as error:
            return response.json({"error": str(error)}, status=400)
        self._dispatch(events, on_new_message)
        # An empty "events" list is LINE's webhook URL verification: 200 is all it needs.
        return response.json({})

    # --- background -------------------------------------------------------------------
    def _wanted(self, event: LineEvent) -> bool:
        """False for events not to answer: standby mode (another channel answers), groups
        and rooms (not supported), and events too old to be a live delivery (a replay)."""
        if event.mode == "standby" or event.source_type != "user" or not event.user_id:
            return False
        age = self._clock_ms() - (event.timestamp_ms or 0)
        if age > self.max_event_age_ms:
            logger.warning("LINE: event %s is %d s old; ignored", event.event_id, age // 1000)
            return False
        return True

    def _dispatch(self, events: list[LineEvent], on_new_message: OnNewMessage) -> None:
        """Starts one background task per event; a user's tasks take turns (per-user lock,
        which asyncio hands over in arrival order), so their answers keep their order."""
        for event in filter(self._wanted, events):
            if event.type == "unfollow":
                # Blocked: takes effect at once, even over the user's turns still running
                # (nothing may be sent until the user adds the bot again).
                self._forget_user(event.user_id or "")
                continue
            entry = self._user_locks.setdefault(event.user_id or "", [asyncio.Lock(), 0])
            entry[1] += 1
            task = asyncio.get_running_loop().create_task(
                self._handle_in_turn(event, entry, on_new_message)
            )
            self._tasks.add(task)
            task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Not re-raised anywhere: log it, or it would only show at garbage collection.
            logger.error("LINE: answering an event failed", exc_info=task.exception())

    async def wait_idle(self, timeout: float | None = None) -> None:
        """Waits until the events received so far are answered (for shutdown and tests)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    def _forget_user(self, user_id: str) -> None:
        self.memory.unfollowed.put(user_id)
        self.memory.profile_languages.discard(user_id)
        self.memory.message_languages.discard(user_id)

    async def _handle_in_turn(
        self, event: LineEvent, entry: list[Any], on_new_message: OnNewMessage
    ) -> None:
        try:
            async with entry[0]:
                await self._handle_once(event, on_new_message)
        finally:
            entry[1] -= 1
            if not entry[1]:  # nobody holds or awaits it: keep the dict small
                self._user_locks.pop(event.user_id or "", None)

    async def _handle_once(self, event: LineEvent, on_new_message: OnNewMessage) -> None:
        """Handles an event unless another delivery of it is (or was) handled; marks it done
        only once answered, and frees it for a redelivery when answering failed."""
        if event.event_id is not None and not await self.memory.events.claim(event.event_id):
            return
        try:
            await self.handle_event(event, on_new_message)
        except BaseException:
            if event.event_id is not None:
                await self.memory.events.release(event.event_id)
            raise
        if event.event_id is not None:
            await self.memory.events.done(event.event_id)

    async def handle_event(self, event: LineEvent, on_new_message: OnNewMessage) -> None:
        """Answers one event from a user."""
        user_id = event.user_id or ""
        # An unfollow never gets here: `_dispatch` applies it at once.
        if event.type not in ("follow", "message", "postback"):
            logger.debug("LINE: %s event ignored", event.type)
            return
        # Anyone who follows, writes or taps is a friend of the bot (again).
        self.memory.unfollowed.discard(user_id)
        if event.type == "follow":
            await self._profile_language(user_id, refresh=True)
            messages = await self._ask_rasa(greet_payload(), event, on_new_message)
            add_quick_replies(messages, language_choice_items())
        elif event.type == "postback":
            if not event.postback_data:
                return
            for _, code in LANGUAGE_CHOICES:
                if event.postback_data == greet_payload(code):
                    self.memory.message_languages.put(user_id, code)
            messages = await self._ask_rasa(event.postback_data, event, on_new_message)
        elif event.message_type == TEXT_MESSAGE and event.text:
            language = detect_language(event.text, self._ambiguous_words)
            if language:
                self.memory.message_languages.put(user_id, language)
            messages = await self._ask_rasa(event.text, event, on_new_message)
        else:  # sticker, image, video, audio, file, location ...
            language = _supported_language(await self._language(user_id))
            text = texts.fixed_text(texts.UNSUPPORTED_MESSAGE, language)
            messages = text_messages(text)
        await self._deliver(event, messages)

    # --- language ---------------------------------------------------------------------
    async def _profile_language(self, user_id: str, refresh: bool = False) -> str | None:
        """The user's LINE language, asked once and remembered (None when LINE won't say)."""
        if refresh or user_id not in self.memory.profile_languages:
            language = await self.api.profile_language(user_id)
            self.memory.profile_languages.put(user_id, language)
        return self.memory.profile_languages.get(user_id)

    async def _language(self, user_id: str) -> str | None:
        """The user's language: of their latest text message, else of their LINE app."""
        return self.memory.message_languages.get(user_id) or await self._profile_language(user_id)

    # --- Rasa and LINE ----------------------------------------------------------------
    async def _ask_rasa(
        self, text: str, event: LineEvent, on_new_message: OnNewMessage
    ) -> list[dict[str, Any]]:
        """The guarded path's answer to `text` from the event's user, as LINE messages."""
        user_id = event.user_id or ""
        metadata: dict[str, Any] = {"channel": self.name(), "line_user_id": user_id}
        language = await self._language(user_id)
        if language:
            metadata["language"] = language
        message = Inbound(user_id, text, metadata, message_id=event.event_id)
        outcome = await self.handle(message, on_new_message)
        return [line for bot in outcome.messages for line in to_line_messages(bot)]

    def _reply_token_usable(self, event: LineEvent) -> bool:
        if not event.reply_token or event.is_redelivery or event.timestamp_ms is None:
            return False
        return self._clock_ms() - event.timestamp_ms <= REPLY_TOKEN_MAX_AGE_MS

    async def _deliver(self, event: LineEvent, messages: list[dict[str, Any]]) -> None:
        """Sends the turn's messages: the first 5 as the reply, the rest by push."""
        user_id = event.user_id or ""
        batches = list(chunks(messages))
        if not batches or user_id in self.memory.unfollowed:
            return
        if self._reply_token_usable(event):
            result = await self.api.reply(event.reply_token or "", batches[0])
            if result is SendResult.FAILED:
                logger.warning("LINE: answer to event %s not sent", event.event_id)
                return  # pushing the rest would answer out of order
            if result is SendResult.SENT:
                batches = batches[1:]
        for batch in batches:
            if user_id in self.memory.unfollowed:
                return
            if await self.api.push(user_id, batch) is not SendResult.SENT:
                logger.warning("LINE: answer to event %s not sent in full", event.event_id)
                return
