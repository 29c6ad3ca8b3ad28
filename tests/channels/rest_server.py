"""The guarded REST channel on a real Sanic server in a background thread, with a fake agent.

A thread (not the test's event loop) so that synchronous tests, hypothesis' among them, can
post raw bytes to it with http.client. Nothing here needs a trained model.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from bot.channels.rest import GuardedRestInput
from bot.ops.processes import free_port

WEBHOOK_PATH = "/webhooks/rest/webhook"
HEALTH_PATH = "/webhooks/rest/"

# Several Sanic apps start in this process: test mode lets each apply Sanic's start-up
# code afresh instead of failing on the second app (tests/channels/conftest.py sets it too).
Sanic.test_mode = True


def echo(message: UserMessage) -> list[dict[str, Any]]:
    """The fake agent's default answer: the message back."""
    return [{"text": f"echo: {message.text}"}]


@dataclass
class FakeAgent:
    """Stands in for Rasa's agent: answers each message with what `answer` returns (an empty
    list is what Rasa sends when a custom action failed), or raises `error`."""

    answer: Callable[[UserMessage], list[dict[str, Any]]] = echo
    error: BaseException | None = None
    received: list[UserMessage] = field(default_factory=list)

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.error is not None:
            raise self.error
        for bot_message in self.answer(message):
            await message.output_channel.send_response(message.sender_id, dict(bot_message))


class Recorder(FakeAgent):
    """The fuzz tests' agent: echoes, and records anything the channel should have refused."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    async def handle_message(self, message: UserMessage) -> None:
        if not (isinstance(message.text, str) and message.text.strip()):
            self.problems.append(f"text {message.text!r}")
        if not isinstance(message.sender_id, str) or not message.sender_id:
            self.problems.append(f"sender {message.sender_id!r}")
        if message.metadata is not None and not isinstance(message.metadata, dict):
            self.problems.append(f"metadata {message.metadata!r}")
        await super().handle_message(message)


@dataclass
class Answer:
    """One HTTP answer, read in full."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def texts(self) -> list[str]:
        """The `text` of each bot message in a list answer."""
        return [message.get("text", "") for message in self.json()]


class RestServer:
    """`channel` served by Sanic the way Rasa registers input channels, on 127.0.0.1."""

    def __init__(self, channel: GuardedRestInput, agent: FakeAgent | None = None) -> None:
        self.channel = channel
        self.agent = agent or FakeAgent()
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: Any = None

    # --- life cycle ---------------------------------------------------------------------
    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._start())
        except BaseException as error:  # reported to the starting thread
            self._failure = error
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()

    async def _start(self) -> None:
        app = Sanic(f"rest_test_{uuid.uuid4().hex}")
        app.ctx.agent = SimpleNamespace(handle_message=self.agent.handle_message)
        register([self.channel], app, route="/webhooks/")
        self._server = await app.create_server(
            host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
        )
        await self._server.startup()
        await self._server.before_start()
        await self._server.after_start()

    async def _stop(self) -> None:
        await self._server.before_stop()
        await self._server.close()
        await self._server.after_stop()

    def start(self) -> RestServer:
        self._thread.start()
        self._ready.wait(30)
        if self._failure is not None:
            raise RuntimeError("the test server did not start") from self._failure
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(30)

    # --- requests -----------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        *,
        chunked: bool = False,
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            if chunked:
                connection.request(
                    method,
                    path,
                    body=iter([body or b""]),
                    headers=headers or {},
                    encode_chunked=True,
                )
            else:
                connection.request(method, path, body=body, headers=headers or {})
            reply = connection.getresponse()
            return Answer(reply.status, dict(reply.getheaders()), reply.read())
        finally:
            connection.close()

    def post(
        self,
        body: bytes | dict[str, Any] | Any,
        *,
        content_type: str | None = "application/json",
        query: str = "",
        chunked: bool = False,
    ) -> Answer:
        """POSTs `body` (bytes as they are, anything else as JSON) to the webhook."""
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Content-Type": content_type} if content_type else {}
        return self.request("POST", WEBHOOK_PATH + query, raw, headers, chunked=chunked)

    def say(self, message: Any, sender: Any = "user-1", **fields: Any) -> Answer:
        """POSTs {"sender": sender, "message": message, **fields}."""
        return self.post({"sender": sender, "message": message, **fields})

    def health(self) -> Answer:
        return self.request("GET", HEALTH_PATH)
