"""Pure validators for the enquiry form: a normalised value, or an error code to re-ask with.

Language-agnostic: the codes (ERROR_* below) are mapped to domain responses by the form's
validation action, which answers in the user's language.
"""

from __future__ import annotations

import difflib
import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

from email_validator import EmailNotValidError
from email_validator import validate_email as _check_email

from bot.enquiries.corrections import without_label
from bot.enquiries.model import (
    EMAIL_LENGTH,
    MESSAGE_LENGTH,
    NAME_LENGTH,
    ORGANISATION_LENGTH,
    ROLE_LENGTH,
)
from bot.enquiries.prefill import ADDRESS_IN_TEXT, organisation_in
from bot.knowledge import Knowledge, find_places, get_knowledge, resolve_place

T = TypeVar("T")

ERROR_EMPTY = "empty"
ERROR_TOO_LONG = "too_long"
ERROR_INVALID_EMAIL = "invalid_email"
ERROR_UNKNOWN_COUNTRY = "unknown_country"
ERROR_NOT_A_COUNTRY = "not_a_country"  # a region or an office, e.g. "Europe", "本部"
ERROR_INVALID_POPULATION = "invalid_population"
ERROR_POPULATION_OUT_OF_RANGE = "population_out_of_range"

MAX_ORGANISATION = ORGANISATION_LENGTH
MAX_NAME = NAME_LENGTH
MAX_ROLE = ROLE_LENGTH
MAX_MESSAGE = MESSAGE_LENGTH
MAX_EMAIL = 254  # RFC 5321 path limit
# The most populous local governments have some tens of millions of inhabitants.
MAX_POPULATION = 200_000_000


@dataclass(frozen=True)
class Checked(Generic[T]):
    """A validator's answer: `value` when ok, else `error` (one of the ERROR_* codes)."""

    value: T | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Return whether the input was valid."""
        return self.error is None


def _fail(code: str) -> Checked:
    """Shorthand for an invalid answer."""
    return Checked(error=code)


# --- markup and text ---------------------------------------------------------------------

# Whole elements whose content is code, not text.
_ELEMENTS_WITH_CODE = re.compile(
    r"<\s*(script|style|iframe|object|embed|template)\b.*?(<\s*/\s*\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT = re.compile(r"<!--.*?(-->|$)", re.DOTALL)
# A tag starts with a letter, "/" or "!" right after "<", so "a < b" is left alone.
_TAG = re.compile(r"</?[a-zA-Z!][^<>]*>?")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def strip_markup(text: str) -> str:
    """Remove HTML/XML tags, comments and script/style elements; decode entities."""
    # Entities first, so "&lt;script&gt;" cannot survive as a tag once decoded.
    for _ in range(2):
        text = html.unescape(text)
        text = _COMMENT.sub(" ", text)
        text = _ELEMENTS_WITH_CODE.sub(" ", text)
        text = _TAG.sub(" ", text)
    return text


def _clean(text: str, *, multiline: bool = False) -> str:
    """NFKC (full/half-width forms), no markup, no control characters, tidy whitespace."""
    text = strip_markup(unicodedata.normalize("NFKC", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in text:
        if char == "\n":
            kept.append("\n" if multiline else " ")
        elif char == "\t" or unicodedata.category(char) == "Zs":
            kept.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Co", "Cs"):
            kept.append(char)
    text = _SPACES.sub(" ", "".join(kept))
    if not multiline:
        return text.strip()
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _text(value: str | None, limit: int, *, multiline: bool = False) -> Checked[str]:
    """Clean a free-text answer and check it is non-empty and within `limit` characters."""
    text = _clean(value or "", multiline=multiline)
    if not text:
        return _fail(ERROR_EMPTY)
    if len(text) > limit:
        return _fail(ERROR_TOO_LONG)
    return Checked(text)


# 「長野県松本市です」, 「うちは台中市だよ」, "we're the City of Arequipa", "I'm the environment
# manager": the answer without the sentence around it.
# 「熊本県水俣市で。」 ("…, please"): the で is not part of the name either.
_JA_COPULA = re.compile(
    r"(?<=[\u4e00-\u9fff\u30a0-\u30ff])\s*で\s*[。．.!！]+\s*$|"
    r"\s*(?:です|でございます|になります|だよ|だよね|でお願いします|でお願いいたします)\s*[。．.!！]*\s*$"
)
_JA_TOPIC = re.compile(r"^(?:うちは|うちの(?:市|町|村)は|私たちは|わたしたちは|当市は|こちらは)\s*")
_EN_FRAME = re.compile(
    r"^(?:we['’]?re|we are|it['’]s|it is|this is|i['’]?m from|i am from|i work (?:for|at)|"
    r"(?:our|the|my) (?:city|town|organi[sz]ation|municipality|council|government|role|"
    r"position|title|job) is|i['’]?m|i am)\s+(?:(?:the|a|an)\s+(?=\S))?",
    re.IGNORECASE,
)


# "as I wrote above – Municipality of Rosario", 「最初に書きましたが、山本花子です」: a reminder
# that the answer was given before, then the answer.
_ALREADY_SAID = re.compile(
    r"^(?:(?:(?:as|like) i (?:said|wrote|mentioned)|it was in my (?:first |last |earlier )?"
    r"message|i (?:already )?(?:said|wrote|gave|told you)(?: (?:it|that|this))?)"
    r"(?: (?:above|before|earlier|already))?\s*[:,;.!–—-]+\s*"
    r"|(?:最初に|先ほど|さきほど|先程|さっき|上に|上で|前に|すでに|既に)?(?:も)?(?:書きました|書いた|"
    r"お伝えしました|伝えました|お伝えした|申し上げました|言いました|入力しました)"
    r"(?:が|けど|けれど|けれども|よ|って)?[〜ー~！!。、,\s]*"
    # 「わかりました。高橋 美咲です」, "OK, sure - Lena Hofer": the question acknowledged first.
    r"|(?:わかりました|分かりました|了解(?:です|しました)?|承知(?:しました|いたしました))[。、,!！\s]+"
    r"|(?:(?:ok(?:ay)?|sure|alright|got it)\s*[,.!–—-]+\s*)+)",
    re.IGNORECASE,
)


def without_reminder(value: str | None) -> str:
    """The answer without a leading "as I said above:" / 「最初に書きましたが、」 or its label
    ("名前：井上 真")."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    return without_label(_ALREADY_SAID.sub("", text, count=1))


def _without_sentence_frame(value: str | None) -> str:
    text = without_reminder(value)
    text = _EN_FRAME.sub("", _JA_TOPIC.sub("", text), count=1)
    return _JA_COPULA.sub("", text)


def _without_full_stop(text: str) -> str:
    """ "Municipality of Arequipa." -> "Municipality of Arequipa" (an initial keeps its dot)."""
    text = text.rstrip()
    if re.search(r"(?:^|\s)\w\.$", text):  # "Jane D."
        return text
    return text.rstrip("。．.!！")


def validate_organisation(value: str | None) -> Checked[str]:
    """The local or regional government's name (「松本市です」 -> 松本市): non-empty, at most
    MAX_ORGANISATION chars."""
    text = _without_full_stop(_without_sentence_frame(value))
    if re.search(r"[。．.!！]\s*\S", text):
        # 「熊本県の八代市役所です。環境課におります。」: the government the sentences name.
        text = organisation_in(text) or text
    return _text(text, MAX_ORGANISATION)


# A name given in a sentence: 「山田花子です。」, 「佐藤と申します」, "My name is Jane Doe.",
# "I'm Jane Doe" (a capital letter after "I'm": "I'm not sure" is no name). What follows the
# first sentence (「フルネームでいいですか？」) is a remark about the answer, not part of it.
_JA_NAME = re.compile(
    r"^(?:(?:担当(?:者)?|私|わたし|わたくし)(?:の名前)?(?:は|、|,)\s*)*(?P<name>[^。．.!！?？、,\s][^。．.!！?？、,]{0,40}?)\s*"
    r"(?:です|と申します|ともうします|といいます|と言います|でございます)(?:[。．.!！?？、,\s]|$)"
)
_EN_NAME = re.compile(
    r"^(?:(?i:hi|hello)[,!.]?\s+)?"
    r"(?:(?i:my name is|my name's|name is|name:|this is)|(?i:i'm|i am)(?=\s+[A-Z]))"
    r"\s*(?P<name>[^\W\d_][^.!?,;:]{0,60}?)\s*(?:[.!?,;]|\s+and\s|$)"
)


# 「担当は環境政策課の鈴木と申します」: the person after the section they work in.
_JA_SECTION = re.compile(
    r"^(?:担当(?:者)?(?:は|の))?(?:.*?(?:課|部|局|室|係|センター|チーム)の)?"
    r"(?:(?:課長|部長|係長|主任|主査|局長|室長|所長|担当)の)?"
)


# "The person handling this will be me, Siobhan Murphy, and my email is …".
_EN_ME = re.compile(
    r"\b(?:be|is|it's|it is)\s+me,?\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})"
)


def name_in_sentence(text: str | None) -> str | None:
    """The name in an answer that puts it in a sentence ("My name is Jane Doe.",
    「山田花子です。フルネームでいいですか？」), or None when the answer is not such a sentence."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    for pattern in (_JA_NAME, _EN_NAME):
        match = pattern.match(text)
        if match and match.group("name").strip():
            name = match.group("name").strip()
            if pattern is _JA_NAME:
                name = _JA_SECTION.sub("", name, count=1) or name
            return name
    match = _EN_ME.search(text)
    return match.group("name") if match else None


def validate_name(value: str | None) -> Checked[str]:
    """The contact person's name, out of a sentence that gives it ("My name is …"):
    non-empty, at most MAX_NAME chars. Sentences that ask something ("Emily Carter. Can we
    continue in English please?") and a remark in brackets ("(as I said)") are not part of it."""
    value = _without_asides(without_reminder(value))
    named = _EN_NAMED.search(value or "")
    if named:  # "Sorry, I'm the town's coordinator — … My name is Emily Carter."
        value = named.group(0)
    name = name_in_sentence(value) or _JA_SECTION.sub("", value, count=1) or value
    return _text(_without_full_stop(name), MAX_NAME)


# "My name is Emily Carter" at the end of a longer answer.
_EN_NAMED = re.compile(r"\bmy name(?:'s| is)\s+[^.!?]+[.!]?\s*$", re.IGNORECASE)
# A sentence that asks, and a remark in brackets about the answer.
_ASKING_SENTENCE = re.compile(r"[^.!?。！？]*[?？]")
_REMARK_IN_BRACKETS = re.compile(
    r"\s*[(（][^()（）]*(?:said|mentioned|above|before|again|先ほど|前に|さっき|既に|すでに)"
    r"[^()（）]*[)）]",
    re.IGNORECASE,
)


def _without_asides(value: str | None) -> str:
    """An answer without its questions and its bracketed remarks; the answer as it is when
    nothing else is left."""
    text = unicodedata.normalize("NFKC", value or "")
    kept = _REMARK_IN_BRACKETS.sub("", _ASKING_SENTENCE.sub("", text)).strip(" —-,、")
    return kept or (value or "")


def validate_role(value: str | None) -> Checked[str]:
    """The contact's role (optional field; the form decides whether to ask): ≤ MAX_ROLE."""
    return _text(_without_sentence_frame(value), MAX_ROLE)


def validate_message(value: str | None) -> Checked[str]:
    """A free message (optional field): line breaks kept, at most MAX_MESSAGE chars."""
    return _text(value, MAX_MESSAGE, multiline=True)


# --- email -------------------------------------------------------------------------------

_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_ANGLE_ADDRESS = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
# What may come before an address in a sentence: nothing, punctuation, Japanese, or "is",
# "it's", "email", "use", "to" ("my new email is …", "oops, …", 「すみません、…」).
_LEADS_TO_ADDRESS = re.compile(
    r"(?:^|[,:;!.?、。：！？\u3040-\u30ff\u4e00-\u9fff]|\b(?:is|it's|its|email|e-mail|mail|"
    r"address|use|to|at|here|oops|sorry|oh|ah|ok|okay|actually|correction)\b)\s*$",
    re.IGNORECASE,
)


def validate_email(value: str | None) -> Checked[str]:
    """An email address: syntax only (no DNS), domain lowercased, full-width forms folded."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    # "Taro <taro@example.jp>" -> the address; 全角 ＠ and ． become @ and . through NFKC.
    angle = _ANGLE_ADDRESS.search(text)
    if angle:
        text = angle.group(1)
    text = _MAILTO.sub("", text).strip().strip(".,;、。")
    if not text:
        return _fail(ERROR_EMPTY)
    if len(text) > MAX_EMAIL or len(text) > EMAIL_LENGTH:
        return _fail(ERROR_TOO_LONG)
    try:
        checked = _check_email(text, check_deliverability=False)
    except EmailNotValidError:
        # "oops, jane@city.example", 「すみません、a@b.jp です」: the one address in a sentence.
        found = list(ADDRESS_IN_TEXT.finditer(text))
        if len(found) != 1 or found[0].group(0) == text:
            return _fail(ERROR_INVALID_EMAIL)
        # Not "taro yamada@example.jp": a bare word before the address may be part of it.
        if not _LEADS_TO_ADDRESS.search(text[: found[0].start()]):
            return _fail(ERROR_INVALID_EMAIL)
        return validate_email(found[0].group(0))
    return Checked(checked.normalized)


# --- country -----------------------------------------------------------------------------

_ISO_CODE = re.compile(r"^[A-Z]{2}$")


def validate_country(value: str | None, knowledge: Knowledge | None = None) -> Checked[str]:
    """A country in English or Japanese (or its ISO code, upper case): its ISO 3166 alpha-2."""
    knowledge = knowledge or get_knowledge()
    text = _clean(value or "")
    if not text:
        return _fail(ERROR_EMPTY)
    # Only upper case: "no" or "in" typed as words must not become Norway or India.
    if _ISO_CODE.match(text) and text in knowledge.countries:
        return Checked(text)
    match = resolve_place(knowledge, text)
    if match is None:
        # "sorry, Norway", 「国は日本」: the one country a sentence names.
        countries = {m.country.code for m in find_places(knowledge, text) if m.country is not None}
        if len(countries) == 1:
            return Checked(countries.pop())
        close = _country_spelled_like(knowledge, text)
        return Checked(close) if close else _fail(ERROR_UNKNOWN_COUNTRY)
    if match.kind == "country" and match.country is not None:
        return Checked(match.country.code)
    if match.kind == "city" and len(match.offices) == 1:
        # A city with an ICLEI office ("Bonn", 東京) lies in that office's country.
        return Checked(match.offices[0].country)
    return _fail(ERROR_NOT_A_COUNTRY)


def _country_spelled_like(knowledge: Knowledge, text: str) -> str | None:
    """The country a one-word answer nearly spells ("kenia", "Brasil", "Phillipines"); None
    when nothing is close or the word is short (a typo of four letters could be any)."""
    word = text.strip(" .。!！").casefold()
    if len(word) < _MIN_FUZZY_LETTERS or " " in word:
        return None
    names = _country_names(knowledge)
    close = difflib.get_close_matches(word, list(names), n=2, cutoff=_FUZZY_CUTOFF)
    codes = {names[name] for name in close}
    return codes.pop() if len(codes) == 1 else None


_MIN_FUZZY_LETTERS = 5
_FUZZY_CUTOFF = 0.8


@functools.cache
def _country_names(knowledge: Knowledge) -> dict[str, str]:
    """Every country's English name, casefolded -> its ISO code (not its aliases, which
    hold places: "Narnia" is close to Nara)."""
    return {
        country.name.en.casefold(): code
        for code, country in knowledge.countries.items()
        if country.name.en and country.name.en.isascii()
    }


# --- population --------------------------------------------------------------------------

_FILLER = re.compile(
    r"about|approx\.?|approximately|around|roughly|some|nearly|almost|over|ca\.|c\.|~|"
    r"約|およそ|大体|だいたい|ほぼ|程度|くらい|ぐらい|位|前後|以上|余り|余|強|弱|"
    r"inhabitants|residents|people|persons|population|citizens|人口|人|名|です|。|\s"
)
_JA_UNITS = {"億": 100_000_000, "万": 10_000, "千": 1_000}
_EN_UNITS = {
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "mil": 1_000_000,
    "mn": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
}
_NUMBER = r"\d+(?:\.\d+)?"
_JA_PART = re.compile(rf"({_NUMBER})(億|万|千)")
_JA_FULL = re.compile(rf"^(?:{_NUMBER}(?:億|万|千))+(?:{_NUMBER})?$")
_EN_FULL = re.compile(rf"^({_NUMBER})({'|'.join(sorted(_EN_UNITS, key=len, reverse=True))})?$")
_GROUPED = re.compile(r"\d{1,3}(?:[,'’ ]\d{3})+")


def validate_population(value: str | int | None) -> Checked[int]:
    """A population: 1200000, "1,200,000", "120万", "約120万人", "1.2 million", "3.5k"."""
    if isinstance(value, int) and not isinstance(value, bool):
        number: Decimal | None = Decimal(value)
    else:
        number = _parse_population(value or "")
    if number is None:
        return _fail(ERROR_INVALID_POPULATION)
    if number != number.to_integral_value() and number > 1000:
        number = number.to_integral_value()
    if number != number.to_integral_value():
        return _fail(ERROR_INVALID_POPULATION)
    if not 1 <= number <= MAX_POPULATION:
        return _fail(ERROR_POPULATION_OUT_OF_RANGE)
    return Checked(int(number))


# One number with its unit in a sentence: "Around 85,000 people live in Galway",
# 「人口は約37万人です」.
_NUMBER_IN_TEXT = re.compile(
    r"(?<![-−\d.])\d[\d,.' ]*"
    r"(?:\s*(?:million|thousand|mil|mn|k|m|b|bn|billion)\b|(?:\d|億|万|千)*)",
    re.IGNORECASE,
)


def _parse_population(text: str) -> Decimal | None:
    """A population given alone, or the one number of a sentence that gives it."""
    number = _parse_population_alone(text)
    if number is not None:
        return number
    text = unicodedata.normalize("NFKC", text)
    found = _NUMBER_IN_TEXT.findall(text)
    # Exactly one number in the sentence: not a range ("12-15万") or a negative.
    if len(found) != 1 or len(re.findall(r"\d+(?:[,.' ]\d{3})*", text)) != 1:
        return None
    return _parse_population_alone(found[0].strip())


def _parse_population_alone(text: str) -> Decimal | None:
    """Read a number with thousands separators and English or Japanese units, or None."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    # "1,200,000" and "1 200 000": drop the grouping separators before the fillers eat spaces.
    text = _GROUPED.sub(lambda m: re.sub(r"\D", "", m.group(0)), text)
    text = _FILLER.sub("", text)
    if not text:
        return None
    try:
        if _JA_FULL.match(text):
            total = Decimal(0)
            for number, unit in _JA_PART.findall(text):
                total += Decimal(number) * _JA_UNITS[unit]
            tail = _JA_PART.sub("", text)
            return total + (Decimal(tail) if tail else 0)
        match = _EN_FULL.match(text)
        if match:
            return Decimal(match.group(1)) * _EN_UNITS.get(match.group(2) or "", 1)
    except InvalidOperation:
        return None
    return None
