"""The background spool replay: a spooled enquiry is stored on its own once the database is
back, without waiting for the next submission (issue 10, "Spool")."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from bot.enquiries import EnquiryStore, Notifier, Spool, replay_spool, submit_enquiry
from bot.enquiries.replayer import (
    DEFAULT_INTERVAL,
    SpoolReplayer,
    replay_interval_from_env,
)
from bot.ops.postgres import PostgresServer
from tests.enquiries.conftest import make_draft


def test_interval_from_the_environment() -> None:
    assert replay_interval_from_env({}) == DEFAULT_INTERVAL == 60
    assert replay_interval_from_env({"ENQUIRY_SPOOL_REPLAY_SECONDS": "5"}) == 5
    assert replay_interval_from_env({"ENQUIRY_SPOOL_REPLAY_SECONDS": "0"}) == 0
    assert replay_interval_from_env({"ENQUIRY_SPOOL_REPLAY_SECONDS": "soon"}) == 60


async def test_it_replays_now_and_every_interval_off_the_loop() -> None:
    threads: list[str] = []

    def replay() -> None:
        threads.append(threading.current_thread().name)

    replayer = SpoolReplayer(0.05, replay)
    replayer.start()
    await asyncio.sleep(0.28)
    await replayer.stop()
    assert 4 <= len(threads) <= 8, threads
    assert threading.main_thread().name not in threads  # never on the event loop's thread
    stopped_at = len(threads)
    await asyncio.sleep(0.15)
    assert len(threads) == stopped_at and not replayer.running


async def test_a_failing_replay_does_not_stop_it(caplog: pytest.LogCaptureFixture) -> None:
    calls = 0

    def replay() -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("first name of someone")

    replayer = SpoolReplayer(0.02, replay)
    replayer.start()
    await asyncio.sleep(0.15)
    await replayer.stop()
    assert calls >= 3
    assert "RuntimeError" in caplog.text and "someone" not in caplog.text


async def test_zero_means_off() -> None:
    replayer = SpoolReplayer(0, lambda: None)
    assert replayer.start() is None and not replayer.running
    await replayer.stop()


async def test_stop_waits_for_the_replay_in_progress() -> None:
    release = threading.Event()
    finished = threading.Event()

    def slow() -> None:
        release.wait(5)
        finished.set()

    replayer = SpoolReplayer(60, slow)
    replayer.start()
    await asyncio.sleep(0.05)
    stopping = asyncio.create_task(replayer.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, 5)
    assert finished.is_set()


async def test_sqlite_back_then_stored_within_seconds(tmp_path: Path, new_key) -> None:
    """Through the real replay function: spooled while the disk is away, stored on its own."""
    blocked = tmp_path / "data"
    blocked.write_text("not a directory")
    store = EnquiryStore(f"sqlite:///{blocked / 'enquiries.db'}")
    spool = Spool(tmp_path / "spool")
    result = submit_enquiry(make_draft(), new_key(), store, spool, Notifier(None))
    assert result.status == "spooled"

    replayer = SpoolReplayer(0.1, lambda: replay_spool(store, spool, Notifier(None)))
    replayer.start()
    try:
        await asyncio.sleep(0.3)
        assert spool.pending() == 1  # still away: kept, tried again
        blocked.unlink()  # the database is back
        deadline = time.monotonic() + 5
        while spool.pending() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    finally:
        await replayer.stop()
    assert spool.pending() == 0
    assert [e.organisation for e in store.list()] == ["横浜市"]
    store.dispose()


async def test_postgres_back_then_stored_within_seconds(
    postgres: PostgresServer, tmp_path: Path, new_key
) -> None:
    store = EnquiryStore(postgres.create_database())
    spool = Spool(tmp_path / "spool")
    assert submit_enquiry(make_draft(), new_key(), store, spool, Notifier(None)).status == "stored"
    postgres.stop()
    try:
        spooled = submit_enquiry(
            make_draft(organisation="札幌市"), new_key(), store, spool, Notifier(None)
        )
        assert spooled.status == "spooled"
    finally:
        postgres.start()
    replayer = SpoolReplayer(0.2, lambda: replay_spool(store, spool, Notifier(None)))
    replayer.start()
    try:
        deadline = time.monotonic() + 10
        while spool.pending() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        elapsed = 10 - (deadline - time.monotonic())
    finally:
        await replayer.stop()
    assert spool.pending() == 0, elapsed
    assert [e.organisation for e in store.list()] == ["横浜市", "札幌市"]
    store.dispose()
