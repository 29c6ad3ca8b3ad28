"""Rasa's SQL tracker store, with the conversations this process handles kept in memory.

`SQLTrackerStore` rebuilds the whole conversation from the database for every message
(query, JSON, event objects, replay: 8 ms for a 120-event conversation here) and counts the
stored events again before every save. py-spy put the two at about a quarter of the Rasa
server's CPU per message under load. This store keeps each conversation's tracker after
loading or saving it, and serves the next message from memory when the database shows
nobody else has written to the conversation since: one indexed query for the highest event
id instead of the reload. Everything is still written to the database at once, so restarts
and other replicas see every event; a replica whose copy is stale (another replica took a
message) reloads it.

A tracker is served from memory only while it is exactly what was stored:
- the highest event id of the conversation is the one seen at the last load or save;
- the tracker has no events that were not saved (a message whose handling failed half-way
  leaves some: the next message reloads);
- it holds one session (after a new session starts, the next message reloads, so the
  tracker again starts at the latest session as Rasa's own store returns it);
- no event broker is configured (Rasa's event streaming compares with a fresh reload).

Configure it in endpoints.yml as `type: bot.tracker_store.CachedSQLTrackerStore` with the
same keys as `type: SQL`, plus `max_cached_conversations` (default 1,000).
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

CLASS_PATH = "bot.tracker_store.CachedSQLTrackerStore"
DEFAULT_MAX_CACHED = 1000


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    stored_events: int  # how many of tracker.events are in the database
    last_id: int | None  # the conversation's highest event id in the database then


class CachedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that serves a conversation from memory while the database agrees."""

    def __init__(
        self, *args: Any, max_cached_conversations: int = DEFAULT_MAX_CACHED, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.max_cached = max(0, int(max_cached_conversations))
        self._cached: OrderedDict[str, _Cached] = OrderedDict()

    @property
    def _caching(self) -> bool:
        return self.max_cached > 0 and self.event_broker is None

    def _last_event_id(self, session: Any, sender_id: str) -> int | None:
        table = self.SQLEvent.__table__
        query = sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender_id)
        return session.execute(query).scalar()

    def _remember(self, tracker: DialogueStateTracker, last_id: int | None) -> None:
        self._cached[tracker.sender_id] = _Cached(tracker, len(tracker.events), last_id)
        self._cached.move_to_end(tracker.sender_id)
        while len(self._cached) > self.max_cached:
            self._cached.popitem(last=False)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's latest session: from memory if the database has nothing newer."""
        if not self._caching:
            return await super().retrieve(sender_id)
        cached = self._cached.get(sender_id)
        with self.session_scope() as session:
            last_id = self._last_event_id(session, sender_id)
        if (
            cached is not None
            and cached.last_id == last_id
            and len(cached.tracker.events) == cached.stored_events
        ):
            self._cached.move_to_end(sender_id)
            return cached.tracker
        self._cached.pop(sender_id, None)
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._remember(tracker, last_id)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the tracker's new events; remember it for the next message."""
        cached = self._cached.get(tracker.sender_id) if self._caching else None
        if cached is None or cached.tracker is not tracker:
            # Not a tracker this store handed out (or caching is off): Rasa's own way.
            self._cached.pop(tracker.sender_id, None)
            await super().save(tracker)
            return
        events = list(tracker.events)
        new_events = events[cached.stored_events :]
        with self.session_scope() as session:
            if new_events:
                session.execute(
                    self.SQLEvent.__table__.insert(),
                    [self._row(tracker.sender_id, event) for event in new_events],
                )
            last_id = self._last_event_id(session, tracker.sender_id)
            session.commit()
        if _sessions_started_after_the_first(events):
            # The next message reloads, so the tracker starts at the latest session again.
            self._cached.pop(tracker.sender_id, None)
        else:
            self._remember(tracker, last_id)

    @staticmethod
    def _row(sender_id: str, event: Any) -> dict[str, Any]:
        """The `events` row of one event, as SQLTrackerStore.save writes it."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


def _sessions_started_after_the_first(events: list[Any]) -> bool:
    """True when a session started anywhere but at the very beginning of the tracker (a
    session's first events are `action_session_start`, then `session_started`)."""
    return any(isinstance(event, SessionStarted) for event in events[2:])
