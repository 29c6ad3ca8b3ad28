"""Website chat widget channel: `bot.channels.webchat.WebchatInput` in credentials.yml.

    GET  /webhooks/webchat/            demo page with the widget embedded
    GET  /webhooks/webchat/widget.js   the widget: one <script> tag embeds it on any page
    GET  /webhooks/webchat/widget.css  its styles (widget.js loads them)
    GET  /webhooks/webchat/health      {"status": "ok"}
    POST /webhooks/webchat/webhook     {"sender": "...", "message": "...",
                                        "metadata": {"language": "ja", "page_url": "..."}}
                                       -> the bot's messages, a JSON list as rest.py answers

Requests take the guarded path (pipeline.py), after this channel's own checks: 400 for a
body that is not a JSON object or has a missing or mistyped field, 413 for a body over
64 KiB, 415 for a body not sent as JSON, 403 for a browser on a page whose origin is not
allowed. Conversations are stored as `webchat:<sender>`. The widget sends the page's
origin and path only; a query or fragment sent anyway is dropped.

CORS: this channel is the one layer that sets CORS headers on its own routes. Allowed origins
come from the credentials key `allowed_origins` or else WEBCHAT_ALLOWED_ORIGINS, a comma-
separated list of origins ("https://www.iclei.org, https://japan.iclei.org") or "*" for any
site. Unset, only the bot's own origin (the demo page) may call the webhook. Rasa's server
adds CORS headers of its own (Sanic-CORS, `rasa run --cors`) and answers every OPTIONS
request itself; a response middleware on this blueprint therefore replaces whatever
Access-Control-* headers it set with this channel's, so that a response never carries two.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.limits import LimitSettings
from bot.channels.pipeline import GuardedInput, Inbound, OnNewMessage
from bot.nlu.language_detector import language_from_metadata

logger = logging.getLogger(__name__)

ENV_ALLOWED_ORIGINS = "WEBCHAT_ALLOWED_ORIGINS"
STATIC_DIR = Path(__file__).with_name("webchat_static")
MAX_PAGE_URL_CHARS = 2048
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


class RequestError(ValueError):
    """A webhook request the channel refuses, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        """An error answered with `status` and {"error": message}."""
        super().__init__(message)
        self.status = status


def _optional_string(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise RequestError(400, f"{where}{key} must be a string")
    return value


def parse_request(body: bytes) -> Inbound:
    """The message in a webhook body, or the RequestError to answer."""
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
    if not message.isascii() and re.search("[\ud800-\udfff]", message):
        raise RequestError(400, "message contains invalid unicode")  # lone surrogates

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
    # "ja-JP" -> "ja"; languages the bot does not speak are dropped, not refused.
    language = language_from_metadata({"language": language}, "language")
    checked = {"language": language, "page_url": page_url}
    return Inbound(sender, message, {key: value for key, value in checked.items() if value})


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


class WebchatInput(GuardedInput):
    """Rasa input channel for the website chat widget (JSON over HTTP, CORS-aware)."""

    @classmethod
    def name(cls) -> str:
        """The URL part /webhooks/webchat/."""
        return "webchat"

    sender_prefix = "webchat:"

    def __init__(
        self, allowed_origins: Iterable[str] = (), settings: LimitSettings | None = None
    ) -> None:
        """A channel that answers browsers on the bot's own origin and `allowed_origins`."""
        super().__init__(settings)
        self.allowed_origins = frozenset(allowed_origins)
        self.static = {name: StaticFile.load(name) for name in STATIC_FILES}

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

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        origin = request.headers.get("origin")
        if origin and not self.origin_allowed(request, origin):
            return response.json({"error": "origin not allowed"}, status=403)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return response.json({"error": "send the body as application/json"}, status=415)
        body = await self.read_body(request)
        if body is None:
            return response.json({"error": "body too large"}, status=413)
        try:
            message = parse_request(body)
        except RequestError as error:
            return response.json({"error": str(error)}, status=error.status)
        message = dataclasses.replace(message, address=self.address(request))
        outcome = await self.handle(message, on_new_message)
        # On 429 the widget keeps the message and sends it again after Retry-After.
        headers = {**outcome.headers, "Cache-Control": "no-store"}
        return response.json(outcome.messages, outcome.status, headers)
