"""Reading the tracker and sending replies: what every action here shares."""

from __future__ import annotations

from collections.abc import Iterable

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import Reply
from bot.enquiries import prefill
from bot.knowledge import find_places, gazetteer, get_knowledge


def language_of(tracker: Tracker) -> str:
    """The conversation's language: the `language` slot, English until it is set."""
    return "ja" if tracker.get_slot("language") == "ja" else "en"


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the user's latest message."""
    return (tracker.latest_message or {}).get("intent", {}).get("name")


def latest_text(tracker: Tracker) -> str:
    """The text of the user's latest message ('' for a button payload)."""
    text = (tracker.latest_message or {}).get("text") or ""
    return "" if text.startswith("/") else text


def recent_user_texts(tracker: Tracker, limit: int) -> list[str]:
    """The texts of the user's last `limit` messages in this session, the latest first: a
    message answered in several turns once and whole (its "message_text", set by
    bot/dialogue/turns.py), so a self-introduction no turn answered still counts."""
    texts: list[str] = []
    for event in reversed(tracker.events or []):
        if event.get("event") == "session_started" or len(texts) >= limit:
            break
        if event.get("event") == "user":
            text = (event.get("parse_data") or {}).get("message_text") or event.get("text") or ""
            if not (texts and texts[-1] == text):
                texts.append(text)
    return texts


def send(dispatcher: CollectingDispatcher, replies: Iterable[Reply]) -> None:
    """Send each reply as its domain response, so the language variation applies."""
    for reply in replies:
        dispatcher.utter_message(response=reply.response, buttons=reply.buttons, **reply.values)


# How many of the visitor's latest messages may name their country ("We're in the United
# States." three messages before "how much is the fee?").
_COUNTRY_MESSAGES = 10


def country_named(tracker: Tracker, within: int = _COUNTRY_MESSAGES) -> str | None:
    """The country the visitor named last in this conversation (its ISO code), if any, in
    the last `within` messages; in the latest message a city counts too ("…and is Tokyo a
    member?" after Nigeria: Japan)."""
    knowledge = get_knowledge()
    for index, text in enumerate(recent_user_texts(tracker, within)):
        code = prefill.country_in(knowledge, text)
        if code is None and index == 0:
            code = _one_country_of_the_places_in(text)
        if code is not None and code in knowledge.countries:
            return code
    return None


def _one_country_of_the_places_in(text: str) -> str | None:
    """The country of the offices' cities and the world's cities a text names, if one."""
    knowledge = get_knowledge()
    codes = {m.offices[0].country for m in find_places(knowledge, text) if m.kind == "city"}
    codes |= {place.country for place in gazetteer.find_in_text(text) if place.kind == "city"}
    return codes.pop() if len(codes) == 1 else None
