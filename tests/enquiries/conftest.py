"""Fixtures for the enquiry tests: drafts, SQLite and real PostgreSQL stores, spools, SMTP."""

from __future__ import annotations

import itertools
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.enquiries import EnquiryDraft, EnquiryStore, Notifier, Spool
from bot.ops.postgres import PostgresServer, find_bin_dir

PERSONAL = {
    "organisation": "横浜市",
    "contact_name": "山田 太郎",
    "email": "taro.yamada@example.jp",
}


def make_draft(**overrides: object) -> EnquiryDraft:
    """A valid Japanese enquiry; override any field."""
    values: dict[str, object] = {
        **PERSONAL,
        "country_code": "JP",
        "role": "環境政策課 課長",
        "population": 3_700_000,
        "message": "加盟について詳しく知りたいです。\nよろしくお願いします。",
        "language": "ja",
        "sender_id": "line-U1234",
        "consent_given_at": datetime(2026, 5, 1, 9, 30, tzinfo=timezone.utc),
    }
    values.update(overrides)
    return EnquiryDraft(**values)  # type: ignore[arg-type]


@pytest.fixture
def draft() -> EnquiryDraft:
    """One valid enquiry."""
    return make_draft()


_keys = itertools.count(1)


@pytest.fixture
def new_key() -> Callable[[], str]:
    """Fresh idempotency keys."""
    return lambda: f"test-key-{next(_keys)}"


# --- databases ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole session (skipped if the binaries are absent)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin): "
            "apt-get install -y postgresql"
        )
    server = PostgresServer(bin_dir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a SQLite file in a fresh directory (created by the store)."""
    return f"sqlite:///{tmp_path / 'db' / 'enquiries.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same tests on SQLite and on a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'enquiries.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database()


@pytest.fixture
def store(database_url: str) -> Iterator[EnquiryStore]:
    """A store on each backend."""
    store = EnquiryStore(database_url)
    yield store
    store.dispose()


@pytest.fixture
def spool(tmp_path: Path) -> Spool:
    """An empty spool in a temporary directory."""
    return Spool(tmp_path / "spool")


@pytest.fixture
def no_notifier() -> Notifier:
    """Notifications disabled."""
    return Notifier(None)


# --- SMTP ----------------------------------------------------------------------------------


class RecordingHandler:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd hook name
        self.envelopes.append(envelope)
        self.received.set()
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, int, RecordingHandler]]:
    """A local SMTP server (aiosmtpd) on a free port."""
    from aiosmtpd.controller import Controller

    from bot.ops.processes import free_port

    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.hostname, controller.port, handler
    finally:
        controller.stop()


@pytest.fixture
def silent_smtp() -> Iterator[int]:
    """A port that accepts TCP connections but never says a word (a hung mail server)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]
