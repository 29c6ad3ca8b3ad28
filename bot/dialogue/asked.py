"""What a message asks for, read from its words: office details, facets of a fact, a language,
and out-of-scope travel topics.

The intent says what kind of question it is; these cues say which detail is wanted, so that
"and the phone?" after an office answer gives the phone (or says the page lists none) rather
than the whole card again. Cues are matched on the NFKC-casefolded text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Attribute = Literal["phone", "fax", "email", "web", "postal", "address"]
Facet = Literal["when", "where", "who", "how_many", "what"]
Language = Literal["en", "ja"]

# Order matters where cues overlap: "postal address" is postal, not address; "fax number"
# is fax, not phone.
_ATTRIBUTES: tuple[tuple[Attribute, re.Pattern[str]], ...] = (
    ("fax", re.compile(r"\bfax|facsimile|ファックス|ファクス")),
    (
        "email",
        re.compile(r"e-?mail(?: address)?|\bmail address|メールアドレス|メール|メアド"),
    ),
    (
        "phone",
        re.compile(r"phone|\btel\b|\bcall\b|(?<!the )\bnumber\b(?! of)|電話|でんわ|番号"),
    ),
    (
        "web",
        re.compile(
            r"web\s?site|\bweb\b|\bsite\b|\burl\b|home ?page|ウェブ|ホームページ|\bhp\b|サイト"
        ),
    ),
    (
        "postal",
        re.compile(r"postal(?: address)?|post box|mailing address|p\.?o\.? box|郵送先|郵便|私書箱"),
    ),
    (
        "address",
        re.compile(r"address|located|location|\bwhere\b|住所|所在地|場所|どこ|アドレス"),
    ),
)

_FACETS: tuple[tuple[Facet, re.Pattern[str]], ...] = (
    (
        "how_many",
        re.compile(
            r"how many|how much|number of|何人|何か国|いくつ|何件|何団体|どのくらい|どれくらい"
        ),
    ),
    ("when", re.compile(r"\bwhen\b|what year|what date|which year|いつ|何年|何月|何日|時期")),
    ("where", re.compile(r"\bwhere\b|which city|which country|どこ|どちら|場所|都市|国で")),
    ("who", re.compile(r"\bwho\b|\bwhom\b|by whom|誰|だれ|どなた|どの団体|どんな人")),
    ("what", re.compile(r"\bwhat\b|\bwhich\b|何|なに|どんな|どういう")),
)

_LANGUAGES: tuple[tuple[Language, re.Pattern[str]], ...] = (
    ("ja", re.compile(r"japanese|nihongo|日本語|にほんご|ニホンゴ")),
    ("en", re.compile(r"english|eigo|英語|えいご|エイゴ")),
)

# Travel and everyday topics: a place named beside them is not a question about an office.
_OUT_OF_SCOPE = re.compile(
    r"weather|temperature|forecast|\brain(y|ing)?\b|\bsnow|hotel|hostel|accommodation|airbnb|"
    r"\bstay (overnight|near)|restaurant|\bfood\b|\beat\b|\beating\b|ramen|sushi|pizza|"
    r"\bcoffee|\bcafe|\bbars?\b|\bbeer|sightseeing|tourist|things to do|museum|"
    r"time is it|local time|time zone|timezone|\btrains?\b|\bbus(es)?\b|airport|\bflights?\b|"
    r"\btaxi|directions|how do i get|how to get|how can i get|\bget to\b|\broute\b|parking|"
    r"shopping|"
    r"天気|気温|雨|雪|ホテル|宿泊|宿を|宿は|泊ま|旅館|レストラン|ご飯|ごはん|食べ|グルメ|ラーメン|"
    r"寿司|カフェ|観光|名所|見どころ|お土産|何時|時差|現在時刻|今の時間|電車|バス|空港|飛行機|"
    r"タクシー|行き方|アクセス方法|乗り換え|駐車|買い物"
)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def attributes_asked(text: str) -> list[Attribute]:
    """The office details a message asks for, in the order of the table (empty: none named)."""
    norm = _norm(text)
    found: list[Attribute] = []
    for name, pattern in _ATTRIBUTES:
        if pattern.search(norm):
            if name in ("email", "postal"):
                # "email address", "postal address" name one thing, not also the address.
                norm = pattern.sub(" ", norm)
            # "fax number" is not also a phone.
            if name == "phone" and "fax" in found and not re.search(r"phone|電話|tel", norm):
                continue
            found.append(name)
    return found


def facet_asked(text: str) -> Facet | None:
    """The facet of a fact a short follow-up asks for ("and where?", 「それはいつ？」)."""
    norm = _norm(text)
    for name, pattern in _FACETS:
        if pattern.search(norm):
            return name
    return None


def language_asked(text: str) -> Language | None:
    """The language a message asks the assistant to use, if it names exactly one."""
    norm = _norm(text)
    named = [lang for lang, pattern in _LANGUAGES if pattern.search(norm)]
    return named[0] if len(named) == 1 else None


def is_travel_or_everyday(text: str) -> bool:
    """True when a message is about weather, hotels, food, sightseeing, time or travel."""
    return bool(_OUT_OF_SCOPE.search(_norm(text)))


# "What offices are in Southeast Asia?" asks for every office under the heading; "which
# office covers Oceania?" asks for the one to contact.
_LIST = re.compile(
    r"\boffices\b|\ball\b|\bevery\b|\blist\b|\bhow many\b|\bany offices\b|secretariats|"
    r"全部|すべて|全て|一覧|どんな事務所|どのような事務所|事務所は何|何か所|何カ所|いくつ|各事務所|事務所を教えて|リスト"
)


def asks_for_list(text: str) -> bool:
    """True when a message asks for every office of a place rather than the one to contact."""
    return bool(_LIST.search(_norm(text)))
