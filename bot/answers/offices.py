"""Office answers: a contact card, a routed answer for a country, a choice, the list."""

from __future__ import annotations

import json
import re
import unicodedata

from bot.answers.reply import Reply
from bot.dialogue.asked import (
    asks_when_it_moved,
    compares_offices,
    compares_sizes,
    head_office_title_at,
)
from bot.knowledge import Knowledge, Office, PlaceMatch, gazetteer, place_mentions

# The head office: the World Secretariat.
HEADQUARTERS_ID = "world_secretariat"

# A user asking for a phone or fax number should hear that the page has none for an office.
_ASKS_FOR_PHONE = re.compile(r"phone|tel\b|call|fax|電話|でんわ|ﾃﾞﾝﾜ|ファックス|ファクス|番号", re.I)


def office_payload(office: Office) -> str:
    """The button payload that asks for one office's contact details."""
    return "/ask_office_contact" + json.dumps({"place": office.id})


def office_buttons(offices: tuple[Office, ...] | list[Office], lang: str | None) -> list[dict]:
    """One button per office, titled in the user's language."""
    return [
        {"title": office.name.get(lang), "payload": office_payload(office)} for office in offices
    ]


def office_card(office: Office, lang: str | None, asked_text: str = "") -> list[Reply]:
    """An office's name, address, and the phone, fax and web the page gives for it."""
    values = {
        "office_name": office.name.get(lang),
        "office_city": office.city.get(lang),
        "address": office.address,
        "phone": office.phone or "",
        "fax": office.fax or "",
        "web": office.web or "",
    }
    if office.phone:
        replies = [Reply("utter_office_contact_full", values)]
    elif office.web:
        replies = [Reply("utter_office_contact", values)]
    else:
        replies = [Reply("utter_office_contact_address_only", values)]
    if office.note:
        # A line the page gives with the office that is not its name: quoted, beside the card.
        replies.append(Reply("utter_office_note", {"note": office.note}))
    if office.postal_address:
        replies.append(
            Reply("utter_office_postal_address", {"postal_address": office.postal_address})
        )
    if office.web and not office.phone and _ASKS_FOR_PHONE.search(asked_text or ""):
        replies.append(Reply("utter_office_no_phone"))
    return replies


def place_answer(
    knowledge: Knowledge, match: PlaceMatch, lang: str | None, asked_text: str = ""
) -> tuple[list[Reply], Office | None]:
    """The answer for a resolved place, and the office the conversation is now about."""
    place = match.label.get(lang)
    if len(match.offices) > 1:
        buttons = office_buttons(match.offices, lang)
        return [Reply("utter_office_which", {"place": place}, buttons)], None
    office = match.offices[0]
    replies: list[Reply] = []
    # A country without an office of its own is routed: say so before the card.
    if match.kind == "country" and match.country and match.country.code != office.country:
        intro = (
            "utter_office_world_for_place" if office.region is None else "utter_office_for_place"
        )
        values = {"place": place, "office_name": office.name.get(lang)}
        replies.append(Reply(intro, {**values, "office_city": office.city.get(lang)}))
    elif match.kind == "region" and office.region is not None:
        values = {"place": place, "office_name": office.name.get(lang)}
        replies.append(
            Reply("utter_office_for_place", {**values, "office_city": office.city.get(lang)})
        )
    return replies + office_card(office, lang, asked_text), office


def office_lines(
    knowledge: Knowledge, offices: tuple[Office, ...] | list[Office], lang: str | None
) -> list[str]:
    """One line per office: name, city and country."""
    # Line layout per language: "• Japan Office — Tokyo, Japan" / "・日本事務所（東京、日本）".
    layout = "・{name}（{city}、{country}）" if lang == "ja" else "• {name} — {city}, {country}"
    return [
        layout.format(
            name=office.name.get(lang),
            city=office.city.get(lang),
            country=knowledge.country(office.country).name.get(lang),
        )
        for office in offices
    ]


def offices_compared(knowledge: Knowledge, text: str) -> list[Office]:
    """The offices a message compares by their names or cities ("Is the Brussels office the
    same as the European Secretariat?"), one per mention; empty unless two or more."""
    if not compares_offices(text):
        return []
    offices = [
        match.offices[0] for match in place_mentions(knowledge, text) if _names_one_office(match)
    ]
    title = head_office_title_at(text)
    if title is not None and offices:
        # 「本部とヨーロッパ事務局は同じ建物ですか？」: "the head office" names the World
        # Secretariat, in the message's order ("Is the HQ the World Secretariat?": the same).
        first = min(_first_mention(office, text) for office in offices)
        offices.insert(0 if title < first else len(offices), knowledge.office(HEADQUARTERS_ID))
    return offices if len(offices) >= 2 else []


def _first_mention(office: Office, text: str) -> int:
    """Where the message first names an office (its name or city), casefolded NFKC."""
    norm = unicodedata.normalize("NFKC", text).casefold()
    names = (office.name.en, office.name.ja, office.city.en, office.city.ja, *office.city_aliases)
    found = [norm.find(name.casefold()) for name in names if name]
    return min((at for at in found if at >= 0), default=len(norm))


def _names_one_office(match: PlaceMatch) -> bool:
    """An office's name, its city, or a country with an office of its own (「韓国にも事務所
    が…」: the Korea Office); a country served from elsewhere names no office."""
    if match.is_ambiguous:
        return False
    if match.kind == "country":
        return match.country is not None and match.offices[0].country == match.country.code
    return match.kind in ("office", "city")


def same_or_different(
    knowledge: Knowledge, offices: list[Office], lang: str | None, asked_text: str = ""
) -> list[Reply]:
    """Whether the offices a visitor compares ("Is the Brussels office the same as the
    European Secretariat?") are one office or several, then each one's card."""
    unique = list(dict.fromkeys(offices))
    if len(unique) == 1:
        intro = Reply("utter_offices_same", {"office_name": unique[0].name.get(lang)})
    else:
        response = (
            "utter_offices_size_not_listed"
            if compares_sizes(asked_text)
            else "utter_offices_different"
        )
        lines = "\n".join(office_lines(knowledge, unique, lang))
        intro = Reply(response, {"office_lines": lines})
    return [intro] + [reply for office in unique for reply in office_card(office, lang, asked_text)]


def office_list(knowledge: Knowledge, lang: str | None) -> Reply:
    """The offices whose addresses the page lists, one line each, and how many ICLEI has."""
    lines = office_lines(knowledge, knowledge.offices, lang)
    return Reply(
        "utter_office_list",
        {
            "office_count": str(len(knowledge.offices)),
            "regional_offices": knowledge.fact("regional_offices").get(lang),
            "office_list": "\n".join(lines),
        },
    )


def not_found(knowledge: Knowledge, place: str, lang: str | None) -> list[Reply]:
    """The place is unknown: say so, then show the list to pick from."""
    return [Reply("utter_office_not_found", {"place": place}), office_list(knowledge, lang)]


def ask_for_place(knowledge: Knowledge, lang: str | None) -> list[Reply]:
    """No place given and none in context: ask, with the list."""
    return [Reply("utter_office_ask_place"), office_list(knowledge, lang)]


def headquarters(knowledge: Knowledge, lang: str | None, asked_text: str = "") -> list[Reply]:
    """Where the head office (the World Secretariat) is, then its contact card; "not in
    Toronto" first when the question places it elsewhere ("is the HQ still in Toronto?"),
    with where the page says the World Secretariat started when that is the place."""
    office = knowledge.office(HEADQUARTERS_ID)
    values = {
        "hq_city": office.city.get(lang),
        "hq_country": knowledge.country(office.country).name.get(lang),
    }
    elsewhere = places_other_than(knowledge, office, asked_text, lang)
    if elsewhere:
        replies = [Reply("utter_headquarters_elsewhere", {**values, "place": elsewhere[0][0]})]
    else:
        replies = [Reply("utter_headquarters", values)]
    first = knowledge.fact("first_world_secretariat").en
    if asks_when_it_moved(asked_text) or any(name in first for _, name in elsewhere):
        # "ok so when did it move to Bonn?": where the page says it started, and that it
        # gives no date for the move.
        facts = knowledge.fact_values(lang)
        replies.append(
            Reply(
                "utter_world_secretariat_first",
                {
                    **values,
                    "secretariats_year": facts["secretariats_year"],
                    "first_world_secretariat": facts["first_world_secretariat"],
                },
            )
        )
    return replies + office_card(office, lang, asked_text)


def places_other_than(
    knowledge: Knowledge, office: Office, text: str, lang: str | None
) -> list[tuple[str, str]]:
    """The cities and countries a message names outside the office's country, as written
    for the reply and in English: the office table's first, else any city anywhere."""
    known = [
        (match.label.get(lang), match.label.en)
        for match in place_mentions(knowledge, text or "")
        if match.kind in ("city", "country")
        and office not in match.offices
        and (match.country is None or match.country.code != office.country)
    ]
    if known:
        return known
    return [
        (place.name, place.canonical)
        for place in gazetteer.find_in_text(text or "")
        if place.kind == "city" and place.country != office.country
    ]
