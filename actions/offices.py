"""Office actions: contact details for a place, the office list, the head office."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pycountry
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import language_of, latest_intent, latest_text, recent_user_texts, send
from bot.answers import Reply
from bot.answers import office_details as details
from bot.answers import offices as answers
from bot.dialogue.asked import (
    asks_for_each,
    asks_for_list,
    asks_if_there_is_one,
    asks_the_way_there,
    asks_what_the_page_lacks,
    asks_when_opened,
    attributes_asked,
    is_travel_or_everyday,
    mentions_an_office,
    names_an_office,
    names_the_head_office,
    supposes_no_office,
)
from bot.knowledge import (
    Knowledge,
    Office,
    PlaceMatch,
    find_places,
    gazetteer,
    get_knowledge,
    resolve_in_context,
)


def _match_from_tracker(knowledge: Knowledge, tracker: Tracker) -> tuple[PlaceMatch | None, str]:
    """The place the user asked about, and how they wrote it ('' if they named none).

    The NLU's `place` entities come first; if it found none, the text itself is scanned,
    so a missed entity still finds a known name.
    """
    text = latest_text(tracker)
    resolved = [
        (name, resolve_in_context(knowledge, name, text))
        for name in tracker.get_latest_entity_values("place")
        if name
    ]
    # "I'm not in Germany, I'm based in Nairobi", 「ブリュッセルではなくてフライブルク」: the
    # place denied is not the one asked, however the entity spells it.
    resolved = [pair for pair in resolved if not _denied_entity(*pair, text)] or resolved
    names = [name for name, _ in resolved]
    for name, match in resolved:
        if match is not None:
            return match, name
    if (tracker.latest_message or {}).get("question_places"):
        # The question names its own place (bot/dialogue/planner.py): a place the office
        # table does not know ("Hanoi") is looked up in the world, not in the preamble.
        return None, names[0] if names else ""
    found = [
        match
        for match in find_places(knowledge, text)
        if not (_denied(match.label.en, text) or _denied(match.label.ja, text))
    ]
    if found:
        return found[0], ""
    return None, names[0] if names else ""


_DENIED_BEFORE = re.compile(
    r"(?:\bnot (?:in|from|at|based in)|\bisn'?t in|\brather than|\binstead of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_DENIED_AFTER = re.compile(
    r"^\s*(?:じゃなくて|じゃなく|ではなくて|ではなく|ではありません|じゃない)"
)


def _denied_entity(name: str, match: PlaceMatch | None, text: str) -> bool:
    """Whether a `place` entity names a place the message denies, in the entity's spelling
    or in either language's name of the place it resolves to ("Brussels", 「ブリュッセル」)."""
    labels = [name, *((match.label.en, match.label.ja) if match else ())]
    return any(_denied(label, text) for label in labels if label)


def _denied(name: str, text: str) -> bool:
    """Whether a message names a place only to deny it ("not in Germany", 「東京じゃなくて」)."""
    at = text.casefold().find(name.casefold())
    if at < 0:
        return False
    before, after = text[:at], text[at + len(name) :]
    return bool(_DENIED_BEFORE.search(before) or _DENIED_AFTER.match(after))


def _world_place(tracker: Tracker, asked: str) -> gazetteer.GeoPlace | None:
    """A city, province or state anywhere that the office table does not name itself."""
    if asked:
        place = gazetteer.lookup(asked)
        if place is not None:
            return place
    found = gazetteer.find_in_text(latest_text(tracker))
    return found[0] if found else None


def _local_place(tracker: Tracker, asked: str, match: PlaceMatch) -> gazetteer.GeoPlace | None:
    """The city or province the user named inside the matched country, if they named one."""
    if match.kind != "country" or match.country is None:
        return None
    place = _world_place(tracker, asked)
    if place is None or place.country != match.country.code:
        return None
    if place.name.casefold() in (match.country.name.en.casefold(), match.country.name.ja):
        return None
    try:  # a country's own name ("Korea", "Deutschland") is not a place inside it
        pycountry.countries.lookup(place.name)
        return None
    except LookupError:
        return place


# "What does the Kaohsiung Capacity Center do?": the page gives offices' contacts, not their work.
_ROLE = re.compile(
    r"what (?:does|do|is) .{0,60}\b(?:do|doing|for|responsible for)\b|\brole of\b|"
    r"\bfull (?:secretariat|office)\b|\bjust a (?:project )?office\b|事務局なの|正式な事務局|"
    r"difference between|differ from|違い|"
    r"what(?:'s| is) (?:a|an|the) .{0,30}(?:capacity cent(?:er|re)|secretariat|project office)\b|"
    r"(?:キャパシティセンター|事務局|プロジェクトオフィス|事務所)(?:って|とは)(?:何|なに)|"
    r"(?:何の|どういう|どのような)(?:活動|仕事)|"
    r"どんな(?:活動|仕事|役割)|何をして|なにをして|活動内容|役割|"
    # Staff by name: 「担当者の名前は？」, "who's the contact person there?" (the page names none).
    r"(?:担当者|担当の方|職員|スタッフ|広報の方|所長|代表者?)の(?:お)?名前|"
    r"\b(?:staff|contact person'?s?|director'?s?|manager'?s?|head'?s?) names?\b|"
    r"who(?:'s| is) the (?:contact person|director|head|manager)\b",
    re.IGNORECASE,
)


def office_replies(knowledge: Knowledge, office: Office, text: str, lang: str) -> list[Reply]:
    """The details asked for ("and the phone?"), and the card whenever the page lacks one of
    them or none was named; "who runs it?" is answered honestly, then the card."""
    asked = attributes_asked(text)
    card = answers.office_card(office, lang, text)
    # "The Mayor will be travelling to South Africa… Could you kindly provide the address?"
    # asks for the address: the trip is why, not what the page lacks.
    lacking = (
        asks_what_the_page_lacks(text)
        or asks_the_way_there(text)  # 「最寄り駅はどこ？」 asks "where", but not the address
        or (is_travel_or_everyday(text) and not asked)
    )
    if lacking or _ROLE.search(text) or asks_when_opened(text):
        return [details.not_listed(knowledge, office, lang), *answers.office_card(office, lang)]
    if not asked or asked == ["address"]:
        return card
    replies, missing = details.detail_replies(knowledge, office, asked, lang)
    # The gap is said above: the card without its own "no phone" note.
    return replies + answers.office_card(office, lang) if missing else replies


def office_events(office: Office | None) -> list[dict[str, Any]]:
    events = [SlotSet("topic", "office")]
    if office is not None:
        events.append(SlotSet("office", office.id))
    return events


def _head_office_of(knowledge: Knowledge, match: PlaceMatch, text: str) -> Office | None:
    """The World Secretariat when the message asks for the head office in its own country
    (「ドイツの本部の住所」, "ICLEI's headquarters in Germany"): Germany alone routes to the
    European Secretariat in Freiburg, but the head office there is the one in Bonn."""
    if match.kind != "country" or match.country is None or not names_the_head_office(text):
        return None
    head = knowledge.office(answers.HEADQUARTERS_ID)
    return head if match.country.code == head.country and head not in match.offices else None


def answer_place(
    knowledge: Knowledge, tracker: Tracker, lang: str, want_list: bool
) -> tuple[list[Reply], Office | None] | None:
    """The answer for the place the message names (office table first, then the world), or
    None when it names no place that either knows."""
    text = latest_text(tracker)
    match, asked = _match_from_tracker(knowledge, tracker)
    if want_list and match is not None:
        match = _widest(knowledge, tracker, match)
    head = _head_office_of(knowledge, match, text) if match is not None else None
    if head is not None:
        if [a for a in attributes_asked(text) if a != "address"] or asks_what_the_page_lacks(text):
            return office_replies(knowledge, head, text, lang), head
        return answers.headquarters(knowledge, lang, text), head
    if match is not None:
        if match.kind == "region" and match.region_ids and want_list:
            offices = tuple(
                dict.fromkeys(
                    office
                    for rid in match.region_ids
                    for office in knowledge.offices_in_region(rid)
                )
            )
            reply = details.region_offices(knowledge, offices, match.label.get(lang), lang)
            buttons = answers.office_buttons(offices, lang) if len(offices) > 1 else []
            return [Reply(reply.response, reply.values, buttons)], None
        in_country = _offices_in_country(knowledge, match, text) if want_list else ()
        if in_country:
            # "Is Tokyo the only one in Japan?", "how many offices in Germany?": every office
            # the page lists there (Germany: the World and the European Secretariat).
            reply = details.country_offices(knowledge, in_country, match.label.get(lang), lang)
            if len(in_country) == 1:
                return [reply, *office_replies(knowledge, in_country[0], text, lang)], in_country[0]
            buttons = answers.office_buttons(in_country, lang)
            return [Reply(reply.response, reply.values, buttons)], None
        replies, office = answers.place_answer(knowledge, match, lang, text)
        area = _area_without_office(office, match, text)
        if office is not None and area:
            # "Is there an ICLEI presence in the Middle East?": none on the page; the World
            # Secretariat, said as such.
            intro = Reply("utter_office_world_for_place", {"place": area})
            return [intro, *office_replies(knowledge, office, text, lang)], office
        local = _local_place(tracker, asked, match)
        if office is not None and local is not None:
            # A prefecture or city of the country ("Kyoto"): name it, then route; a city with
            # another office of its own (Seoul: the East Asia Secretariat) gets that office.
            office = (
                _office_in_city(knowledge, local.country, local.name, local.canonical) or office
            )
            if details.is_in_office_city(office, local.name, local.canonical):
                return office_replies(knowledge, office, text, lang), office
            intro = details.no_office_in_place(
                knowledge, _shown(local), office, local.country, lang
            )
            return [intro, *office_replies(knowledge, office, text, lang)], office
        if office is not None:
            # place_answer is the routing intro (if any) followed by the card; the card gives
            # way to what was asked (a detail, or "who runs it?": not on the page).
            card_length = len(answers.office_card(office, lang, text))
            replies = replies[: len(replies) - card_length]
            replies += office_replies(knowledge, office, text, lang)
        return replies, office
    place = _world_place(tracker, asked)
    if place is None:
        if asked:
            return answers.not_found(knowledge, asked, lang), None
        return None
    if place.country not in knowledge.countries:
        return answers.not_found(knowledge, place.name, lang), None
    office = _office_in_city(knowledge, place.country, place.name, place.canonical) or (
        knowledge.office_for_country(place.country)
    )
    replies = []
    if not details.is_in_office_city(office, place.name, place.canonical):
        replies.append(
            details.no_office_in_place(knowledge, _shown(place), office, place.country, lang)
        )
    return replies + office_replies(knowledge, office, text, lang), office


def _offices_listed_before(knowledge: Knowledge, tracker: Tracker) -> tuple[Office, ...]:
    """The offices of the region or country the visitor's previous message asked to list
    (two or more), or none."""
    previous = recent_user_texts(tracker, 2)[1:]
    for text in previous:
        if not asks_for_list(text):
            continue
        for match in find_places(knowledge, text):
            if match.kind == "region" and match.region_ids:
                offices = tuple(
                    dict.fromkeys(
                        o for rid in match.region_ids for o in knowledge.offices_in_region(rid)
                    )
                )
            else:
                offices = _offices_in_country(knowledge, match, text)
            if len(offices) > 1:
                return offices
    return ()


def _area_without_office(office: Office | None, match: PlaceMatch, text: str) -> str | None:
    """The area a message names that the page gives no office (the World Secretariat's
    aliases such as "Middle East", 中東), as written; None for any other place."""
    if office is None or office.id != answers.HEADQUARTERS_ID or match.kind != "office":
        return None
    norm = unicodedata.normalize("NFKC", text).casefold()
    for alias in office.aliases.all():
        if names_the_head_office(alias) or re.search(r"world|global|世界|グローバル", alias, re.I):
            continue
        at = norm.find(alias.casefold())
        if at >= 0:
            return text[at : at + len(alias)] if len(text) == len(norm) else alias
    return None


def _in_the_place_asked(office: Office, tracker: Tracker) -> bool:
    """Whether the office is in the place the message names (its city or its country), not
    one that only covers it."""
    text = latest_text(tracker)
    for match in find_places(get_knowledge(), text):
        if office in match.offices and (
            match.kind in ("office", "city")
            or office.country == getattr(match.country, "code", None)
        ):
            return True
    return False


def _shown(place: gazetteer.GeoPlace) -> str:
    """A place as the answer names it: as written, or its own name when written in lower
    case ("beijing" -> "Beijing")."""
    return place.canonical if place.name.islower() and place.canonical else place.name


def _widest(knowledge: Knowledge, tracker: Tracker, match: PlaceMatch) -> PlaceMatch:
    """For a list of offices, the widest place named: "Is the office in Cape Town the only
    one for Africa?" asks about Africa, 「東京以外に日本の事務所は？」 about Japan."""
    text = latest_text(tracker)
    named = [
        found
        for value in tracker.get_latest_entity_values("place")
        if value and (found := resolve_in_context(knowledge, value, text)) is not None
    ]
    candidates = [match, *named, *find_places(knowledge, text)]
    for kind in ("region", "country"):
        for candidate in candidates:
            if candidate.kind == kind and (kind == "country" or candidate.region_ids):
                return candidate
    return match


def _offices_in_country(knowledge: Knowledge, match: PlaceMatch, text: str) -> tuple[Office, ...]:
    """The offices the page lists in a country the message names by one of its names (none
    for any other place: 「北海道にも拠点は？」 is about Hokkaido, not every office in Japan)."""
    country = match.country
    if match.kind != "country" or country is None:
        return ()
    norm = unicodedata.normalize("NFKC", text).casefold()
    # Its names, not its prefectures and states (the table lists those as aliases too).
    names = [country.name.en, country.name.ja, *country.aliases]
    names = [name for name in names if name and gazetteer.lookup(name) is None]
    if not any(_written(name.casefold(), norm) for name in names):
        return ()
    return tuple(o for o in knowledge.offices if o.country == country.code)


def _written(name: str, text: str) -> bool:
    """A name in a text: as a word in Latin script ("us" is not in "campus"), anywhere in
    Japanese, which has no spaces."""
    if name.isascii():
        return re.search(rf"\b{re.escape(name)}\b", text) is not None
    return name in text


def _office_in_city(knowledge: Knowledge, country: str, *names: str) -> Office | None:
    """The one office of `country` whose city (or address) is the place named, if any."""
    found = [
        o
        for o in knowledge.offices
        if o.country == country and details.is_in_office_city(o, *names)
    ]
    return found[0] if len(found) == 1 else None


_EITHER = re.compile(r"\b(?:or|and)\b|か|や|と|、|,", re.IGNORECASE)


def _countries_with_different_offices(knowledge: Knowledge, text: str) -> list[PlaceMatch]:
    """The countries a message names side by side that different offices answer for (one
    match per office); empty unless two or more, and for anything else it names."""
    # The question's own sentence: 「北海道の…役場です。…ハノイの事務所は？」 names Japan in
    # the introduction, not in what it asks.
    questions = [part for part in _SENTENCE.split(text) if _ASKING.search(part)] or [text]
    question = questions[-1]
    matches = find_places(knowledge, question)
    if len(matches) < 2 or any(m.kind != "country" or m.is_ambiguous for m in matches):
        return []
    if not _EITHER.search(question):
        return []
    return matches  # find_places keeps one match per office already


_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")
_ASKING = re.compile(r"[?？]|ですか|ますか|でしょうか|教えて")


def answer_named_place(
    dispatcher: CollectingDispatcher, knowledge: Knowledge, tracker: Tracker, lang: str
) -> list[dict[str, Any]] | None:
    """Answer a message that names a place (or is about travel: out of scope); the events,
    or None when it names no place and the caller answers from the conversation."""
    text = latest_text(tracker)
    # 「最寄り駅は？」 after the Japan Office, 「日本の事務所の所在地と最寄り駅」: that office's
    # card, which is all the page has.
    way_there = asks_the_way_there(text) and (
        mentions_an_office(text)
        or (tracker.get_slot("topic") == "office" and not find_places(knowledge, text))
    )
    if is_travel_or_everyday(text) and not (
        names_an_office(text) or asks_if_there_is_one(text) or way_there
    ):
        # 「出張先は東京じゃなくて大阪でした。大阪にはありますか？」 asks for an office.
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
    compared = answers.offices_compared(knowledge, text)
    if compared:
        send(dispatcher, answers.same_or_different(knowledge, compared, lang, text))
        return office_events(compared[-1] if len(set(compared)) == 1 else None)
    countries = _countries_with_different_offices(knowledge, text)
    if countries:
        # "is there an office in the Netherlands or Belgium?": each country's answer.
        send(
            dispatcher, [r for m in countries for r in answers.place_answer(knowledge, m, lang)[0]]
        )
        return office_events(None)
    answer = answer_place(knowledge, tracker, lang, asks_for_list(text))
    if answer is None:
        return None
    replies, office = answer
    if office is not None and supposes_no_office(text) and _in_the_place_asked(office, tracker):
        # 「インドネシアにはないですよね？」: いいえ, there is one, before its card.
        there = Reply("utter_office_there_is", {"office_name": office.name.get(lang)})
        replies = [there, *[r for r in replies if not r.response.startswith("utter_office_for")]]
    send(dispatcher, replies)
    return office_events(office)


class ActionOfficeContact(Action):
    """Answers with an office's contact details for the office, city, country or region asked."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_office_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Resolve the place, then answer: the card, a detail, a region's offices, or ask."""
        knowledge = get_knowledge()
        lang = language_of(tracker)
        text = latest_text(tracker)
        events = answer_named_place(dispatcher, knowledge, tracker, lang)
        if events is not None:
            return events
        listed = _offices_listed_before(knowledge, tracker) if asks_for_each(text) else ()
        if listed:
            # 「両方の住所をお願いします」 after the two Korean offices: each one's card.
            send(
                dispatcher,
                [r for office in listed for r in office_replies(knowledge, office, text, lang)],
            )
            return office_events(None)
        # No place named: a follow-up such as "what's their phone number?" keeps the office.
        current = current_office(knowledge, tracker)
        if current is not None:
            send(dispatcher, office_replies(knowledge, current, text, lang))
            return office_events(current)
        send(dispatcher, answers.ask_for_place(knowledge, lang))
        return []


def current_office(knowledge: Knowledge, tracker: Tracker) -> Office | None:
    """The office the conversation is about, if any."""
    current = tracker.get_slot("office")
    if not current:
        return None
    try:
        return knowledge.office(current)
    except KeyError:
        return None


class ActionListOffices(Action):
    """Lists every office on the page, or every office of the region or country named."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_list_offices"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the office list in the user's language."""
        knowledge = get_knowledge()
        lang = language_of(tracker)
        text = latest_text(tracker)
        if is_travel_or_everyday(text) and not (
            names_an_office(text) or asks_if_there_is_one(text)
        ):
            # A trip asks nothing of an office unless it asks for one ("…Berlinとパリに寄り
            # ます。どちらかにICLEIのofficeありますか？").
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        answer = answer_place(knowledge, tracker, lang, want_list=True)
        if answer is not None:
            replies, office = answer
            send(dispatcher, replies)
            return office_events(office)
        send(dispatcher, [answers.office_list(knowledge, lang)])
        return [SlotSet("topic", "office_list")]


class ActionHeadquarters(Action):
    """Answers where ICLEI's head office (the World Secretariat) is, with its contacts."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_headquarters"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the head office's location and contact card (or the details asked for)."""
        knowledge = get_knowledge()
        lang = language_of(tracker)
        text = latest_text(tracker)
        if latest_intent(tracker) == "ask_headquarters" and is_travel_or_everyday(text):
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        office = knowledge.office(answers.HEADQUARTERS_ID)
        details_asked = [a for a in attributes_asked(text) if a != "address"]
        current = current_office(knowledge, tracker)
        if details_asked and current is not None and not names_the_head_office(text):
            # 「郵便の送り先は別ですか？」 after the Africa office: a detail of that office, even
            # when the model heard "the secretariat" in it.
            send(dispatcher, office_replies(knowledge, current, text, lang))
            return office_events(current)
        placed_elsewhere = answers.places_other_than(knowledge, office, text, lang)
        if (details_asked or asks_what_the_page_lacks(text)) and not placed_elsewhere:
            # "My boss says the HQ is in Toronto" asks where it is, not about a boss.
            send(dispatcher, office_replies(knowledge, office, text, lang))
        else:
            send(dispatcher, answers.headquarters(knowledge, lang, text))
        return office_events(office)
