"""Rasa's REST channel on the guarded path: `bot.channels.rest.GuardedRestInput`.

    POST /webhooks/rest/webhook   {"sender": "...", "message": "...", "metadata": {...}}
                                  -> [{"recipient_id": "...", "text": "..."}, ...]
    GET  /webhooks/rest/          health: {"status": "ok"}

Same name, URL, request and answer as Rasa's `rest` channel (`?stream=true` included); what
differs is the guarded path (pipeline.py: limits, polite answers, apology) and the checks
here: a body that is not what the channel takes gets a 4xx with a small JSON error, never a
500: over REST_MAX_BODY_BYTES (64 KiB) -> 413; not UTF-8 JSON, not an object, `sender` not
1-128 letters, digits or `_-.@+=` (no ":", which other channels' ids carry), `message` not a
string, `metadata` not an object (or nested deeper than 20), `input_channel` not a short
string -> 400.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from typing import Any

import rasa.utils.endpoints
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.channels.limits import LimitSettings
from bot.channels.pipeline import CollectedOutput, GuardedInput, Inbound, OnNewMessage, Outcome

ENV_MAX_BODY_BYTES = "REST_MAX_BODY_BYTES"
DEFAULT_MAX_BODY_BYTES = 64 * 1024
SENDER_PATTERN = re.compile(r"[\w.@+=-]{1,128}")
MAX_INPUT_CHANNEL_CHARS = 64
MAX_METADATA_DEPTH = 20


class BadRequest(ValueError):
    """The request body is not what the channel takes; the message is safe to show."""


def _check_json(value: Any, where: str, depth: int = 0) -> None:
    """BadRequest for JSON nested deeper than MAX_METADATA_DEPTH or with lone surrogates
    ("\\ud800"), which cannot be stored."""
    if depth > MAX_METADATA_DEPTH:
        raise BadRequest(f"{where} is nested too deeply")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise BadRequest(f"{where} contains invalid unicode") from error
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json(key, where, depth + 1)
            _check_json(item, where, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_json(item, where, depth + 1)


def parse_body(body: bytes) -> dict[str, Any]:
    """The request's JSON object with its fields checked, or BadRequest."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise BadRequest("the body is not UTF-8") from error
    except (ValueError, RecursionError) as error:
        raise BadRequest("the body is not JSON") from error
    if not isinstance(payload, dict):
        raise BadRequest("the body must be a JSON object")
    for key, required in (("sender", True), ("message", True), ("input_channel", False)):
        value = payload.get(key)
        if value is None and required:
            raise BadRequest(f"'{key}' is missing")
        if value is not None and not isinstance(value, str):
            raise BadRequest(f"'{key}' must be a string")
        _check_json(value, f"'{key}'")
    if not SENDER_PATTERN.fullmatch(payload["sender"]):
        raise BadRequest("'sender' must be 1 to 128 letters, digits or _-.@+=")
    if len(payload.get("input_channel") or "") > MAX_INPUT_CHANNEL_CHARS:
        raise BadRequest(f"'input_channel' is longer than {MAX_INPUT_CHANNEL_CHARS} characters")
    metadata = payload.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("'metadata' must be an object")
    _check_json(metadata, "'metadata'")
    return payload


class _StreamOutput(CollectedOutput):
    """Puts each bot message on the stream's queue as it comes, and keeps it."""

    def __init__(self, queue: asyncio.Queue) -> None:
        super().__init__("rest", whole_texts=False)
        self.queue = queue

    async def _persist_message(self, message: dict[str, Any]) -> None:
        await super()._persist_message(message)
        await self.queue.put(message)


class GuardedRestInput(GuardedInput):
    """Rasa's REST channel (same name and URL) on the guarded path."""

    whole_texts = False  # as Rasa's REST channel: one message per paragraph

    @classmethod
    def name(cls) -> str:
        """ "rest": the URL stays /webhooks/rest/webhook and `channel: rest` variations apply."""
        return "rest"

    def __init__(
        self, settings: LimitSettings | None = None, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    ) -> None:
        """A channel with `settings` (default: the environment's)."""
        super().__init__(settings)
        self.max_body_bytes = max_body_bytes

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedRestInput:
        """The channel from its credentials.yml block (may be empty), else the environment."""
        credentials = credentials or {}
        raw = credentials.get("max_body_bytes") or os.environ.get(ENV_MAX_BODY_BYTES, "").strip()
        max_body_bytes = DEFAULT_MAX_BODY_BYTES
        if raw:
            max_body_bytes = int(raw) if str(raw).isdigit() else 0
            if max_body_bytes < 1:
                raise RasaException(
                    f"{ENV_MAX_BODY_BYTES} must be a whole number of bytes >= 1, not {raw!r}."
                )
        return cls(LimitSettings.from_sources(credentials), max_body_bytes)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The health route and the webhook."""
        rest_webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @rest_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        # Streamed, so that an oversized body is refused without being read into memory.
        @rest_webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse | ResponseStream:
            body = await self.read_body(request)
            if body is None:
                return response.json(
                    {"error": f"body larger than {self.max_body_bytes} bytes"}, status=413
                )
            try:
                payload = parse_body(body)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            message = Inbound(
                sender=payload["sender"],
                text=payload["message"],
                metadata=payload.get("metadata") or {},
                address=self.address(request),
                input_channel=payload.get("input_channel"),
            )
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self._stream(message, on_new_message), content_type="text/event-stream"
                )
            outcome = await self.handle(message, on_new_message)
            return response.json(outcome.messages, outcome.status, outcome.headers)

        return rest_webhook

    def _stream(self, message: Inbound, on_new_message: OnNewMessage) -> Any:
        """Rasa's streamed answer (one JSON message per line); then, when the path answered
        by itself (a limit, the apology), that answer."""

        async def stream(resp: Any) -> None:
            queue: asyncio.Queue = asyncio.Queue()
            output = _StreamOutput(queue)

            async def run() -> Outcome:
                try:
                    return await self.handle(message, on_new_message, output)
                finally:
                    await queue.put(None)

            task = asyncio.ensure_future(run())
            while (sent := await queue.get()) is not None:
                await resp.write(json.dumps(sent) + "\n")
            outcome = await task
            if not outcome.answered_by_rasa:
                for extra in outcome.messages:
                    await resp.write(json.dumps(extra) + "\n")

        return stream
