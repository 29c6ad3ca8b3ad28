"""Every change this project makes to Rasa's internals, installed explicitly at start-up.

Each patch was written against Rasa 3.6 and is refused on any other version, so an upgrade
fails loudly at start-up instead of misbehaving quietly.

- `RemoteAction._validate_action_result`: the action response schema is checked once, not
  per response (bot/action_response_validation.py).
- `MessageProcessor.handle_message`: a message is read clause by clause, so compound
  questions get every part answered and a preamble does not hide the question; a language
  the visitor asked for holds (bot/dialogue/turns.py).
"""

from __future__ import annotations

import rasa
from rasa.core.processor import MessageProcessor

from bot import action_response_validation
from bot.dialogue import turns

SUPPORTED = "3.6."


class UnsupportedRasaVersion(RuntimeError):
    """The installed Rasa is not the version these patches were written for."""


def install() -> None:
    """Install every patch once (idempotent); raise on an unsupported Rasa version."""
    if not rasa.__version__.startswith(SUPPORTED):
        raise UnsupportedRasaVersion(
            f"bot/rasa_compat.py was written for Rasa {SUPPORTED}x, found {rasa.__version__}"
        )
    action_response_validation.install()
    if not hasattr(MessageProcessor.handle_message, "__wrapped__"):
        MessageProcessor.handle_message = turns.wrap(MessageProcessor.handle_message)  # type: ignore[method-assign]


def installed() -> bool:
    """True when the message-processor patch is in place."""
    return hasattr(MessageProcessor.handle_message, "__wrapped__")
