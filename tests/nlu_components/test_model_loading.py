"""Serving loads DIET and TED by prediction, not by a training step (bot/model_loading.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest
from rasa.utils.tensorflow.models import RasaModel

from bot import model_loading
from bot.ops.processes import DEFAULT_MODEL

# Held-out sentences of both languages with places and enquiry fields (tests/nlu).
MESSAGES = [
    "where is the office in Bonn?",
    "and the phone number for Tokyo?",
    "How many cities are members of ICLEI?",
    "I'd like to join, we're a small town in Kenya",
    "my email was wrong",
    "東京事務所の電話番号を教えてください",
    "ICLEIはいつ設立されましたか",
    "会員になりたいです",
    "ボンの本部の住所は？",
    "英語で話してください",
]


@pytest.fixture
def recorded_original(monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setattr(model_loading, "_ORIGINAL_LOAD", lambda *args, **kw: calls.append(args))
    return calls


def test_finetuning_keeps_rasas_own_path(recorded_original):
    model_loading.load_for_inference(RasaModel, "weights", "example", "predict", True)
    assert recorded_original == [(RasaModel, "weights", "example", "predict", True)]


def test_a_model_without_a_prediction_example_keeps_rasas_own_path(recorded_original):
    model_loading.load_for_inference(RasaModel, "weights", "example", None, False)
    assert len(recorded_original) == 1


def test_install_is_idempotent_and_uninstall_restores_rasa():
    try:
        model_loading.install()
        model_loading.install()
        assert RasaModel.load.__func__ is model_loading.load_for_inference
    finally:
        model_loading.uninstall()
    assert RasaModel.load.__func__ is model_loading._ORIGINAL_LOAD


def _tensorflow_models(agent) -> dict[str, RasaModel]:
    nodes = agent.processor.graph_runner._instantiated_nodes
    return {
        name: node._component.model
        for name, node in nodes.items()
        if isinstance(getattr(node._component, "model", None), RasaModel)
    }


def _parse(agent, text: str) -> tuple:
    parsed = asyncio.run(agent.parse_message(text))
    ranking = [(i["name"], round(i["confidence"], 6)) for i in parsed["intent_ranking"]]
    entities = [(e["entity"], e["value"], e["start"], e["end"]) for e in parsed["entities"]]
    return ranking, entities


@pytest.mark.model
def test_loading_by_prediction_gives_rasas_weights_and_predictions():
    from rasa.core.agent import Agent

    if not Path(DEFAULT_MODEL).exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make train` first")
    model_loading.uninstall()
    rasas = Agent.load(str(DEFAULT_MODEL))
    try:
        model_loading.install()
        ours = Agent.load(str(DEFAULT_MODEL))
    finally:
        model_loading.uninstall()

    expected, loaded = _tensorflow_models(rasas), _tensorflow_models(ours)
    assert len(expected) == 2 and expected.keys() == loaded.keys()  # DIET and TED
    for name, model in expected.items():
        weights = {w.name: w.numpy() for w in model.weights}
        ours_weights = {w.name: w.numpy() for w in loaded[name].weights}
        assert weights.keys() == ours_weights.keys(), name
        for weight, value in weights.items():
            np.testing.assert_array_equal(ours_weights[weight], value, err_msg=weight)
        # Recomputed after the weights were restored, not kept from the random start.
        np.testing.assert_allclose(
            loaded[name].all_labels_embed.numpy(), model.all_labels_embed.numpy(), rtol=1e-6
        )
    for text in MESSAGES:
        assert _parse(ours, text) == _parse(rasas, text), text
