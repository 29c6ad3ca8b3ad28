"""`make train` fine-tunes the last model when only NLU examples changed
(bot/incremental_training.py): the plan, Rasa's fine-tuning as mended, and a real run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer

from bot import incremental_training as it
from bot.ops.processes import PROJECT_ROOT


def _project(root: Path) -> Path:
    (root / "data" / "nlu").mkdir(parents=True)
    (root / "data" / "stories").mkdir()
    (root / "bot" / "nlu").mkdir(parents=True)
    (root / "config.yml").write_text("recipe: default.v1\n")
    (root / "domain.yml").write_text("intents: [greet]\n")
    (root / "data" / "nlu" / "a.yml").write_text("nlu: []\n")
    (root / "data" / "stories" / "s.yml").write_text("stories: []\n")
    (root / "bot" / "model_training.py").write_text("# patch\n")
    (root / "bot" / "nlu" / "tok.py").write_text("# tokenizer\n")
    return root


def _trained(root: Path, finetunes: int = 0) -> Path:
    model = root / "models" / "m.tar.gz"
    model.parent.mkdir(exist_ok=True)
    model.write_bytes(b"a model")
    it.write_record(model, it.training_inputs(root), finetunes)
    return model


def test_only_a_change_to_nlu_examples_is_fine_tuned(tmp_path):
    root = _project(tmp_path)
    model = _trained(root)
    assert it.plan(model, it.training_inputs(root)).reason == "nothing changed"
    (root / "data" / "nlu" / "a.yml").write_text("nlu:\n- intent: greet\n  examples: '- hi'\n")
    plan = it.plan(model, it.training_inputs(root))
    assert plan.finetune and plan.finetunes == 1 and plan.model_digest == it.file_digest(model)
    (root / "data" / "nlu" / "b.yml").write_text("nlu: []\n")  # a new NLU file too
    assert it.plan(model, it.training_inputs(root)).finetune


@pytest.mark.parametrize(
    "changed",
    [
        "config.yml",
        "domain.yml",
        "data/stories/s.yml",
        "bot/model_training.py",
        "bot/nlu/tok.py",
        "data/rules.yml",
    ],
)
def test_any_other_change_trains_from_scratch(tmp_path, changed):
    root = _project(tmp_path)
    model = _trained(root)
    (root / "data" / "nlu" / "a.yml").write_text("nlu: [] # changed\n")
    (root / changed).write_text("# changed\n")
    plan = it.plan(model, it.training_inputs(root))
    assert not plan.finetune and "changed" in plan.reason


def test_no_record_another_model_or_too_many_fine_tunes_train_from_scratch(tmp_path):
    root = _project(tmp_path)
    model = _trained(root)
    (root / "data" / "nlu" / "a.yml").write_text("nlu: [] # changed\n")
    inputs = it.training_inputs(root)
    model.write_bytes(b"another model")
    assert it.plan(model, inputs).reason == "the model is not the one last trained"
    model = _trained(root, finetunes=it.FINETUNE_LIMIT)
    (root / "data" / "nlu" / "a.yml").write_text("nlu: [] # changed again\n")
    assert "in a row" in it.plan(model, it.training_inputs(root)).reason
    it.record_path(model).write_text("not json")
    assert it.plan(model, inputs).reason == "no record of the last training"
    it.record_path(model).unlink()
    assert it.plan(model, inputs).reason == "no record of the last training"


class _Recipe:
    _is_finetuning = True


def test_fine_tuning_scales_nlu_epochs_and_marks_nlu_components_only():
    it.install("base-digest")
    try:
        cli = {"finetuning_epoch_fraction": 0.1}
        diet = DefaultV1Recipe._extra_config_from_cli(
            _Recipe(), cli, DIETClassifier, {"epochs": 40}
        )
        ted = DefaultV1Recipe._extra_config_from_cli(_Recipe(), cli, TEDPolicy, {"epochs": 40})
        featurizer = DefaultV1Recipe._extra_config_from_cli(
            _Recipe(), cli, CountVectorsFeaturizer, {}
        )
    finally:
        it.uninstall()
    marker = it.finetune_marker("base-digest")
    assert diet["epochs"] == 4 and diet[it.FINETUNE_MARKER] == marker
    assert featurizer == {it.FINETUNE_MARKER: marker} and marker.startswith("base-digest ")
    assert it.finetune_learning_rate(0.001) == pytest.approx(0.0003)
    assert ted == {}  # TED keeps its config: restored from the cache


def test_the_marker_is_not_a_config_change_for_rasas_check():
    from rasa.graph_components.validators.finetuning_validator import FinetuningValidator

    def schema(config: dict) -> GraphSchema:
        return GraphSchema({"diet": SchemaNode({}, DIETClassifier, "create", "train", config)})

    class Context:
        graph_schema = schema({"epochs": 4})

    class Marked:
        graph_schema = schema({"epochs": 4, it.FINETUNE_MARKER: "x"})

    class Other:
        graph_schema = schema({"epochs": 4, "batch_size": 7})

    def fingerprint(context) -> str:
        validator = FinetuningValidator.__new__(FinetuningValidator)
        validator._execution_context = context
        return FinetuningValidator._get_fingerprint_of_schema_without_irrelevant_keys(validator)

    it.install("x")
    try:
        assert fingerprint(Marked) == fingerprint(Context) != fingerprint(Other)
        assert Marked.graph_schema.nodes["diet"].config[it.FINETUNE_MARKER] == "x"
    finally:
        it.uninstall()


def test_a_fine_tuned_component_is_not_fingerprinted_or_cached_and_others_are():
    from rasa.engine.training.hooks import TrainingHook

    calls: list[str] = []

    class Hook(TrainingHook):
        def __init__(self) -> None:  # no cache, no schema: only the calls are seen
            pass

    original_before, original_after = TrainingHook.on_before_node, TrainingHook.on_after_node
    TrainingHook.on_before_node = lambda self, name, *_: calls.append(f"before {name}") or {}
    TrainingHook.on_after_node = lambda self, name, *_: calls.append(f"after {name}")
    it.install("base-digest")
    try:
        hook, marked = Hook(), {it.FINETUNE_MARKER: "x", "epochs": 4}
        assert hook.on_before_node("diet", None, marked, {}) == {}
        assert hook.on_after_node("diet", None, marked, object(), {}) is None
        hook.on_before_node("ted", None, {"epochs": 40}, {})
        hook.on_after_node("ted", None, {"epochs": 40}, object(), {})
        # The nodes that run the changed training data through the pipeline: only while
        # fine-tuning (a from-scratch training caches them for the next one).
        schema = GraphSchema(
            {
                "run_tok": SchemaNode({}, WhitespaceTokenizer, "load", "process_training_data", {}),
                "domain": SchemaNode({}, WhitespaceTokenizer, "create", "provide", {}),
            }
        )
        for finetuning in (True, False):
            context = ExecutionContext(schema, is_finetuning=finetuning)
            for name in ("run_tok", "domain"):
                hook.on_before_node(name, context, {}, {})
                hook.on_after_node(name, context, {}, object(), {})
    finally:
        it.uninstall()
        TrainingHook.on_before_node, TrainingHook.on_after_node = original_before, original_after
    assert calls == ["before ted", "after ted", "before domain", "after domain"] + [
        f"{when} {name}" for name in ("run_tok", "domain") for when in ("before", "after")
    ]


def test_a_cached_resource_replaces_the_old_models_copy(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    storage = LocalModelStorage(tmp_path / "storage")
    (tmp_path / "storage" / "train_TEDPolicy").mkdir(parents=True)
    (tmp_path / "storage" / "train_TEDPolicy" / "old").write_text("old")
    (tmp_path / "cached").mkdir()
    (tmp_path / "cached" / "new").write_text("new")
    it.install("x")
    try:
        Resource.from_cache("train_TEDPolicy", tmp_path / "cached", storage, "fp")
    finally:
        it.uninstall()
    assert sorted(p.name for p in (tmp_path / "storage" / "train_TEDPolicy").iterdir()) == ["new"]


TINY_CONFIG = """recipe: default.v1
language: en
assistant_id: tiny
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: DIETClassifier
    epochs: 10
    number_of_transformer_layers: 0
    random_seed: 1
policies:
  - name: RulePolicy
  - name: TEDPolicy
    epochs: 2
    random_seed: 1
"""

TINY_NLU = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
    - good morning
- intent: goodbye
  examples: |
    - bye
    - see you later
    - good night
"""


def _train(root: Path) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        RASA_TELEMETRY_ENABLED="false",
        RASA_CACHE_DIRECTORY=str(root / "cache"),
        PYTHONPATH=str(PROJECT_ROOT),
    )
    command = [sys.executable, "-m", "bot", "train", "--incremental", "--skip-validation"]
    command += ["--fixed-model-name", "tiny", "--out", "models"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)


def _components(model: Path) -> dict[str, bytes]:
    with tarfile.open(model) as tar:
        return {
            m.name: tar.extractfile(m).read()
            for m in tar.getmembers()
            if m.isfile() and "TEDPolicy" in m.name
        }


def test_a_real_retrain_after_an_nlu_change_fine_tunes_and_keeps_ted(tmp_path):
    root = tmp_path / "tiny"
    root.mkdir()
    (root / "data").mkdir()
    (root / "config.yml").write_text(TINY_CONFIG)
    (root / "domain.yml").write_text(
        'version: "3.1"\nintents: [greet, goodbye]\nresponses:\n'
        '  utter_hi:\n  - text: "Hi!"\n  utter_bye:\n  - text: "Bye!"\n'
    )
    (root / "data" / "nlu.yml").write_text(TINY_NLU)
    (root / "data" / "rules.yml").write_text(
        'version: "3.1"\nrules:\n- rule: hi\n  steps:\n  - intent: greet\n  - action: utter_hi\n'
    )
    first = _train(root)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Training from scratch (no record of the last training)" in first.stdout
    model = root / "models" / "tiny.tar.gz"
    ted = _components(model)
    (root / "data" / "nlu.yml").write_text(TINY_NLU + "    - farewell then\n")
    second = _train(root)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Fine-tuning" in second.stdout
    assert "Restored component 'TEDPolicy' from cache" in second.stdout + second.stderr
    assert "Starting to train component 'DIETClassifier'" in second.stdout + second.stderr
    assert _components(model) == ted  # the same TED, byte for byte
    record = it.read_record(model)
    assert record and record["finetunes"] == 1
    shutil.rmtree(root / "cache")


def test_adam_keeps_its_moments_of_the_variables_it_knew():
    import tensorflow as tf

    kept, grown = tf.Variable([1.0, 2.0]), tf.Variable([[1.0], [2.0], [3.0]])
    old = tf.keras.optimizers.Adam(0.001)
    for _ in range(3):
        old.apply_gradients([(tf.constant([0.5, -0.5]), kept)])
    new = tf.keras.optimizers.Adam(0.001)
    new.build([kept, grown])
    it.carry_optimizer_state(old, new, [kept, grown])
    assert int(new.iterations) == 3
    slot = new._index_dict[new._var_key(kept)]
    was = old._index_dict[old._var_key(kept)]
    assert new._momentums[slot].numpy().tolist() == old._momentums[was].numpy().tolist()
    assert new._velocities[slot].numpy().tolist() == old._velocities[was].numpy().tolist()
    assert not new._momentums[new._index_dict[new._var_key(grown)]].numpy().any()
