"""Website chat widget channel: `bot.channels.webchat.WebchatInput` in credentials.yml.

    GET  /webhooks/webchat/            demo page with the widget embedded
    GET  /webhooks/webchat/widget.js   the widget: one <script> tag embeds it on any page
    GET  /webhooks/webchat/widget.css  its styles (widget.js loads them)
    GET  /webhooks/webchat/health      {"status": "ok"}
    POST /webhooks/webchat/webhook     {"sender": "...", "message": "...",
                                        "metadata": {"language": "ja", "page_url": "..."}}
                                       -> the bot's messages, a JSON list as rest.py answers

Requests are checked before Rasa sees them: 400 for a body that is not a JSON object or has
a missing or mistyped field, 413 for a message over MAX_MESSAGE_CHARS characters (the widget
stops the user from typing more) or a body over MAX_BODY_BYTES, 415 for a body not sent as
JSON, 403 for a browser on a page whose origin is not allowed.

CORS: this channel is the one layer that sets CORS headers on its own routes. Allowed origins
come from the credentials key `allowed_origins` or else WEBCHAT_ALLOWED_ORIGINS, a comma-
separated list of origins ("https://www.iclei.org, https://japan.iclei.org") or "*" for any
site. Unset, only the bot's own origin (the demo page) may call the webhook. Rasa's server
adds CORS headers of its own (Sanic-CORS, `rasa run --cors`) and answers every OPTIONS
request itself; a response middleware on this blueprint therefore replaces whatever
Access-Control-* headers it set with this channel's, so that a response never carries two.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import os
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guards import (
    Fixed,
    GuardSettings,
    RateLimiter,
    bot_message,
    fixed_text,
    message_language,
    read_limited_body,
    retry_after_seconds,
    watch_action_failures,
)
from bot.channels.shared_state import RedisRateLimiter, make_rate_limiter
from bot.nlu.language_detector import language_from_metadata

logger = logging.getLogger(__name__)

ENV_ALLOWED_ORIGINS = "WEBCHAT_ALLOWED_ORIGINS"
STATIC_DIR = Path(__file__).with_name("webchat_static")
# The widget's input stops at this length too; a longer message is a client that is not it.
MAX_MESSAGE_CHARS = 2000
MAX_PAGE_URL_CHARS = 2048
# A 2,000-character message is at most ~12 kB of JSON even with every character escaped.
MAX_BODY_BYTES = 64 * 1024
# The widget makes "wc-" + a random UUID; the pattern keeps tracker keys plain.
SENDER_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
ORIGIN_PATTERN = re.compile(r"https?://[^/\s?#]+")
# Preflight answers may be cached this long by the browser (Chromium caps it at 2 hours).
PREFLIGHT_MAX_AGE_SECONDS = 600
CORS_METHODS = "GET, POST, OPTIONS"
CORS_REQUEST_HEADERS = "Content-Type"

# name -> (content type, Cache-Control). widget.js has a fixed URL that host pages embed, so
# it is cached briefly and revalidated with its ETag rather than cached for long.
STATIC_FILES = {
    "widget.js": ("text/javascript; charset=utf-8", "public, max-age=300"),
    "widget.css": ("text/css; charset=utf-8", "public, max-age=300"),
    "index.html": ("text/html; charset=utf-8", "no-cache"),
}
# The demo page runs only the widget's own script (its one inline style block is harmless);
# bot images may come from any https site.
DEMO_PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' https: data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class RequestError(ValueError):
    """A webhook request the channel refuses, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        """An error answered with `status` and {"error": message}."""
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class WebchatRequest:
    """A checked webhook request: who wrote what, from which page, in which language."""

    sender: str
    message: str
    language: str | None = None
    page_url: str | None = None

    def metadata(self) -> dict[str, Any]:
        """The message metadata for Rasa (the language detector reads `language`)."""
        metadata: dict[str, Any] = {}
        if self.language:
            metadata["language"] = self.language
        if self.page_url:
            metadata["page_url"] = self.page_url
        return metadata


def _optional_string(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise RequestError(400, f"{where}{key} must be a string")
    return value


def parse_request(body: bytes) -> WebchatRequest:
    """The request in a webhook body, or the RequestError to answer."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise RequestError(400, "the body is not JSON") from error
    if not isinstance(data, dict):
        raise RequestError(400, "the body must be a JSON object")

    sender = data.get("sender")
    if sender is None:
        raise RequestError(400, "sender is missing")
    if not isinstance(sender, str) or not SENDER_PATTERN.fullmatch(sender):
        raise RequestError(400, "sender must be 8 to 64 letters, digits, '-' or '_'")

    message = data.get("message")
    if message is None:
        raise RequestError(400, "message is missing")
    if not isinstance(message, str):
        raise RequestError(400, "message must be a string")
    if not message.strip():
        raise RequestError(400, "message is empty")
    if len(message) > MAX_MESSAGE_CHARS:
        raise RequestError(413, f"message is longer than {MAX_MESSAGE_CHARS} characters")

    metadata = data.get("metadata")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise RequestError(400, "metadata must be an object")
    language = _optional_string(metadata, "language", "metadata.")
    page_url = _optional_string(metadata, "page_url", "metadata.")
    if page_url is not None and (
        len(page_url) > MAX_PAGE_URL_CHARS or not page_url.startswith(("https://", "http://"))
    ):
        raise RequestError(400, "metadata.page_url must be an http(s) URL")
    if page_url is not None:
        # The page, not what its query or fragment may carry (search terms, tokens, e-mails).
        page_url = urlsplit(page_url)._replace(query="", fragment="").geturl()
    return WebchatRequest(
        sender=sender,
        message=message,
        # "ja-JP" -> "ja"; languages the bot does not speak are dropped, not refused.
        language=language_from_metadata({"language": language}, "language"),
        page_url=page_url,
    )


def parse_allowed_origins(value: str | Iterable[str] | None) -> frozenset[str]:
    """The allowed origins from a comma-separated string or a list ("*" allows any)."""
    if value is None:
        return frozenset()
    items = value.split(",") if isinstance(value, str) else [str(item) for item in value]
    origins = set()
    for item in items:
        origin = item.strip().rstrip("/")
        if not origin:
            continue
        if origin != "*" and not ORIGIN_PATTERN.fullmatch(origin):
            raise RasaException(
                f"{ENV_ALLOWED_ORIGINS}: {item.strip()!r} is not an origin; write "
                "scheme://host[:port] without a path, e.g. https://www.iclei.org, or *."
            )
        origins.add(origin.lower())
    return frozenset(origins)


@dataclass(frozen=True)
class StaticFile:
    """A file of the widget, read once, with the headers it is served with."""

    body: bytes
    content_type: str
    cache_control: str
    etag: str

    @classmethod
    def load(cls, name: str) -> StaticFile:
        """widget.js, widget.css or index.html from STATIC_DIR."""
        content_type, cache_control = STATIC_FILES[name]
        body = (STATIC_DIR / name).read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return cls(body, content_type, cache_control, etag)

    def respond(
        self, request: Request, extra_headers: dict[str, str] | None = None
    ) -> HTTPResponse:
        """200 with the file, or 304 when the browser's copy (If-None-Match) is current."""
        headers = {
            "Cache-Control": self.cache_control,
            "ETag": self.etag,
            "X-Content-Type-Options": "nosniff",
            **(extra_headers or {}),
        }
        if self.etag in request.headers.get("if-none-match", ""):
            return HTTPResponse(status=304, headers=headers)
        return HTTPResponse(self.body, headers=headers, content_type=self.content_type)


class WebchatOutput(CollectingOutputChannel):
    """Collects the bot's messages for one turn, each text whole (the widget shows its line
    breaks; the base class would split paragraphs into separate messages)."""

    @classmethod
    def name(cls) -> str:
        """The channel name response variations are conditioned on."""
        return "webchat"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """One message per text, paragraphs kept together."""
        await self._persist_message(self._message(recipient_id, text=text))


class WebchatInput(InputChannel):
    """Rasa input channel for the website chat widget (JSON over HTTP, CORS-aware)."""

    @classmethod
    def name(cls) -> str:
        """The URL part /webhooks/webchat/."""
        return "webchat"

    def __init__(
        self,
        allowed_origins: Iterable[str] = (),
        *,
        rate_limiter: RateLimiter | RedisRateLimiter | None = None,
    ) -> None:
        """A channel that answers browsers on the bot's own origin and `allowed_origins`,
        with the REST channel's per-sender rate limit (RATE_LIMIT_* / REDIS_URL)."""
        self.allowed_origins = frozenset(allowed_origins)
        self.static = {name: StaticFile.load(name) for name in STATIC_FILES}
        settings = GuardSettings.from_sources({})
        # `is None`, not `or`: an empty RateLimiter is falsy (it has a length).
        self.rate_limiter = (
            rate_limiter
            if rate_limiter is not None
            else make_rate_limiter(settings.rate_limit_messages, settings.rate_limit_window_seconds)
        )

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        """The channel from credentials.yml's `allowed_origins`, else WEBCHAT_ALLOWED_ORIGINS."""
        credentials = credentials or {}
        configured = credentials.get("allowed_origins") or os.environ.get(ENV_ALLOWED_ORIGINS)
        origins = parse_allowed_origins(configured)
        if not origins:
            logger.warning(
                "Web chat: only the bot's own pages may use the widget; set %s to the sites "
                "that embed it (e.g. https://www.iclei.org).",
                ENV_ALLOWED_ORIGINS,
            )
        return cls(origins)

    # --- CORS -------------------------------------------------------------------------
    def origin_allowed(self, request: Request, origin: str) -> bool:
        """True for the bot's own origin (same host) and the configured ones."""
        if "*" in self.allowed_origins or origin.lower() in self.allowed_origins:
            return True
        # Same origin: compared on the host only, since a TLS-terminating proxy in front
        # makes the scheme the server sees differ from the browser's.
        return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()

    def cors_headers(self, request: Request) -> dict[str, str]:
        """The CORS headers for a response to `request` (none for a refused origin)."""
        origin = request.headers.get("origin")
        if not origin or not self.origin_allowed(request, origin):
            return {}
        headers = {"Access-Control-Allow-Origin": origin}
        if request.method == "OPTIONS":
            headers.update(
                {
                    "Access-Control-Allow-Methods": CORS_METHODS,
                    "Access-Control-Allow-Headers": CORS_REQUEST_HEADERS,
                    "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_SECONDS),
                }
            )
        return headers

    def apply_cors(self, request: Request, resp: HTTPResponse) -> None:
        """Makes this channel the only source of the response's CORS headers."""
        for key in {key.lower() for key in resp.headers}:
            if key.startswith("access-control-"):
                resp.headers.popall(key, None)
        for key, value in self.cors_headers(request).items():
            resp.headers[key] = value
        if request.method == "OPTIONS" and resp.content_type is None:
            resp.content_type = "text/plain; charset=utf-8"  # Sanic-CORS's answer has none
        # The answer differs per Origin, so shared caches must key on it.
        vary = resp.headers.get("vary", "")
        if "origin" not in vary.lower():
            resp.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"

    # --- HTTP -------------------------------------------------------------------------
    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The demo page, the widget's files, the health route and the webhook."""
        module = inspect.getmodule(self)
        webchat = Blueprint(
            f"webchat_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @webchat.route("/", methods=["GET"])
        async def demo_page(request: Request) -> HTTPResponse:
            return self.static["index.html"].respond(
                request, {"Content-Security-Policy": DEMO_PAGE_CSP}
            )

        @webchat.route("/widget.js", methods=["GET"])
        async def widget_js(request: Request) -> HTTPResponse:
            return self.static["widget.js"].respond(request)

        @webchat.route("/widget.css", methods=["GET"])
        async def widget_css(request: Request) -> HTTPResponse:
            return self.static["widget.css"].respond(request)

        @webchat.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        # Streamed, so that an oversized body is refused without being read into memory.
        @webchat.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        # Preflight. Inside Rasa, Sanic-CORS answers OPTIONS before routes run and the
        # middleware below puts this channel's headers on that answer; this route answers
        # where Sanic-CORS is not installed.
        @webchat.route("/webhook", methods=["OPTIONS"], name="webhook_preflight")
        async def preflight(request: Request) -> HTTPResponse:
            return HTTPResponse(status=204)

        @webchat.middleware("response")
        async def cors(request: Request, resp: HTTPResponse) -> None:
            self.apply_cors(request, resp)

        return webchat

    async def _read_body(self, request: Request) -> bytes | None:
        """The raw body, or None when it is too large."""
        return await read_limited_body(request, MAX_BODY_BYTES)

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        origin = request.headers.get("origin")
        if origin and not self.origin_allowed(request, origin):
            return response.json({"error": "origin not allowed"}, status=403)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return response.json({"error": "send the body as application/json"}, status=415)
        body = await self._read_body(request)
        if body is None:
            return response.json({"error": "body too large"}, status=413)
        try:
            checked = parse_request(body)
        except RequestError as error:
            return response.json({"error": str(error)}, status=error.status)

        language = message_language(checked.message, checked.metadata())
        if not self.rate_limiter.allow(checked.sender):
            # The widget keeps the message and sends it again after Retry-After.
            retry_after = retry_after_seconds(self.rate_limiter, checked.sender)
            answer = fixed_text(Fixed.RATE_LIMITED, language)
            return response.json(
                [bot_message(checked.sender, answer)],
                status=429,
                headers={"Retry-After": str(retry_after), "Cache-Control": "no-store"},
            )
        collector = WebchatOutput()
        with watch_action_failures() as failures:
            await on_new_message(
                UserMessage(
                    checked.message,
                    collector,
                    checked.sender,
                    input_channel=self.name(),
                    metadata=checked.metadata(),
                )
            )
        messages = collector.messages
        if failures or not messages:
            # The action server is down or broke: say so, in the user's language.
            logger.warning("Web chat: sent the apology (failed: %s)", failures.actions or "none")
            messages = [bot_message(checked.sender, fixed_text(Fixed.UNAVAILABLE, language))]
        return response.json(messages, headers={"Cache-Control": "no-store"})
