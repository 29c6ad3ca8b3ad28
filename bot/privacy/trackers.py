"""Conversations in Rasa's SQL tracker store: finding and deleting whole ones.

The store is the one the Rasa server uses: the tracker store of its endpoints file
(RASA_ENDPOINTS, else endpoints.yml), ${VARS} from the environment, made into a URL as
Rasa's SQLTrackerStore makes it. Rasa keeps a conversation as rows of one table, `events`:
one row per event, the event as JSON text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from bot.privacy.addresses import json_mentions, like_patterns
from bot.privacy.secure_delete import erase_deleted_rows

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Seconds: a database that is down gives a clear error, not a hung cron job.
CONNECT_TIMEOUT = 5
# Senders per DELETE: keeps the IN list well under every database's parameter limit.
BATCH = 500

metadata = sa.MetaData()
# Rasa's `events` table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent), the columns used.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


class TrackerStoreError(Exception):
    """The endpoints file names no SQL tracker store this command can open."""


def endpoints_path(environ: Mapping[str, str] | None = None) -> Path:
    """The endpoints file the Rasa server reads (RASA_ENDPOINTS, else endpoints.yml)."""
    from bot.ops.processes import endpoints_file

    path = Path(endpoints_file(dict(os.environ if environ is None else environ)))
    # The servers run in the project root (bot/ops/processes.py), so relative paths are there.
    return path if path.is_absolute() else PROJECT_ROOT / path


def _expand(value: str, endpoints: Path) -> str:
    """${VAR} from the environment, as Rasa expands it; an unset one is an error."""
    expanded = os.path.expandvars(value)
    if "${" in expanded:
        raise TrackerStoreError(
            f"{endpoints.name}: set the environment variables in {value!r} (as for the server)"
        )
    return expanded


def tracker_store_url(endpoints: Path) -> URL | str:
    """SQLAlchemy URL of the SQL tracker store configured in `endpoints`, built as Rasa's
    SQLTrackerStore.get_db_url builds it.

    Only the `tracker_store` section is read (a cron job need not set the action server's
    variables), and without importing Rasa (slow, and noisy on stderr).
    """
    import yaml

    from bot.ops.report import SQL_STORE_TYPES

    try:
        # BaseLoader: every value a string, so `${VAR}` is left for _expand.
        content = yaml.load(endpoints.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except FileNotFoundError:
        raise TrackerStoreError(f"endpoints file not found: {endpoints}") from None
    section = content.get("tracker_store") if isinstance(content, dict) else None
    config = section if isinstance(section, dict) else {}
    store_type = str(config.get("type") or "")
    if store_type.lower() not in SQL_STORE_TYPES:
        raise TrackerStoreError(
            f"the tracker store in {endpoints.name} is {store_type or 'in memory'!r}, "
            "not an SQL store: this command cannot delete from it"
        )
    text = {
        key: _expand(value, endpoints) for key, value in config.items() if isinstance(value, str)
    }
    host = text.get("url") or None
    if host and "://" in host:  # a complete database URL, as Rasa allows
        return host
    port = int(text["port"]) if text.get("port") else None
    if host:  # "host:port" is allowed too
        parsed = urlsplit(f"scheme://{host}")
        port, host = parsed.port or port, parsed.hostname or host
    dialect = text.get("dialect") or "sqlite"
    database = text.get("db") or "rasa.db"
    if dialect.startswith("sqlite") and database != ":memory:":
        # The servers run in the project root (bot/ops/processes.py).
        database = str(PROJECT_ROOT / database)  # an absolute path stays as it is
    query = config.get("query")
    return URL.create(
        dialect,
        username=text.get("username") or None,
        password=text.get("password") or None,
        host=host,
        port=port,
        database=database,
        query={k: _expand(v, endpoints) for k, v in query.items()}
        if isinstance(query, dict)
        else {},
    )


def sqlite_file_missing(url: URL | str) -> Path | None:
    """The SQLite file the URL names, if it does not exist (the server has not run yet)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


def open_engine(url: URL | str) -> Engine:
    """An engine on the tracker store: Rasa's PostgreSQL options (schema), a connect timeout,
    and SQL parameters (user text, addresses) kept out of error messages."""
    connect_args: dict[str, Any] = {}
    backend = make_url(url).get_backend_name()
    if backend == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
        schema = os.environ.get("POSTGRESQL_SCHEMA")
        if schema:  # Rasa's store uses this schema then (rasa.core.tracker_store)
            connect_args["options"] = f"-csearch_path={schema}"
    elif backend == "sqlite":
        connect_args["timeout"] = CONNECT_TIMEOUT  # wait for the server's write lock
    return sa.create_engine(
        url,
        future=True,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args=connect_args,
    )


def has_events_table(engine: Engine) -> bool:
    """False before the Rasa server has stored its first conversation."""
    return sa.inspect(engine).has_table(events.name)


def stale_conversations(connection: Connection, before: datetime) -> list[str]:
    """Sender ids whose newest event is older than `before` (no timestamp counts as old)."""
    newest = sa.func.coalesce(sa.func.max(events.c.timestamp), 0)
    query = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(newest < before.timestamp())
        .order_by(events.c.sender_id)
    )
    return list(connection.execute(query).scalars())


def purge_conversations(engine: Engine, before: datetime, *, dry_run: bool = False) -> int:
    """Delete every conversation whose newest event is older than `before`; return how many.

    Whole conversations go, not only old events: user texts anywhere in one can hold
    personal data, and a tracker missing its beginning would replay wrongly.
    """
    with engine.begin() as connection:
        senders = stale_conversations(connection, before)
        if dry_run or not senders:
            return len(senders)
        erase_deleted_rows(connection)
        newer = events.alias("newer")
        for batch in _batches(senders):
            # A conversation that came back to life since the SELECT keeps every event.
            came_back = sa.exists().where(
                newer.c.sender_id == events.c.sender_id,
                newer.c.timestamp >= before.timestamp(),
            )
            connection.execute(sa.delete(events).where(events.c.sender_id.in_(batch), ~came_back))
    return len(senders)


def conversations_mentioning(connection: Connection, address: str) -> set[str]:
    """Sender ids of conversations with the address in any event (slot, user or bot text).

    The database narrows down with LIKE on the lower-cased JSON; each hit is confirmed by
    parsing it, so a longer address that merely contains this one does not count.
    """
    data = sa.func.lower(events.c.data)
    found = sa.or_(*(data.like(pattern, escape="\\") for pattern in like_patterns(address)))
    query = sa.select(events.c.sender_id, events.c.data).where(found)
    return {sender for sender, text in connection.execute(query) if json_mentions(text, address)}


def existing_conversations(connection: Connection, senders: Iterable[str]) -> set[str]:
    """Those of `senders` that have events in the store."""
    found: set[str] = set()
    for batch in _batches(sorted(set(senders))):
        query = sa.select(events.c.sender_id).where(events.c.sender_id.in_(batch)).distinct()
        found.update(connection.execute(query).scalars())
    return found


def forget_conversations(
    engine: Engine, address: str, senders: Iterable[str] = (), *, dry_run: bool = False
) -> int:
    """Delete the conversations mentioning the address and those of `senders` (the enquiries'
    sender ids); return how many conversations there were."""
    with engine.begin() as connection:
        doomed = conversations_mentioning(connection, address)
        doomed |= existing_conversations(connection, senders)
        if dry_run or not doomed:
            return len(doomed)
        erase_deleted_rows(connection)
        for batch in _batches(sorted(doomed)):
            connection.execute(sa.delete(events).where(events.c.sender_id.in_(batch)))
    return len(doomed)


def _batches(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def describe_url(url: URL | str) -> str:
    """The URL with its password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)
