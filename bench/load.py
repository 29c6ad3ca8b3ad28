"""Closed-loop load on a REST webhook, and the statistics of one load level.

Each simulated user has its own sender id and sends the message set in order as one
conversation, waiting for each answer before sending the next; after the last message it
starts a new conversation (a new sender id), so trackers stay short. A level is a warm-up
(a few messages per user, not counted) and then a fixed measurement window: users send no
new message once the window is over, and the messages in flight are waited for and counted.
"""

from __future__ import annotations

import asyncio
import enum
import json
import math
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import aiohttp

REQUEST_TIMEOUT = 30.0


class Outcome(enum.Enum):
    """What one request came back with."""

    ANSWER = "answer"  # 200 and a non-empty JSON list
    EMPTY = "empty"  # 200 and an empty JSON list
    ERROR = "error"  # anything else


def classify(
    status: int | None, body: bytes | None, flagged_texts: Sequence[str] = ()
) -> tuple[Outcome, str | None]:
    """The outcome of one request and, for an error, why. `status` is None when the request
    raised (the reason is then the caller's). An answer with a message containing one of
    `flagged_texts` (e.g. the channel's "can't answer right now" apology) is an error."""
    if status is None:
        return Outcome.ERROR, "exception"
    if status != 200:
        return Outcome.ERROR, f"status {status}"
    try:
        answer = json.loads(body or b"")
    except ValueError:
        return Outcome.ERROR, "not JSON"
    if not isinstance(answer, list):
        return Outcome.ERROR, "not a list"
    if not answer:
        return Outcome.EMPTY, None
    for message in answer:
        text = message.get("text") if isinstance(message, dict) else None
        if isinstance(text, str) and any(flag in text for flag in flagged_texts):
            return Outcome.ERROR, "apology"
    return Outcome.ANSWER, None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between closest ranks (numpy's
    default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class LoadSpec:
    """One load level against one webhook URL."""

    url: str
    users: int
    duration: float
    messages: Sequence[str]
    warmup: int = 2  # messages per user before the window, not counted
    timeout: float = REQUEST_TIMEOUT
    empty_is_error: bool = True  # False: empty answers are counted apart, not as errors
    flagged_texts: Sequence[str] = ()
    sender_prefix: str = "bench"


@dataclass
class LevelResult:
    """Everything measured at one level; latencies of the requests that got an answer."""

    users: int
    wall_seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    empty: int = 0
    error_reasons: Counter = field(default_factory=Counter)
    empty_messages: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        """Requests finished in the window, whatever their outcome."""
        return len(self.latencies_ms) + self.errors

    @property
    def answered(self) -> int:
        """Requests that got a non-error response (empty answers included when allowed)."""
        return len(self.latencies_ms)

    @property
    def messages_per_second(self) -> float:
        """Answered requests per second of the level's wall time."""
        return self.answered / self.wall_seconds if self.wall_seconds else 0.0

    def latency(self, q: float) -> float | None:
        """The q-th percentile latency in ms."""
        return percentile(self.latencies_ms, q)

    def record(
        self, message: str, outcome: Outcome, reason: str | None, ms: float, spec: LoadSpec
    ) -> None:
        """Count one finished request."""
        if outcome is Outcome.EMPTY:
            self.empty_messages[message] += 1
            if spec.empty_is_error:
                outcome, reason = Outcome.ERROR, "empty answer"
            else:
                self.empty += 1
        if outcome is Outcome.ERROR:
            self.errors += 1
            self.error_reasons[reason or "error"] += 1
        else:
            self.latencies_ms.append(ms)


def conversations(messages: Sequence[str], prefix: str) -> Iterator[tuple[str, str]]:
    """(sender id, message) pairs for ever: the message set in order, a new sender each time."""
    while True:
        sender = f"{prefix}-{uuid.uuid4().hex[:12]}"
        for message in messages:
            yield sender, message


async def post(
    session: aiohttp.ClientSession, url: str, sender: str, message: str, timeout: float
) -> tuple[int | None, bytes | None, str | None]:
    """POST one message: (status, body, None), or (None, None, why) when it raised."""
    try:
        async with session.post(
            url,
            json={"sender": sender, "message": message},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            return response.status, await response.read(), None
    except asyncio.TimeoutError:
        return None, None, "timeout"
    except (aiohttp.ClientError, OSError) as error:
        return None, None, f"exception {type(error).__name__}"


async def run_level(
    spec: LoadSpec, on_window_start: Callable[[], None] | None = None
) -> LevelResult:
    """Warm up, then keep `spec.users` users busy for `spec.duration` seconds.
    `on_window_start` is called when the measured window begins (e.g. to read CPU time)."""
    result = LevelResult(users=spec.users)
    users = [conversations(spec.messages, f"{spec.sender_prefix}-u{i}") for i in range(spec.users)]
    connector = aiohttp.TCPConnector(limit=spec.users)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def warm_up(user: Iterator[tuple[str, str]]) -> None:
            for _ in range(spec.warmup):
                sender, message = next(user)
                await post(session, spec.url, sender, message, spec.timeout)

        async def measure(user: Iterator[tuple[str, str]], deadline: float) -> None:
            while time.perf_counter() < deadline:
                sender, message = next(user)
                start = time.perf_counter()
                status, body, failure = await post(session, spec.url, sender, message, spec.timeout)
                ms = (time.perf_counter() - start) * 1000
                outcome, reason = classify(status, body, spec.flagged_texts)
                result.record(message, outcome, failure or reason, ms, spec)

        await asyncio.gather(*(warm_up(user) for user in users))
        if on_window_start is not None:
            on_window_start()
        start = time.perf_counter()
        await asyncio.gather(*(measure(user, start + spec.duration) for user in users))
        result.wall_seconds = time.perf_counter() - start
    return result
