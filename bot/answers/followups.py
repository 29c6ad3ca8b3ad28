"""Answers to a short follow-up about the last fact: "and where?", 「それはいつ？」, "who?"."""

from __future__ import annotations

from bot.answers.facts import fact_values, faq_reply
from bot.answers.offices import HEADQUARTERS_ID
from bot.answers.reply import Reply
from bot.dialogue.asked import Facet
from bot.knowledge import Knowledge

_FOUNDING = {
    "when": "utter_followup_founding_when",
    "where": "utter_followup_founding_where",
    "who": "utter_followup_founding_who",
    "how_many": "utter_followup_founding_who",
}
# Which facet of which topic has its own answer; the founding story is also the history's
# and the short description's first fact.
_FACETS: dict[str, dict[str, str]] = {
    "ask_founding": _FOUNDING,
    "ask_history": _FOUNDING,
    "what_is_iclei": {
        "when": "utter_followup_founding_when",
        "where": "utter_followup_founding_where",
    },
    "ask_name": {"when": "utter_followup_renamed_when"},
}


def facet_reply(knowledge: Knowledge, topic: str | None, facet: Facet | None, lang: str) -> Reply:
    """The answer to a facet of the last topic: its own answer, the topic's answer again when
    the facet is what the topic is about, or an honest "the page does not list that"."""
    values = fact_values(knowledge, lang)
    values["hq_web"] = knowledge.office(HEADQUARTERS_ID).web or ""
    if not topic:
        return Reply("utter_followup_no_context")
    specific = _FACETS.get(topic, {}).get(facet or "")
    if specific:
        return Reply(specific, values)
    if facet in (None, "what"):
        again = faq_reply(knowledge, topic, lang)
        if again is not None:
            return again
    return Reply("utter_followup_not_listed", values)
