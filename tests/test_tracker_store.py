"""CachedSQLTrackerStore against Rasa's own SQLTrackerStore on the same SQLite database: what
one writes the other reads, and the cache never serves a stale or half-saved conversation."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.tracker_store import CLASS_PATH, CachedSQLTrackerStore

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, ask_office_contact]
slots:
  office:
    type: text
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: hi}]
"""
)


def turn(text: str, office: str | None = None) -> list:
    events = [
        UserUttered(text, {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"),
    ]
    events.append(BotUttered(f"answer to {text}"))
    if office:
        events.append(SlotSet("office", office))
    return [*events, ActionExecuted("action_listen")]


def session_start() -> list:
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "tracker.db")


def cached(db: str, **kwargs) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(DOMAIN, dialect="sqlite", db=db, **kwargs)


def plain(db: str) -> SQLTrackerStore:
    return SQLTrackerStore(DOMAIN, dialect="sqlite", db=db)


def dicts(tracker: DialogueStateTracker | None) -> list[dict]:
    assert tracker is not None
    return [event.as_dict() for event in tracker.events]


async def start(store: TrackerStore, sender: str) -> DialogueStateTracker:
    tracker = await store.get_or_create_tracker(sender)
    tracker.update_with_events(session_start(), DOMAIN)
    await store.save(tracker)
    return tracker


async def test_what_it_writes_rasas_store_reads(db: str) -> None:
    store = cached(db)
    await start(store, "alice")
    for number in range(3):
        tracker = await store.retrieve("alice")
        tracker.update_with_events(turn(f"message {number}", office="japan"), DOMAIN)
        await store.save(tracker)
    assert dicts(await plain(db).retrieve("alice")) == dicts(await store.retrieve("alice"))
    assert [
        e.text for e in (await plain(db).retrieve("alice")).events if isinstance(e, UserUttered)
    ] == [
        "message 0",
        "message 1",
        "message 2",
    ]
    assert (await plain(db).retrieve("alice")).get_slot("office") == "japan"


async def test_the_next_message_comes_from_memory(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = cached(db)
    await start(store, "bob")
    first = await store.retrieve("bob")
    first.update_with_events(turn("hello"), DOMAIN)
    await store.save(first)
    reloads: list[str] = []
    original = SQLTrackerStore.retrieve

    async def counting(self, sender_id):
        reloads.append(sender_id)
        return await original(self, sender_id)

    monkeypatch.setattr(SQLTrackerStore, "retrieve", counting)
    assert await store.retrieve("bob") is first
    assert reloads == []


async def test_another_replica_writing_makes_it_reload(db: str) -> None:
    replica_a, replica_b = cached(db), cached(db)
    await start(replica_a, "carol")
    on_a = await replica_a.retrieve("carol")
    on_a.update_with_events(turn("to A"), DOMAIN)
    await replica_a.save(on_a)

    on_b = await replica_b.retrieve("carol")
    on_b.update_with_events(turn("to B", office="usa"), DOMAIN)
    await replica_b.save(on_b)

    again_on_a = await replica_a.retrieve("carol")
    assert again_on_a is not on_a
    assert again_on_a.get_slot("office") == "usa"
    again_on_a.update_with_events(turn("to A again"), DOMAIN)
    await replica_a.save(again_on_a)
    stored = await plain(db).retrieve("carol")
    texts = [e.text for e in stored.events if isinstance(e, UserUttered)]
    assert texts == ["to A", "to B", "to A again"]  # nothing lost, nothing twice


async def test_a_half_handled_message_is_not_served_from_memory(db: str) -> None:
    store = cached(db)
    await start(store, "dave")
    tracker = await store.retrieve("dave")
    tracker.update_with_events(turn("saved"), DOMAIN)
    await store.save(tracker)
    tracker = await store.retrieve("dave")
    tracker.update_with_events(turn("handling failed before the save"), DOMAIN)
    reloaded = await store.retrieve("dave")
    assert reloaded is not tracker
    assert dicts(reloaded) == dicts(await plain(db).retrieve("dave"))


async def test_a_new_session_is_served_as_rasas_store_serves_it(db: str) -> None:
    store = cached(db)
    await start(store, "erin")
    tracker = await store.retrieve("erin")
    tracker.update_with_events(turn("first session"), DOMAIN)
    await store.save(tracker)
    tracker = await store.retrieve("erin")
    tracker.update_with_events([*session_start(), *turn("second session")], DOMAIN)
    await store.save(tracker)
    ours, rasas = await store.retrieve("erin"), await plain(db).retrieve("erin")
    assert dicts(ours) == dicts(rasas)
    assert not any(isinstance(e, UserUttered) and e.text == "first session" for e in ours.events)


async def test_at_most_max_cached_conversations_are_kept(db: str) -> None:
    store = cached(db, max_cached_conversations=2)
    for sender in ("s1", "s2", "s3"):
        await start(store, sender)
        await store.retrieve(sender)
    assert list(store._cached) == ["s2", "s3"]


async def test_an_idle_conversation_leaves_memory_and_is_reloaded_intact(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr("bot.tracker_store._now", lambda: clock[0])
    store = cached(db, cache_idle_seconds=300)
    for sender in ("idle", "busy"):
        tracker = await start(store, sender)
        tracker = await store.retrieve(sender)
        tracker.update_with_events(turn(f"hello from {sender}"), DOMAIN)
        await store.save(tracker)
    clock[0] += 200
    await store.retrieve("busy")  # used again: kept
    clock[0] += 200  # "idle" last used 400 s ago, "busy" 200 s ago
    tracker = await store.retrieve("busy")
    tracker.update_with_events(turn("still here"), DOMAIN)
    await store.save(tracker)
    assert list(store._cached) == ["busy"]
    assert dicts(await store.retrieve("idle")) == dicts(await plain(db).retrieve("idle"))
    assert list(store._cached) == ["busy", "idle"]


async def test_with_an_event_broker_every_message_reloads(db: str) -> None:
    class Broker(EventBroker):
        def publish(self, event) -> None:
            pass

    store = cached(db)
    store.event_broker = Broker()
    await start(store, "frank")
    assert await store.retrieve("frank") is not await store.retrieve("frank")


def test_rasa_builds_it_from_endpoints_yml(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f"tracker_store:\n  type: {CLASS_PATH}\n  dialect: sqlite\n  db: {tmp_path / 't.db'}\n"
    )
    store = TrackerStore.create(read_endpoint_config(str(endpoints), "tracker_store"), DOMAIN)
    inner = getattr(store, "_tracker_store", store)
    assert isinstance(inner, CachedSQLTrackerStore)
    assert inner.cache_idle_seconds == 30
