"""What the LINE channel remembers between webhooks, in this process's memory.

Webhook event ids already handled (LINE may deliver an event twice), users who blocked the
bot (unfollow), and each user's language. All of it is bounded in size and age, so memory
stays flat however many users come.

An event id is claimed before the event is handled (for CLAIM_TTL_SECONDS, so a crash
frees it again), marked done after (for a day: LINE redelivers for less), and released
when handling failed, so a redelivery is answered. With REDIS_URL set the event ids live in
Redis (`RedisEventLog`, asyncio client), so a redelivered event is answered once whichever
replica gets it; a Redis that is down lets the event through. An unfollow seen by one
replica is unknown to the others (LINE then refuses the push: a log line, nothing more).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from bot.channels.limits import KEY_PREFIX, redis_client

logger = logging.getLogger(__name__)

_MISSING = object()
# LINE redelivers for a limited time; a day of event ids covers it.
EVENT_TTL_SECONDS = 24 * 3600
# Longer than any turn takes; after it, a claim whose handler died is free again.
CLAIM_TTL_SECONDS = 120


class ExpiringLru:
    """A dict of at most `max_items` entries, each forgotten `ttl` seconds after it was put
    (never when `ttl` is None); the least recently put goes first when full."""

    def __init__(
        self,
        max_items: int,
        ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._max_items = max_items
        self._ttl = ttl
        self._clock = clock

    def _expired(self, stored_at: float) -> bool:
        return self._ttl is not None and self._clock() - stored_at > self._ttl

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value put for `key`, or `default` when there is none or it expired."""
        entry = self._items.get(key, _MISSING)
        if entry is _MISSING:
            return default
        stored_at, value = entry
        if self._expired(stored_at):
            del self._items[key]
            return default
        return value

    def __contains__(self, key: Hashable) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def put(self, key: Hashable, value: Any = True) -> None:
        """Remembers `value` for `key`, forgetting the oldest entries beyond the bound."""
        self._items.pop(key, None)
        self._items[key] = (self._clock(), value)
        while len(self._items) > self._max_items:
            self._items.popitem(last=False)

    def discard(self, key: Hashable) -> None:
        """Forgets `key`."""
        self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


class MemoryEventLog:
    """Event ids claimed or done, in this process's memory (bounded)."""

    def __init__(self, max_events: int = 100_000, clock: Callable[[], float] = time.monotonic):
        self._until: OrderedDict[str, float] = OrderedDict()
        self._max_events, self._clock = max_events, clock

    async def claim(self, event_id: str) -> bool:
        """True if nobody is handling or has handled `event_id`; it is then claimed."""
        if self._until.get(event_id, 0.0) > self._clock():
            return False
        self._put(event_id, CLAIM_TTL_SECONDS)
        return True

    async def done(self, event_id: str) -> None:
        """Remembers `event_id` as answered."""
        self._put(event_id, EVENT_TTL_SECONDS)

    async def release(self, event_id: str) -> None:
        """Frees a claim whose handling failed."""
        self._until.pop(event_id, None)

    def _put(self, event_id: str, ttl: float) -> None:
        self._until.pop(event_id, None)
        self._until[event_id] = self._clock() + ttl
        while len(self._until) > self._max_events:
            self._until.popitem(last=False)


class RedisEventLog:
    """`MemoryEventLog` shared by every replica: SET NX EX claims, SET EX marks done."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def _key(self, event_id: str) -> str:
        return f"{KEY_PREFIX}:line:event:{event_id}"

    async def claim(self, event_id: str) -> bool:
        """As MemoryEventLog.claim; True when Redis fails (answering twice beats silence)."""
        try:
            return bool(
                await self.client.set(self._key(event_id), 1, nx=True, ex=CLAIM_TTL_SECONDS)
            )
        except Exception as error:  # noqa: BLE001
            logger.warning("Event id not checked, Redis failed: %s", type(error).__name__)
            return True

    async def done(self, event_id: str) -> None:
        """As MemoryEventLog.done."""
        try:
            await self.client.set(self._key(event_id), 2, ex=EVENT_TTL_SECONDS)
        except Exception as error:  # noqa: BLE001
            logger.warning("Event id not marked done, Redis failed: %s", type(error).__name__)

    async def release(self, event_id: str) -> None:
        """As MemoryEventLog.release."""
        try:
            await self.client.delete(self._key(event_id))
        except Exception as error:  # noqa: BLE001
            logger.warning("Event id not released, Redis failed: %s", type(error).__name__)


class LineMemory:
    """The LINE channel's memory: event ids, blocked users, users' languages."""

    def __init__(
        self,
        max_users: int = 100_000,
        language_ttl: float = 24 * 3600,
        clock: Callable[[], float] = time.monotonic,
        events: MemoryEventLog | RedisEventLog | None = None,
    ) -> None:
        """`events`: a shared event log for several replicas; by default this process's."""
        self.events = events if events is not None else MemoryEventLog(clock=clock)
        self.unfollowed = ExpiringLru(max_users, None, clock)
        # The profile's language (the first guess), refreshed daily; None = LINE didn't say.
        self.profile_languages = ExpiringLru(max_users, language_ttl, clock)
        # The language of the user's latest text message: it wins over the profile's.
        self.message_languages = ExpiringLru(max_users, language_ttl, clock)

    @classmethod
    def from_environment(cls) -> LineMemory:
        """Event ids in Redis when REDIS_URL is set, else in memory."""
        client = redis_client()
        return cls(events=None if client is None else RedisEventLog(client))
