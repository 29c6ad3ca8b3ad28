"""Fixtures for the web chat widget: the channel on a bare Sanic app (no model needed), and
for the browser tests the real servers, a host site on another origin, and Chromium.

The browser tests need the trained model, Debian's `chromium` at /usr/bin/chromium (driven
by the `playwright` package, never `playwright install`) and a Japanese font
(`fonts-ipafont-gothic`) for screenshots that show Japanese text.
"""

from __future__ import annotations

import json
import subprocess
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage, register
from rasa.server import configure_cors
from sanic import Sanic

from bot.channels.webchat import WebchatInput
from bot.ops.processes import DEFAULT_MODEL, PROJECT_ROOT, Ports, free_port, start_servers

# Several Sanic apps start in this process (one per test): test mode lets each one apply
# Sanic's start-up code rewriting afresh instead of failing on the second app.
Sanic.test_mode = True

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
# A 1x1 green PNG, for a bot image message.
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763a8b9f60f000253017f5c1a0a2d0000000049454e44ae426082"
)


# --- the channel on a bare Sanic app, with Rasa's own CORS layer --------------------------
@dataclass
class FakeRasa:
    """Stands in for `agent.handle_message`: answers every message with one echo."""

    received: list[UserMessage] = field(default_factory=list)

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        await message.output_channel.send_text_message(
            message.sender_id, f"echo: {message.text}\n\nsecond paragraph"
        )


@dataclass
class ChannelServer:
    """The channel on a running Sanic server, with an HTTP client."""

    url: str
    rasa: FakeRasa
    client: aiohttp.ClientSession


async def start_channel_server(
    channel: WebchatInput, rasa_cors: str | list[str] | None = None
) -> AsyncIterator[ChannelServer]:
    """Runs `channel` in a Sanic app set up the way `rasa run [--cors ...]` sets up its own:
    Sanic-CORS installed with `rasa_cors` as its origins, channels under /webhooks/."""
    rasa = FakeRasa()
    app = Sanic(f"webchat_test_{uuid.uuid4().hex}")
    configure_cors(app, rasa_cors)
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
        yield ChannelServer(f"http://127.0.0.1:{port}", rasa, client)
    finally:
        await client.close()
        await server.before_stop()
        await server.close()
        await server.after_stop()


ALLOWED_ORIGIN = "https://www.iclei.org"


@pytest.fixture
async def webchat() -> AsyncIterator[ChannelServer]:
    """The channel allowing ALLOWED_ORIGIN, in an app with Rasa's default CORS set-up."""
    async for server in start_channel_server(WebchatInput([ALLOWED_ORIGIN])):
        yield server


# --- the real servers, a host site on another origin, and the browser --------------------
@dataclass(frozen=True)
class Deployment:
    """Where the bot and the host site that embeds it are."""

    bot_url: str  # http://localhost:<rasa port>
    host_url: str  # http://127.0.0.1:<host port>: another origin, allowed
    other_host_url: str  # http://localhost:<host port>: yet another origin, not allowed

    @property
    def webhook_url(self) -> str:
        """The widget's webhook."""
        return f"{self.bot_url}/webhooks/webchat/webhook"


def host_page(bot_url: str, lang: str, title: str, body: str) -> str:
    """A page of the host site: the one-tag embed, and CSS that tries to break the widget."""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ margin: 0; padding: 24px 32px; font-family: "IPAPGothic", sans-serif;
          background: #eef3f0; color: #233; }}
  header {{ font-size: 22px; font-weight: bold; color: #0b6e3f; margin-bottom: 12px; }}
  /* A host site's careless rules: none of them may reach the widget. */
  button {{ background: red !important; font-size: 30px !important; }}
  .iclei-chat-launcher, .iclei-chat-panel {{ display: none !important; }}
  div {{ border: 2px dashed orange; }}
</style></head>
<body><header>{title}</header>{body}
<script src="{bot_url}/webhooks/webchat/widget.js" data-lang="{lang}"></script>
</body></html>"""


class HostSite(ThreadingHTTPServer):
    """A tiny web site on another origin that embeds the widget."""

    daemon_threads = True
    pages: dict[str, tuple[str, bytes]]


class HostHandler(BaseHTTPRequestHandler):
    server: HostSite

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        page = self.server.pages.get(self.path.split("?")[0])
        if page is None:
            self.send_error(404)
            return
        content_type, body = page
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def host_pages(bot_url: str) -> dict[str, tuple[str, bytes]]:
    """The host site's pages: a Japanese one, an English one, and a second Japanese page
    to navigate to."""
    html = "text/html; charset=utf-8"
    ja_text = "<p>自治体の気候変動対策と持続可能な都市づくりに関する情報サイトです。</p>"
    en_text = "<p>News and resources on sustainable urban development.</p>"
    pages = {
        "/ja.html": host_page(bot_url, "ja", "サステナブル都市ニュース", ja_text),
        "/ja-2.html": host_page(bot_url, "ja", "サステナブル都市ニュース 2", ja_text),
        "/en.html": host_page(bot_url, "en", "Sustainable Cities News", en_text),
    }
    served = {path: (html, text.encode()) for path, text in pages.items()}
    served["/pixel.png"] = ("image/png", PIXEL_PNG)
    return served


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """The action server and the Rasa server with the webchat channel (allowing the host
    site's origin), and the host site."""
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make train` first")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no {CHROMIUM}: install Debian's chromium package (make system-deps)")
    ports = Ports(rasa=free_port(), action=free_port())
    host_port = free_port()
    host_url = f"http://127.0.0.1:{host_port}"
    bot_url = f"http://localhost:{ports.rasa}"

    # The project's own channels, the widget's included: what `make run` serves.
    credentials = PROJECT_ROOT / "credentials.yml"

    site = HostSite(("127.0.0.1", host_port), HostHandler)
    site.pages = host_pages(bot_url)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    scratch = tmp_path_factory.mktemp("webchat-servers")
    env = {
        "WEBCHAT_ALLOWED_ORIGINS": host_url,
        # Nothing these tests do may land in the developer's enquiry database.
        "DATABASE_URL": f"sqlite:///{scratch / 'enquiries.db'}",
        "ENQUIRY_SPOOL_DIR": str(scratch / "spool"),
    }
    group = start_servers(
        ports,
        extra_env=env,
        credentials=credentials,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield Deployment(bot_url, host_url, f"http://localhost:{host_port}")
    finally:
        group.stop()
        site.shutdown()
        site.server_close()


@pytest.fixture(scope="module")
def browser(deployment: Deployment) -> Iterator[Any]:
    """Headless Debian Chromium, driven by Playwright. Module-scoped: while Playwright's
    sync API is active its event loop counts as running, and async tests cannot run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class WidgetPage:
    """A browser tab on the host site, with what the widget sent to the bot."""

    page: Any
    deployment: Deployment
    sent: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, path: str = "/ja.html", base: str | None = None) -> None:
        """Opens a page of the host site and waits for the widget's launcher."""
        self.page.goto((base or self.deployment.host_url) + path)
        self.launcher.wait_for(state="visible")

    # Playwright's CSS selectors pierce open shadow roots.
    @property
    def launcher(self) -> Any:
        return self.page.locator(".iclei-chat-launcher")

    @property
    def panel(self) -> Any:
        return self.page.locator(".iclei-chat-panel")

    @property
    def input(self) -> Any:
        return self.page.locator(".iclei-chat-input")

    @property
    def log(self) -> Any:
        return self.page.locator(".iclei-chat-log")

    @property
    def offline(self) -> Any:
        return self.page.locator(".iclei-chat-offline")

    def bot_messages(self) -> Any:
        return self.page.locator(".iclei-chat-message.iclei-chat-bot")

    def user_messages(self) -> Any:
        return self.page.locator(".iclei-chat-message.iclei-chat-user")

    def focused_class(self) -> str:
        """The class of the element focused inside the widget ("" when none)."""
        return self.page.evaluate(
            """() => {
                const host = document.getElementById("iclei-chat-host");
                const active = host && host.shadowRoot.activeElement;
                return active ? active.className : "";
            }"""
        )

    def open(self) -> None:
        """Opens the panel with the launcher and waits for the greeting."""
        count = self.bot_messages().count()
        self.launcher.click()
        self.panel.wait_for(state="visible")
        self.wait_for_bot_messages(count + 1)

    def wait_for_bot_messages(self, count: int, timeout: float = 30_000) -> None:
        """Waits until at least `count` bot messages are shown."""
        self.bot_messages().nth(count - 1).wait_for(state="visible", timeout=timeout)

    def say(self, text: str) -> None:
        """Types `text`, presses Enter, and waits for the bot's answer."""
        count = self.bot_messages().count()
        self.input.fill(text)
        self.input.press("Enter")
        self.wait_for_bot_messages(count + 1)

    def stored_state(self) -> dict[str, Any]:
        """The widget's state in the host site's localStorage."""
        return self.page.evaluate(
            """() => {
                const key = Object.keys(localStorage).find(k => k.startsWith("iclei-chat-v1:"));
                return key ? JSON.parse(localStorage.getItem(key)) : null;
            }"""
        )

    def screenshot(self, name: str) -> None:
        """Saves a screenshot for the README in docs/screenshots/."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / name), animations="disabled")


@pytest.fixture
def widget_page(browser: Any, deployment: Deployment) -> Iterator[Callable[..., WidgetPage]]:
    """Makes a fresh browser context (empty localStorage) per call; closed at the end."""
    contexts = []

    def make(width: int = 1100, height: int = 760) -> WidgetPage:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="ja-JP", device_scale_factor=1
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        widget = WidgetPage(page, deployment)

        def on_request(request: Any) -> None:
            if request.url == deployment.webhook_url and request.method == "POST":
                widget.sent.append(json.loads(request.post_data or "{}"))

        page.on("request", on_request)
        page.on("pageerror", lambda error: widget.errors.append(str(error)))
        page.on("dialog", lambda dialog: (widget.dialogs.append(dialog.message), dialog.dismiss()))
        return widget

    yield make
    for context in contexts:
        context.close()
