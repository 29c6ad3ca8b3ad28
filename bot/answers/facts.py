"""Template values for the FAQ responses: the facts, in the user's language."""

from __future__ import annotations

from bot.answers.reply import Reply
from bot.knowledge import Knowledge

# Intents answered by a domain response `utter_<intent>` filled with facts.
FAQ_INTENTS = (
    "what_is_iclei",
    "ask_mission",
    "ask_why_cities",
    "ask_history",
    "ask_founding",
    "ask_name",
    "ask_first_programmes",
    "ask_size",
    "ask_membership",
    "ask_other_iclei_topic",
)


def fact_values(knowledge: Knowledge, lang: str | None) -> dict[str, str]:
    """Every fact in `lang`, keyed by the placeholder names the responses use."""
    return knowledge.fact_values(lang)


def faq_reply(knowledge: Knowledge, intent: str | None, lang: str | None) -> Reply | None:
    """The answer to an FAQ intent, or None for an intent that is not an FAQ."""
    if intent not in FAQ_INTENTS:
        return None
    return Reply(f"utter_{intent}", fact_values(knowledge, lang))
