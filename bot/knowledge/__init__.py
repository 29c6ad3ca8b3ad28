"""ICLEI knowledge: facts, offices and the country -> office table, with a place resolver."""

from bot.knowledge.loader import KnowledgeError, get_knowledge, load_knowledge
from bot.knowledge.model import Aliases, Country, Knowledge, Localized, Office, Region, RegionGroup
from bot.knowledge.places import (
    PlaceMatch,
    find_places,
    normalize,
    place_mentions,
    resolve_in_context,
    resolve_place,
)

__all__ = [
    "Aliases",
    "Country",
    "Knowledge",
    "KnowledgeError",
    "Localized",
    "Office",
    "PlaceMatch",
    "Region",
    "RegionGroup",
    "find_places",
    "place_mentions",
    "get_knowledge",
    "load_knowledge",
    "normalize",
    "resolve_in_context",
    "resolve_place",
]
