"""Short follow-ups that lean on the conversation: "and the phone?", 「カナダは？」, "where?"."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import language_of, latest_text, send
from actions.offices import (
    answer_named_place,
    current_office,
    office_events,
    office_replies,
)
from bot.answers.facts import faq_reply
from bot.answers.followups import facet_reply
from bot.answers.offices import HEADQUARTERS_ID
from bot.dialogue.asked import (
    asks_what_the_page_lacks,
    attributes_asked,
    facet_asked,
    fact_named,
    is_travel_or_everyday,
)
from bot.knowledge import get_knowledge

_OFFICE_TOPICS = ("office", "office_list")


class ActionFollowup(Action):
    """Answers a follow-up about what was just discussed, never a fresh guess."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Another place, an office detail, or a facet of the last fact, in that order."""
        knowledge = get_knowledge()
        lang = language_of(tracker)
        text = latest_text(tracker)
        # "and the US one?", 「カナダは？」: the same question about another place.
        events = answer_named_place(dispatcher, knowledge, tracker, lang)
        if events is not None:
            return events
        # 「名前が変わったのはいつ？」 asks about the fact it names, not the last topic.
        topic = fact_named(text) or tracker.get_slot("topic")
        office = current_office(knowledge, tracker)
        attributes = attributes_asked(text)
        if office is not None and (topic in _OFFICE_TOPICS or attributes):
            send(dispatcher, office_replies(knowledge, office, text, lang))
            return office_events(office)
        if is_travel_or_everyday(text):
            # Directions with no office discussed yet: not a question it can answer.
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        if asks_what_the_page_lacks(text):
            # 「事務所の受付時間は？」 with no office discussed yet: the page does not say.
            send(dispatcher, [faq_reply(knowledge, "ask_other_iclei_topic", lang)])
            return []
        if [attribute for attribute in attributes if attribute != "address"]:
            # "email?" with no office in context: ICLEI's own contact is the World Secretariat.
            hq = knowledge.office(HEADQUARTERS_ID)
            send(dispatcher, office_replies(knowledge, hq, text, lang))
            return office_events(hq)
        send(dispatcher, [facet_reply(knowledge, topic, facet_asked(text), lang)])
        return []
