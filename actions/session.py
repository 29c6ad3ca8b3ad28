"""Session start: carries slots over and takes the channel's preferred language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

SUPPORTED_LANGUAGES = ("en", "ja")
# Slots a new session does not inherit: an abandoned enquiry's answers (personal data) and
# the form's bookkeeping. The conversation's language, office and topic carry over.
NOT_CARRIED_PREFIXES = ("enquiry_",)
NOT_CARRIED = frozenset({"session_started_metadata", "requested_slot"})


def preferred_language(metadata: dict[str, Any] | None) -> str | None:
    """The language a channel asks for in message metadata ('ja-JP' -> 'ja'), if supported."""
    if not isinstance(metadata, dict):
        return None
    value = metadata.get("language")
    if not isinstance(value, str):
        return None
    code = value.strip().lower().split("-")[0].split("_")[0]
    return code if code in SUPPORTED_LANGUAGES else None


class ActionSessionStart(Action):
    """Starts a session: old slots carried over, `language` from the channel's metadata."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """SessionStarted, the carried-over slots, the preferred language, then listen."""
        events: list[EventType] = [SessionStarted()]
        carried = {
            name: value
            for name, value in tracker.current_slot_values().items()
            if value is not None
            and name not in NOT_CARRIED
            and not name.startswith(NOT_CARRIED_PREFIXES)
        }
        events.extend(SlotSet(name, value) for name, value in carried.items())
        language = preferred_language(tracker.get_slot("session_started_metadata"))
        if language and "language" not in carried:
            events.append(SlotSet("language", language))
        events.append(ActionExecuted("action_listen"))
        return events
