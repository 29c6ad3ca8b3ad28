"""Office answers beyond the card: one detail asked for, a place with no office of its own,
and every office under a region heading."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.offices import HEADQUARTERS_ID, office_lines
from bot.answers.reply import Reply
from bot.dialogue.asked import Attribute
from bot.knowledge import Knowledge, Office

# Response names spelled out, so `python -m bot validate` sees that the code sends them.
_GIVEN = {
    "phone": "utter_office_attribute_phone",
    "fax": "utter_office_attribute_fax",
    "web": "utter_office_attribute_web",
}
_MISSING = {
    "phone": "utter_office_missing_phone",
    "fax": "utter_office_missing_fax",
    "web": "utter_office_missing_web",
}


def _values(knowledge: Knowledge, office: Office, lang: str | None) -> dict[str, str]:
    hq = knowledge.office(HEADQUARTERS_ID)
    return {
        "office_name": office.name.get(lang),
        "address": office.address,
        "phone": office.phone or "",
        "fax": office.fax or "",
        "web": office.web or "",
        "hq_city": hq.city.get(lang),
        "hq_phone": hq.phone or "",
        "hq_fax": hq.fax or "",
    }


def detail_replies(
    knowledge: Knowledge, office: Office, asked: Sequence[Attribute], lang: str | None
) -> tuple[list[Reply], bool]:
    """The details asked for, in order, and whether the page lacks any of them (then the
    caller shows what the page does give: the card)."""
    values = _values(knowledge, office, lang)
    replies: list[Reply] = []
    missing = False
    for attribute in dict.fromkeys(asked):
        if attribute == "email":
            replies.append(Reply("utter_office_missing_email", values))
            missing = True
        elif attribute == "postal":
            if office.postal_address:
                postal = {"postal_address": office.postal_address}
                replies.append(Reply("utter_office_postal_address", postal))
            else:
                replies.append(Reply("utter_office_missing_postal", values))
        elif attribute == "address":
            replies.append(Reply("utter_office_attribute_address", values))
        elif getattr(office, attribute):
            replies.append(Reply(_GIVEN[attribute], values))
        else:
            replies.append(Reply(_MISSING[attribute], values))
            missing = True
    if missing:
        # The card repeats the address: no separate address line.
        replies = [r for r in replies if r.response != "utter_office_attribute_address"]
    return replies, missing


def not_listed(knowledge: Knowledge, office: Office, lang: str | None) -> Reply:
    """'The page does not list that (who leads it, fees, events) for this office'."""
    return Reply("utter_office_not_listed", _values(knowledge, office, lang))


def no_office_in_place(
    knowledge: Knowledge, place: str, office: Office, country_code: str, lang: str | None
) -> Reply:
    """'ICLEI's page lists no office in Kyoto; for Japan, contact the Japan Office in Tokyo:'."""
    return Reply(
        "utter_office_no_office_in_place",
        {
            "place": place,
            "country": knowledge.country(country_code).name.get(lang),
            "office_name": office.name.get(lang),
            "office_city": office.city.get(lang),
        },
    )


def region_offices(
    knowledge: Knowledge, offices: Sequence[Office], region_label: str, lang: str | None
) -> Reply:
    """Every office the page lists under a region heading, with city and country."""
    lines = office_lines(knowledge, list(offices), lang)
    return Reply(
        "utter_region_offices" if len(offices) != 1 else "utter_region_one_office",
        {
            "region_office_count": str(len(offices)),
            "region": region_label,
            "office_list": "\n".join(lines),
        },
    )


def country_offices(
    knowledge: Knowledge, offices: Sequence[Office], country_label: str, lang: str | None
) -> Reply:
    """The offices the page lists in one country ("is Tokyo the only one in Japan?"): a list,
    or for a single office the line that introduces its card."""
    if len(offices) == 1:
        return Reply(
            "utter_country_one_office",
            {"region": country_label, "office_name": offices[0].name.get(lang)},
        )
    return Reply(
        "utter_country_offices",
        {
            "region_office_count": str(len(offices)),
            "region": country_label,
            "office_list": "\n".join(office_lines(knowledge, list(offices), lang)),
        },
    )


def is_in_office_city(office: Office, *names: str) -> bool:
    """True when a place name is the office's city or part of its address (Quezon City)."""
    haystack = " ".join((office.city.en, office.city.ja, *office.city_aliases, office.address))
    haystack = haystack.casefold()
    return any(name and name.casefold() in haystack for name in names)
