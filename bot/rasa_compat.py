"""Every change this project makes to Rasa's internals, installed explicitly at start-up.

Each patch was written against Rasa 3.6 and is refused on any other version, so an upgrade
fails loudly at start-up instead of misbehaving quietly.

- `RemoteAction._validate_action_result`: the action response schema is checked once, not
  per response (bot/action_response_validation.py).
- `MessageProcessor.handle_message`: a message is read clause by clause, so compound
  questions get every part answered and a preamble does not hide the question; a language
  the visitor asked for holds (bot/dialogue/turns.py).
- `rasa.core.test._collect_user_uttered_predictions` (story tests only, installed by
  `python -m bot test-stories`): the `language` entity, which spans every message, is left
  out of the comparison, since test stories cannot annotate it around a `place` entity.
- `RasaModel.load`: DIET and TED are built for serving by one prediction instead of one
  training step, which cut start-up to the first answer from 50 s to 20 s (bot/model_loading.py).
- `TEDPolicy.predict_action_probabilities` and the policy ensemble's `combine_predictions`:
  TED's prediction is computed only when a rule or memoized story does not already settle
  the action (bot/ted_on_demand.py).
- `RasaModel.fit` (training only, installed by `python -m bot train`): the variables are
  created before the training step is traced, so it is traced once instead of twice
  (bot/model_training.py).
- AutoGraph's conversion rules: Rasa's functions are traced as written, without AutoGraph's
  source rewrite, which cost a third of the time tracing DIET's steps (bot/rasa_autograph.py).
- `Features._combine_sparse_features`: a message's COO features are joined side by side
  without `scipy.sparse.hstack`, the same matrix (bot/sparse_features.py).
- The channels' apology relies on Rasa's "Encountered an exception while running action"
  log line (bot/channels/pipeline.py: `watch_action_failures`), pinned by a test.

`python -m bot.rasa_server` (the Rasa server of `make run` and `make cluster`) and the
project's commands that run Rasa in-process call `install()` before anything else.
"""

from __future__ import annotations

import rasa

# The patches' own modules are imported where they are installed: training needs only its
# own, and importing the serving ones (Rasa's message processor and everything it pulls in)
# would add about 2 s to every `python -m bot train`.

LANGUAGE_ENTITY = "language"

SUPPORTED = "3.6."


class UnsupportedRasaVersion(RuntimeError):
    """The installed Rasa is not the version these patches were written for."""


def _check_version() -> None:
    if not rasa.__version__.startswith(SUPPORTED):
        raise UnsupportedRasaVersion(
            f"bot/rasa_compat.py was written for Rasa {SUPPORTED}x, found {rasa.__version__}"
        )


def install() -> None:
    """Install every serving patch once (idempotent); raise on an unsupported Rasa version."""
    _check_version()
    from rasa.core.processor import MessageProcessor

    from bot import (
        action_response_validation,
        model_loading,
        rasa_autograph,
        sparse_features,
        ted_on_demand,
    )
    from bot.dialogue import turns

    rasa_autograph.install()
    sparse_features.install()
    action_response_validation.install()
    model_loading.install()
    ted_on_demand.install()
    if not hasattr(MessageProcessor.handle_message, "__wrapped__"):
        MessageProcessor.handle_message = turns.wrap(MessageProcessor.handle_message)  # type: ignore[method-assign]


def install_training() -> None:
    """Install the training patches (idempotent); raise on an unsupported Rasa version."""
    _check_version()
    from bot import (
        batched_count_vectors,
        cache_fingerprints,
        model_packaging,
        model_training,
        parallel_training,
        rasa_autograph,
        sparse_features,
        training_graph,
        yaml_cache,
    )

    rasa_autograph.install()
    sparse_features.install()
    cache_fingerprints.install()
    batched_count_vectors.install()
    yaml_cache.install()
    model_packaging.install()
    model_training.install()
    parallel_training.install()
    training_graph.install()


def installed() -> bool:
    """True when the message-processor patch is in place."""
    from rasa.core.processor import MessageProcessor

    return hasattr(MessageProcessor.handle_message, "__wrapped__")


def install_story_test_comparison() -> None:
    """Leave the `language` entity out of `rasa test core`'s comparison (idempotent)."""
    import rasa.core.test as core_test

    original = core_test._collect_user_uttered_predictions
    if hasattr(original, "__wrapped__"):
        return

    def collect(event, predicted, partial_tracker, fail_on_prediction_errors):  # type: ignore[no-untyped-def]
        entities = [e for e in predicted.get("entities", []) if e.get("entity") != LANGUAGE_ENTITY]
        return original(
            event, {**predicted, "entities": entities}, partial_tracker, fail_on_prediction_errors
        )

    collect.__wrapped__ = original  # type: ignore[attr-defined]
    core_test._collect_user_uttered_predictions = collect
