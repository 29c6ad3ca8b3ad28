"""Rasa's check of action server responses, with the JSON-schema validator built once.

`RemoteAction._validate_action_result` (Rasa 3.6) calls `jsonschema.validate(result,
schema)` for every custom action a message runs. `jsonschema.validate` first checks the
*schema* itself against the draft 2020-12 metaschema, every time: py-spy on the Rasa server
under load showed that re-check taking about a third of its CPU per message (the events
schema is large). `install()` replaces the method with one that checks the schema once and
then validates each response exactly as `jsonschema.validate` does (same validator class,
same `best_match` error, same message Rasa appends), so invalid responses still fail the
same way. tests/test_action_response_validation.py pins that behaviour to the installed Rasa.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_ORIGINAL = RemoteAction._validate_action_result


@cache
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, not per response
    return cls(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """True when `result` matches Rasa's action response schema; else Rasa's error."""
    error = exceptions.best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        "For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Use `validate_action_result` for every RemoteAction in this process (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def original() -> Any:
    """Rasa's own method, for the equivalence tests."""
    return _ORIGINAL


__all__ = ["ValidationError", "install", "original", "validate_action_result"]
