"""Typed, immutable view of the ICLEI knowledge file (facts, offices, regions, countries)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LANGUAGES: tuple[str, ...] = ("en", "ja")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Localized:
    """A text in English and Japanese."""

    en: str
    ja: str

    def get(self, lang: str | None) -> str:
        """Return the text in `lang`, falling back to English for any other language."""
        return self.ja if lang == "ja" else self.en


@dataclass(frozen=True)
class Aliases:
    """Other names a user may type for a place, per language."""

    en: tuple[str, ...] = ()
    ja: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        """Return the English and the Japanese aliases together."""
        return self.en + self.ja


@dataclass(frozen=True)
class Office:
    """One ICLEI office or secretariat, with its contact details exactly as the page gives them."""

    id: str
    name: Localized
    region: str | None
    city: Localized
    country: str
    address: str
    postal_address: str | None = None
    phone: str | None = None
    fax: str | None = None
    web: str | None = None
    # A line the page gives with the office that is not its name, quoted as is.
    note: str | None = None
    city_aliases: tuple[str, ...] = ()
    aliases: Aliases = Aliases()


@dataclass(frozen=True)
class Region:
    """A world region as the page groups the offices."""

    id: str
    name: Localized
    office_ids: tuple[str, ...]
    secretariat_id: str | None = None
    aliases: Aliases = Aliases()

    @property
    def contact_ids(self) -> tuple[str, ...]:
        """Return the office(s) to contact for the region: its secretariat, else all its offices."""
        return (self.secretariat_id,) if self.secretariat_id else self.office_ids


@dataclass(frozen=True)
class RegionGroup:
    """A name that spans several regions (e.g. Asia), so it resolves to several offices."""

    id: str
    name: Localized
    region_ids: tuple[str, ...]
    aliases: Aliases = Aliases()


@dataclass(frozen=True)
class Country:
    """An ISO 3166-1 country and the office its users should contact."""

    code: str
    name: Localized
    office_id: str
    aliases: tuple[str, ...] = ()


# eq=False: identity hashing, so a Knowledge can key caches (e.g. the place index).
@dataclass(frozen=True, eq=False)
class Knowledge:
    """Everything the bot knows about ICLEI, loaded from iclei.yml."""

    facts: Mapping[str, Localized]
    offices: tuple[Office, ...]
    regions: tuple[Region, ...]
    region_groups: tuple[RegionGroup, ...]
    countries: Mapping[str, Country]

    def office(self, office_id: str) -> Office:
        """Return the office with this id (KeyError if unknown)."""
        for office in self.offices:
            if office.id == office_id:
                return office
        raise KeyError(office_id)

    def region(self, region_id: str) -> Region:
        """Return the region with this id (KeyError if unknown)."""
        for region in self.regions:
            if region.id == region_id:
                return region
        raise KeyError(region_id)

    def country(self, code: str) -> Country:
        """Return the country with this ISO 3166-1 alpha-2 code, any case (KeyError if unknown)."""
        return self.countries[code.upper()]

    def fact(self, key: str) -> Localized:
        """Return one fact in both languages (KeyError if unknown)."""
        return self.facts[key]

    def fact_values(self, lang: str | None) -> dict[str, str]:
        """Return every fact in `lang`, keyed by fact name, for filling response templates."""
        return {key: value.get(lang) for key, value in self.facts.items()}

    def offices_in_region(self, region_id: str) -> tuple[Office, ...]:
        """Return the offices the page lists under a region, in page order."""
        return tuple(self.office(oid) for oid in self.region(region_id).office_ids)

    def region_contacts(self, region_id: str) -> tuple[Office, ...]:
        """Return the office(s) to contact for a region: its secretariat, else all its offices."""
        return tuple(self.office(oid) for oid in self.region(region_id).contact_ids)

    def office_for_country(self, code: str) -> Office:
        """Return the office a user from this country should contact."""
        return self.office(self.country(code).office_id)
