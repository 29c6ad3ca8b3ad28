"""The FAQ action: answers questions about ICLEI with facts from the knowledge base."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import (
    country_named,
    language_of,
    latest_intent,
    latest_text,
    send,
)
from actions.enquiry_submission import sent_to
from actions.offices import current_office
from bot.answers.enquiry import chat_data_use
from bot.answers.facts import fact_values, faq_reply
from bot.answers.followups import facet_reply
from bot.answers.office_details import not_listed
from bot.answers.offices import HEADQUARTERS_ID, office_card
from bot.answers.reply import Reply
from bot.dialogue.asked import (
    asks_about_activities,
    asks_about_associate_partnership,
    asks_about_coming_events,
    asks_about_fees,
    asks_about_later_plans,
    asks_about_personal_data,
    asks_about_un_standing,
    asks_for_a_figures_source,
    asks_for_the_ccp_steps,
    asks_how_soon_iclei_replies,
    asks_if_still_running,
    asks_member_status,
    asks_when_an_office_opened,
    asks_who_can_join,
    asks_why_join,
    facet_asked,
    is_short,
    mentions_membership,
    names_an_office,
    names_iclei,
    names_the_seoul_plan,
)
from bot.knowledge import Office, find_places, get_knowledge


def _office_in_question(tracker: Tracker, intent: str | None, text: str) -> Office | None:
    """The office a question the page cannot answer is about: the one just discussed, when
    the question does not name ICLEI as a whole ("who leads ICLEI?")."""
    if intent != "ask_other_iclei_topic":
        return None
    if tracker.get_slot("topic") != "office" and not names_an_office(text):
        # "Does the Japan office have anyone who speaks English?" names its office.
        return None
    if (
        names_iclei(text)
        or asks_about_fees(text)
        or mentions_membership(text)
        or asks_about_coming_events(text)
        or asks_member_status(text)
    ):
        return None  # ICLEI's as a whole: fees and world congresses are not an office's
    knowledge = get_knowledge()
    named = [match for match in find_places(knowledge, text) if not match.is_ambiguous]
    if named:
        # "the client is actually in Jakarta, not Singapore. Does that change anything?":
        # the place named first, not the office discussed before.
        return named[0].offices[0]
    return current_office(knowledge, tracker)


def _asks_when_the_office_opened(tracker: Tracker, intent: str | None, text: str) -> bool:
    """True when a question about an opening, in words used of an office, follows an office
    and does not name ICLEI."""
    return (
        intent in _HISTORY_INTENTS
        and tracker.get_slot("topic") == "office"
        and asks_when_an_office_opened(text)
        and not names_iclei(text)
    )


# Answers from the page's history, which says nothing of what goes on today.
_HISTORY_INTENTS = frozenset({"ask_first_programmes", "ask_history", "ask_founding"})

# Answers that end "tell me your country", and their wording once the visitor has named it.
_YOUR_OFFICE_RESPONSES = {
    "utter_member_list_not_on_page": "utter_member_list_not_on_page_your_office",
    "ask_other_iclei_topic": "utter_not_on_page_ask_your_office",
    "ask_membership": "utter_ask_membership_your_office",
}


class ActionAnswerFaq(Action):
    """Answers an FAQ intent with its `utter_<intent>` response, facts filled in."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the answer for the latest intent; an unexpected intent gets the fallback."""
        intent = latest_intent(tracker)
        text = latest_text(tracker)
        if intent == "ask_name" and is_short(text) and facet_asked(text) == "when":
            # 「名前が変わったのはいつ？」 asks one date of the name's story: its short answer.
            send(dispatcher, [facet_reply(get_knowledge(), intent, "when", language_of(tracker))])
            return [SlotSet("topic", intent)]
        if intent == "ask_mission" and asks_about_later_plans(text):
            # "ICLEI's strategy for the next five years?": the page's mission is from the
            # 2015–2021 strategy; say so, and that nothing later is on the page.
            values = fact_values(get_knowledge(), language_of(tracker))
            send(dispatcher, [Reply("utter_later_strategy_not_on_page", values)])
            return [SlotSet("topic", intent)]
        if intent in _HISTORY_INTENTS | {"ask_other_iclei_topic"} and asks_for_the_ccp_steps(text):
            # "what are the five steps?": the page names the process, not its steps.
            values = fact_values(get_knowledge(), language_of(tracker))
            send(dispatcher, [Reply("utter_ccp_steps_not_on_page", values)])
            return [SlotSet("topic", "ask_first_programmes")]
        reference = tracker.get_slot("enquiry_reference")
        if intent == "ask_other_iclei_topic" and asks_how_soon_iclei_replies(text) and reference:
            # "how long until someone gets back to us?" after sending: not on the page; where
            # the enquiry went, with its reference.
            office = sent_to(tracker) or get_knowledge().office(HEADQUARTERS_ID)
            values = {"reference": reference, "office_name": office.name.get(language_of(tracker))}
            send(dispatcher, [Reply("utter_reply_time_not_on_page_sent", values)])
            return []
        if intent == "ask_other_iclei_topic" and asks_about_personal_data(text, named=True):
            # 「ここでしゃべった内容って保存されてんの？」: how the chat and an enquiry are kept.
            send(dispatcher, chat_data_use(language_of(tracker)))
            return []
        if intent in ("what_is_iclei", "ask_mission") and asks_about_activities(text):
            # "Could you tell me briefly what ICLEI actually does?": what the page says it does.
            values = fact_values(get_knowledge(), language_of(tracker))
            send(dispatcher, [Reply("utter_iclei_activities", values)])
            return [SlotSet("topic", "ask_mission")]
        if intent == "ask_mission" and names_the_seoul_plan(text):
            values = fact_values(get_knowledge(), language_of(tracker))
            send(dispatcher, [Reply("utter_seoul_plan", values)])
            return [SlotSet("topic", intent)]
        if intent in _HISTORY_INTENTS and asks_if_still_running(text):
            # "is CCP still running today?": the page tells the history, not what goes on now.
            intent = "ask_other_iclei_topic"
        office = _office_in_question(tracker, intent, text)
        if office is None and _asks_when_the_office_opened(tracker, intent, text):
            # "…when was it opened?" right after the USA Office: that office's date, which
            # the page does not give (ICLEI's own founding is not the answer).
            office = current_office(get_knowledge(), tracker)
        if office is not None:
            # 「会費はいくら？」 right after the Japan Office: that office, which can tell.
            lang = language_of(tracker)
            send(
                dispatcher, [not_listed(get_knowledge(), office, lang), *office_card(office, lang)]
            )
            return []
        reply = faq_reply(get_knowledge(), intent, language_of(tracker))
        if reply is None:
            dispatcher.utter_message(response="utter_default")
            return []
        if intent == "ask_membership" and asks_about_associate_partnership(text):
            # "the difference between full membership and that associate partnership thing?"
            send(dispatcher, [Reply("utter_associate_partnership_not_on_page", reply.values)])
        elif intent == "ask_membership" and asks_who_can_join(text):
            # "Can an NGO like ours join?": the page speaks of local governments only.
            send(dispatcher, [Reply("utter_who_can_join_not_on_page", reply.values)])
        elif intent == "ask_membership" and asks_why_join(text):
            # What members get is not on the page; why local action matters is.
            values = fact_values(get_knowledge(), language_of(tracker))
            send(dispatcher, [Reply("utter_why_join_not_on_page", values)])
        if intent == "ask_other_iclei_topic" and asks_member_status(text):
            # "Is Yokohama already a member?": the page has no list of members.
            reply = Reply("utter_member_list_not_on_page", reply.values)
        elif intent == "ask_other_iclei_topic" and asks_for_a_figures_source(text):
            # 「その70%って何年のデータ？」: the page gives its figures without year or source.
            send(dispatcher, [Reply("utter_figures_source_not_on_page", reply.values)])
            return [SlotSet("topic", intent)]
        elif intent == "ask_other_iclei_topic" and asks_about_un_standing(text):
            # "Was it the UN?": the page tells only where ICLEI was founded.
            send(dispatcher, [Reply("utter_un_standing_not_on_page", reply.values)])
            return [SlotSet("topic", intent)]
        your_office = _YOUR_OFFICE_RESPONSES.get(reply.response) or _YOUR_OFFICE_RESPONSES.get(
            intent or ""
        )
        # 「いまのイクレイの会長ってだれ？」 after Vietnam asks about ICLEI as a whole: a
        # country counts only when this very question names it.
        whole_iclei = names_iclei(text) and not asks_member_status(text)
        named = None
        if your_office:
            named = country_named(tracker, 1) if whole_iclei else country_named(tracker)
        if your_office and named is not None:
            # "Tell me your country" would ask again what the visitor already said ("Our
            # town in Chile might want to join"): the office for that country, with its card.
            lang, knowledge = language_of(tracker), get_knowledge()
            known = knowledge.office_for_country(named)
            values = {
                **reply.values,
                "office_name": known.name.get(lang),
                "country": knowledge.country(named).name.get(lang),
            }
            send(
                dispatcher,
                [Reply(your_office, values), *office_card(known, lang)],
            )
            return [SlotSet("topic", intent)]
        send(dispatcher, [reply])
        # The topic gives a follow-up ("and where?") its referent.
        return [SlotSet("topic", intent)]
