"""Language requests: "Could you answer in Japanese?", 「英語でお願いします」."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_text
from bot.dialogue.asked import language_asked, language_requested

# Each confirmation is written in its own language (domain.yml says why).
_CONFIRMATION = {"en": "utter_language_switched_en", "ja": "utter_language_switched_ja"}


class ActionSwitchLanguage(Action):
    """Switches the conversation to the language asked for, and says so in that language."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_switch_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Set the language (held until the visitor asks for another), then confirm."""
        text = latest_text(tracker)
        wanted = language_requested(text) or language_asked(text)
        if wanted is None:
            dispatcher.utter_message(response="utter_language_options")
            return []
        # The response variation follows the `language` slot, so set it before answering.
        events = [SlotSet("language", wanted), SlotSet("preferred_language", wanted)]
        dispatcher.utter_message(response=_CONFIRMATION[wanted])
        return events
