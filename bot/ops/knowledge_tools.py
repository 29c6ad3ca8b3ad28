"""`python -m bot knowledge check|lookups`: validate the knowledge file, derive lookup tables."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.knowledge import Knowledge, KnowledgeError, load_knowledge
from bot.knowledge.places import is_distinctive

LOOKUPS_FILE = Path(__file__).resolve().parents[2] / "data" / "nlu" / "lookups" / "places.yml"

_HEADER = """\
# GENERATED from bot/knowledge/iclei.yml by `python -m bot knowledge lookups`; do not edit.
# Every name of an office, city, region and country, in English and Japanese, so the
# RegexFeaturizer can tell the NLU that a word is a place.
version: "3.1"
nlu:
  - lookup: place
    examples: |
"""


def place_names(knowledge: Knowledge) -> list[str]:
    """Every distinctive name the knowledge base knows for a place, deduplicated and sorted."""
    names: set[str] = set()
    for office in knowledge.offices:
        names.update((office.city.en, office.city.ja))
        # "World Secretariat" means the headquarters, an intent of its own with no place.
        if office.region is not None:
            names.update((office.name.en, office.name.ja))
            names.update(office.aliases.all())
        names.update(office.city_aliases)
    for region in (*knowledge.regions, *knowledge.region_groups):
        names.update((region.name.en, region.name.ja))
        names.update(region.aliases.all())
    for country in knowledge.countries.values():
        names.update((country.name.en, country.name.ja))
        names.update(country.aliases)
    # Names too common to mean a place ("world", 本部, "US") would mislead the featurizer.
    return sorted(name.strip() for name in names if name and is_distinctive(name))


def render_lookups(knowledge: Knowledge) -> str:
    """The lookup table file's full text."""
    lines = [f"      - {name}\n" for name in place_names(knowledge)]
    return _HEADER + "".join(lines)


def print_lookups() -> int:
    """Write the lookup table file (and say where)."""
    LOOKUPS_FILE.parent.mkdir(parents=True, exist_ok=True)
    LOOKUPS_FILE.write_text(render_lookups(load_knowledge()), encoding="utf-8")
    print(f"wrote {LOOKUPS_FILE}")
    return 0


def check() -> int:
    """Load and validate the knowledge file; 0 if valid, 1 with the error otherwise."""
    try:
        knowledge = load_knowledge()
    except KnowledgeError as error:
        print(f"invalid knowledge file: {error}", file=sys.stderr)
        return 1
    print(
        f"ok: {len(knowledge.facts)} facts, {len(knowledge.offices)} offices, "
        f"{len(knowledge.regions)} regions, {len(knowledge.countries)} countries"
    )
    return 0
