"""TED's prediction is computed only when it can change the action (bot/ted_on_demand.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_NAME, INTENT, TEXT

from bot import ted_on_demand
from bot.ted_on_demand import DeferredPrediction

DOMAIN = Domain.from_yaml(
    """
intents: [greet, ask_office]
responses:
  utter_greet: [{text: hi}]
  utter_office: [{text: office}]
"""
)
ACTIONS = DOMAIN.action_names_or_texts
RULE_PRIORITY, MEMO_PRIORITY, TED_PRIORITY = 6, 3, 1


def _probabilities(action: str, confidence: float) -> list[float]:
    values = [0.0] * len(ACTIONS)
    values[ACTIONS.index(action)] = confidence
    return values


def _prediction(action: str, confidence: float, policy: str, priority: int) -> PolicyPrediction:
    return PolicyPrediction(_probabilities(action, confidence), policy, priority)


class _Ted:
    """A deferred TED prediction that counts how often it is computed."""

    def __init__(self, action: str = "utter_office", confidence: float = 0.9) -> None:
        self.calls = 0
        self.result = _prediction(action, confidence, "TEDPolicy", TED_PRIORITY)

    def __call__(self) -> PolicyPrediction:
        self.calls += 1
        return self.result

    def deferred(self) -> DeferredPrediction:
        return DeferredPrediction(self, TED_PRIORITY)


def _tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "t", [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"}), *events]
    )


def _combine(predictions, tracker=None) -> PolicyPrediction:
    ensemble = DefaultPolicyPredictionEnsemble()
    return ensemble.combine_predictions(predictions, tracker or _tracker(), DOMAIN)


@pytest.fixture(autouse=True)
def installed():
    ted_on_demand.install()
    yield
    ted_on_demand.uninstall()


def test_a_certain_rule_wins_without_computing_ted():
    ted = _Ted()
    rule = _prediction("utter_greet", 1.0, "RulePolicy", RULE_PRIORITY)
    best = _combine([rule, _prediction("utter_greet", 0.0, "Memo", MEMO_PRIORITY), ted.deferred()])
    assert best.policy_name == "RulePolicy"
    assert best.max_confidence_index == ACTIONS.index("utter_greet")
    assert ted.calls == 0


def test_ted_is_computed_and_can_win_when_no_policy_is_certain():
    ted = _Ted("utter_office", 0.9)
    fallback = _prediction("action_default_fallback", 0.3, "RulePolicy", RULE_PRIORITY)
    best = _combine(
        [fallback, _prediction("utter_greet", 0.0, "Memo", MEMO_PRIORITY), ted.deferred()]
    )
    assert ted.calls == 1
    assert best.policy_name == "TEDPolicy"
    assert best.max_confidence_index == ACTIONS.index("utter_office")


def test_ted_is_computed_after_a_rejected_action():
    ted = _Ted("utter_office", 0.6)
    rule = _prediction("utter_greet", 1.0, "RulePolicy", RULE_PRIORITY)
    tracker = _tracker(ActionExecutionRejected("utter_greet"))
    best = _combine([rule, ted.deferred()], tracker)
    assert ted.calls == 1
    assert best.policy_name == "TEDPolicy"  # Rasa zeroed the rejected rule action


def test_the_choice_is_rasas_own_in_every_case():
    """Deferred or not, the ensemble picks the same policy and action."""
    cases = [
        [("utter_greet", 1.0, "RulePolicy", RULE_PRIORITY), ("utter_office", 1.0, "Memo", 3)],
        [("utter_greet", 0.3, "RulePolicy", RULE_PRIORITY), ("utter_office", 1.0, "Memo", 3)],
        [("utter_greet", 0.3, "RulePolicy", RULE_PRIORITY), ("utter_office", 0.0, "Memo", 3)],
        [("utter_greet", 1.0, "RulePolicy", RULE_PRIORITY)],
    ]
    for case in cases:
        for ted_confidence in (0.2, 1.0):
            ted = _Ted("utter_office", ted_confidence)
            others = [_prediction(*args) for args in case]
            ours = _combine([*others, ted.deferred()])
            ted_on_demand.uninstall()
            rasas = _combine([*[_prediction(*args) for args in case], ted.result])
            ted_on_demand.install()
            assert (ours.policy_name, ours.max_confidence_index) == (
                rasas.policy_name,
                rasas.max_confidence_index,
            ), (case, ted_confidence)


def test_reading_a_deferred_prediction_computes_it():
    ted = _Ted("utter_office", 0.7)
    deferred = ted.deferred()
    assert deferred.max_confidence == pytest.approx(0.7)
    assert deferred.policy_name == "TEDPolicy"
    assert ted.calls == 1  # once, then kept


def test_a_ted_trained_on_user_text_is_never_deferred(monkeypatch):
    computed = _prediction("utter_office", 0.5, "TEDPolicy", TED_PRIORITY)
    monkeypatch.setattr(ted_on_demand, "_PREDICT", lambda *args, **kwargs: computed)
    intent_only = SimpleNamespace(fake_features={INTENT: [], ACTION_NAME: []}, priority=1)
    with_text = SimpleNamespace(fake_features={TEXT: [], INTENT: []}, priority=1)
    tracker = _tracker()
    assert isinstance(
        ted_on_demand.predict_on_demand(intent_only, tracker, DOMAIN), DeferredPrediction
    )
    assert ted_on_demand.predict_on_demand(with_text, tracker, DOMAIN) is computed


def test_install_and_uninstall():
    assert TEDPolicy.predict_action_probabilities is ted_on_demand.predict_on_demand
    ted_on_demand.install()  # twice: still ours
    assert DefaultPolicyPredictionEnsemble.combine_predictions is ted_on_demand.combine_predictions
    ted_on_demand.uninstall()
    assert TEDPolicy.predict_action_probabilities is ted_on_demand._PREDICT
    ted_on_demand.install()
