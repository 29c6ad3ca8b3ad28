"""Rasa's REST channel with guards: `bot.channels.rest.GuardedRestInput` in credentials.yml.

    POST /webhooks/rest/webhook   {"sender": "...", "message": "...", "metadata": {...}}
                                  -> [{"recipient_id": "...", "text": "..."}, ...]
    GET  /webhooks/rest/          health: {"status": "ok"}

Same name, URL, request and answer as Rasa's `rest` channel (`?stream=true` included), but:

- A body that is not what the channel takes gets a 4xx with a small JSON error, never a 500:
  over MAX_BODY_BYTES -> 413; not UTF-8, not JSON, not an object, `sender` missing or not a
  non-empty string (at most 255 characters: the tracker store's column), `message` missing
  or not a string, `metadata` not an object (or nested deeper than 20), `input_channel` not
  a string -> 400. Rasa's own channel answers 200 or 500 to all of these.
- Empty messages and messages over MAX_MESSAGE_CHARS get a polite answer (200, in the
  message's language) without reaching the model.
- A sender over the rate limit gets 429 with a Retry-After header and the polite answer in
  the usual body (a list of bot messages): chat clients that ignore the status still show it,
  and clients, proxies and benchmarks that look at it see the request was not handled.
  Turn it off with RATE_LIMIT_MESSAGES=0 (e.g. for load tests from a few senders).
- When an action fails while Rasa handles a message (the action server is down or broke;
  Rasa logs "Encountered an exception while running action" and carries on), or Rasa says
  nothing at all, the user gets an apology in their language instead of what Rasa sent:
  nothing, part of an answer, or, for a new conversation whose `action_session_start`
  failed, a misleading "Sorry, I didn't understand" (see `guards.watch_action_failures`).
  Streamed answers (`?stream=true`) get the apology after what was already sent.
- Nothing is caught wholesale: an error inside Rasa (e.g. the tracker store is down) is a 500
  and is logged by Sanic, instead of Rasa's 200 with an empty list.

Configuration (credentials.yml keys, else the environment; see `bot.channels.guards`):
    max_body_bytes / REST_MAX_BODY_BYTES (65536), max_message_chars / MAX_MESSAGE_CHARS,
    rate_limit_messages / RATE_LIMIT_MESSAGES, rate_limit_window_seconds /
    RATE_LIMIT_WINDOW_SECONDS.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import math
import os
from collections.abc import Awaitable, Callable
from typing import Any

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel, RestInput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.channels.guards import (
    Fixed,
    GuardSettings,
    MessageGuard,
    RateLimiter,
    Verdict,
    bot_message,
    fixed_text,
    message_language,
    read_limited_body,
    retry_after_seconds,
    watch_action_failures,
)
from bot.channels.shared_state import RedisRateLimiter, make_rate_limiter

logger = logging.getLogger(__name__)

ENV_MAX_BODY_BYTES = "REST_MAX_BODY_BYTES"
DEFAULT_MAX_BODY_BYTES = 64 * 1024
# The SQL tracker store keeps sender ids in a String(255) column.
MAX_SENDER_CHARS = 255
MAX_INPUT_CHANNEL_CHARS = 64
MAX_METADATA_DEPTH = 20

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class BadRequest(ValueError):
    """The request body is not what the channel takes; the message is safe to show."""


def _valid_unicode(value: str) -> bool:
    """False for strings with lone surrogates ("\\ud800" in JSON), which can't be stored."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_json_value(value: Any, where: str, depth: int = 0) -> None:
    """Raises BadRequest for JSON nested deeper than MAX_METADATA_DEPTH or with invalid
    strings (keys included)."""
    if depth > MAX_METADATA_DEPTH:
        raise BadRequest(f"{where} is nested too deeply")
    if isinstance(value, str):
        if not _valid_unicode(value):
            raise BadRequest(f"{where} contains invalid unicode")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json_value(key, where, depth + 1)
            _check_json_value(item, where, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_json_value(item, where, depth + 1)


def _string_field(payload: dict[str, Any], key: str, *, required: bool, max_chars: float) -> Any:
    value = payload.get(key)
    if value is None:
        if required:
            raise BadRequest(f"'{key}' is missing")
        return None
    if not isinstance(value, str):
        raise BadRequest(f"'{key}' must be a string")
    if not _valid_unicode(value):
        raise BadRequest(f"'{key}' contains invalid unicode")
    if len(value) > max_chars:
        raise BadRequest(f"'{key}' is longer than {max_chars} characters")
    return value


def parse_body(body: bytes) -> dict[str, Any]:
    """The request's JSON object with its fields type-checked, or BadRequest.

    `sender` (non-empty string) and `message` (string, may be empty: answered politely) are
    required; `metadata` (object) and `input_channel` (string) are optional.
    """
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise BadRequest("the body is not UTF-8") from error
    except (ValueError, RecursionError) as error:
        raise BadRequest("the body is not JSON") from error
    if not isinstance(payload, dict):
        raise BadRequest("the body must be a JSON object")
    sender = _string_field(payload, "sender", required=True, max_chars=MAX_SENDER_CHARS)
    if not sender.strip():
        raise BadRequest("'sender' must not be empty")
    # Its length is the guard's business (a polite answer), not a bad request; the body
    # limit bounds it.
    _string_field(payload, "message", required=True, max_chars=math.inf)
    _string_field(payload, "input_channel", required=False, max_chars=MAX_INPUT_CHANNEL_CHARS)
    metadata = payload.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise BadRequest("'metadata' must be an object")
        _check_json_value(metadata, "'metadata'")
    return payload


class GuardedRestInput(RestInput):
    """Rasa's REST channel (same name and URL) with input checks, limits and an apology."""

    @classmethod
    def name(cls) -> str:
        """ "rest": the URL stays /webhooks/rest/webhook and `channel: rest` variations apply."""
        return "rest"

    def __init__(
        self,
        settings: GuardSettings | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        *,
        rate_limiter: RateLimiter | RedisRateLimiter | None = None,
    ) -> None:
        """A channel with `settings` (defaults: guards' defaults)."""
        self.settings = settings or GuardSettings()
        self.max_body_bytes = max_body_bytes
        self.guard = MessageGuard(self.settings.max_message_chars)
        # `is None`, not `or`: an empty RateLimiter is falsy (it has a length).
        self.rate_limiter = (
            rate_limiter
            if rate_limiter is not None
            else make_rate_limiter(
                self.settings.rate_limit_messages, self.settings.rate_limit_window_seconds
            )
        )

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedRestInput:
        """The channel from its credentials.yml block (may be empty), else the environment."""
        credentials = credentials or {}
        settings = GuardSettings.from_sources(credentials)
        raw = credentials.get("max_body_bytes") or os.environ.get(ENV_MAX_BODY_BYTES, "").strip()
        max_body_bytes = DEFAULT_MAX_BODY_BYTES
        if raw:
            try:
                max_body_bytes = int(str(raw))
            except ValueError:
                max_body_bytes = 0
            if max_body_bytes < 1:
                raise RasaException(
                    f"{ENV_MAX_BODY_BYTES} must be a whole number of bytes >= 1, not {raw!r}."
                )
        return cls(settings, max_body_bytes)

    # --- RestInput's hooks, on the checked body --------------------------------------
    async def _extract_sender(self, req: Request) -> str | None:
        return req.json["sender"]

    def _extract_message(self, req: Request) -> str | None:
        return req.json["message"]

    def _extract_input_channel(self, req: Request) -> str:
        return req.json.get("input_channel") or self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """The request's `metadata` object, if any."""
        return request.json.get("metadata")

    # --- HTTP ---------------------------------------------------------------------------
    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The health route and the webhook."""
        module = inspect.getmodule(self)
        rest_webhook = Blueprint(
            f"custom_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @rest_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        # Streamed, so that an oversized body is refused without being read into memory.
        @rest_webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse | ResponseStream:
            return await self._receive(request, on_new_message)

        return rest_webhook

    async def _read_body(self, request: Request) -> bytes | None:
        """The raw body, or None when it is too large."""
        return await read_limited_body(request, self.max_body_bytes)

    async def _receive(
        self, request: Request, on_new_message: OnNewMessage
    ) -> HTTPResponse | ResponseStream:
        body = await self._read_body(request)
        if body is None:
            return response.json(
                {"error": f"body larger than {self.max_body_bytes} bytes"}, status=413
            )
        try:
            request.parsed_json = parse_body(body)
        except BadRequest as error:
            return response.json({"error": str(error)}, status=400)

        sender_id = await self._extract_sender(request)
        text = self._extract_message(request)
        metadata = self.get_metadata(request)
        input_channel = self._extract_input_channel(request)

        if not self.rate_limiter.allow(sender_id):
            retry_after = retry_after_seconds(self.rate_limiter, sender_id)
            logger.info("REST: sender %r over the rate limit", sender_id)
            answer = fixed_text(Fixed.RATE_LIMITED, message_language(text, metadata))
            return response.json(
                [bot_message(sender_id, answer)],
                status=429,
                headers={"Retry-After": str(retry_after)},
            )
        verdict = self.guard.check(text)
        if verdict is not Verdict.OK:
            answer = self.guard.answer(verdict, text, metadata) or ""
            return response.json([bot_message(sender_id, answer)])

        if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
            return response.stream(
                self._stream(on_new_message, text, sender_id, input_channel, metadata),
                content_type="text/event-stream",
            )
        collector = CollectingOutputChannel()
        with watch_action_failures() as failures:
            await on_new_message(
                UserMessage(
                    text, collector, sender_id, input_channel=input_channel, metadata=metadata
                )
            )
        if failures or not collector.messages:
            return response.json([self._apology(sender_id, text, metadata, failures.actions)])
        return response.json(collector.messages)

    def _apology(
        self, sender_id: str, text: str, metadata: Any, failed: list[str]
    ) -> dict[str, Any]:
        logger.warning(
            "REST: sent sender %r the apology: %s",
            sender_id,
            f"action(s) {', '.join(failed)} failed (is the action server up?)"
            if failed
            else "the assistant said nothing",
        )
        return bot_message(
            sender_id, fixed_text(Fixed.UNAVAILABLE, message_language(text, metadata))
        )

    def _stream(
        self,
        on_new_message: OnNewMessage,
        text: str,
        sender_id: str,
        input_channel: str,
        metadata: dict[str, Any] | None,
    ) -> Callable[[Any], Awaitable[None]]:
        """Rasa's streamed answer (one JSON message per line), then the apology if an action
        failed or the assistant said nothing; no hanging when handling the message fails."""

        async def run(queue: asyncio.Queue) -> list[str]:
            try:
                with watch_action_failures() as failures:
                    await on_new_message(
                        UserMessage(
                            text,
                            QueueOutputChannel(queue),
                            sender_id,
                            input_channel=input_channel,
                            metadata=metadata,
                        )
                    )
                return failures.actions
            finally:
                await queue.put(None)

        async def stream(resp: Any) -> None:
            queue: asyncio.Queue = asyncio.Queue()
            task = asyncio.ensure_future(run(queue))
            sent = 0
            while (message := await queue.get()) is not None:
                await resp.write(json.dumps(message) + "\n")
                sent += 1
            failed = await task  # re-raises what went wrong
            if failed or not sent:
                apology = self._apology(sender_id, text, metadata, failed)
                await resp.write(json.dumps(apology) + "\n")

        return stream
