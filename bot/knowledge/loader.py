"""Load and validate iclei.yml into a `Knowledge`; every error names the offending field."""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pycountry
import yaml

from bot.knowledge.model import (
    LANGUAGES,
    Aliases,
    Country,
    Knowledge,
    Localized,
    Office,
    Region,
    RegionGroup,
)

DEFAULT_PATH = Path(__file__).with_name("iclei.yml")
# The fact counted from the office list (how many offices the page gives addresses for), so
# that the number is never written twice.
LISTED_OFFICES = "listed_offices"


class KnowledgeError(ValueError):
    """The knowledge file is missing, unreadable or inconsistent; the message names the field."""


def load_knowledge(path: Path | None = None) -> Knowledge:
    """Read, validate and return the knowledge file (the packaged iclei.yml by default)."""
    path = path or DEFAULT_PATH
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc}") from exc
    return _build(_mapping(raw, "<root>"))


@lru_cache(maxsize=1)
def get_knowledge() -> Knowledge:
    """Return the packaged knowledge, loaded once on first use."""
    return load_knowledge()


# --- building ------------------------------------------------------------------------------


def _build(raw: Mapping[str, Any]) -> Knowledge:
    """Validate the top-level sections and assemble the Knowledge."""
    facts = _facts(_required(raw, "facts", ""))
    offices = _offices(_required(raw, "offices", ""))
    if LISTED_OFFICES in facts:
        raise KnowledgeError(f"facts.{LISTED_OFFICES}: counted from offices, do not set it")
    facts[LISTED_OFFICES] = Localized(en=str(len(offices)), ja=str(len(offices)))
    office_ids = {office.id for office in offices}
    regions = _regions(_required(raw, "regions", ""), office_ids)
    _check_office_regions(offices, {region.id for region in regions})
    groups = _region_groups(raw.get("region_groups") or [], {region.id for region in regions})
    countries = _countries(raw, office_ids)
    return Knowledge(
        facts=MappingProxyType(facts),
        offices=offices,
        regions=regions,
        region_groups=groups,
        countries=MappingProxyType(countries),
    )


def _facts(raw: Any) -> dict[str, Localized]:
    """Validate the facts mapping: key -> {en, ja}."""
    facts = _mapping(raw, "facts")
    return {_key(key, "facts"): _localized(value, f"facts.{key}") for key, value in facts.items()}


def _offices(raw: Any) -> tuple[Office, ...]:
    """Validate the office list: required fields, unique ids."""
    offices = []
    for index, item in enumerate(_sequence(raw, "offices")):
        path = f"offices[{index}]"
        data = _mapping(item, path)
        offices.append(
            Office(
                id=_string(_required(data, "id", path), f"{path}.id"),
                name=_localized(_required(data, "name", path), f"{path}.name"),
                region=_optional_string(data, "region", path),
                city=_localized(_required(data, "city", path), f"{path}.city"),
                country=_country_code(_required(data, "country", path), f"{path}.country"),
                address=_string(_required(data, "address", path), f"{path}.address"),
                postal_address=_optional_string(data, "postal_address", path),
                phone=_optional_string(data, "phone", path),
                fax=_optional_string(data, "fax", path),
                web=_optional_string(data, "web", path),
                note=_optional_string(data, "note", path),
                city_aliases=_strings(data.get("city_aliases", []), f"{path}.city_aliases"),
                aliases=_aliases(data.get("aliases", {}), f"{path}.aliases"),
            )
        )
    _check_unique([office.id for office in offices], "offices")
    return tuple(offices)


def _regions(raw: Any, office_ids: set[str]) -> tuple[Region, ...]:
    """Validate the region list: known office ids, unique ids."""
    regions = []
    for index, item in enumerate(_sequence(raw, "regions")):
        path = f"regions[{index}]"
        data = _mapping(item, path)
        members = _strings(_required(data, "offices", path), f"{path}.offices")
        for position, office_id in enumerate(members):
            _check_known(office_id, office_ids, "office", f"{path}.offices[{position}]")
        secretariat = _optional_string(data, "secretariat", path)
        if secretariat is not None and secretariat not in members:
            raise KnowledgeError(f"{path}.secretariat: '{secretariat}' is not in {path}.offices")
        regions.append(
            Region(
                id=_string(_required(data, "id", path), f"{path}.id"),
                name=_localized(_required(data, "name", path), f"{path}.name"),
                office_ids=members,
                secretariat_id=secretariat,
                aliases=_aliases(data.get("aliases", {}), f"{path}.aliases"),
            )
        )
    _check_unique([region.id for region in regions], "regions")
    return tuple(regions)


def _check_office_regions(offices: tuple[Office, ...], region_ids: set[str]) -> None:
    """Every office's region must be a known region id (or null for the World Secretariat)."""
    for index, office in enumerate(offices):
        if office.region is not None:
            _check_known(office.region, region_ids, "region", f"offices[{index}].region")


def _region_groups(raw: Any, region_ids: set[str]) -> tuple[RegionGroup, ...]:
    """Validate the region groups: known region ids, unique ids."""
    groups = []
    for index, item in enumerate(_sequence(raw, "region_groups")):
        path = f"region_groups[{index}]"
        data = _mapping(item, path)
        members = _strings(_required(data, "regions", path), f"{path}.regions")
        for position, region_id in enumerate(members):
            _check_known(region_id, region_ids, "region", f"{path}.regions[{position}]")
        groups.append(
            RegionGroup(
                id=_string(_required(data, "id", path), f"{path}.id"),
                name=_localized(_required(data, "name", path), f"{path}.name"),
                region_ids=members,
                aliases=_aliases(data.get("aliases", {}), f"{path}.aliases"),
            )
        )
    _check_unique([group.id for group in groups], "region_groups")
    return tuple(groups)


def _countries(raw: Mapping[str, Any], office_ids: set[str]) -> dict[str, Country]:
    """Validate the country -> office table (complete over ISO 3166-1) and attach names."""
    table = _mapping(_required(raw, "countries", ""), "countries")
    names = _mapping(raw.get("country_names") or {}, "country_names")
    extra_aliases = _mapping(raw.get("country_aliases") or {}, "country_aliases")
    for section, mapping in (("countries", table), ("country_names", names)):
        for code in mapping:
            _country_code(code, f"{section}.{code}")
    for code in extra_aliases:
        _country_code(code, f"country_aliases.{code}")
    with_subdivisions = _strings(raw.get("subdivision_aliases") or [], "subdivision_aliases")
    for position, code in enumerate(with_subdivisions):
        _country_code(code, f"subdivision_aliases[{position}]")
    missing = sorted({c.alpha_2 for c in pycountry.countries} - set(table))
    if missing:
        raise KnowledgeError(f"countries: no office for {', '.join(missing)}")
    countries = {}
    for code, office_id in table.items():
        path = f"countries.{code}"
        _check_known(_string(office_id, path), office_ids, "office", path)
        name = _localized(names[code], f"country_names.{code}") if code in names else None
        aliases = _aliases(extra_aliases.get(code, {}), f"country_aliases.{code}")
        if code in with_subdivisions:
            aliases = Aliases(en=aliases.en, ja=aliases.ja + _subdivision_names(code))
        countries[code] = _country(code, office_id, name, aliases)
    return countries


def _country(code: str, office_id: str, name: Localized | None, extra: Aliases) -> Country:
    """Build one Country from pycountry's names (both languages) plus the file's own."""
    record = pycountry.countries.get(alpha_2=code)
    english = [
        record.name,
        getattr(record, "common_name", None),
        getattr(record, "official_name", None),
    ]
    english_names = [n for n in english if n]
    japanese_names = [_japanese(n) for n in english_names]
    japanese_names = [n for n in japanese_names if n]
    if name is None:
        # pycountry's "Korea, Republic of" style names read badly; prefer common/official names.
        en = english[1] or (english[2] if "," in record.name and english[2] else record.name)
        ja = (_japanese(english[1]) if english[1] else None) or _japanese(record.name) or en
        name = Localized(en=en, ja=ja)
    aliases = _dedupe([name.en, name.ja, *english_names, *japanese_names, *extra.all()])
    return Country(code=code, name=name, office_id=office_id, aliases=aliases)


def _subdivision_names(code: str) -> tuple[str, ...]:
    """Return the ISO 3166-2 subdivision names of a country in English and Japanese."""
    english = sorted(s.name for s in pycountry.subdivisions.get(country_code=code) or ())
    japanese = (_japanese(name, "iso3166-2") for name in english)
    return _dedupe([*english, *(name for name in japanese if name)])


@lru_cache(maxsize=2)
def _japanese_catalog(domain: str) -> gettext.NullTranslations:
    """Return pycountry's Japanese catalogue for an ISO 3166 part ("iso3166-1", "iso3166-2")."""
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["ja"], fallback=True)


def _japanese(english: str | None, domain: str = "iso3166-1") -> str | None:
    """Return pycountry's Japanese name for an English name, or None if untranslated."""
    if not english:
        return None
    translated = _japanese_catalog(domain).gettext(english)
    return translated if translated != english else None


def _dedupe(items: list[str]) -> tuple[str, ...]:
    """Return the items without duplicates, keeping first occurrences in order."""
    return tuple(dict.fromkeys(items))


# --- field validators ----------------------------------------------------------------------


def _required(data: Mapping[str, Any], key: str, path: str) -> Any:
    """Return data[key], or fail naming `path.key` as missing."""
    if key not in data or data[key] is None:
        raise KnowledgeError(f"{_join(path, key)}: missing")
    return data[key]


def _optional_string(data: Mapping[str, Any], key: str, path: str) -> str | None:
    """Return data[key] as a non-empty string, or None when absent/null."""
    value = data.get(key)
    return None if value is None else _string(value, _join(path, key))


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    """Return `value` if it is a mapping, else fail."""
    if not isinstance(value, Mapping):
        raise KnowledgeError(f"{path}: expected a mapping, got {type(value).__name__}")
    return value


def _sequence(value: Any, path: str) -> list[Any]:
    """Return `value` if it is a list, else fail."""
    if not isinstance(value, list):
        raise KnowledgeError(f"{path}: expected a list, got {type(value).__name__}")
    return value


def _string(value: Any, path: str) -> str:
    """Return `value` if it is a non-empty string, else fail (numbers must be quoted in YAML)."""
    if not isinstance(value, str):
        raise KnowledgeError(f"{path}: expected a string, got {type(value).__name__} {value!r}")
    if not value.strip():
        raise KnowledgeError(f"{path}: empty")
    return value


def _strings(value: Any, path: str) -> tuple[str, ...]:
    """Return a list of non-empty strings as a tuple."""
    return tuple(_string(item, f"{path}[{i}]") for i, item in enumerate(_sequence(value, path)))


def _key(value: Any, path: str) -> str:
    """Return a mapping key if it is a string (YAML turns e.g. NO into false)."""
    return _string(value, f"{path}.{value}")


def _localized(value: Any, path: str) -> Localized:
    """Return {en, ja} as a Localized; both languages are required."""
    data = _mapping(value, path)
    texts = {lang: _string(_required(data, lang, path), f"{path}.{lang}") for lang in LANGUAGES}
    return Localized(**texts)


def _aliases(value: Any, path: str) -> Aliases:
    """Return {en: [...], ja: [...]} as Aliases; either list may be absent."""
    data = _mapping(value, path)
    unknown = set(data) - set(LANGUAGES)
    if unknown:
        raise KnowledgeError(f"{path}.{sorted(map(str, unknown))[0]}: unknown language")
    return Aliases(**{lang: _strings(data.get(lang) or [], f"{path}.{lang}") for lang in LANGUAGES})


def _country_code(value: Any, path: str) -> str:
    """Return an ISO 3166-1 alpha-2 code known to pycountry, else fail."""
    code = _string(value, path)
    if len(code) != 2 or code != code.upper() or pycountry.countries.get(alpha_2=code) is None:
        raise KnowledgeError(f"{path}: unknown country code {code!r}")
    return code


def _check_known(value: str, known: set[str], kind: str, path: str) -> None:
    """Fail unless `value` is one of the known ids of `kind`."""
    if value not in known:
        raise KnowledgeError(f"{path}: unknown {kind} {value!r}")


def _check_unique(ids: list[str], path: str) -> None:
    """Fail on the first id that occurs twice."""
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise KnowledgeError(f"{path}[{index}].id: duplicate {item!r}")
        seen.add(item)


def _join(path: str, key: str) -> str:
    """Join a parent path and a key with a dot (no leading dot at the root)."""
    return f"{path}.{key}" if path else key
