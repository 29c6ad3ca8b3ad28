"""Rasa's own commands, run in this process with the project's patches (bot/rasa_compat.py).

- `python -m bot train`: `rasa train`, its training step traced once (bot/model_training.py).
- `python -m bot test-stories`: `rasa test core`, the `language` entity, which spans every
  message, left out of the comparison: test stories annotate entities inline, and a
  whole-message span cannot hold a `place` annotation inside it. The language is tested on
  its own (tests/nlu_components, tests/e2e); everything else is Rasa's own evaluation.
- `rasa test nlu` for `python -m bot evaluate-nlu` (bot/ops/nlu_evaluation.py), with the
  model loaded for inference as the server loads it (bot/model_loading.py): 4 s instead of
  about 40 s per test set.

Everything after the command goes to Rasa, options included.
"""

from __future__ import annotations

import sys


def _rasa(argv: list[str]) -> int:
    import rasa.__main__

    sys.argv = ["rasa", *argv]
    try:
        rasa.__main__.main()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def train(argv: list[str]) -> int:
    """`rasa train <argv>` with the training patch; Rasa's exit code."""
    from bot import rasa_compat

    rasa_compat.install_training()
    return _rasa(["train", *argv])


def test_stories(argv: list[str]) -> int:
    """`rasa test core <argv>` as the server predicts, without the language entity."""
    from bot import rasa_compat

    rasa_compat.install()
    rasa_compat.install_story_test_comparison()
    return _rasa(["test", "core", *argv])


def test_nlu(argv: list[str]) -> int:
    """`rasa test nlu <argv>` with the model loaded as the server loads it."""
    from bot import rasa_compat

    rasa_compat.install()
    return _rasa(["test", "nlu", *argv])


COMMANDS = {"train": train, "test-stories": test_stories, "test-nlu": test_nlu}

if __name__ == "__main__":
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
