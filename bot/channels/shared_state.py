"""Channel state that several Rasa replicas must share, kept in Redis when REDIS_URL is set.

One replica keeps the per-sender rate limit and the LINE webhook ids it has handled in its
own memory (`guards.RateLimiter`, `line_memory.LineMemory`). Behind a load balancer that is
wrong: a sender would get replicas x the limit, and an event LINE redelivers to the other
replica would be answered twice. With REDIS_URL (`make cluster` sets it) both live in Redis:

- `RedisRateLimiter`: a sorted set of message times per sender, trimmed and counted in one
  Lua script, so two replicas cannot both let the limit-th message through.
- `RedisEventLog`: `SET NX EX` on each webhook event id: only the first replica wins.

Redis being down must not take the channels down: both fail open (the message is let
through, the event handled) and log a warning without the sender's id.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from bot.channels.guards import RateLimiter

logger = logging.getLogger(__name__)

ENV_REDIS_URL = "REDIS_URL"
KEY_PREFIX = "iclei"

# KEYS[1] the sender's set; ARGV: now, window, limit, a unique member. Returns 1 if allowed.
_SLIDING_WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
    redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])))
    return 1
end
return 0
"""


def redis_client(env: Mapping[str, str] | None = None) -> Any | None:
    """A Redis client for REDIS_URL, or None when it is unset (one process: memory is fine)."""
    env = os.environ if env is None else env
    url = env.get(ENV_REDIS_URL, "").strip()
    if not url:
        return None
    import redis  # Rasa's own dependency (its Redis lock store)

    # Short timeouts: a slow Redis must not hold a user's message for long.
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


class RedisRateLimiter:
    """`guards.RateLimiter`'s sliding window, shared by every replica through Redis."""

    def __init__(
        self,
        client: Any,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """A limiter on `client`; wall-clock time, since the replicas compare their clocks."""
        if limit < 0 or window <= 0:
            raise ValueError("limit >= 0 and window > 0 are required")
        self.client = client
        self.limit = limit
        self.window = window
        self._clock = clock
        self._script = client.register_script(_SLIDING_WINDOW)

    @property
    def enabled(self) -> bool:
        """False when the limit is 0."""
        return self.limit > 0

    @staticmethod
    def _key(sender: str) -> str:
        return f"{KEY_PREFIX}:rate:{sender}"

    def allow(self, sender: str) -> bool:
        """True, and the message counted, if `sender` is under the limit (or Redis is down)."""
        if not self.enabled:
            return True
        now = self._clock()
        member = f"{now:.6f}-{uuid.uuid4().hex[:8]}"
        try:
            allowed = self._script(
                keys=[self._key(sender)], args=[now, self.window, self.limit, member]
            )
        except Exception as error:  # noqa: BLE001 - any Redis failure: let the message through
            logger.warning("Rate limit not checked, Redis failed: %s", type(error).__name__)
            return True
        return bool(allowed)

    def retry_after(self, sender: str) -> float:
        """Seconds until `sender` may send again (0 when they may now, or Redis is down)."""
        if not self.enabled:
            return 0.0
        try:
            oldest = self.client.zrange(
                self._key(sender), -self.limit, -self.limit, withscores=True
            )
        except Exception:  # noqa: BLE001
            return 0.0
        if not oldest:
            return 0.0
        return max(0.0, float(oldest[0][1]) + self.window - self._clock())


class RedisEventLog:
    """Webhook event ids already handled, shared by every replica; each kept for `ttl` s."""

    def __init__(self, client: Any, ttl: float, name: str = "line") -> None:
        self.client = client
        self.ttl = max(1, int(ttl))
        self.name = name

    def add(self, event_id: str) -> bool:
        """Remembers `event_id`; True if no replica had seen it (or Redis is down)."""
        try:
            return bool(
                self.client.set(
                    f"{KEY_PREFIX}:{self.name}:event:{event_id}", 1, nx=True, ex=self.ttl
                )
            )
        except Exception as error:  # noqa: BLE001 - answering twice beats not answering
            logger.warning("Event id not checked, Redis failed: %s", type(error).__name__)
            return True


def make_rate_limiter(
    limit: int, window: float, env: Mapping[str, str] | None = None
) -> RateLimiter | RedisRateLimiter:
    """The shared limiter when REDIS_URL is set, else the in-memory one."""
    client = redis_client(env)
    if client is None:
        return RateLimiter(limit, window)
    return RedisRateLimiter(client, limit, window)


def shared_event_log(ttl: float, env: Mapping[str, str] | None = None) -> RedisEventLog | None:
    """The shared event log when REDIS_URL is set, else None (the channel keeps its own)."""
    client = redis_client(env)
    return None if client is None else RedisEventLog(client, ttl)
