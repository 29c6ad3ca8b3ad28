"""Resolve what a user calls a place (office, city, country, region; EN or JA) to ICLEI offices."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process

from bot.knowledge.model import Country, Knowledge, Localized, Office

PlaceKind = Literal["office", "city", "region", "country"]

# Lower wins: a named office or city beats a country, which beats a region.
_PRIORITY: dict[str, int] = {"office": 0, "city": 0, "country": 1, "region": 2}

# Fuzzy matching (typos such as "Frieburg", "Melborne"): rapidfuzz ratio (0-100) on normalised
# names. 85 accepts one slip in five letters or two in eight and rejects unrelated words; names
# under five characters (Laos, Peru, Bonn) only match exactly, else "Lagos" would become Laos.
FUZZY_CUTOFF = 85.0
_FUZZY_MIN_QUERY = 4
_FUZZY_MIN_NAME = 5

# Generic words around a place name in entity values ("東京事務所", "ICLEI Japan office").
_PREFIXES = ("iclei", "イクレイ", "the ", "の")
_SUFFIXES = (
    "offices", "office", "secretariat", "事務所", "事務局", "オフィス", "支部", "支局",
    "県", "府", "市",
    "ですか", "です", "はどこ", "どこ", "にある", "って", "から", "まで", "の", "は", "が", "に",
    "で", "へ", "か",
)  # fmt: skip

_AFFIXES = frozenset(affix.strip() for affix in _PREFIXES + _SUFFIXES)

# Aliases too common in running text to count as a place mention in find_places
# ("contact us", "the world's first", "国連本部"); they still resolve as entity values.
_NOT_SCANNED = frozenset(
    {"world", "global", "headquarters", "hq", "head office", "the states", "saga"}
    | {"世界", "本部", "グローバル"}
)
# Names that contain a place name but are not about the place ("the Seoul Plan" is ICLEI's
# strategy): find_places skips them as a whole.
_NOT_PLACES = ("seoul plan", "ソウルプラン", "ソウル・プラン")
_LANGUAGE_MARKERS = ("語", "ご")  # 日本語, にほんご: a language, not a place
_LATIN_WORD = "0-9a-z"
_KATAKANA_RE = re.compile(r"^[\u30a0-\u30ff]+$")


@dataclass(frozen=True)
class PlaceMatch:
    """A place the user named and the office(s) that answer for it (>1: let the user choose)."""

    kind: PlaceKind
    offices: tuple[Office, ...]
    label: Localized
    country: Country | None = None
    # For a region or region group: the regions it names, whose headings list its offices.
    region_ids: tuple[str, ...] = ()

    @property
    def is_ambiguous(self) -> bool:
        """Return True when several offices answer for the place."""
        return len(self.offices) > 1

    @property
    def office_ids(self) -> tuple[str, ...]:
        """Return the ids of the matched offices."""
        return tuple(office.id for office in self.offices)


@dataclass(frozen=True)
class _Term:
    """One name of a place, normalised for exact lookup (folded) and text scanning (unfolded)."""

    key: str
    scan_key: str
    match: PlaceMatch
    scannable: bool


@dataclass(frozen=True)
class _Index:
    """Lookup tables built once per Knowledge."""

    exact: dict[str, PlaceMatch]
    office_ids: dict[str, PlaceMatch]
    fuzzy_keys: tuple[str, ...]
    scan_terms: tuple[tuple[str, PlaceMatch | None, re.Pattern[str] | None], ...]


# --- public API ----------------------------------------------------------------------------


def resolve_place(knowledge: Knowledge, name: str) -> PlaceMatch | None:
    """Resolve one place name (an entity value, alias or office id) to its office(s), or None."""
    index = _index(knowledge)
    base = _clean(name)
    if not base:
        return None
    stripped = _strip_affixes(base)
    for candidate in (base, stripped):
        match = index.exact.get(fold_kana(candidate))
        if match:
            return match
    by_id = index.office_ids.get(name.strip().casefold())
    if by_id:
        return by_id
    if stripped in _AFFIXES:  # nothing but a generic word ("office", "事務所")
        return None
    return _fuzzy(index, fold_kana(stripped))


def resolve_in_context(knowledge: Knowledge, name: str, text: str) -> PlaceMatch | None:
    """Resolve an entity value, preferring a longer name around it in the text: the model
    may tag "America" in "South America", "Asia" in "Southeast Asia"."""
    words = _clean(text).split()
    target = _clean(name).split()
    index = _index(knowledge)
    for start in range(len(words) - len(target) + 1):
        if words[start : start + len(target)] != target:
            continue
        end = start + len(target)
        for left, right in ((1, 0), (0, 1), (1, 1), (2, 0)):
            if start - left < 0 or end + right > len(words):
                continue
            wider = " ".join(words[start - left : end + right])
            match = index.exact.get(fold_kana(wider))
            if match is not None:
                return match
    return resolve_place(knowledge, name)


def find_places(knowledge: Knowledge, text: str) -> list[PlaceMatch]:
    """Find every known place mentioned in a free-text message, in text order, longest first."""
    return _unique(place_mentions(knowledge, text))


def place_mentions(knowledge: Knowledge, text: str) -> list[PlaceMatch]:
    """Every mention of a known place in text order, one match per mention (two names of
    one office give two matches)."""
    index = _index(knowledge)
    text = _clean(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, PlaceMatch]] = []
    for term, match, pattern in index.scan_terms:
        for start, end in _occurrences(text, term, pattern):
            if not any(start < t_end and t_start < end for t_start, t_end in taken):
                taken.append((start, end))
                if match is not None:
                    found.append((start, match))
    return [match for _, match in sorted(found, key=lambda item: item[0])]


def is_distinctive(name: str) -> bool:
    """Return whether a place name is distinctive enough to mark in free text."""
    key = _clean(name)
    return bool(key) and _is_scannable(key)


def normalize(text: str) -> str:
    """Return a name's comparison form: NFKC, casefolded, no accents or punctuation, kana folded."""
    return fold_kana(_clean(text))


def fold_kana(text: str) -> str:
    """Map hiragana to katakana so that とうきょう and トウキョウ compare equal."""
    return "".join(chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" else ch for ch in text)


# --- normalisation -------------------------------------------------------------------------


# Sentence punctuation ends a name: 「…書いてるんだけど、いつできたの？」 must not read as ドイツ.
_SENTENCE_BREAK = re.compile(r"[、。!?]+")


def _clean(text: str) -> str:
    """NFKC (full/half-width), casefold, drop Latin accents and punctuation, squeeze spaces;
    no name runs across 「、」「。」 or a question or exclamation mark."""
    text = unicodedata.normalize("NFKC", text).casefold()
    parts = (_clean_words(part) for part in _SENTENCE_BREAK.split(text))
    return " ; ".join(part for part in parts if part)


def _clean_words(text: str) -> str:
    text = _strip_latin_accents(text)
    text = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    text = " ".join(text.split())
    # Spaces between Japanese characters are not word boundaries ("メキシコ・シティ").
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)


def _strip_latin_accents(text: str) -> str:
    """Remove Latin diacritics (São -> sao) but keep Japanese voicing marks (ガ stays ガ)."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f")
    return unicodedata.normalize("NFC", kept)


def _strip_affixes(text: str) -> str:
    """Remove generic words and particles around a name ("イクレイの東京事務所は" -> "東京")."""
    previous = None
    while previous != text:
        previous = text
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :].strip()
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)].strip()
    return text


# --- index ---------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _index(knowledge: Knowledge) -> _Index:
    """Build the lookup tables for a Knowledge (cached: Knowledge hashes by identity)."""
    exact: dict[str, PlaceMatch] = {}
    scan: dict[str, PlaceMatch | None] = {_clean(name): None for name in _NOT_PLACES}
    for term in _terms(knowledge):
        exact[term.key] = _better(exact.get(term.key), term.match)
        if term.scannable:
            scan[term.scan_key] = _better(scan.get(term.scan_key), term.match)
    office_ids = {
        office.id: PlaceMatch("office", (office,), office.name) for office in knowledge.offices
    }
    fuzzy_keys = tuple(key for key in exact if len(key) >= _FUZZY_MIN_NAME)
    scan_terms = tuple(
        (key, match, _latin_pattern(key))
        for key, match in sorted(scan.items(), key=lambda item: -len(item[0]))
    )
    return _Index(exact, office_ids, fuzzy_keys, scan_terms)


def _terms(knowledge: Knowledge) -> Iterable[_Term]:
    """Yield every name of every office, city, country, region and region group."""
    for office in knowledge.offices:
        as_office = PlaceMatch("office", (office,), office.name)
        yield from _named(as_office, (office.name.en, office.name.ja, *office.aliases.all()))
        as_city = PlaceMatch("city", (office,), office.city)
        yield from _named(as_city, (office.city.en, office.city.ja, *office.city_aliases))
    for country in knowledge.countries.values():
        office = knowledge.office(country.office_id)
        yield from _named(PlaceMatch("country", (office,), country.name, country), country.aliases)
    for region in knowledge.regions:
        offices = knowledge.region_contacts(region.id)
        names = (region.name.en, region.name.ja, *region.aliases.all())
        yield from _named(PlaceMatch("region", offices, region.name, None, (region.id,)), names)
    for group in knowledge.region_groups:
        contacts = (knowledge.region_contacts(rid) for rid in group.region_ids)
        offices = tuple(dict.fromkeys(office for part in contacts for office in part))
        names = (group.name.en, group.name.ja, *group.aliases.all())
        match = PlaceMatch("region", offices, group.name, None, group.region_ids)
        yield from _named(match, names)


def _named(match: PlaceMatch, names: Iterable[str]) -> Iterable[_Term]:
    """Yield a term per non-empty name of one place."""
    for name in names:
        scan_key = _clean(name)
        if scan_key:
            yield _Term(fold_kana(scan_key), scan_key, match, _is_scannable(scan_key))


def _is_scannable(key: str) -> bool:
    """Return whether a name is distinctive enough to look for inside free text."""
    if key in _NOT_SCANNED:
        return False
    # Two-letter Latin names ("us", "uk", "eu") and one-character kanji ("独") are too ambiguous.
    return len(key) >= (3 if key.isascii() else 2)


def _latin_pattern(key: str) -> re.Pattern[str] | None:
    """Return a whole-word pattern for a Latin name; Japanese names are matched as substrings."""
    if not key.isascii():
        return None
    return re.compile(rf"(?<![{_LATIN_WORD}]){re.escape(key)}(?![{_LATIN_WORD}])")


def _better(current: PlaceMatch | None, new: PlaceMatch) -> PlaceMatch:
    """Combine two places with the same name: higher precedence wins, equals merge offices."""
    if current is None or _PRIORITY[new.kind] < _PRIORITY[current.kind]:
        return new
    if _PRIORITY[new.kind] > _PRIORITY[current.kind]:
        return current
    offices = tuple(dict.fromkeys(current.offices + new.offices))
    regions = tuple(dict.fromkeys(current.region_ids + new.region_ids))
    return PlaceMatch(current.kind, offices, current.label, current.country, regions)


# --- matching ------------------------------------------------------------------------------


def _fuzzy(index: _Index, key: str) -> PlaceMatch | None:
    """Return the place whose name is closest to `key` if it is close enough (typos)."""
    if len(key) < _FUZZY_MIN_QUERY:
        return None
    best = process.extractOne(key, index.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return index.exact[best[0]] if best else None


def _occurrences(
    text: str, term: str, pattern: re.Pattern[str] | None
) -> Iterable[tuple[int, int]]:
    """Yield (start, end) of each acceptable occurrence of a term in normalised text."""
    if pattern is not None:
        yield from (m.span() for m in pattern.finditer(text))
        return
    start = text.find(term)
    while start >= 0:
        end = start + len(term)
        if _acceptable_japanese(text, term, start, end):
            yield start, end
        start = text.find(term, start + 1)


def _acceptable_japanese(text: str, term: str, start: int, end: int) -> bool:
    """Reject substrings that are part of another word: タイ in タイム, 日本 in 日本語."""
    after = text[end : end + 1]
    if after in _LANGUAGE_MARKERS:
        return False
    if _KATAKANA_RE.match(term):
        before = text[start - 1 : start]
        return not (_is_katakana(before) or _is_katakana(after))
    return True


def _is_katakana(char: str) -> bool:
    """Return whether a single character is katakana (including the long-vowel mark)."""
    return bool(char) and "\u30a0" <= char <= "\u30ff"


def _unique(matches: Iterable[PlaceMatch]) -> list[PlaceMatch]:
    """Drop later matches that name the same offices as an earlier one."""
    seen: set[tuple[str, ...]] = set()
    result = []
    for match in matches:
        if match.office_ids not in seen:
            seen.add(match.office_ids)
            result.append(match)
    return result
