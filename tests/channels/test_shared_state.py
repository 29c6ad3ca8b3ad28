"""The channels' state shared through a real Redis (redis-server from Debian), as two
replicas of the Rasa server share it, with asyncio's client; and Redis down or black-holed."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis.asyncio

from bot.channels.limits import (
    Limits,
    LimitSettings,
    RedisSlidingWindow,
    Refused,
    SlidingWindow,
    redis_client,
)
from bot.channels.line import LineInput
from bot.channels.line_memory import MemoryEventLog, RedisEventLog
from bot.ops.processes import free_port
from bot.ops.redis_server import RedisServer


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(Path(tmp_path_factory.mktemp("redis")))
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def client(redis_server: RedisServer):
    client = redis.asyncio.Redis(port=redis_server.port)
    await client.flushall()
    yield client
    await client.aclose() if hasattr(client, "aclose") else await client.close()


def connect(port: int, timeout: float = 0.2) -> redis.asyncio.Redis:
    return redis.asyncio.Redis(port=port, socket_timeout=timeout, socket_connect_timeout=timeout)


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_two_replicas_share_one_limit(client, redis_server: RedisServer) -> None:
    clock = Clock()
    first = RedisSlidingWindow(client, 3, 60, "sender", clock=clock)
    second = RedisSlidingWindow(connect(redis_server.port), 3, 60, "sender", clock=clock)
    assert [await first.hit("alice"), await second.hit("alice"), await first.hit("alice")] == [
        0,
        0,
        0,
    ]
    wait = await second.hit("alice")
    assert 59 < wait <= 60
    assert await first.hit("bob") == 0  # other keys have their own count


async def test_the_window_slides(client) -> None:
    clock = Clock()
    window = RedisSlidingWindow(client, 2, 10, "sender", clock=clock)
    assert await window.hit("carol") == 0 and await window.hit("carol") == 0
    clock.now += 5
    assert await window.hit("carol") == pytest.approx(5, abs=0.01)
    clock.now += 5.01
    assert [await window.hit("carol") for _ in range(3)][:2] == [0, 0]


async def test_concurrent_replicas_let_exactly_the_limit_through(redis_server) -> None:
    windows = [
        RedisSlidingWindow(connect(redis_server.port), 5, 60, "sender", clock=time.time)
        for _ in range(2)
    ]
    results = await asyncio.gather(*(windows[i % 2].hit("dave") for i in range(30)))
    assert sum(wait == 0 for wait in results) == 5


async def test_keys_expire_with_the_window(client) -> None:
    await RedisSlidingWindow(client, 2, 7, "address", clock=time.time).hit("10.0.0.1")
    assert 0 < await client.ttl("iclei:rate:address:10.0.0.1") <= 7


async def test_redis_down_lets_messages_through_and_logs_no_sender(caplog) -> None:
    window = RedisSlidingWindow(connect(free_port()), 1, 60, "sender", clock=time.time)
    with caplog.at_level(logging.WARNING):
        assert await window.hit("secret-sender") == 0
        assert await window.hit("secret-sender") == 0
    assert "Redis failed" in caplog.text and "secret-sender" not in caplog.text


async def test_a_black_holed_redis_costs_at_most_the_timeout(black_hole: int) -> None:
    """Packets dropped, not refused: each limit check gives up after the client's timeout
    (0.5 s in production, redis_client) and lets the message through."""
    limits = Limits(LimitSettings(), redis=connect(black_hole, timeout=0.5))
    started = time.monotonic()
    await limits.admit("webchat:someone", "10.0.0.1")  # address, then sender: two timeouts
    assert time.monotonic() - started < 2.0


async def test_event_ids_are_claimed_once_across_replicas(client, redis_server) -> None:
    first, second = RedisEventLog(client), RedisEventLog(connect(redis_server.port))
    assert await first.claim("01HEVENT") is True
    assert await second.claim("01HEVENT") is False  # being handled elsewhere
    await first.done("01HEVENT")
    assert await second.claim("01HEVENT") is False
    assert 86000 < await client.ttl("iclei:line:event:01HEVENT") <= 86400
    assert await second.claim("01HFAILED") is True
    await second.release("01HFAILED")  # handling failed: a redelivery is answered
    assert await first.claim("01HFAILED") is True


async def test_event_log_in_memory_claims_expire_and_done_lasts() -> None:
    clock = Clock()
    events = MemoryEventLog(clock=clock)
    assert await events.claim("a") and not await events.claim("a")
    clock.now += 121  # the handler died without releasing: free again
    assert await events.claim("a")
    await events.done("a")
    clock.now += 3600
    assert not await events.claim("a")


async def test_event_log_with_redis_down_handles_the_event() -> None:
    assert await RedisEventLog(connect(free_port())).claim("01HEVENT") is True


async def test_redis_url_selects_the_shared_stores(redis_server, monkeypatch) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{redis_server.port}/2")
    limits = Limits.from_environment(LimitSettings())
    assert isinstance(limits.per_sender, RedisSlidingWindow)
    assert isinstance(LineInput("secret", "token").memory.events, RedisEventLog)
    assert await redis_client().ping()
    monkeypatch.delenv("REDIS_URL")
    assert redis_client() is None
    assert isinstance(Limits.from_environment(LimitSettings()).per_sender, SlidingWindow)
    assert isinstance(LineInput("secret", "token").memory.events, MemoryEventLog)


async def test_refused_carries_the_answer_and_when_to_come_back() -> None:
    limits = Limits(LimitSettings(rate_limit_messages=1))
    await limits.admit("rest:a", None)
    with pytest.raises(Refused) as refused:
        await limits.admit("rest:a", None)
    assert refused.value.status == 429 and refused.value.retry_after == 60


def test_messages_arriving_while_redis_is_black_holed_are_answered_within_two_seconds(
    black_hole: int,
) -> None:
    """Over HTTP, as a replica meets it: every message still answered, none frozen."""
    from bot.channels.rest import GuardedRestInput
    from tests.channels.rest_server import RestServer

    settings = LimitSettings()
    channel = GuardedRestInput(settings)
    channel.limits = Limits(settings, redis=connect(black_hole, timeout=0.5))
    server = RestServer(channel).start()
    try:
        for index in range(3):
            started = time.monotonic()
            answer = server.say("hello", sender=f"visitor-{index}")
            assert answer.status == 200 and answer.texts == ["echo: hello"]
            assert time.monotonic() - started < 2.0
    finally:
        server.stop()
