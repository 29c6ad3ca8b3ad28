"""Guards every input channel puts in front of the model, and the fixed texts they answer with.

- `MessageGuard.check` sorts a user message: empty, too long, or fine (only then does it go to
  the model).
- `RateLimiter` counts each sender's messages in a sliding window, in this process's memory;
  with several Rasa replicas, REDIS_URL makes the channels use `shared_state.RedisRateLimiter`
  instead, so the limit holds across replicas.
- `FIXED_TEXTS` holds every answer a channel gives on its own, as English/Japanese pairs, and
  `fixed_text` picks the language of the user's message (both languages when it can't tell).
- `watch_action_failures` tells a channel whether an action failed while Rasa handled one
  message (the action server is down or broke), so it can apologise instead.

Configuration, from the environment (a channel may override it from credentials.yml):
    MAX_MESSAGE_CHARS          longest message sent to the model, in characters (2000)
    RATE_LIMIT_MESSAGES        messages one sender may send per window (20; 0 = no limit)
    RATE_LIMIT_WINDOW_SECONDS  the sliding window, in seconds (60)
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
import logging
import math
import os
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.exceptions import RasaException

from bot.nlu.language_detector import (
    ENGLISH,
    JAPANESE,
    LanguageDetector,
    detect_language,
    language_from_metadata,
)

ENV_MAX_MESSAGE_CHARS = "MAX_MESSAGE_CHARS"
ENV_RATE_LIMIT_MESSAGES = "RATE_LIMIT_MESSAGES"
ENV_RATE_LIMIT_WINDOW = "RATE_LIMIT_WINDOW_SECONDS"

DEFAULT_MAX_MESSAGE_CHARS = 2000
DEFAULT_RATE_LIMIT_MESSAGES = 20
DEFAULT_RATE_LIMIT_WINDOW_SECONDS = 60.0
# Senders the rate limiter remembers at most; beyond it the longest-idle are forgotten, so
# made-up sender ids can't fill the memory.
DEFAULT_MAX_TRACKED_SENDERS = 100_000


@dataclass(frozen=True)
class FixedText:
    """One answer a channel gives without the model, in both languages."""

    en: str
    ja: str

    def text(self, language: str | None) -> str:
        """The text in `language` ("ja" or "en"); both, Japanese first, for anything else."""
        if language == JAPANESE:
            return self.ja
        if language == ENGLISH:
            return self.en
        return f"{self.ja}\n\n{self.en}"


class Fixed(enum.Enum):
    """The situations a channel answers by itself."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"


FIXED_TEXTS: dict[Fixed, FixedText] = {
    Fixed.EMPTY: FixedText(
        en="Please type your question.",
        ja="ご質問を入力してください。",
    ),
    Fixed.TOO_LONG: FixedText(
        en=(
            "Sorry, that message is too long for me. "
            "Please ask your question in a shorter message (up to {limit} characters)."
        ),
        ja="申し訳ありません。メッセージが長すぎます。{limit}文字以内で短くご質問ください。",
    ),
    Fixed.RATE_LIMITED: FixedText(
        en="You're sending messages very quickly. Please wait a moment and try again.",
        ja="メッセージの送信が続いています。少し時間をおいてからもう一度お試しください。",
    ),
    Fixed.UNAVAILABLE: FixedText(
        en="Sorry, I can't answer right now — please try again in a moment.",
        ja="申し訳ありません。ただいま応答できません。しばらくしてからもう一度お試しください。",
    ),
}

_AMBIGUOUS_WORDS: tuple[str, ...] = tuple(LanguageDetector.get_default_config()["ambiguous_words"])


def message_language(text: str | None, metadata: Any = None) -> str | None:
    """ "ja" or "en": the script of `text`, else the channel's metadata {"language": ...};
    None when neither says (a fixed text is then given in both languages)."""
    return detect_language(text, _AMBIGUOUS_WORDS) or language_from_metadata(metadata, "language")


def fixed_text(kind: Fixed, language: str | None, **values: Any) -> str:
    """The fixed text for `kind` in `language` (both when None), with {placeholders} filled."""
    return FIXED_TEXTS[kind].text(language).format(**values)


# --- configuration ------------------------------------------------------------------------
def _number(
    value: Any, name: str, kind: Callable[[str], float | int], minimum: float
) -> float | int:
    try:
        number = kind(str(value).strip())
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise RasaException(f"{name} must be a number >= {minimum:g}, not {value!r}.")
    return number


@dataclass(frozen=True)
class GuardSettings:
    """Limits for one channel."""

    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    rate_limit_messages: int = DEFAULT_RATE_LIMIT_MESSAGES
    rate_limit_window_seconds: float = DEFAULT_RATE_LIMIT_WINDOW_SECONDS

    @classmethod
    def from_sources(
        cls, overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
    ) -> GuardSettings:
        """Settings from `overrides` (credentials.yml keys named like the fields), else the
        environment, else the defaults. A value that is not a number is a clear error."""
        overrides = overrides or {}
        env = os.environ if env is None else env

        def value(field: str, variable: str, default: Any) -> Any:
            if overrides.get(field) not in (None, ""):
                return overrides[field]
            if env.get(variable, "").strip():
                return env[variable]
            return default

        return cls(
            max_message_chars=int(
                _number(
                    value("max_message_chars", ENV_MAX_MESSAGE_CHARS, DEFAULT_MAX_MESSAGE_CHARS),
                    ENV_MAX_MESSAGE_CHARS,
                    int,
                    1,
                )
            ),
            rate_limit_messages=int(
                _number(
                    value(
                        "rate_limit_messages", ENV_RATE_LIMIT_MESSAGES, DEFAULT_RATE_LIMIT_MESSAGES
                    ),
                    ENV_RATE_LIMIT_MESSAGES,
                    int,
                    0,
                )
            ),
            rate_limit_window_seconds=float(
                _number(
                    value(
                        "rate_limit_window_seconds",
                        ENV_RATE_LIMIT_WINDOW,
                        DEFAULT_RATE_LIMIT_WINDOW_SECONDS,
                    ),
                    ENV_RATE_LIMIT_WINDOW,
                    float,
                    0.001,
                )
            ),
        )


# --- message checks -----------------------------------------------------------------------
class Verdict(enum.Enum):
    """What to do with a user message."""

    OK = "ok"
    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class MessageGuard:
    """Decides which messages may reach the model."""

    max_chars: int = DEFAULT_MAX_MESSAGE_CHARS

    def check(self, text: str) -> Verdict:
        """EMPTY for an empty or whitespace-only text, TOO_LONG for more than `max_chars`
        characters (code points), else OK."""
        if not text.strip():
            return Verdict.EMPTY
        if len(text) > self.max_chars:
            return Verdict.TOO_LONG
        return Verdict.OK

    def answer(self, verdict: Verdict, text: str, metadata: Any = None) -> str | None:
        """The polite answer for a message that must not reach the model; None for OK."""
        if verdict is Verdict.OK:
            return None
        language = message_language(text, metadata)
        if verdict is Verdict.EMPTY:
            return fixed_text(Fixed.EMPTY, language)
        return fixed_text(Fixed.TOO_LONG, language, limit=f"{self.max_chars:,}")


# --- rate limit ---------------------------------------------------------------------------
class RateLimiter:
    """At most `limit` messages per sender in any `window` seconds (a sliding window).

    Only allowed messages count, so a sender who keeps sending is let through again as soon
    as their older messages leave the window. `limit` 0 turns the limiter off. In-memory and
    per process: see the module docstring for several replicas.
    """

    def __init__(
        self,
        limit: int = DEFAULT_RATE_LIMIT_MESSAGES,
        window: float = DEFAULT_RATE_LIMIT_WINDOW_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_senders: int = DEFAULT_MAX_TRACKED_SENDERS,
    ) -> None:
        """A limiter; `clock` is injectable for tests."""
        if limit < 0 or window <= 0 or max_senders < 1:
            raise ValueError("limit >= 0, window > 0 and max_senders >= 1 are required")
        self.limit = limit
        self.window = window
        self.max_senders = max_senders
        self._clock = clock
        # sender -> times of their allowed messages, oldest first; senders least recently
        # seen first, so the idle ones are dropped from the front.
        self._times: OrderedDict[str, deque[float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        """False when the limit is 0."""
        return self.limit > 0

    def __len__(self) -> int:
        """How many senders are tracked."""
        return len(self._times)

    def _forget_idle(self, now: float) -> None:
        while self._times:
            sender, times = next(iter(self._times.items()))
            if len(self._times) <= self.max_senders and times and times[-1] > now - self.window:
                return
            del self._times[sender]

    def allow(self, sender: str) -> bool:
        """True, and the message counted, if `sender` is under the limit; else False."""
        if not self.enabled:
            return True
        now = self._clock()
        times = self._times.get(sender)
        if times is None:
            times = self._times[sender] = deque()
        self._times.move_to_end(sender)
        while times and times[0] <= now - self.window:
            times.popleft()
        allowed = len(times) < self.limit
        if allowed:
            times.append(now)
        self._forget_idle(now)
        return allowed

    def retry_after(self, sender: str) -> float:
        """Seconds until `sender` may send again (0 when they may now)."""
        times = self._times.get(sender)
        if not self.enabled or times is None or len(times) < self.limit:
            return 0.0
        return max(0.0, times[-self.limit] + self.window - self._clock())


def retry_after_seconds(limiter: Any, sender: str) -> int:
    """The Retry-After header's whole seconds for a sender over `limiter`'s limit (>= 1)."""
    return math.ceil(limiter.retry_after(sender)) or 1


def bot_message(recipient_id: str, text: str) -> dict[str, Any]:
    """A bot message as Rasa's REST channel answers them (the channels' own answers too)."""
    return {"recipient_id": recipient_id, "text": text}


# --- failed actions -----------------------------------------------------------------------
# When an action fails (for a custom action: the action server is down, times out or answers
# with an error), Rasa's MessageProcessor._run_action logs this at ERROR level on the
# `rasa.core.processor` logger, drops the action's events and carries on. Nothing else tells
# a channel: the turn just has fewer bot messages, none at all, or, when even
# `action_session_start` failed for a new conversation, the wrong ones (the tracker then has
# no `action_listen` before the first user message, so no rule matches and RulePolicy
# predicts `action_default_fallback`: "Sorry, I didn't understand").
# tests/channels/test_rest_guard.py pins this wording to the installed Rasa.
RASA_PROCESSOR_LOGGER = "rasa.core.processor"
ACTION_FAILED_PREFIX = "Encountered an exception while running action"


@dataclass
class ActionFailures:
    """The actions that failed while one message was handled."""

    actions: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.actions)


_current_turn: contextvars.ContextVar[ActionFailures | None] = contextvars.ContextVar(
    "bot_channels_action_failures", default=None
)


class _ActionFailureFilter(logging.Filter):
    """Notes Rasa's "action failed" records in the current turn's ActionFailures; lets every
    record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        failures = _current_turn.get()
        if failures is not None and isinstance(record.msg, str):
            message = record.getMessage()
            if message.startswith(ACTION_FAILED_PREFIX):
                name = message[len(ACTION_FAILED_PREFIX) :].strip().split("'")
                failures.actions.append(name[1] if len(name) > 1 else "?")
        return True


_FILTER = _ActionFailureFilter()


@contextlib.contextmanager
def watch_action_failures() -> Iterator[ActionFailures]:
    """Collects the actions that fail inside the block, e.g. around `on_new_message(...)`.

    Per asyncio task (a context variable), so concurrent messages don't mix. Relies on
    Rasa logging at ERROR level, which is on unless logging is set to CRITICAL.
    """
    processor_logger = logging.getLogger(RASA_PROCESSOR_LOGGER)
    if _FILTER not in processor_logger.filters:
        processor_logger.addFilter(_FILTER)
    failures = ActionFailures()
    token = _current_turn.set(failures)
    try:
        yield failures
    finally:
        _current_turn.reset(token)


async def read_limited_body(request: Any, limit: int) -> bytes | None:
    """A request's raw body, or None when it is larger than `limit` bytes.

    Reads the stream chunk by chunk, so a huge body is refused without being held in memory
    (and a body without Content-Length is still bounded).
    """
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return None
    if request.stream is None:  # not streamed (an app that reads bodies itself)
        return request.body if len(request.body) <= limit else None
    body = bytearray()
    async for chunk in request.stream:
        body.extend(chunk)
        if len(body) > limit:
            return None
    return bytes(body)
