"""The enquiry database (SQLAlchemy Core; SQLite by default, PostgreSQL via DATABASE_URL).

The engine fails fast and never logs values (bot/enquiries/engine.py): pre-ping, hidden
parameters and, for PostgreSQL, DB_CONNECT_TIMEOUT_SECONDS (default 2) to connect and
DB_STATEMENT_TIMEOUT_SECONDS (default 5) per statement. A database that does not answer in
time counts as an outage and the enquiry goes to the spool (bot/enquiries/service.py).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert, inspect, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, ProgrammingError

from bot.enquiries.engine import engine_options
from bot.enquiries.model import (
    EnquiryDraft,
    StoredEnquiry,
    enquiries,
    from_row,
    make_reference,
    storable_sender_id,
)
from bot.enquiries.model import metadata as _metadata
from bot.knowledge import Knowledge, get_knowledge

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "enquiries.db"

# SQLite waits this long for another writer's lock before giving up.
SQLITE_BUSY_TIMEOUT = 5


def database_url_from_env(environ: Mapping[str, str] | None = None) -> str:
    """Return DATABASE_URL, or the SQLite file var/enquiries.db under the project root."""
    env = os.environ if environ is None else environ
    url = env.get("DATABASE_URL", "").strip()
    if url:
        # Heroku-style "postgres://" is not a name SQLAlchemy 1.4 knows.
        return "postgresql://" + url[len("postgres://") :] if url.startswith("postgres://") else url
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _day_start(day: date) -> datetime:
    """Midnight UTC at the start of a day."""
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _as_since(value: date | datetime) -> datetime:
    """A date means from the start of that day (UTC); a naive datetime is taken as UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return _day_start(value)


def _as_until(value: date | datetime) -> datetime:
    """A date means up to the end of that day (UTC), inclusive; a datetime is exclusive."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return _day_start(value + timedelta(days=1))


class EnquiryStore:
    """Stores and lists enquiries. Connects lazily: nothing happens on construction."""

    def __init__(self, url: str, *, knowledge: Knowledge | None = None) -> None:
        """Remember the database URL; the engine is created on first use."""
        self.url = url
        self._knowledge = knowledge
        self._engine: Engine | None = None
        self._schema_ready = False
        self._lock = threading.Lock()
        self._schema_lock = threading.Lock()

    def __repr__(self) -> str:
        # Never show a password.
        return f"EnquiryStore({make_url(self.url).render_as_string(hide_password=True)!r})"

    @property
    def engine(self) -> Engine:
        """Return the engine, creating it on first use."""
        with self._lock:
            if self._engine is None:
                self._engine = self._create_engine()
            return self._engine

    def _create_engine(self) -> Engine:
        """Create the engine with short timeouts and parameters hidden from error messages
        (errors would otherwise quote the row's values, personal data, into the logs)."""
        from sqlalchemy import create_engine

        url = make_url(self.url)
        base: dict[str, Any] = {}
        if url.get_backend_name() == "sqlite":
            base["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT}
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        return create_engine(url, future=True, **engine_options(url, base=base))

    def create_schema(self) -> None:
        """Create the enquiries table if it does not exist."""
        with self._schema_lock:
            try:
                _metadata.create_all(self.engine, checkfirst=True)
            except (ProgrammingError, IntegrityError):
                # Another process created it at the same moment (PostgreSQL reports either).
                if not inspect(self.engine).has_table(enquiries.name):
                    raise
            self._schema_ready = True

    def _ensure_schema(self) -> None:
        """Create the schema once per store, so a fresh SQLite file works with no setup step."""
        if not self._schema_ready:
            self.create_schema()

    def dispose(self) -> None:
        """Close pooled connections (e.g. before the database is stopped in tests)."""
        if self._engine is not None:
            self._engine.dispose()

    @property
    def knowledge(self) -> Knowledge:
        """Return the knowledge base used to route countries to offices."""
        if self._knowledge is None:
            self._knowledge = get_knowledge()
        return self._knowledge

    def office_for(self, country_code: str) -> str:
        """Return the id of the office responsible for a country (KeyError if unknown)."""
        return self.knowledge.country(country_code).office_id

    def submit(self, draft: EnquiryDraft, idempotency_key: str) -> StoredEnquiry:
        """Store an enquiry and return it once committed; a repeated key returns the first one."""
        self._ensure_schema()
        existing = self.find_by_key(idempotency_key)
        if existing is not None:
            return existing
        office_id = self.office_for(draft.country_code)
        created_at = datetime.now(timezone.utc)
        values = draft.to_json() | {
            "country_code": draft.country_code.upper(),
            "consent_given_at": draft.consent_given_at,
            "idempotency_key": idempotency_key,
            # Whatever the channel let through (length, NUL, surrogates) fits the column.
            "sender_id": storable_sender_id(draft.sender_id),
            "office_id": office_id,
            "created_at": created_at,
        }
        try:
            with self.engine.begin() as connection:
                result = connection.execute(insert(enquiries).values(**values))
                enquiry_id = result.inserted_primary_key[0]
                reference = make_reference(enquiry_id, created_at)
                connection.execute(
                    update(enquiries)
                    .where(enquiries.c.id == enquiry_id)
                    .values(reference=reference)
                )
        except IntegrityError:
            # Another process stored the same key between our read and our insert.
            existing = self.find_by_key(idempotency_key)
            if existing is None:
                raise
            return existing
        stored = self.find_by_key(idempotency_key)
        assert stored is not None  # just committed
        logger.info("enquiry %s stored for office %s", stored.reference, stored.office_id)
        return stored

    def find_by_key(self, idempotency_key: str) -> StoredEnquiry | None:
        """Return the enquiry stored under an idempotency key, if any."""
        self._ensure_schema()
        query = select(enquiries).where(enquiries.c.idempotency_key == idempotency_key)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return from_row(row) if row is not None else None

    def get(self, reference: str) -> StoredEnquiry | None:
        """Return the enquiry with this reference, if any."""
        self._ensure_schema()
        query = select(enquiries).where(enquiries.c.reference == reference)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return from_row(row) if row is not None else None

    def list(
        self,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        office_id: str | None = None,
        *,
        notified: bool | None = None,
    ) -> list[StoredEnquiry]:
        """Return enquiries oldest first; a date `until` includes that whole day (UTC)."""
        self._ensure_schema()
        query = select(enquiries).where(enquiries.c.reference.is_not(None))
        if since is not None:
            query = query.where(enquiries.c.created_at >= _as_since(since))
        if until is not None:
            query = query.where(enquiries.c.created_at < _as_until(until))
        if office_id is not None:
            query = query.where(enquiries.c.office_id == office_id)
        if notified is not None:
            column = enquiries.c.notified_at
            query = query.where(column.is_not(None) if notified else column.is_(None))
        query = query.order_by(enquiries.c.created_at, enquiries.c.id)
        with self.engine.connect() as connection:
            return [from_row(row) for row in connection.execute(query)]

    def mark_notified(self, reference: str, when: datetime | None = None) -> None:
        """Record that the office was notified of an enquiry."""
        self._ensure_schema()
        when = when or datetime.now(timezone.utc)
        statement = (
            update(enquiries).where(enquiries.c.reference == reference).values(notified_at=when)
        )
        with self.engine.begin() as connection:
            connection.execute(statement)
