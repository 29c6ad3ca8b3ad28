"""One compact line per turn: why the assistant answered what it did.

Read from the conversation's events as Rasa stores them (its HTTP API's tracker): the
language, the top intents with confidences (and the model's own reading when a cue changed
it), the places named and the office they resolve to, the actions and the policy that chose
each (rule, memoization, TED).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.knowledge import gazetteer, get_knowledge, resolve_place

# Rasa's policy names, shortened for one line.
_POLICIES = {
    "RulePolicy": "rule",
    "MemoizationPolicy": "memoization",
    "AugmentedMemoizationPolicy": "memoization",
    "TEDPolicy": "TED",
    "UnexpecTEDIntentPolicy": "TED",
}


def last_turn(events: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The events of the last message, one list per user event (a compound message has
    several), each starting with its user event."""
    turns: list[list[dict[str, Any]]] = []
    for event in events:
        if event.get("event") == "user":
            turns.append([event])
        elif turns:
            turns[-1].append(event)
    # The parts of one message share its message id ("abc", "abc-1", ...).
    if not turns:
        return []
    base = str(turns[-1][0].get("message_id") or "").split("-")[0]
    last = [turn for turn in turns if str(turn[0].get("message_id") or "").split("-")[0] == base]
    return last if base else turns[-1:]


def place_note(value: str) -> str:
    """'Sapporo→JP→japan' for a place name, as the office actions resolve it."""
    knowledge = get_knowledge()
    match = resolve_place(knowledge, value)
    if match is not None:
        return f"{value}→{'/'.join(match.office_ids)}"
    place = gazetteer.lookup(value)
    if place is not None and place.country in knowledge.countries:
        return f"{value}→{place.country}→{knowledge.office_for_country(place.country).id}"
    return f"{value}→?"


def explain(turn: Sequence[dict[str, Any]]) -> str:
    """The line for one user event and what followed it."""
    user = turn[0]
    parse = user.get("parse_data") or {}
    entities = parse.get("entities") or []
    language = next((e.get("value") for e in entities if e.get("entity") == "language"), "-")
    ranking = parse.get("intent_ranking") or [parse.get("intent") or {}]
    intents = ", ".join(
        f"{item.get('name')} {float(item.get('confidence') or 0):.2f}" for item in ranking[:3]
    )
    intent = (parse.get("intent") or {}).get("name")
    parts = [f"[{language}] intent {intent}"]
    reread = parse.get("reread_from")
    if reread:
        parts.append(
            f"(cue; model: {reread.get('name')} {float(reread.get('confidence') or 0):.2f})"
        )
    parts.append(f"top: {intents}")
    places = [str(e.get("value")) for e in entities if e.get("entity") == "place"]
    if places:
        parts.append("places: " + ", ".join(place_note(place) for place in places))
    else:
        # The model tagged none: the office actions scan the text, so show what they find.
        found = [place.name for place in gazetteer.find_in_text(str(user.get("text") or ""))]
        if found:
            parts.append("places (text): " + ", ".join(place_note(name) for name in found))
    actions = [
        f"{event.get('name')} ({_POLICIES.get(_policy(event), _policy(event) or '?')})"
        for event in turn
        if event.get("event") == "action" and event.get("name") != "action_listen"
    ]
    if actions:
        parts.append("→ " + ", ".join(actions))
    return " · ".join(parts)


def _policy(event: dict[str, Any]) -> str:
    policy = str(event.get("policy") or "")
    # Rasa writes e.g. "policy_0_RulePolicy" or "RulePolicy".
    return policy.rsplit("_", 1)[-1] if policy else ""


def explain_last(events: Sequence[dict[str, Any]]) -> list[str]:
    """One line per part of the last message."""
    return [explain(turn) for turn in last_turn(events)]
