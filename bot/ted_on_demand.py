"""TED's prediction computed only when it can change the chosen action.

Rasa runs every policy at every prediction, then its ensemble keeps the best one: the
highest confidence, ties broken by the policies' priorities, where TED's is the lowest. A
rule or a memoized story that applies predicts with confidence 1.0, which TED can at best
tie and then loses. Yet TED's inference and the tracker featurization it needs were about a
quarter of the Rasa server's CPU for a lone user (py-spy, README "Training time").

So while serving, TED's node returns a `DeferredPrediction`, and the ensemble computes it
only when no prediction already settles the choice. TED is computed as before when:

- no rule or memoized story predicts with confidence 1.0 (TED may win);
- the last action was rejected (Rasa then zeroes that action in every prediction, the 1.0
  included);
- TED was trained on user text (an end-to-end prediction overrules the others).

Anything else that reads a deferred prediction computes it first, so nothing can see an
empty one. Installed with the other serving patches (bot/rasa_compat.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

CERTAIN = 1.0


class DeferredPrediction(PolicyPrediction):
    """A policy's prediction, computed the first time anything needs it."""

    def __init__(self, compute: Callable[[], PolicyPrediction], priority: int) -> None:
        # Rasa's attributes are deliberately not set: reading any of them computes it.
        self._compute = compute
        self._computed: PolicyPrediction | None = None
        self.deferred_priority = priority

    def computed(self) -> PolicyPrediction:
        if self._computed is None:
            self._computed = self._compute()
        return self._computed

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.computed(), name)


def settled_without(
    deferred: list[DeferredPrediction],
    computed: list[PolicyPrediction],
    tracker: DialogueStateTracker,
) -> bool:
    """True when the deferred predictions cannot win over the computed ones."""
    last_action = next(
        (
            event
            for event in reversed(tracker.events)
            if isinstance(event, (ActionExecutionRejected, ActionExecuted))
        ),
        None,
    )
    if isinstance(last_action, ActionExecutionRejected):
        return False
    if any(p.is_no_user_prediction for p in computed):
        return True  # Rasa keeps only "no user" predictions, and TED never makes one
    highest = max(d.deferred_priority for d in deferred)
    return any(p.max_confidence >= CERTAIN and p.policy_priority > highest for p in computed)


_COMBINE = DefaultPolicyPredictionEnsemble.combine_predictions
_PREDICT = TEDPolicy.predict_action_probabilities


def combine_predictions(
    self: DefaultPolicyPredictionEnsemble,
    predictions: list[PolicyPrediction],
    tracker: DialogueStateTracker,
    domain: Domain,
) -> PolicyPrediction:
    """Rasa's choice, computing deferred predictions only when they could be chosen."""
    deferred = [p for p in predictions if isinstance(p, DeferredPrediction)]
    computed = [p for p in predictions if not isinstance(p, DeferredPrediction)]
    if deferred and computed and settled_without(deferred, computed, tracker):
        predictions = computed
    else:
        predictions = [
            p.computed() if isinstance(p, DeferredPrediction) else p for p in predictions
        ]
    return _COMBINE(self, predictions, tracker, domain)


def predicts_from_text(policy: TEDPolicy) -> bool:
    """True when TED was trained on user text and may make an end-to-end prediction."""
    return TEXT in (getattr(policy, "fake_features", None) or {})


def predict_on_demand(
    self: TEDPolicy,
    tracker: DialogueStateTracker,
    domain: Domain,
    *args: Any,
    **kwargs: Any,
) -> PolicyPrediction:
    """TED's prediction, deferred unless TED may predict from the user's text."""
    if predicts_from_text(self):
        return _PREDICT(self, tracker, domain, *args, **kwargs)
    return DeferredPrediction(
        lambda: _PREDICT(self, tracker, domain, *args, **kwargs), self.priority
    )


def install() -> None:
    """Defer TED's predictions while serving (idempotent)."""
    TEDPolicy.predict_action_probabilities = predict_on_demand  # type: ignore[method-assign]
    DefaultPolicyPredictionEnsemble.combine_predictions = combine_predictions  # type: ignore[method-assign]


def uninstall() -> None:
    """Rasa's own behaviour back (for tests that compare both)."""
    TEDPolicy.predict_action_probabilities = _PREDICT  # type: ignore[method-assign]
    DefaultPolicyPredictionEnsemble.combine_predictions = _COMBINE  # type: ignore[method-assign]
