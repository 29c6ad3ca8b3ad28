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

HEADQUARTERS_ID = "world_secretariat"


def fact_values(knowledge: Knowledge, lang: str | None) -> dict[str, str]:
    """Every fact in `lang`, plus the head office's city, country and website."""
    values = knowledge.fact_values(lang)
    head_office = knowledge.office(HEADQUARTERS_ID)
    values.update(
        hq_city=head_office.city.get(lang),
        hq_country=knowledge.country(head_office.country).name.get(lang),
        hq_web=head_office.web or "",
    )
    return values


def faq_reply(knowledge: Knowledge, intent: str | None, lang: str | None) -> Reply | None:
    """The answer to an FAQ intent, or None for an intent that is not an FAQ."""
    if intent not in FAQ_INTENTS:
        return None
    return Reply(f"utter_{intent}", fact_values(knowledge, lang))
