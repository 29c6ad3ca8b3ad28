"""Questions asked in the middle of the enquiry form: answered, then the form goes on."""

from __future__ import annotations

import re
import unicodedata

from bot.answers import offices
from bot.answers.facts import FAQ_INTENTS, faq_reply
from bot.answers.reply import Reply
from bot.knowledge import Knowledge

# Below this the message is taken as the answer to the form's question: names, emails and
# places are often classified as some question with middling confidence.
CONFIDENCE = 0.9
# When the message is not a valid answer anyway (a country, email or population), a question
# the model reads with less confidence is still better answered than refused as invalid.
CONFIDENCE_INSTEAD_OF_INVALID = 0.5
STATIC_ANSWERS = {"help": "utter_help", "bot_challenge": "utter_iamabot"}
# Office questions ("which office handles Peru?") are answered by the form action, which has
# the message's places (actions/enquiry_form.py); the others here.
OFFICE_QUESTIONS = ("ask_office_contact",)
ANSWERABLE = (*FAQ_INTENTS, *STATIC_ANSWERS, "list_offices", "ask_headquarters", *OFFICE_QUESTIONS)

# A clear question or request to the bot, as opposed to a name or a place: English that
# starts with a question word; Japanese that ends like a question or asks with an
# interrogative ("どこ", "いつ") or a request ("教えて"). Names such as "Will" or "May" are
# deliberately absent.
_EN_QUESTION_START = re.compile(
    r"^(what|what's|whats|when|where|where's|who|who's|whom|whose|which|why|how|how's|is|are|"
    r"was|were|do|does|did|can|could|would|should|tell me|show me|explain|i'd like to know|"
    r"i would like to know|i want to know)\b",
    re.IGNORECASE,
)
_JA_QUESTION_END = re.compile(
    r"(ですか|ますか|でしょうか|ませんか|ましたか|でしたか|のか|かな|かしら|とは|って)$"
)
_JA_ASKING = re.compile(
    r"何|なに|いつ|どこ|どちら|どなた|誰|だれ|どれ|どんな|どのよう|どうして|なぜ|いくつ|いくら|"
    r"教えて|知りたい"
)
_TRAILING = "。．.!！ 　"
# Words a chat question may start with ("cool is there a website for it").
_LEAD_IN = re.compile(
    r"^(?:(?:cool|ok(?:ay)?|hmm+|oh|so|and|but|actually|wait|great|nice|thanks|thx|right|"
    r"well|also|btw|by the way)\b[\s,.!]*)+",
    re.IGNORECASE,
)


def looks_like_question(text: str | None) -> bool:
    """Whether a message reads as a question or request to the bot, not as a plain answer."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text or text.startswith("/"):  # a button payload
        return False
    if text.rstrip(_TRAILING).endswith("?"):
        return True
    text = _LEAD_IN.sub("", text.rstrip(_TRAILING))
    return bool(
        _EN_QUESTION_START.search(text) or _JA_QUESTION_END.search(text) or _JA_ASKING.search(text)
    )


def is_interruption(
    intent: str | None,
    confidence: float,
    text: str | None = None,
    min_confidence: float = CONFIDENCE,
) -> bool:
    """Whether a message in the form is a question to answer rather than an answer.

    With `text`, the message must also read as a question (`looks_like_question`): a name or
    a message that the NLU takes for a question is still an answer.
    """
    if intent not in ANSWERABLE or confidence < min_confidence:
        return False
    return text is None or looks_like_question(text)


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
