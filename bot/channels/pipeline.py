"""The one guarded path every input channel takes to Rasa.

A channel reads its body (`read_body`, bounded), parses it into an `Inbound` message, and
calls `handle`, which
1. answers an empty or over-long message itself (`utter_channel_*`, in the message's
   language) without the model;
2. applies the rate limits per client address and per sender and the in-flight cap
   (`limits.py`), answering 429 / 503 with Retry-After;
3. hands the message to Rasa under the channel's own sender namespace (`webchat:...`,
   `line:...`: no channel can address another's conversation);
4. answers with the apology when an action failed or Rasa said nothing (the action server
   is down or broke), and with the apology and 503 when Rasa itself failed (a tracker or
   lock store that is down), logging the error's type and frames but never the message;
5. returns the collected bot messages.

A channel keeps only what is its own: how its body is parsed and authenticated and how the
answer is delivered (REST: JSON or a stream; web chat: CORS and the widget's files; LINE:
the signature, events and reply/push).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage

from bot.channels import texts
from bot.channels.limits import Limits, LimitSettings, Refused, client_address
from bot.nlu.language_detector import LanguageDetector, detect_language, language_from_metadata

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
DEFAULT_MAX_BODY_BYTES = 64 * 1024
# Seconds a client is asked to wait after Rasa itself failed.
UNAVAILABLE_RETRY_AFTER = 5

_AMBIGUOUS_WORDS: tuple[str, ...] = tuple(LanguageDetector.get_default_config()["ambiguous_words"])


def message_language(text: str | None, metadata: Any = None) -> str | None:
    """ "ja" or "en": the script of `text`, else the metadata's {"language": ...}; None when
    neither says (a fixed text is then given in both languages)."""
    return detect_language(text, _AMBIGUOUS_WORDS) or language_from_metadata(metadata, "language")


def bot_message(recipient_id: str, text: str) -> dict[str, Any]:
    """A bot message as Rasa's REST channel answers them."""
    return {"recipient_id": recipient_id, "text": text}


@dataclass(frozen=True)
class Inbound:
    """One user message as a channel parsed it."""

    sender: str  # the id the channel's client uses; stored with the channel's prefix
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    address: str | None = None  # the client's address; None: not limited per address
    message_id: str | None = None
    input_channel: str | None = None

    @property
    def language(self) -> str | None:
        """The message's language, for the channel's own answers."""
        return message_language(self.text, self.metadata)


@dataclass
class Outcome:
    """What to answer: the bot messages, the HTTP status and extra headers."""

    messages: list[dict[str, Any]]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    answered_by_rasa: bool = False


class CollectedOutput(CollectingOutputChannel):
    """Collects one turn's bot messages under the channel's name (so `channel:` response
    variations apply). `whole_texts` keeps a text's paragraphs in one message (the widget and
    LINE show line breaks; Rasa's collector makes each paragraph a message, as REST does)."""

    def __init__(self, channel: str, whole_texts: bool = True) -> None:
        super().__init__()
        self.channel, self.whole_texts = channel, whole_texts

    def name(self) -> str:  # type: ignore[override] - one class for every channel
        """The channel name response variations are conditioned on."""
        return self.channel

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """One message per text when `whole_texts`, else one per paragraph."""
        if not self.whole_texts:
            await super().send_text_message(recipient_id, text, **kwargs)
            return
        await self._persist_message(self._message(recipient_id, text=text))


# --- failed actions -----------------------------------------------------------------------
# When an action fails (the action server is down, times out or answers with an error),
# Rasa's MessageProcessor._run_action logs this at ERROR level on `rasa.core.processor`,
# drops the action's events and carries on; nothing else tells a channel. The turn then has
# fewer bot messages, none, or, when `action_session_start` failed for a new conversation,
# the wrong ones ("Sorry, I didn't understand"). tests/channels pin the wording to the
# installed Rasa.
RASA_PROCESSOR_LOGGER = "rasa.core.processor"
ACTION_FAILED_PREFIX = "Encountered an exception while running action"

_current_turn: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "bot_channels_failed_actions", default=None
)


class _ActionFailureFilter(logging.Filter):
    """Notes Rasa's "action failed" records in the current turn; lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        failed = _current_turn.get()
        if failed is not None and isinstance(record.msg, str):
            message = record.getMessage()
            if message.startswith(ACTION_FAILED_PREFIX):
                name = message[len(ACTION_FAILED_PREFIX) :].strip().split("'")
                failed.append(name[1] if len(name) > 1 else "?")
        return True


_FILTER = _ActionFailureFilter()


@contextlib.contextmanager
def watch_action_failures() -> Iterator[list[str]]:
    """The names of the actions that fail inside the block (per asyncio task)."""
    processor_logger = logging.getLogger(RASA_PROCESSOR_LOGGER)
    if _FILTER not in processor_logger.filters:
        processor_logger.addFilter(_FILTER)
    failed: list[str] = []
    token = _current_turn.set(failed)
    try:
        yield failed
    finally:
        _current_turn.reset(token)


# --- the path -----------------------------------------------------------------------------
class GuardedInput(InputChannel):
    """Base of the project's input channels: the guarded path from a parsed message to the
    bot's answer. Subclasses give `name()` and their routes."""

    # The prefix of this channel's stored sender ids ("" only for REST, whose ids may not
    # contain ":", so they can never be another channel's).
    sender_prefix = ""
    max_body_bytes = DEFAULT_MAX_BODY_BYTES
    whole_texts = True

    def __init__(self, settings: LimitSettings | None = None, *, limits: Limits | None = None):
        """A channel with `settings` (else the environment's), sharing limits via REDIS_URL."""
        self.settings = settings or LimitSettings.from_sources()
        self.limits = limits or Limits.from_environment(self.settings)

    def stored_sender(self, sender: str) -> str:
        """The tracker's sender id for the channel's own id."""
        return self.sender_prefix + sender

    def address(self, request: Any) -> str:
        """The client's address (see limits.client_address)."""
        peer = getattr(getattr(request, "conn_info", None), "client_ip", None) or request.ip
        return client_address(
            peer, request.headers.get("x-forwarded-for"), self.settings.trusted_proxies
        )

    async def read_body(self, request: Any) -> bytes | None:
        """The raw body, or None when it is larger than `max_body_bytes`; read chunk by
        chunk, so a huge body is refused without being held in memory."""
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            return None
        if request.stream is None:  # not streamed (an app that read the body itself)
            return request.body if len(request.body) <= self.max_body_bytes else None
        body = bytearray()
        async for chunk in request.stream:
            body.extend(chunk)
            if len(body) > self.max_body_bytes:
                return None
        return bytes(body)

    def fixed(self, message: Inbound, name: str, status: int = 200, **values: Any) -> Outcome:
        """An answer of the channel's own, in the message's language."""
        text = texts.fixed_text(name, message.language, **values)
        return Outcome([bot_message(message.sender, text)], status)

    async def handle(
        self,
        message: Inbound,
        on_new_message: OnNewMessage,
        output: CollectingOutputChannel | None = None,
    ) -> Outcome:
        """The answer to `message` (see the module docstring). `output` may be a channel's
        own collector (REST's stream); it must collect into `.messages`."""
        if not message.text.strip():
            return self.fixed(message, texts.EMPTY)
        limit = self.settings.max_message_chars
        if len(message.text) > limit:
            return self.fixed(message, texts.TOO_LONG, limit=f"{limit:,}")
        sender = self.stored_sender(message.sender)
        output = output if output is not None else CollectedOutput(self.name(), self.whole_texts)
        try:
            await self.limits.admit(sender, message.address)
            with self.limits.slot(), watch_action_failures() as failed:
                await on_new_message(
                    UserMessage(
                        message.text,
                        output,
                        sender,
                        input_channel=message.input_channel or self.name(),
                        message_id=message.message_id,
                        metadata=message.metadata,
                    )
                )
        except Refused as refused:
            outcome = self.fixed(message, refused.response, refused.status)
            outcome.headers["Retry-After"] = str(refused.retry_after)
            return outcome
        except Exception as error:  # noqa: BLE001 - Rasa failed: a store down, a bug
            # Frames, not the message: exception texts can quote SQL parameters (user text).
            logger.error(
                "%s: a message could not be handled: %s\n%s",
                self.name(),
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )
            outcome = self.fixed(message, texts.UNAVAILABLE, 503)
            outcome.headers["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
            return outcome
        if failed or not output.messages:
            logger.warning(
                "%s: sent the apology: %s",
                self.name(),
                f"action(s) {', '.join(failed)} failed (is the action server up?)"
                if failed
                else "the assistant said nothing",
            )
            return self.fixed(message, texts.UNAVAILABLE)
        for sent in output.messages:  # answered to the id the client knows
            if sent.get("recipient_id") == sender:
                sent["recipient_id"] = message.sender
        return Outcome(output.messages, answered_by_rasa=True)
