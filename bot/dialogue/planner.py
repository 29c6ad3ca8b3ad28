"""Decide how one message is answered: as it is, as its one real question, or part by part.

The model reads each clause (bot/dialogue/clauses.py) as well as the whole message. A
message is answered part by part only when its clauses ask different things: different
intents, or the same question about different places ("the Tokyo office and the Seoul
office"). Clauses that ask nothing (a greeting, thanks, a self-introduction, a set phrase)
are not answered on their own, so they never hide the question that follows them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

# Intents that carry no question of their own when another clause asks one.
FILLER_INTENTS = frozenset({"greet", "thank", "goodbye", "affirm", "deny", "nlu_fallback"})
# A clause classified out of scope counts only when it asks something: "I work for the city
# of Leeds" is an introduction, "what's the weather in Leeds?" is a question.
_QUESTION = re.compile(
    r"[?？]|^(what|where|when|who|why|how|which|is|are|can|could|do|does|tell|any)\b"
    r"|(ですか|ますか|でしょうか|教えて|ください|下さい|か。|かな|の？)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Parsed:
    """A clause (or the whole message) and what the model read in it."""

    text: str
    parse: dict[str, Any]

    @property
    def intent(self) -> str:
        """The predicted intent's name ('' when none)."""
        return (self.parse.get("intent") or {}).get("name") or ""

    @property
    def places(self) -> tuple[str, ...]:
        """The place entities' values, casefolded and in order."""
        return tuple(
            str(entity.get("value", "")).casefold()
            for entity in self.parse.get("entities") or []
            if entity.get("entity") == "place"
        )

    def asks(self) -> bool:
        """True when the clause asks or requests something."""
        if self.intent in FILLER_INTENTS or not self.intent:
            return False
        if self.intent == "out_of_scope":
            return bool(_QUESTION.search(self.text.strip()))
        return True


@dataclass(frozen=True)
class Unit:
    """One turn to run through the dialogue: the text the actions see and the parse."""

    text: str
    parse: dict[str, Any]


def plan(whole: Parsed, clauses: list[Parsed]) -> list[Unit]:
    """The turns one message becomes, in the order the visitor asked."""
    asking = [clause for clause in clauses if clause.asks()]
    groups = _group(asking)
    if len(clauses) > 1 and len(groups) > 1:
        return [_unit(group) for group in groups]
    if len(groups) == 1 and len(clauses) > 1 and groups[0][0].intent != whole.intent:
        # One real question behind a preamble: answer it, with the whole message's places.
        parse = copy.deepcopy(whole.parse)
        question = groups[0][0].parse
        parse["intent"] = copy.deepcopy(question.get("intent"))
        parse["intent_ranking"] = copy.deepcopy(question.get("intent_ranking", []))
        return [Unit(whole.text, parse)]
    return [Unit(whole.text, whole.parse)]


def _group(asking: list[Parsed]) -> list[list[Parsed]]:
    """Join neighbouring clauses that ask the same thing ("Tokyo office: address? phone?")."""
    groups: list[list[Parsed]] = []
    for clause in asking:
        if groups and _same_question(groups[-1], clause):
            groups[-1].append(clause)
        else:
            groups.append([clause])
    return groups


def _same_question(group: list[Parsed], clause: Parsed) -> bool:
    if any(member.intent != clause.intent for member in group):
        return False
    places = {place for member in group for place in member.places}
    return not places or not clause.places or set(clause.places) <= places


def _unit(group: list[Parsed]) -> Unit:
    """A group's turn: its clauses' text together, the parse of the clause naming a place."""
    lead = next((member for member in group if member.places), group[0])
    text = " ".join(member.text for member in group)
    parse = copy.deepcopy(lead.parse)
    parse["text"] = text
    return Unit(text, parse)
