"""The limits every channel applies before a message reaches the model.

- Message length: MAX_MESSAGE_CHARS characters (2,000).
- Per sender: RATE_LIMIT_MESSAGES messages (20) per RATE_LIMIT_WINDOW_SECONDS (60), a sliding
  window. Sender ids are chosen by clients, so this alone can be sidestepped with a new id
  per message; hence
- per client address: RATE_LIMIT_ADDRESS_MESSAGES (60) per window. The address is the TCP
  peer, or, when the peer is one of TRUSTED_PROXIES (comma-separated addresses or networks;
  `make cluster` sets its nginx), the nearest untrusted address in X-Forwarded-For. LINE's
  webhooks all come from LINE's servers, so that channel is limited per user instead.
- Messages in flight: at most MAX_MESSAGES_IN_FLIGHT (32) handled at once by this process;
  more wait for nobody: they are answered "busy" (503) at once. Per process on purpose: it
  protects the CPU of the replica that would do the work.
- RATE_LIMIT_MESSAGES=0 turns every limit off (load tests and benchmarks).

With REDIS_URL set (`make cluster`) the sender and address windows live in Redis, so every
replica counts the same messages; the client is asyncio's, so no call blocks the event
loop. A Redis that is down or slow (0.5 s) lets the message through and logs a warning
without the sender or address.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import logging
import math
import os
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

ENV_REDIS_URL = "REDIS_URL"
KEY_PREFIX = "iclei"
REDIS_TIMEOUT_SECONDS = 0.5
# Keys the in-memory windows remember at most; the longest idle are forgotten first, so
# made-up sender ids cannot fill the memory.
MAX_TRACKED_KEYS = 100_000

# name: (environment variable, default, kind, minimum)
_SETTINGS: dict[str, tuple[str, Any, type, float]] = {
    "max_message_chars": ("MAX_MESSAGE_CHARS", 2000, int, 1),
    "rate_limit_messages": ("RATE_LIMIT_MESSAGES", 20, int, 0),
    "rate_limit_window_seconds": ("RATE_LIMIT_WINDOW_SECONDS", 60.0, float, 0.001),
    "address_limit_messages": ("RATE_LIMIT_ADDRESS_MESSAGES", 60, int, 0),
    "max_in_flight": ("MAX_MESSAGES_IN_FLIGHT", 32, int, 0),
}


@dataclass(frozen=True)
class LimitSettings:
    """The limits of one channel (see the module docstring for each)."""

    max_message_chars: int = 2000
    rate_limit_messages: int = 20
    rate_limit_window_seconds: float = 60.0
    address_limit_messages: int = 60
    max_in_flight: int = 32
    trusted_proxies: tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        """RATE_LIMIT_MESSAGES=0 turns every limit but the length off."""
        return self.rate_limit_messages > 0

    @classmethod
    def from_sources(
        cls, overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
    ) -> LimitSettings:
        """Settings from `overrides` (credentials.yml keys named like the fields), else the
        environment, else the defaults; a value that is not a number is a clear error."""
        overrides = overrides or {}
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for name, (variable, default, kind, minimum) in _SETTINGS.items():
            raw = overrides.get(name)
            if raw in (None, ""):
                raw = env.get(variable, "").strip() or default
            try:
                number = kind(str(raw).strip())
            except ValueError:
                number = None
            if number is None or number < minimum:
                raise RasaException(f"{variable} must be a number >= {minimum:g}, not {raw!r}.")
            values[name] = number
        proxies = tuple(
            item.strip() for item in env.get("TRUSTED_PROXIES", "").split(",") if item.strip()
        )
        for proxy in proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError as error:
                raise RasaException(f"TRUSTED_PROXIES: {proxy!r} is not an address") from error
        return cls(**values, trusted_proxies=proxies)


def client_address(peer: str | None, forwarded_for: str | None, trusted: tuple[str, ...]) -> str:
    """The client's address: `peer`, unless it is a trusted proxy, then the nearest address
    in X-Forwarded-For that is not a trusted proxy (proxies append, so read right to left)."""
    networks = _networks(trusted)

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in networks)

    address = peer or "unknown"
    if not is_trusted(address) or not forwarded_for:
        return address
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",") if hop.strip()]):
        address = hop
        if not is_trusted(hop):
            break
    return address


@functools.lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[Any, ...]:
    """TRUSTED_PROXIES parsed once, not on every request."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in trusted)


class SlidingWindow:
    """At most `limit` messages per key in any `window` seconds, in this process's memory.

    Only allowed messages count, so a key that keeps sending is let through again as soon as
    its older messages leave the window.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_TRACKED_KEYS,
    ) -> None:
        """A window; `clock` is injectable for tests."""
        if limit < 1 or window <= 0 or max_keys < 1:
            raise ValueError("limit >= 1, window > 0 and max_keys >= 1 are required")
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._clock = clock
        self._times: OrderedDict[str, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._times)

    async def hit(self, key: str) -> float:
        """0 if `key` may send now (the message is counted), else the seconds to wait."""
        now = self._clock()
        times = self._times.setdefault(key, deque())
        self._times.move_to_end(key)
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            return max(0.001, times[-self.limit] + self.window - now)
        times.append(now)
        while len(self._times) > self.max_keys:
            self._times.popitem(last=False)
        return 0.0


# KEYS[1] the key's sorted set; ARGV: now, window, limit, a unique member.
# Returns 0 when allowed (and counted), else the milliseconds to wait.
_SLIDING_WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
    redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])))
    return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], -tonumber(ARGV[3]), -tonumber(ARGV[3]), 'WITHSCORES')
return math.max(1, math.ceil((oldest[2] + ARGV[2] - ARGV[1]) * 1000))
"""


class RedisSlidingWindow:
    """`SlidingWindow` shared by every replica through Redis (one Lua script per message, so
    two replicas cannot both let the limit-th message through)."""

    def __init__(
        self, client: Any, limit: int, window: float, name: str, *, clock: Callable[[], float]
    ) -> None:
        """A window on an asyncio Redis `client`; wall-clock time, as replicas compare it."""
        self.client, self.limit, self.window, self.name = client, limit, window, name
        self._clock = clock
        self._script = client.register_script(_SLIDING_WINDOW)

    async def hit(self, key: str) -> float:
        """As `SlidingWindow.hit`; 0 (let through) when Redis fails."""
        now = self._clock()
        member = f"{now:.6f}-{uuid.uuid4().hex[:8]}"
        try:
            wait_ms = await self._script(
                keys=[f"{KEY_PREFIX}:rate:{self.name}:{key}"],
                args=[now, self.window, self.limit, member],
            )
        except Exception as error:  # noqa: BLE001 - any Redis failure: let the message through
            logger.warning("Rate limit not checked, Redis failed: %s", type(error).__name__)
            return 0.0
        return int(wait_ms) / 1000


def redis_client(env: Mapping[str, str] | None = None) -> Any | None:
    """An asyncio Redis client for REDIS_URL, or None when it is unset."""
    env = os.environ if env is None else env
    url = env.get(ENV_REDIS_URL, "").strip()
    if not url:
        return None
    import redis.asyncio  # Rasa's own dependency (its Redis lock store)

    return redis.asyncio.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
    )


def window(
    limit: int, seconds: float, name: str, client: Any | None, clock: Callable[[], float] | None
) -> SlidingWindow | RedisSlidingWindow | None:
    """A window in Redis when there is a client, else in memory; None when `limit` is 0."""
    if limit <= 0:
        return None
    if client is not None:
        return RedisSlidingWindow(client, limit, seconds, name, clock=clock or time.time)
    return SlidingWindow(limit, seconds, clock=clock or time.monotonic)


class Refused(Exception):
    """A message refused by a limit: which response to answer, and when to come back."""

    def __init__(self, response: str, status: int, retry_after: float) -> None:
        """`response` is an utter_channel_* name; `retry_after` in seconds."""
        super().__init__(response)
        self.response, self.status = response, status
        self.retry_after = max(1, math.ceil(retry_after))


class Limits:
    """The rate limits and the in-flight cap of one channel."""

    def __init__(
        self,
        settings: LimitSettings,
        *,
        redis: Any | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Limits per `settings`, shared through `redis` (an asyncio client) when given."""
        self.settings = settings
        on = settings.enabled
        window_seconds = settings.rate_limit_window_seconds
        self.per_sender = window(
            settings.rate_limit_messages if on else 0, window_seconds, "sender", redis, clock
        )
        self.per_address = window(
            settings.address_limit_messages if on else 0, window_seconds, "address", redis, clock
        )
        self.max_in_flight = settings.max_in_flight if on else 0
        self.in_flight = 0

    @classmethod
    def from_environment(cls, settings: LimitSettings) -> Limits:
        """Limits shared through REDIS_URL when it is set."""
        return cls(settings, redis=redis_client())

    async def admit(self, sender: str, address: str | None) -> None:
        """Counts a message from `sender` at `address` (None: not limited per address);
        raises Refused when a window is full."""
        if self.per_address is not None and address is not None:
            wait = await self.per_address.hit(address)
            if wait:
                raise Refused("utter_channel_rate_limited", 429, wait)
        if self.per_sender is not None:
            wait = await self.per_sender.hit(sender)
            if wait:
                raise Refused("utter_channel_rate_limited", 429, wait)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Holds one of the in-flight places while a message is handled; Refused (busy)
        when none is free."""
        if self.max_in_flight and self.in_flight >= self.max_in_flight:
            raise Refused("utter_channel_busy", 503, 1)
        self.in_flight += 1
        try:
            yield
        finally:
            self.in_flight -= 1
