"""Every engine answers fast when its database is dead (issue 10, hole 5): a black-holed
PostgreSQL (accepts the TCP connection, never says a word) fails the enquiry store and the
tracker store within the connect timeout instead of freezing the caller."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted

from bot.enquiries import EnquiryStore
from bot.enquiries.engine import engine_options
from bot.enquiries.spool import is_outage
from bot.ops.postgres import PostgresServer
from bot.tracker_store import CachedSQLTrackerStore
from tests.enquiries.conftest import make_draft, postgres  # noqa: F401 - the fixture

DOMAIN = Domain.from_yaml('version: "3.1"\nintents: [greet]\n')
# The connect timeout is 2 s; what the issue asks is "within two seconds, not a frozen replica".
LIMIT = 2.5
SECRET = "山田 太郎 secret-value"


def timed(call: Callable[[], Any], give_up: float = 30) -> tuple[float, BaseException | None]:
    """Run `call` in a thread; (seconds it took, what it raised). Fails instead of hanging."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        started = time.monotonic()
        try:
            call()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            outcome["error"] = error
        outcome["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(give_up)
    assert not thread.is_alive(), f"still hanging after {give_up} s"
    return outcome["elapsed"], outcome.get("error")


def test_enquiry_store_fails_fast_on_a_black_hole(black_hole: int) -> None:
    store = EnquiryStore(f"postgresql+psycopg2://u@127.0.0.1:{black_hole}/db")
    elapsed, error = timed(lambda: store.submit(make_draft(), "k"))
    print(f"enquiry store, black-holed PostgreSQL: failed after {elapsed:.2f} s")
    assert isinstance(error, sa.exc.OperationalError) and is_outage(error)
    assert elapsed < LIMIT, elapsed


def test_tracker_store_fails_fast_on_a_black_hole(black_hole: int) -> None:
    def build() -> CachedSQLTrackerStore:
        return CachedSQLTrackerStore(
            DOMAIN, dialect="postgresql", host="127.0.0.1", port=black_hole, db="db", username="u"
        )

    # Rasa's own constructor retries every 5 s for ever; this one tries once.
    elapsed, error = timed(build)
    assert error is None and elapsed < LIMIT, (elapsed, error)
    store = build()

    for call in (
        lambda: asyncio.run(store.retrieve("someone")),
        lambda: asyncio.run(store.keys()),
    ):
        elapsed, error = timed(call)
        print(f"tracker store, black-holed PostgreSQL: failed after {elapsed:.2f} s")
        assert isinstance(error, sa.exc.OperationalError), error
        assert elapsed < LIMIT, elapsed


def test_options_for_every_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DB_CONNECT_TIMEOUT_SECONDS", raising=False)
    monkeypatch.delenv("DB_STATEMENT_TIMEOUT_SECONDS", raising=False)
    pg = engine_options("postgresql://u@h/db")
    assert pg["pool_pre_ping"] is True and pg["hide_parameters"] is True
    assert pg["connect_args"] == {
        "connect_timeout": 2,
        "tcp_user_timeout": 2000,
        "options": "-c statement_timeout=5000",
    }
    sqlite = engine_options("sqlite:///x.db", base={"connect_args": {"timeout": 5}})
    assert sqlite == {
        "connect_args": {"timeout": 5},
        "pool_pre_ping": True,
        "hide_parameters": True,
    }
    # Rasa's search_path for POSTGRESQL_SCHEMA and its pool settings are kept.
    rasa = {"connect_args": {"options": "-csearch_path=s"}, "pool_size": 50}
    merged = engine_options("postgresql+psycopg2://u@h/db", base=rasa)
    assert merged["connect_args"]["options"] == "-csearch_path=s -c statement_timeout=5000"
    assert merged["pool_size"] == 50
    env = {"DB_CONNECT_TIMEOUT_SECONDS": "4", "DB_STATEMENT_TIMEOUT_SECONDS": "0"}
    custom = engine_options("postgresql://u@h/db", env)
    assert custom["connect_args"] == {"connect_timeout": 4, "tcp_user_timeout": 4000}


def test_tracker_store_engine_gets_them(tmp_path) -> None:
    store = CachedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    assert store.engine.hide_parameters is True
    assert store.engine.pool._pre_ping is True


# --- a real PostgreSQL ------------------------------------------------------------------------


def test_statement_timeout_and_hidden_parameters_on_postgres(
    postgres: PostgresServer,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_SECONDS", "1")
    url = postgres.create_database("timeouts")
    engine = sa.create_engine(url, future=True, **engine_options(url))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "1s"
        started = time.monotonic()
        with pytest.raises(sa.exc.OperationalError) as raised:
            connection.execute(sa.text("SELECT pg_sleep(3), :who"), {"who": SECRET})
        assert time.monotonic() - started < 2.5
    assert is_outage(raised.value)  # a hung server is an outage: the enquiry is spooled
    assert SECRET not in str(raised.value)  # hide_parameters
    engine.dispose()


async def test_tracker_store_on_postgres_down_at_start_then_up(
    postgres: PostgresServer,  # noqa: F811 - the fixture
) -> None:
    """The tables are created on first use when the database was away at start-up."""
    postgres.create_database("trackers")
    postgres.stop()
    try:
        store = CachedSQLTrackerStore(
            DOMAIN,
            dialect="postgresql",
            host="127.0.0.1",
            port=postgres.port,
            db="trackers",
            username="postgres",
        )
        with pytest.raises(sa.exc.OperationalError):
            await store.retrieve("alice")
    finally:
        postgres.start()
    tracker = await store.get_or_create_tracker("alice")
    tracker.update_with_events(
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
        DOMAIN,
    )
    await store.save(tracker)
    again = await store.retrieve("alice")
    assert again is not None and any(isinstance(e, SessionStarted) for e in again.events)
    with store.session_scope() as session:
        assert session.execute(sa.text("SHOW statement_timeout")).scalar() == "5s"
    store.engine.dispose()
