"""The channels' state shared through a real Redis (redis-server from Debian), as two
replicas of the Rasa server would share it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot.channels.guards import RateLimiter
from bot.channels.line import LineInput
from bot.channels.shared_state import (
    RedisEventLog,
    RedisRateLimiter,
    make_rate_limiter,
    redis_client,
    shared_event_log,
)
from bot.ops.processes import free_port
from bot.ops.redis_server import RedisServer


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(Path(tmp_path_factory.mktemp("redis")))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    client = redis.Redis(port=redis_server.port)
    client.flushall()
    yield client
    client.close()


def down_client() -> redis.Redis:
    """A client for a port nothing listens on: every call fails like a Redis that is down."""
    return redis.Redis(port=free_port(), socket_timeout=0.2, socket_connect_timeout=0.2)


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_two_replicas_share_one_limit(client: redis.Redis) -> None:
    clock = Clock()
    first = RedisRateLimiter(client, limit=3, window=60, clock=clock)
    second = RedisRateLimiter(
        redis.Redis(port=client.connection_pool.connection_kwargs["port"]), 3, 60, clock=clock
    )
    answers = [first.allow("alice"), second.allow("alice"), first.allow("alice")]
    assert answers == [True, True, True]
    assert second.allow("alice") is False
    assert first.allow("alice") is False
    assert 0 < second.retry_after("alice") <= 60
    # Other senders have their own count.
    assert first.allow("bob") is True


def test_the_window_slides(client: redis.Redis) -> None:
    clock = Clock()
    limiter = RedisRateLimiter(client, limit=2, window=10, clock=clock)
    assert limiter.allow("carol") and limiter.allow("carol")
    clock.now += 5
    assert not limiter.allow("carol")
    assert limiter.retry_after("carol") == pytest.approx(5, abs=0.01)
    clock.now += 5.01
    # Both earlier messages have left the window: two more, then no more.
    assert [limiter.allow("carol") for _ in range(3)] == [True, True, False]


def test_concurrent_replicas_let_exactly_the_limit_through(client: redis.Redis) -> None:
    port = client.connection_pool.connection_kwargs["port"]
    limiters = [RedisRateLimiter(redis.Redis(port=port), limit=5, window=60) for _ in range(2)]
    results: list[bool] = []
    lock = threading.Lock()

    def send(limiter: RedisRateLimiter) -> None:
        allowed = limiter.allow("dave")
        with lock:
            results.append(allowed)

    threads = [threading.Thread(target=send, args=(limiters[i % 2],)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 30
    assert results.count(True) == 5


def test_keys_expire_with_the_window(client: redis.Redis) -> None:
    RedisRateLimiter(client, limit=2, window=7).allow("erin")
    assert 0 < client.ttl("iclei:rate:erin") <= 7


def test_limit_zero_is_off(client: redis.Redis) -> None:
    limiter = RedisRateLimiter(client, limit=0, window=60)
    assert not limiter.enabled
    assert all(limiter.allow("frank") for _ in range(50))
    assert client.keys("iclei:rate:*") == []


def test_redis_down_lets_messages_through_and_logs_no_sender(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limiter = RedisRateLimiter(down_client(), limit=1, window=60)
    with caplog.at_level(logging.WARNING):
        assert limiter.allow("secret-sender") is True
        assert limiter.allow("secret-sender") is True
    assert limiter.retry_after("secret-sender") == 0.0
    assert "Redis failed" in caplog.text
    assert "secret-sender" not in caplog.text


def test_event_ids_are_handled_once_across_replicas(client: redis.Redis) -> None:
    port = client.connection_pool.connection_kwargs["port"]
    first, second = RedisEventLog(client, ttl=3600), RedisEventLog(redis.Redis(port=port), 3600)
    assert first.add("01HEVENT") is True
    assert second.add("01HEVENT") is False
    assert first.add("01HEVENT") is False
    assert second.add("01HOTHER") is True
    assert 3590 < client.ttl("iclei:line:event:01HEVENT") <= 3600


def test_event_log_with_redis_down_handles_the_event() -> None:
    assert RedisEventLog(down_client(), ttl=60).add("01HEVENT") is True


def test_redis_url_selects_the_shared_stores(redis_server: RedisServer) -> None:
    env = {"REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/2"}
    assert isinstance(make_rate_limiter(20, 60, env), RedisRateLimiter)
    assert isinstance(shared_event_log(60, env), RedisEventLog)
    assert redis_client(env).ping()


def test_without_redis_url_each_process_keeps_its_own() -> None:
    assert redis_client({}) is None
    assert isinstance(make_rate_limiter(20, 60, {}), RateLimiter)
    assert shared_event_log(60, {}) is None


def test_line_channel_uses_the_shared_event_log(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{redis_server.port}/2")
    channel = LineInput("secret", "token")
    assert isinstance(channel.memory.events, RedisEventLog)
    monkeypatch.delenv("REDIS_URL")
    assert not isinstance(LineInput("secret", "token").memory.events, RedisEventLog)
