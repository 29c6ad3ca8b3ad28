"""The load generator against a small local aiohttp server that answers 200, 500 or nothing."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from bench.load import LoadSpec, run_level
from bot.ops.processes import free_port


@dataclass
class FakeWebhook:
    """Answers by message: "fail" -> 500, "empty" -> [], "slow" -> after 1 s, else a text."""

    url: str = ""
    delay: float = 0.0
    received: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    in_flight: int = 0
    most_in_flight: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        payload = await request.json()
        self.received[payload["sender"]].append(payload["message"])
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(1.0 if payload["message"] == "slow" else self.delay)
        finally:
            self.in_flight -= 1
        if payload["message"] == "fail":
            return web.json_response({"error": "boom"}, status=500)
        if payload["message"] == "empty":
            return web.json_response([])
        return web.json_response([{"recipient_id": payload["sender"], "text": "hi"}])

    @property
    def total(self) -> int:
        return sum(len(messages) for messages in self.received.values())


@pytest.fixture
async def webhook() -> AsyncIterator[FakeWebhook]:
    fake = FakeWebhook()
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    fake.url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    yield fake
    await runner.cleanup()


async def test_answers_and_empty_answers_counted_apart(webhook: FakeWebhook) -> None:
    spec = LoadSpec(
        url=webhook.url,
        users=3,
        duration=0.3,
        messages=["hello", "empty", "bye"],
        warmup=1,
        empty_is_error=False,
    )
    result = await run_level(spec)
    assert result.errors == 0
    assert result.empty > 0
    assert result.empty_messages.keys() == {"empty"}
    assert result.answered == result.requests > 0
    assert 0.3 <= result.wall_seconds < 1.0
    assert result.messages_per_second == pytest.approx(result.answered / result.wall_seconds)
    # Warm-up messages reach the server but are not counted.
    assert webhook.total == result.requests + spec.users * spec.warmup


async def test_users_send_their_conversations_in_order(webhook: FakeWebhook) -> None:
    messages = ["one", "two", "three"]
    spec = LoadSpec(url=webhook.url, users=4, duration=0.3, messages=messages, warmup=1)
    await run_level(spec)
    assert len(webhook.received) > 4  # users went through the set and started again
    for sender, received in webhook.received.items():
        assert received == messages[: len(received)], sender


async def test_users_are_concurrent_up_to_their_number(webhook: FakeWebhook) -> None:
    webhook.delay = 0.05
    spec = LoadSpec(url=webhook.url, users=8, duration=0.3, messages=["a"], warmup=0)
    result = await run_level(spec)
    assert webhook.most_in_flight == 8
    # Closed loop: each user has one request in flight at a time.
    assert result.requests <= 8 * (0.3 / 0.05 + 1)


async def test_errors_statuses_and_empty_answers(webhook: FakeWebhook) -> None:
    spec = LoadSpec(url=webhook.url, users=2, duration=0.2, messages=["fail", "empty", "ok"])
    result = await run_level(spec)
    assert result.errors > 0
    assert set(result.error_reasons) == {"status 500", "empty answer"}
    assert result.empty == 0  # empty answers are errors unless told otherwise
    assert result.answered > 0


async def test_timeouts_are_errors(webhook: FakeWebhook) -> None:
    spec = LoadSpec(
        url=webhook.url, users=1, duration=0.05, messages=["slow"], warmup=0, timeout=0.1
    )
    result = await run_level(spec)
    assert result.error_reasons.keys() == {"timeout"}
    assert result.answered == 0


async def test_a_server_that_is_not_there() -> None:
    url = f"http://127.0.0.1:{free_port()}/webhooks/rest/webhook"
    result = await run_level(LoadSpec(url=url, users=2, duration=0.05, messages=["a"], warmup=0))
    assert result.errors == result.requests > 0
    assert all(reason.startswith("exception") for reason in result.error_reasons)


async def test_on_window_start_is_called_after_the_warm_up(webhook: FakeWebhook) -> None:
    seen: list[int] = []
    spec = LoadSpec(url=webhook.url, users=2, duration=0.05, messages=["a"], warmup=3)
    await run_level(spec, lambda: seen.append(webhook.total))
    assert seen == [6]
