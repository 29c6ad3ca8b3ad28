"""`python -m bot test-stories`: `rasa test core` on the end-to-end test stories.

The LanguageDetector tags every message with a `language` entity spanning the whole text.
Test stories annotate entities inline, and a whole-message span cannot hold a `place`
annotation inside it, so `rasa test` would count every message as an entity error. The
language is tested on its own (tests/nlu_components, tests/e2e); here it is left out of the
comparison, and everything else is Rasa's own evaluation, unchanged.
"""

from __future__ import annotations

import sys


def run(argv: list[str]) -> int:
    """Run `rasa test core <argv>` with the language entity left out of the comparison
    (bot/rasa_compat.py: `install_story_test_comparison`)."""
    import rasa.__main__

    from bot import rasa_compat

    rasa_compat.install()
    rasa_compat.install_story_test_comparison()
    sys.argv = ["rasa", "test", "core", *argv]
    try:
        rasa.__main__.main()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0
