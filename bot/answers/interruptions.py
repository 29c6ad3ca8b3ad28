"""Questions asked in the middle of the enquiry form: answered, then the form goes on."""

from __future__ import annotations

from bot.answers import offices
from bot.answers.facts import FAQ_INTENTS, faq_reply
from bot.answers.reply import Reply
from bot.knowledge import Knowledge

# Below this the message is taken as the answer to the form's question: names, emails and
# places are often classified as some question with middling confidence.
CONFIDENCE = 0.9
STATIC_ANSWERS = {"help": "utter_help", "bot_challenge": "utter_iamabot"}
ANSWERABLE = (*FAQ_INTENTS, *STATIC_ANSWERS, "list_offices", "ask_headquarters")


def is_interruption(intent: str | None, confidence: float) -> bool:
    """Whether a message in the form is a question to answer rather than an answer."""
    return intent in ANSWERABLE and confidence >= CONFIDENCE


def answer(knowledge: Knowledge, intent: str, lang: str | None) -> list[Reply]:
    """The answer the bot gives to that question outside the form."""
    if intent in STATIC_ANSWERS:
        return [Reply(STATIC_ANSWERS[intent])]
    if intent == "list_offices":
        return [offices.office_list(knowledge, lang)]
    if intent == "ask_headquarters":
        return offices.headquarters(knowledge, lang)
    reply = faq_reply(knowledge, intent, lang)
    return [reply] if reply else []
