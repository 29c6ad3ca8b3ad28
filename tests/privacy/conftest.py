"""Real stores for the privacy commands: a tracker store written by Rasa's own
SQLTrackerStore, an enquiries database written by the project's EnquiryStore, a spool."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.__main__ import main
from bot.enquiries import EnquiryDraft, EnquiryStore, Spool
from bot.enquiries.model import enquiries
from bot.ops.postgres import PostgresServer, find_bin_dir

NOW = datetime.now(timezone.utc)
OLD = NOW - timedelta(days=60)
RECENT = NOW - timedelta(hours=1)

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, inform]
slots:
  enquiry_email:
    type: text
    mappings: [{type: custom}]
  enquiry_name:
    type: text
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: hi}]
"""
)


def conversation(turns: Iterable[tuple[str, dict[str, str]]], at: datetime) -> list[Event]:
    """A session of user turns (text, slots set after it), one minute apart from `at`."""
    stamp = at.timestamp()
    events: list[Event] = [
        ActionExecuted("action_session_start", timestamp=stamp),
        SessionStarted(timestamp=stamp),
        ActionExecuted("action_listen", timestamp=stamp),
    ]
    for text, slots in turns:
        stamp += 60
        events.append(UserUttered(text, {"name": "inform", "confidence": 1.0}, timestamp=stamp))
        events.extend(SlotSet(name, value, timestamp=stamp) for name, value in slots.items())
        events.append(ActionExecuted("utter_greet", timestamp=stamp))
        events.append(BotUttered("thanks", timestamp=stamp))
        events.append(ActionExecuted("action_listen", timestamp=stamp))
    return events


@dataclass
class Stores:
    """Where the command finds everything, and the options that point it there."""

    tracker_url: str
    enquiries_url: str
    spool_dir: Path
    endpoints: Path

    @property
    def tracker_db(self) -> Path:
        return Path(sa.engine.make_url(self.tracker_url).database or "")

    @property
    def enquiries_db(self) -> Path:
        return Path(sa.engine.make_url(self.enquiries_url).database or "")

    def run(self, *arguments: str) -> int:
        """`python -m bot privacy ...` on these stores."""
        return main(
            [
                "privacy",
                "--endpoints",
                str(self.endpoints),
                "--database-url",
                self.enquiries_url,
                "--spool-dir",
                str(self.spool_dir),
                *arguments,
            ]
        )

    async def add_conversation(self, sender: str, events: list[Event]) -> None:
        """Store a conversation through Rasa's own SQL tracker store."""
        store = SQLTrackerStore(DOMAIN, host=self.tracker_url)  # a whole URL, as Rasa allows
        tracker = DialogueStateTracker.from_events(sender, events, slots=DOMAIN.slots)
        await store.save(tracker)
        store.engine.dispose()

    def senders(self) -> set[str]:
        engine = sa.create_engine(self.tracker_url)
        with engine.connect() as connection:
            found = set(connection.execute(sa.text("SELECT sender_id FROM events")).scalars())
        engine.dispose()
        return found

    def add_enquiry(self, email: str, sender: str, created_at: datetime = RECENT) -> None:
        """Store an enquiry through the project's store, then date it `created_at`."""
        store = EnquiryStore(self.enquiries_url)
        key = f"key-{sender}-{email}"
        store.submit(draft(email, sender), key)
        with store.engine.begin() as connection:
            connection.execute(
                sa.update(enquiries)
                .where(enquiries.c.idempotency_key == key)
                .values(created_at=created_at)
            )
        store.dispose()

    def enquiry_emails(self) -> list[str]:
        store = EnquiryStore(self.enquiries_url)
        emails = sorted(enquiry.email for enquiry in store.list())
        store.dispose()
        return emails

    def spool(self, email: str, sender: str, spooled_at: datetime = RECENT) -> None:
        """Spool an enquiry as the service does, then date its line `spooled_at`."""
        Spool(self.spool_dir).append(draft(email, sender), f"spooled-{sender}")
        path = self.spool_dir / "enquiries.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines()
        entry = json.loads(lines[-1])
        entry["spooled_at"] = spooled_at.isoformat()
        lines[-1] = json.dumps(entry, ensure_ascii=False)
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")

    def reject(self, *lines: str, written: datetime = RECENT) -> None:
        """Lines a replay could not read, in rejected.jsonl last written at `written`."""
        path = self.spool_dir / "rejected.jsonl"
        with path.open("a", encoding="utf-8") as file:
            file.writelines(f"{line}\n" for line in lines)
        os.utime(path, (written.timestamp(), written.timestamp()))

    def spool_lines(self) -> list[str]:
        return [
            line
            for path in sorted(self.spool_dir.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]


def draft(email: str, sender: str) -> EnquiryDraft:
    return EnquiryDraft(
        organisation="Yokohama City",
        country_code="JP",
        contact_name="Ann Example",
        email=email,
        message="We would like to join.",
        sender_id=sender,
        consent_given_at=RECENT,
    )


def sqlite_stores(tmp_path: Path) -> Stores:
    """Empty SQLite stores; the endpoints file names the tracker database as endpoints.yml."""
    tracker_db = tmp_path / "tracker.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "action_endpoint:\n  url: ${ACTION_ENDPOINT_URL}\n"
        "tracker_store:\n"
        "  type: bot.tracker_store.CachedSQLTrackerStore\n"
        '  dialect: "sqlite"\n'
        f'  db: "{tracker_db}"\n',
        encoding="utf-8",
    )
    return Stores(
        f"sqlite:///{tracker_db}", f"sqlite:///{tmp_path / 'enquiries.db'}",
        tmp_path / "spool", endpoints,
    )  # fmt: skip


@pytest.fixture
def stores(tmp_path: Path) -> Stores:
    """SQLite stores."""
    return sqlite_stores(tmp_path)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session (skipped if the binaries are absent)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries not found: apt-get install -y postgresql")
    server = PostgresServer(bin_dir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture(params=["sqlite", "postgresql"])
def each_backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Stores:
    """The same stores on SQLite, and on PostgreSQL configured by the real
    endpoints.production.yml through its TRACKER_DB_* variables."""
    if request.param == "sqlite":
        return sqlite_stores(tmp_path)
    server: PostgresServer = request.getfixturevalue("postgres")
    tracker_url = server.create_database(f"tracker_{tmp_path.name}"[:60])
    url = sa.engine.make_url(tracker_url)
    for name, value in {
        "HOST": url.host, "PORT": url.port, "NAME": url.database, "USER": url.username,
        "PASSWORD": "",
    }.items():  # fmt: skip
        monkeypatch.setenv(f"TRACKER_DB_{name}", str(value))
    endpoints = Path(__file__).resolve().parents[2] / "endpoints.production.yml"
    return Stores(tracker_url, server.create_database(), tmp_path / "spool", endpoints)
