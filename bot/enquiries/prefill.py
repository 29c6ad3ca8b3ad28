"""Answers a visitor gave before the form asked them: "We're the City of Lyon in France and
would like to join" names the organisation and the country, so the form does not ask again.

Only an organisation that reads as a local or regional government ("City of Lyon",
"Auckland Council", 「長野県松本市」, 「台中市政府」) and a country the knowledge base or
the gazetteer places it in are taken; the summary shows both before anything is sent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.knowledge import Knowledge, find_places, gazetteer

_NAME = r"[A-Z][\w'’.-]*(?:[ -](?:de |del |la |le |of |upon |on )?[A-Z][\w'’.-]*){0,3}"
_UNIT = (
    r"[Cc]ity|[Tt]own|[Mm]unicipality|[Cc]ounty|[Dd]istrict|[Rr]egion|[Pp]rovince|"
    r"[Pp]refecture|[Bb]orough|[Vv]illage|[Ss]hire|[Mm]etropolitan [Gg]overnment|[Ss]tate"
)
_EN_ORGANISATIONS = (
    # "the town council of Galway", "the Municipality of Quito", "City of Lyon"
    re.compile(rf"\b((?:(?:{_UNIT}) )?(?:[Cc]ouncil|{_UNIT}) of {_NAME})"),
    # "Auckland Council", "Galway City Council", "Kaohsiung City Government"
    re.compile(
        rf"\b({_NAME} (?:(?:City|Town|County|District|Borough|Municipal|Metropolitan|Regional|"
        r"Shire|Provincial) )?(?:Council|Government|Municipality|City Hall))\b"
    ),
)
_KANJI = r"[\u4e00-\u9fff々\u30a1-\u30f6ー]"
# 「長野県松本市」, 「台中市政府」, 「横浜市役所」: after the start, a space, punctuation or a
# particle (hiragana), so 「私たちは松本市です」 gives 松本市.
_JA_ORGANISATION = re.compile(
    rf"(?:^|(?<=[\s\u3041-\u3093、。「（(]))((?:{_KANJI}{{1,6}}?[都道府県])?{_KANJI}{{1,8}}?[市町村区]"
    # 「北九州市環境局環境国際戦略課」「台北市政府環境保護局」: its departments too.
    rf"(?:役所|役場|政府|庁)?(?:{_KANJI}{{1,10}}?(?:局|部|課|室|係))*)"
)
# Words that end like a municipality but are none.
_NOT_ORGANISATIONS = frozenset({"都市", "市町村", "各市", "地区", "区市町村", "市区町村"})
# 「当市として加盟を検討しており」: "our city", which names none.
_DEICTIC = re.compile(r"^(?:当|本|弊|貴|同|各|我が|わが|全)[市町村区]")


# "Sure, my name is Lucía Fernández and I work for …", 「環境課の山田と申します」.
_EN_PERSON = re.compile(
    r"\b(?i:my name is|my name's|i am|i'm|this is)\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+(?:de|del|da|van|von|la|le)?\s*[A-Z][\w'’-]+){1,3})"
)
_JA_PERSON = re.compile(
    r"(?:^|[、。\s]|の)(?P<name>[^\s、。の]{1,10}?)と申します"
    # 「名前は山本花子、メールは…」, 「担当者：佐藤」
    r"|(?:名前|氏名|担当者名|担当者|担当)(?:は|:)\s*"
    r"(?P<named>[^\s、。,:？?！!の]{1,8}?(?:\s[^\s、。,:？?！!の]{1,6}?)?)"
    r"\s*(?:です|でございます|と申します)?(?:[、。,\s]|$)"
)


# The domain in ASCII: 「…@example.jpです」 ends at .jp.
ADDRESS_IN_TEXT = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def addresses_in(text: str) -> list[str]:
    """Every email address written in a text (「メールはa@b.jp」: a@b.jp)."""
    found = ADDRESS_IN_TEXT.findall(unicodedata.normalize("NFKC", text or ""))
    return [_JAPANESE_BEFORE.sub("", address) for address in found]


# Japanese written right before an address is not part of it.
_JAPANESE_BEFORE = re.compile(r"^[\u3040-\u30ff\u4e00-\u9fff々ー]+")


@dataclass(frozen=True)
class Prefill:
    """What earlier messages said: the organisation's name, the country's ISO code and the
    contact person's name."""

    organisation: str | None = None
    country: str | None = None
    name: str | None = None
    email: str | None = None


def organisation_in(text: str) -> str | None:
    """The local or regional government a message names, or None."""
    text = unicodedata.normalize("NFKC", text or "")
    for pattern in _EN_ORGANISATIONS:
        match = pattern.search(text)
        if match:
            return _titled(match.group(1).strip(" .,'’-"))
    for match in _JA_ORGANISATION.finditer(text):
        name = match.group(1)
        if name not in _NOT_ORGANISATIONS and len(name) >= 2 and not _DEICTIC.match(name):
            return name
    return None


def _titled(name: str) -> str:
    """ "town council of Galway" -> "Town Council of Galway"; names keep their own capitals."""
    small = {"of", "de", "del", "la", "le", "upon", "on"}
    words = name.split(" ")
    return " ".join(w if w in small and i else w[:1].upper() + w[1:] for i, w in enumerate(words))


def country_in(knowledge: Knowledge, text: str, organisation: str | None = None) -> str | None:
    """The one country a message names (「長野県」 is in Japan), else the country of the
    city in `organisation` ("City of Lyon": France); None when none or several."""
    # Countries only: "the Tokyo office" asked about earlier does not make the visitor Japanese.
    named = {
        m.country.code
        for m in find_places(knowledge, text)
        if m.kind == "country" and m.country is not None
    }
    if len(named) == 1:
        code = named.pop()
        # 「北海道の下川町役場で…ベトナムのハノイと交流事業を」: a prefecture of another
        # country beside it, so the country named may be a partner's; the form asks instead.
        regions = {p.country for p in gazetteer.find_in_text(text) if p.kind == "subdivision"}
        return None if regions - {code} else code
    if named or not organisation:
        return None
    places = {p.country for p in gazetteer.find_in_text(organisation) if p.kind == "city"}
    if len(places) == 1:
        code = places.pop()
        return code if code in knowledge.countries else None
    return None


def person_in(text: str) -> str | None:
    """The visitor's own name when a message gives it ("my name is …", 「…と申します」)."""
    text = unicodedata.normalize("NFKC", text or "")
    match = _EN_PERSON.search(text) or _JA_PERSON.search(text)
    if match is None:
        return None
    named = match.groupdict().get("named")
    name = (match.group("name") or named or "").strip()
    if not name:
        return None
    if named:
        # 「担当は中村 亮です」: labelled as the person; 中村 only looks like a village.
        return None if _OFFICE_WORDS.search(name) else name
    # "I'm Auckland Council": an organisation or a place, not a person.
    return None if organisation_in(name) or _PLACE_WORDS.search(name) else name


_OFFICE_WORDS = re.compile(r"役所|役場|政府|事務所|事務局|イクレイ|どの|どこ|誰")
_PLACE_WORDS = re.compile(
    r"\b(?:City|Council|Town|Government|Municipality|ICLEI)\b|[市町村区県]$|事務所|事務局|イクレイ"
)


_ASKS = re.compile(r"[?？]|(?:は|って)\s*$")
# Where the visitor says they are, before a question in the same message ("we're a small
# town in Kenya and want to join, what's the process?", 「ケニアの町なんですが、…？」).
_HOME_EN = re.compile(
    r"\b(?:we(?:'re| are)|i(?:'m| am)|our (?:[\w-]+ ){0,3}?(?:is|are|council|city|town|"
    r"municipality|county|region|village|district|government|organi[sz]ation))\b[^?.!;]*?"
    r"\b(?:in|from) (?P<where>[^,?.!;]+)",
    re.IGNORECASE,
)
_HOME_JA = re.compile(
    r"(?P<where>[^、。？?！!\s]+?)の[^、。？?！!\s]{0,6}?(?:自治体|市|町|村|区|市役所|町役場|村役場|県庁|州)"
    r"(?:です|なんです|なのです|ですが|なんですが|の者|で働|に勤め)"
)


def _home_place(text: str) -> str | None:
    """The part of a question that says where the visitor is, if it says so."""
    match = _HOME_EN.search(text) or _HOME_JA.search(text)
    return match.group("where") if match else None


def from_messages(knowledge: Knowledge, texts: Iterable[str]) -> Prefill:
    """The organisation, country, name and email address in the visitor's messages, the
    latest first: each taken from the first message that names it (an address only when the
    message gives one)."""
    organisation = country = name = email = None
    for text in texts:
        if not text or text.startswith("/"):
            continue
        found = organisation_in(text)
        organisation = organisation or found
        if found or not _ASKS.search(text):
            # 「インドのムンバイは？」 asks about a place: not where the visitor is.
            country = country or country_in(knowledge, text, found)
        elif (home := _home_place(text)) is not None:
            # Unless it says where the visitor is before asking ("we're a town in Kenya").
            country = country or country_in(knowledge, home)
        name = name or person_in(text)
        addresses = addresses_in(text)
        email = email or (addresses[0] if len(addresses) == 1 else None)
    return Prefill(organisation, country, name, email)
