"""Replay the enquiry spool in the background, so a spooled enquiry reaches the database
within minutes of its return, not only when the next visitor submits one.

The action server runs one `SpoolReplayer` (bot/action_server.py): right after start-up, then
every ENQUIRY_SPOOL_REPLAY_SECONDS (default 60; 0 turns it off), it calls the same
`replay_spool` as a submission does, in a worker thread (the store is synchronous
SQLAlchemy, and a dead database takes its connect timeout). Several processes may replay the
same spool: the spool's replay lock lets one at a time through, and idempotency keys store
each enquiry once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

logger = logging.getLogger(__name__)

INTERVAL_ENV = "ENQUIRY_SPOOL_REPLAY_SECONDS"
DEFAULT_INTERVAL = 60.0


def replay_interval_from_env(environ: Mapping[str, str] | None = None) -> float:
    """ENQUIRY_SPOOL_REPLAY_SECONDS (default 60; 0 or less: no background replay)."""
    env = os.environ if environ is None else environ
    raw = env.get(INTERVAL_ENV, "").strip()
    if not raw:
        return DEFAULT_INTERVAL
    try:
        return float(raw)
    except ValueError:
        logger.warning("%s=%r is not a number: using %s", INTERVAL_ENV, raw, DEFAULT_INTERVAL)
        return DEFAULT_INTERVAL


def replay_default_spool() -> Any:
    """Replay the process's spool into its store, notifying offices (blocking)."""
    from bot.enquiries.service import default_notifier, default_store, replay_spool
    from bot.enquiries.spool import Spool

    store = default_store()
    return replay_spool(store, Spool(), default_notifier(store))


class SpoolReplayer:
    """Calls `replay` (blocking) in a thread now and then every `interval` seconds, until
    stopped. A failing replay is logged (its error type) and tried again next time."""

    def __init__(self, interval: float, replay: Callable[[], Any] = replay_default_spool) -> None:
        self.interval = interval
        self.replay = replay
        self.runs = 0
        self._task: asyncio.Task[None] | None = None
        self._stopping: asyncio.Event | None = None

    @property
    def running(self) -> bool:
        """Whether the background task is alive."""
        return self._task is not None and not self._task.done()

    def start(self) -> asyncio.Task[None] | None:
        """Start the background task on the running loop (None if the interval is 0)."""
        if self.interval <= 0:
            logger.info("background spool replay off (%s=0)", INTERVAL_ENV)
            return None
        if self.running:
            return self._task
        self._stopping = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="spool-replay")
        return self._task

    async def stop(self) -> None:
        """Stop after the replay in progress, if any (a thread cannot be interrupted; the
        database timeouts bound it)."""
        if self._task is None:
            return
        assert self._stopping is not None
        self._stopping.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def run_once(self) -> Any:
        """One replay, off the event loop; never raises (an error is logged)."""
        self.runs += 1
        try:
            return await asyncio.to_thread(self.replay)
        except Exception as error:  # noqa: BLE001 - the loop must outlive any one replay
            logger.error("background spool replay failed: %s", type(error).__name__)
            return None

    async def _run(self) -> None:
        assert self._stopping is not None
        while not self._stopping.is_set():
            await self.run_once()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.interval)
