"""Builds rasa_sdk trackers for the action tests, as the action server would receive them."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    text: str = "",
    intent: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose latest user message is `text` with this intent and these entities."""
    return Tracker(
        sender_id="test-user",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
        },
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def place(value: str) -> dict[str, Any]:
    """A `place` entity as the NLU would extract it."""
    return {"entity": "place", "value": value, "start": 0, "end": len(value)}


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """A dispatcher that collects what an action sends."""
    return CollectingDispatcher()
