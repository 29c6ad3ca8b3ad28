"""Language requests: "Could you answer in Japanese?", 「英語でお願いします」."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import latest_text, send
from actions.offices import current_office
from bot.answers import Reply
from bot.answers import offices as office_answers
from bot.answers.facts import faq_reply
from bot.dialogue.asked import in_another_language, language_asked, language_requested
from bot.dialogue.language_switch import asks_again
from bot.knowledge import Knowledge, get_knowledge


def last_answer(knowledge: Knowledge, tracker: Tracker, lang: str) -> list[Reply]:
    """The answer the conversation last gave (a fact, an office, the office list), from the
    `topic` and `office` slots; nothing when there is none."""
    topic = tracker.get_slot("topic")
    if topic == "office":
        office = current_office(knowledge, tracker)
        return office_answers.office_card(office, lang) if office is not None else []
    if topic == "office_list":
        return [office_answers.office_list(knowledge, lang)]
    reply = faq_reply(knowledge, topic, lang)
    return [reply] if reply else []


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
        if asks_again(text):
            # "Could you give me that in English, please?": the last answer, in English.
            send(dispatcher, last_answer(get_knowledge(), tracker, wanted))
        return [SlotSet("language", wanted), SlotSet("preferred_language", wanted)]
