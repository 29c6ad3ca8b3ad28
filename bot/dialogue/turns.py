"""Rasa's `MessageProcessor.handle_message`, reading a message clause by clause first.

Every channel (REST, web chat, LINE, the staff shell) hands its messages to
`MessageProcessor.handle_message`, so this is the one place where a compound message can
become several turns and a preamble can be set aside (bot/dialogue/planner.py), and where a
language the visitor asked for holds over the language their script suggests. The turns run
one after another in the same conversation, under the lock Rasa already holds for it, and
their answers are collected in order on the message's output channel.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import SlotSet

from bot.answers.enquiry import FIELD_SLOTS
from bot.answers.facts import FAQ_INTENTS
from bot.answers.offices import offices_compared
from bot.dialogue.asked import (
    asks_to_send,
    attributes_asked,
    facet_asked,
    fact_named,
    in_another_language,
    is_short,
    language_asked,
    language_requested,
    mentions_a_sent_enquiry,
    mentions_an_office,
    names_the_head_office,
    starts_with_yes,
    wants_to_enquire,
)
from bot.dialogue.clauses import split_clauses
from bot.dialogue.cues import names_a_place, read_as, reread, reread_in_form
from bot.dialogue.language_switch import asks_more, written_in
from bot.dialogue.planner import Parsed, Unit, plan
from bot.dialogue.spelling import usual_spelling
from bot.enquiries.corrections import asks_to_change, labelled_answers
from bot.enquiries.remarks import QUESTION_PART, answer_and_question
from bot.knowledge import get_knowledge

logger = logging.getLogger(__name__)

# The slot the language-switch action sets; while set, it overrides the detected language.
PREFERRED_LANGUAGE_SLOT = "preferred_language"
# The key of a turn's parse data that holds the whole message it came from.
MESSAGE_TEXT = "message_text"
SWITCH_LANGUAGE_INTENT = "switch_language"
# Questions a language request may carry: answered after the switch.
_QUESTIONS = frozenset(
    {*FAQ_INTENTS, "ask_office_contact", "list_offices", "ask_headquarters", "ask_followup"}
)
# A message longer than this is not split (the channels cap messages well below it).
_MAX_SPLIT_CHARS = 600
_MAX_CLAUSES = 6
# What a model may make of a bare facet question ("in which city?") after a fact's answer.
_OFFICE_READINGS_OF_A_FACET = frozenset({"list_offices", "ask_headquarters", "ask_office_contact"})
# Questions a plain yes answers, whatever follows it.
_OFFERS = frozenset({"utter_offer_enquiry"})
# The actions that end an enquiry, sent or not.
_ENQUIRY_ENDINGS = frozenset({"action_submit_enquiry", "action_cancel_enquiry"})
# The form's questions whose answer may come with a question (a message to ICLEI is all answer).
_ANSWER_SLOTS = frozenset(slot for field, slot in FIELD_SLOTS.items() if field != "message")
_UNDO = re.compile(r"get it back|undo|restore|bring it back|元に戻|取り消しを取り消", re.IGNORECASE)

Handler = Callable[[Any, UserMessage], Awaitable[Any]]


def wrap(original: Handler) -> Handler:
    """Return `handle_message` that plans the turns of a message, then runs each."""

    async def handle_message(processor: Any, message: UserMessage) -> Any:
        if message.parse_data or not message.text or message.text.startswith("/"):
            return await original(processor, message)
        tracker = await processor.get_tracker(message.sender_id)
        if not (tracker is not None and tracker.active_loop_name):
            # 「いくれいのほんぶってどこ」, "yo whats iclei lol": read in the usual spelling.
            message = _respelled(message)
        units = await _units(processor, message, tracker)
        preferred = tracker.get_slot(PREFERRED_LANGUAGE_SLOT) if tracker else None
        if preferred and await _choice_ended(processor, tracker, message.text, preferred):
            preferred = None
        result = None
        for index, unit in enumerate(units):
            if index:  # an earlier turn may have asked for a language, or started a form
                tracker = await processor.get_tracker(message.sender_id)
                if tracker is not None and tracker.active_loop_name:
                    break  # the form's question is the last thing the visitor should see
                preferred = tracker.get_slot(PREFERRED_LANGUAGE_SLOT) if tracker else None
            parse = _with_language(unit.parse, preferred)
            if unit.text != message.text:
                # The whole message stays in the history (actions/conversation.py): a
                # self-introduction no turn answers still names the visitor's city.
                parse = {**parse, MESSAGE_TEXT: message.text}
            part = UserMessage(
                unit.text,
                message.output_channel,
                message.sender_id,
                parse_data=parse,
                input_channel=message.input_channel,
                message_id=message.message_id if index == 0 else f"{message.message_id}-{index}",
                metadata=message.metadata,
            )
            result = await original(processor, part)
        if isinstance(message.output_channel, CollectingOutputChannel):
            # Two parts that get the same answer ("Who is the Secretary General? I'd like to
            # quote them.") show it once.
            message.output_channel.messages = _without_repeats(message.output_channel.messages)
            return message.output_channel.messages
        return result

    handle_message.__wrapped__ = original  # type: ignore[attr-defined]
    return handle_message


def _facet_of_the_topic(unit: Unit, tracker: Any) -> Unit:
    """ "in which city?" right after the founding story: where that fact happened, not the
    offices' cities, whatever the model read. A short question for a facet (where, when,
    how many) that names no office, place or fact follows up the fact just answered."""
    topic = tracker.get_slot("topic") if tracker is not None else None
    intent = (unit.parse.get("intent") or {}).get("name")
    if not topic or topic == "office" or intent not in _OFFICE_READINGS_OF_A_FACET:
        return unit
    text = unit.focus or unit.text
    if not (is_short(text) and facet_asked(text)) or fact_named(text):
        return unit
    if mentions_an_office(text) or names_the_head_office(text) or names_a_place(text, unit.parse):
        return unit
    return Unit(unit.text, read_as(unit.parse, "ask_followup"), unit.focus)


def _no_enquiry_to_correct(unit: Unit, tracker: Any) -> Unit:
    """A "change" outside the form when this conversation has had no enquiry: 「なんで変え
    たの？」 after the name's story asks about that story, not about an enquiry."""
    if (unit.parse.get("intent") or {}).get("name") != "correct_enquiry":
        return unit
    if tracker is None or tracker.active_loop_name or tracker.get_slot("enquiry_outcome"):
        return unit
    if mentions_a_sent_enquiry(unit.text):
        return unit  # "I sent one last week, ref ICLEI-…": one from an earlier conversation
    return Unit(unit.text, read_as(unit.parse, "ask_followup"), unit.focus)


async def _choice_ended(processor: Any, tracker: Any, text: str, preferred: str) -> bool:
    """Whether a whole sentence in the other language ends the language the visitor chose
    (DESIGN.md: the bot answers in the language of the latest message): 「ありがとうござい
    ました！」 after English questions is answered in Japanese, and so is what follows. A
    form's answers ("City of Ballarat Council") and short words never end it."""
    written = written_in(text)
    if written is None or written == preferred or tracker.active_loop_name:
        return False
    # 「英語でお願いします」 and Japanese after it: English answers to Japanese questions were
    # asked for. Only a visitor who wrote the chosen language before changes their mind.
    previous = next(
        (e.text for e in reversed(tracker.events) if getattr(e, "type_name", "") == "user"), ""
    )
    if written_in(previous or "") != preferred:
        return False
    tracker.update(SlotSet(PREFERRED_LANGUAGE_SLOT, None))
    await processor.save_tracker(tracker)
    return True


async def _units(processor: Any, message: UserMessage, tracker: Any) -> list[Unit]:
    """The planned turns; inside a form the message is one answer and is never split."""
    parse = await processor.parse_message(message, tracker)
    if tracker is not None and tracker.active_loop_name:
        # Inside a form the message is an answer: the form reads it, cues do not, but for
        # calling the form off and the consent answered in its own words (「同意します」).
        asked = tracker.get_slot("requested_slot")
        parse = reread_in_form(parse, message.text, asked)
        question = await _question_part(processor, message, tracker, asked)
        if question is not None:
            parse = {**parse, QUESTION_PART: question}
        return [Unit(message.text, parse)]
    if _last_bot_action(tracker) in _ENQUIRY_ENDINGS and (
        asks_to_send(message.text) or asks_to_change(message.text) or _UNDO.search(message.text)
    ):
        # "No!! I wanted to SEND it, not cancel. Can we get it back?", 「団体名は直して
        # いただけましたか？」 after it was sent: about the enquiry that just ended.
        return [Unit(message.text, read_as(parse, "correct_enquiry"))]
    if _last_bot_action(tracker) in _OFFERS and starts_with_yes(message.text):
        # "Sure, my name is Lucía and I work for …" to "Shall I take your enquiry?": yes; the
        # form then keeps what the message says (bot/enquiries/prefill.py).
        return [Unit(message.text, read_as(parse, "affirm"))]
    if wants_to_enquire(message.text) and len(labelled_answers(message.text)) >= 2:
        # "I'd like to submit a membership enquiry. Organisation: …, country …, email …": the
        # form, which keeps those details once the visitor agrees; no part is a question.
        return [Unit(message.text, read_as(parse, "start_enquiry"))]
    if offices_compared(get_knowledge(), message.text):
        # "Is the Brussels office the same as the European Secretariat?": one question about
        # the offices it names together, not one card per clause.
        return [Unit(message.text, read_as(parse, "ask_office_contact"))]
    # The model's reading of the whole message: cues are read per clause and per planned
    # turn, so that a place in a preamble does not turn "how many offices?" into an office.
    whole = Parsed(message.text, parse)
    texts = split_clauses(message.text) if len(message.text) <= _MAX_SPLIT_CHARS else []
    if len(texts) < 2 or len(texts) > _MAX_CLAUSES:
        unit = Unit(whole.text, reread(whole.parse, whole.text))
        unit = _facet_of_the_topic(unit, tracker)
        return [_no_enquiry_to_correct(kept, tracker) for kept in _question_kept([unit])]
    clauses = []
    for text in texts:
        clause = UserMessage(text, sender_id=message.sender_id, metadata=message.metadata)
        clauses.append(Parsed(text, reread(await processor.parse_message(clause, tracker), text)))
    # A unit may join clauses or the whole message: read its own text's cues once more.
    units = [
        Unit(unit.text, reread(unit.parse, unit.focus or unit.text, unit.text), unit.focus)
        for unit in plan(whole, clauses)
    ]
    units = _question_kept(units)
    units = [_no_enquiry_to_correct(unit, tracker) for unit in units]
    if len(units) > 1:
        logger.debug("Answering %d parts of one message.", len(units))
    return units


async def _question_part(
    processor: Any, message: UserMessage, tracker: Any, asked: str | None
) -> dict[str, Any] | None:
    """The model's reading of the question after an answer in the form ("We're in Peru.
    Which office handles Peru?"): the form answers that question from its own reading, not
    from the whole message's, which the answer sways ("Head of the climate team, why?")."""
    if asked not in _ANSWER_SLOTS or len(message.text) > _MAX_SPLIT_CHARS:
        return None
    split = answer_and_question(message.text)
    if split is None:
        return None
    question = split[1]
    clause = UserMessage(question, sender_id=message.sender_id, metadata=message.metadata)
    parse = reread(await processor.parse_message(clause, tracker), question)
    return {
        "text": question,
        "intent": parse.get("intent"),
        "entities": parse.get("entities") or [],
    }


def _respelled(message: UserMessage) -> UserMessage:
    """The message in the usual spelling (the same message when nothing changes)."""
    text = usual_spelling(message.text)
    if not text or text == message.text:
        return message
    return UserMessage(
        text,
        message.output_channel,
        message.sender_id,
        input_channel=message.input_channel,
        message_id=message.message_id,
        metadata=message.metadata,
    )


def _last_bot_action(tracker: Any) -> str | None:
    """The last action before the bot listened: the question the visitor is answering."""
    for event in reversed(getattr(tracker, "events", None) or []):
        name = getattr(event, "action_name", None)
        if name and name != "action_listen":
            return name
    return None


def _without_repeats(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages without one that repeats an earlier one word for word. A line that
    introduced the repeated one ("For South America, please contact … in São Paulo:") ends
    as a sentence, not on a colon that nothing follows."""
    kept: list[dict[str, Any]] = []
    for index, sent in enumerate(messages):
        if sent in kept:
            continue
        following = messages[index + 1] if index + 1 < len(messages) else None
        text = sent.get("text")
        if following is not None and following in kept and isinstance(text, str):
            sent = {**sent, "text": _pointing_above(text.rstrip())}
        kept.append(sent)
    return kept


# Lines that announce the card after them, and how they read when that card was shown above.
_ANNOUNCES = (
    (re.compile(r"Here are (?:its|the) contact details[^:]*:$"), "Its contact details are above."),
    (re.compile(r"(?:直接お問い合わせいただけるよう、)?掲載されている連絡先をご案内します。$"),
     "連絡先は上記のとおりです。"),
    (re.compile(r"連絡先は次のとおりです。$"), "連絡先は上記のとおりです。"),
    (re.compile(r"\s*[:：]$"), "."),
)  # fmt: skip


def _pointing_above(text: str) -> str:
    """An announcing line turned to the card shown above it."""
    for pattern, replacement in _ANNOUNCES:
        if pattern.search(text):
            return pattern.sub(replacement, text)
    return text


def _question_kept(units: list[Unit]) -> list[Unit]:
    """A language request that also asks a question (「ミッションを日本語でもう一度教えて
    ください」) switches, then answers the question the model read, in the new language."""
    kept: list[Unit] = []
    for unit in units:
        kept.append(unit)
        text = unit.focus or unit.text
        # A message in another language gets only "I answer in English or Japanese".
        if unit.parse["intent"]["name"] != SWITCH_LANGUAGE_INTENT or in_another_language(text):
            continue
        # The model's reading before the cue made it a switch, else the fact the words name.
        asked = (unit.parse.get("reread_from") or {}).get("name")
        if not (asked in _QUESTIONS and asks_more(text)):
            # "Back to Japanese - 電話番号は？": a detail of the office just discussed.
            asked = fact_named(text) or ("ask_followup" if attributes_asked(text) else None)
        if asked is not None:
            question = copy.deepcopy(unit.parse)
            question.pop("reread_from", None)
            question["intent"] = {"name": asked, "confidence": 1.0}
            kept.append(Unit(unit.text, question, unit.focus))
    return kept


def _with_language(parse: dict[str, Any], preferred: str | None) -> dict[str, Any]:
    """The parse with the visitor's chosen language instead of the detected one; for a
    language request ("answer in Japanese, please"), the language requested, so that the
    `language` slot is already the new one when the confirmation is rendered."""
    intent = (parse.get("intent") or {}).get("name")
    if intent == SWITCH_LANGUAGE_INTENT:
        text = str(parse.get("text") or "")
        preferred = language_requested(text) or language_asked(text)
    if preferred not in ("en", "ja"):
        return parse
    parse = copy.deepcopy(parse)
    entities = [e for e in parse.get("entities") or [] if e.get("entity") != "language"]
    entities.append(
        {"entity": "language", "value": preferred, "start": 0, "end": 0, "extractor": "preference"}
    )
    parse["entities"] = entities
    if "language" in parse:
        parse["language"] = preferred
    return parse
