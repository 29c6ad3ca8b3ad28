"""The Rasa server's check of action server responses: ours must decide exactly as Rasa's."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import rasa_compat
from bot.action_response_validation import original, validate_action_result

rasa_compat.install()  # as the Rasa server does at start-up

VALID: list[dict[str, Any]] = [
    {},
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "timestamp": None, "name": "office", "value": "japan"},
            {"event": "active_loop", "name": "enquiry_form"},
            {"event": "slot", "name": "requested_slot", "value": None},
            {"event": "followup", "name": "action_listen"},
        ],
        "responses": [
            {"response": "utter_office_card", "office_name": "日本事務所", "template": None},
            {"text": "hello", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
        ],
    },
    {"events": [{"event": "restart"}, {"event": "session_started"}]},
    {"events": [{"event": "user", "text": "hi", "parse_data": {}}]},
]
INVALID: list[dict[str, Any]] = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "value": 1}]},  # a slot event needs its name
    {"responses": ["a string, not an object"]},
    {"events": [{"event": "user", "text": 5}]},
]


def test_the_rasa_server_uses_the_fast_check() -> None:
    assert RemoteAction._validate_action_result is validate_action_result


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass_both_checks(result: dict[str, Any]) -> None:
    action = RemoteAction("action_answer_faq", None)
    assert original()(action, result) is True
    assert validate_action_result(action, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_fail_both_checks_with_the_same_error(result: dict[str, Any]) -> None:
    action = RemoteAction("action_answer_faq", None)
    with pytest.raises(ValidationError) as rasa_error:
        original()(action, result)
    with pytest.raises(ValidationError) as our_error:
        validate_action_result(action, result)
    assert our_error.value.message == rasa_error.value.message
    assert "Failed to validate Action server response" in our_error.value.message
    assert list(our_error.value.path) == list(rasa_error.value.path)
