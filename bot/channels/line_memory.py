"""What the LINE channel remembers between webhooks, in this process's memory.

Webhook event ids already handled (LINE may deliver an event twice), users who blocked the
bot (unfollow), and each user's language. All of it is bounded in size and age, so memory
stays flat however many users come.

By default one process only: with several Rasa replicas behind a load balancer, a redelivered event
can reach another replica and be answered twice, and an unfollow seen by one replica is
unknown to the others (LINE then refuses the push, which costs nothing but a log line).
With REDIS_URL set the event ids live in Redis instead (`bot.channels.shared_state`), so a
redelivered event is answered once whichever replica gets it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()
# LINE redelivers for a limited time; a day of event ids covers it.
EVENT_TTL_SECONDS = 24 * 3600


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

    def add(self, key: Hashable) -> bool:
        """Remembers `key`; True if it was new (not remembered, or expired)."""
        if key in self:
            return False
        self.put(key)
        return True

    def discard(self, key: Hashable) -> None:
        """Forgets `key`."""
        self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


class LineMemory:
    """The LINE channel's memory: seen event ids, blocked users, users' languages."""

    def __init__(
        self,
        max_events: int = 100_000,
        event_ttl: float = EVENT_TTL_SECONDS,
        max_users: int = 100_000,
        language_ttl: float = 24 * 3600,
        clock: Callable[[], float] = time.monotonic,
        events: Any = None,
    ) -> None:
        """`events`: a shared event log for several replicas (`shared_state.RedisEventLog`);
        by default this process's own."""
        self.events = events if events is not None else ExpiringLru(max_events, event_ttl, clock)
        self.unfollowed = ExpiringLru(max_users, None, clock)
        # The profile's language (the first guess), refreshed daily; None = LINE didn't say.
        self.profile_languages = ExpiringLru(max_users, language_ttl, clock)
        # The language of the user's latest text message: it wins over the profile's.
        self.message_languages = ExpiringLru(max_users, language_ttl, clock)

    def first_time(self, event_id: str) -> bool:
        """True the first time an event id is seen; False for a redelivered duplicate."""
        return self.events.add(event_id)
