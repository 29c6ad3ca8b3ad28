"""Office actions: contact details for a place, the office list, the head office."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import language_of, latest_text, send
from bot.answers import offices as answers
from bot.knowledge import Knowledge, PlaceMatch, find_places, get_knowledge, resolve_place


def _match_from_tracker(knowledge: Knowledge, tracker: Tracker) -> tuple[PlaceMatch | None, str]:
    """The place the user asked about, and how they wrote it ('' if they named none).

    The NLU's `place` entities come first; if it found none, the text itself is scanned,
    so a missed entity still finds a known name.
    """
    names = [value for value in tracker.get_latest_entity_values("place") if value]
    for name in names:
        match = resolve_place(knowledge, name)
        if match is not None:
            return match, name
    found = find_places(knowledge, latest_text(tracker))
    if found:
        return found[0], ""
    return None, names[0] if names else ""


class ActionOfficeContact(Action):
    """Answers with an office's contact details for the office, city, country or region asked."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_office_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Resolve the place, then answer: the card, a choice, or the list."""
        knowledge = get_knowledge()
        lang = language_of(tracker)
        match, asked = _match_from_tracker(knowledge, tracker)
        if match is not None:
            replies, office = answers.place_answer(knowledge, match, lang, latest_text(tracker))
            send(dispatcher, replies)
            return [SlotSet("office", office.id)] if office else []
        if asked:
            send(dispatcher, answers.not_found(knowledge, asked, lang))
            return []
        # No place named: a follow-up such as "what's their phone number?" keeps the office.
        current = tracker.get_slot("office")
        if current:
            try:
                office = knowledge.office(current)
            except KeyError:
                office = None
            if office is not None:
                send(dispatcher, answers.office_card(office, lang, latest_text(tracker)))
                return []
        send(dispatcher, answers.ask_for_place(knowledge, lang))
        return []


class ActionListOffices(Action):
    """Lists every office on the page."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_list_offices"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the office list in the user's language."""
        send(dispatcher, [answers.office_list(get_knowledge(), language_of(tracker))])
        return []


class ActionHeadquarters(Action):
    """Answers where ICLEI's head office (the World Secretariat) is, with its contacts."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_headquarters"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the head office's location and contact card."""
        replies = answers.headquarters(get_knowledge(), language_of(tracker), latest_text(tracker))
        send(dispatcher, replies)
        return [SlotSet("office", answers.HEADQUARTERS_ID)]
