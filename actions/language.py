"""Language requests: "Could you answer in Japanese?", 「英語でお願いします」."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_text
from bot.dialogue.asked import in_another_language, language_asked, language_requested


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
        if in_another_language(text):
            dispatcher.utter_message(response="utter_other_language")
            return []
        wanted = language_requested(text) or language_asked(text)
        if wanted is None:
            dispatcher.utter_message(response="utter_language_options")
            return []
        # The `language` slot already holds the requested language (bot/dialogue/turns.py
        # sets it from the request), so the confirmation comes in the new language.
        dispatcher.utter_message(response="utter_language_switched")
        return [SlotSet("language", wanted), SlotSet("preferred_language", wanted)]
