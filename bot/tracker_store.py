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
same keys as `type: SQL`, plus `max_cached_conversations` (default 1,000) and
`cache_idle_seconds` (default 30): a conversation nobody wrote to for that long is dropped
from memory (the next message reloads it: 8 ms), so memory follows the conversations in
progress, not the last thousand. A 10-minute run at 16 users grew 162 MB without it, and
142 MB with a 2-minute window at 59 msg/s (README, "Memory over ten minutes"); a visitor who
pauses longer than 30 s pays one reload.

A dead database gives an error within seconds instead of freezing the replica. The engine
gets the project's settings (bot/enquiries/engine.py): pool pre-ping, parameters hidden from
SQL errors (events hold user text), and for PostgreSQL a connect timeout of
DB_CONNECT_TIMEOUT_SECONDS (default 2), a TCP user timeout and a statement timeout of
DB_STATEMENT_TIMEOUT_SECONDS (default 5), on top of Rasa's pool size and schema settings.
Rasa's own constructor retries a dead database every 5 s for ever; this one tries once and,
if the database is away, creates the tables on first use, so start-up is not blocked and a
message meanwhile fails within the connect timeout.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import (
    SQLTrackerStore,
    TrackerStore,
    create_engine_kwargs,
    validate_port,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.enquiries.engine import engine_options

logger = logging.getLogger(__name__)

CLASS_PATH = "bot.tracker_store.CachedSQLTrackerStore"
DEFAULT_MAX_CACHED = 1000
DEFAULT_CACHE_IDLE_SECONDS = 30.0


def _now() -> float:
    return time.monotonic()


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    stored_events: int  # how many of tracker.events are in the database
    last_id: int | None  # the conversation's highest event id in the database then
    used_at: float = field(default_factory=lambda: _now())


class CachedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that serves a conversation from memory while the database agrees."""

    def __init__(
        self,
        domain: Domain | None = None,
        dialect: str = "sqlite",
        host: str | None = None,
        port: int | None = None,
        db: str = "rasa.db",
        username: str | None = None,
        password: str | None = None,
        event_broker: EventBroker | None = None,
        login_db: str | None = None,
        query: dict | None = None,
        max_cached_conversations: int = DEFAULT_MAX_CACHED,
        cache_idle_seconds: float = DEFAULT_CACHE_IDLE_SECONDS,
        **kwargs: Any,
    ) -> None:
        # SQLTrackerStore.__init__ with the engine options above and no endless retry loop.
        url = self.get_db_url(
            dialect, host, validate_port(port), db, username, password, login_db, query
        )
        self.engine = sa.create_engine(url, **engine_options(url, base=create_engine_kwargs(url)))
        self._database_to_create = db if login_db else None
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._tables_ready = False
        self._tables_lock = threading.Lock()
        try:
            self._ensure_tables()
        except sa.exc.SQLAlchemyError as error:
            # No values in the message (hidden parameters), but name the type only anyway.
            logger.warning(
                "tracker database not reachable at start-up (%s): tables are created on first use",
                type(error).__name__,
            )
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        self.max_cached = max(0, int(max_cached_conversations))
        self.cache_idle_seconds = max(0.0, float(cache_idle_seconds))
        self._cached: OrderedDict[str, _Cached] = OrderedDict()

    def _ensure_tables(self) -> None:
        """Create the database (with `login_db`) and the tables once; raises while the database
        is away (within the connect timeout)."""
        if self._tables_ready:
            return
        with self._tables_lock:
            if self._tables_ready:
                return
            if self._database_to_create is not None:
                self._create_database_on_login_db(self._database_to_create)
                self._database_to_create = None
            try:
                self.Base.metadata.create_all(self.engine)
            except sa.exc.ProgrammingError:
                # Several replicas starting together may create the tables at the same time.
                if not sa.inspect(self.engine).has_table(self.SQLEvent.__tablename__):
                    raise
            self._tables_ready = True

    def _create_database_on_login_db(self, db: str) -> None:
        """Rasa's `login_db`: create `db` through the login database, then use `db`."""
        if self.engine.dialect.name != "postgresql":
            logger.warning("'login_db' can only be used with a PostgreSQL database: ignored")
            return
        self._create_database(self.engine, db)
        self.engine.dispose()
        url = self.engine.url.set(database=db)
        self.engine = sa.create_engine(url, **engine_options(url, base=create_engine_kwargs(url)))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's session scope, after making sure the tables exist."""
        self._ensure_tables()
        with super().session_scope() as session:
            yield session

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
        self._forget_idle()
        while len(self._cached) > self.max_cached:
            self._cached.popitem(last=False)

    def _forget_idle(self) -> None:
        """Drop the conversations idle for longer than `cache_idle_seconds`: the dict is in
        order of use, so they are at its front."""
        oldest_kept = _now() - self.cache_idle_seconds
        while self._cached:
            cached = next(iter(self._cached.values()))
            if cached.used_at >= oldest_kept:
                return
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
            cached.used_at = _now()
            self._cached.move_to_end(sender_id)
            self._forget_idle()
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
