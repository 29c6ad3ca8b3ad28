"""`python -m bot test-stories`: `rasa test core` on the end-to-end test stories.

The LanguageDetector tags every message with a `language` entity spanning the whole text.
Test stories annotate entities inline, and a whole-message span cannot hold a `place`
annotation inside it, so `rasa test` would count every message as an entity error. The
language is tested on its own (tests/nlu_components, tests/e2e); here it is left out of the
comparison, and everything else is Rasa's own evaluation, unchanged.
"""

from __future__ import annotations

import sys
from typing import Any

LANGUAGE_ENTITY = "language"


def _without_language(parse_data: dict[str, Any]) -> dict[str, Any]:
    entities = [e for e in parse_data.get("entities", []) if e.get("entity") != LANGUAGE_ENTITY]
    return {**parse_data, "entities": entities}


def run(argv: list[str]) -> int:
    """Run `rasa test core <argv>` with the language entity left out of the comparison."""
    import rasa.__main__
    import rasa.core.test as core_test

    original = core_test._collect_user_uttered_predictions

    def collect(event, predicted, partial_tracker, fail_on_prediction_errors):  # type: ignore[no-untyped-def]
        return original(
            event, _without_language(predicted), partial_tracker, fail_on_prediction_errors
        )

    core_test._collect_user_uttered_predictions = collect
    sys.argv = ["rasa", "test", "core", *argv]
    try:
        rasa.__main__.main()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0
