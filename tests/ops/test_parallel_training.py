"""The policies train in a second process, and the model is the one Rasa trains alone
(bot/parallel_training.py)."""

from __future__ import annotations

import json
import tarfile
import textwrap
from pathlib import Path

import pytest
import rasa.model_training
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.training.hooks import TrainingHook
from rasa.shared.importers.importer import TrainingDataImporter

from bot import model_training, parallel_training, training_graph

CONFIG = """\
recipe: default.v1
language: en
assistant_id: test
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: DIETClassifier
    epochs: 2
    random_seed: 1
policies:
  - name: RulePolicy
  - name: MemoizationPolicy
  - name: TEDPolicy
    epochs: 2
    random_seed: 1
"""

DOMAIN = """\
version: "3.1"
intents: [greet, ask_office, goodbye]
responses:
  utter_greet: [{text: "Hello!"}]
  utter_office: [{text: "Our office."}]
  utter_goodbye: [{text: "Bye!"}]
"""

NLU = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
    - good morning
- intent: ask_office
  examples: |
    - where is the office
    - office address please
    - which office
- intent: goodbye
  examples: |
    - bye
    - see you
"""

STORIES = """\
version: "3.1"
stories:
- story: office
  steps:
  - intent: greet
  - action: utter_greet
  - intent: ask_office
  - action: utter_office
rules:
- rule: bye
  steps:
  - intent: goodbye
  - action: utter_goodbye
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for name, text in {
        "config.yml": CONFIG,
        "domain.yml": DOMAIN,
        "data/nlu.yml": NLU,
        "data/stories.yml": STORIES,
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def _schema(project: Path):
    importer = TrainingDataImporter.load_from_config(
        str(project / "config.yml"), str(project / "domain.yml"), [str(project / "data")]
    )
    return DefaultV1Recipe().graph_config_for_recipe(importer.get_config(), {})


def test_the_policies_go_to_the_child_with_what_they_need_and_nothing_else(project) -> None:
    train_schema = _schema(project).train_schema
    policies = parallel_training.policies_to_train(train_schema)
    assert sorted(policies) == ["train_MemoizationPolicy1", "train_RulePolicy0", "train_TEDPolicy2"]

    rest, child = parallel_training.split(train_schema, policies)
    assert set(policies) <= set(child.nodes) and not set(policies) & set(rest.nodes)
    assert "train_DIETClassifier2" in rest.nodes
    assert not any("DIET" in name or "Featurizer" in name for name in child.nodes)
    # Every node still trains in one of the two.
    assert set(rest.nodes) | set(child.nodes) >= set(train_schema.minimal_graph_schema().nodes)


def test_a_runner_splits_only_a_training_run_with_policies(project) -> None:
    schema = _schema(project).train_schema
    training = [TrainingHook(cache=None, model_storage=None, pruned_schema=schema)]  # type: ignore[arg-type]
    context = ExecutionContext(graph_schema=schema)
    create = parallel_training.PolicyParallelRunner.create
    assert isinstance(
        create(schema, None, context, training), parallel_training.PolicyParallelRunner
    )
    # The fingerprint run has no training hook; fine-tuning loads the old model in place.
    assert type(create(schema, None, context, None)) is DaskGraphRunner
    finetuning = ExecutionContext(graph_schema=schema, is_finetuning=True)
    assert type(create(schema, None, finetuning, training)) is DaskGraphRunner
    nlu_only = schema.minimal_graph_schema(["train_DIETClassifier2"])
    assert type(create(nlu_only, None, context, training)) is DaskGraphRunner


def _train(project: Path, out: Path, cache: Path, monkeypatch) -> Path:
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(cache))
    monkeypatch.chdir(project)
    result = rasa.model_training.train(
        domain="domain.yml",
        config="config.yml",
        training_files=["data"],
        output=str(out),
        fixed_model_name="model",
    )
    assert result.code == 0
    return out / "model.tar.gz"


def _files(model: Path, into: Path) -> dict[str, bytes]:
    with tarfile.open(model) as archive:
        archive.extractall(into)
    return {
        str(path.relative_to(into)): path.read_bytes()
        for path in sorted((into / "components").rglob("*"))
        if path.is_file()
    }


def _canonical(value: object) -> object:
    """JSON with its lists sorted: Rasa writes some lists in set order, which differs
    between processes (string hashing is seeded per process)."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_canonical(item) for item in value), key=json.dumps)
    return value


def _same(name: str, mine: bytes, theirs: bytes) -> bool:
    if not name.endswith(".json"):
        return mine == theirs
    return _canonical(json.loads(mine)) == _canonical(json.loads(theirs))


def test_trained_in_two_processes_the_model_is_the_one_trained_in_one(
    project, tmp_path, monkeypatch
) -> None:
    # Training as `python -m bot train` does: without the serving patches another test may
    # have installed (TED's on-demand prediction fails Rasa's check of the recipe).
    from rasa.core.policies.ted_policy import TEDPolicy

    from bot import ted_on_demand

    monkeypatch.setattr(TEDPolicy, "predict_action_probabilities", ted_on_demand._PREDICT)
    model_training.install()
    # As in the worker (rasa_compat.install_training): Grappler's rewrites change the last
    # bits of TED's weights, so both trainings run without them.
    training_graph.install()
    submitted = []
    original_submit = parallel_training.PolicyWorker.submit

    def submit(self, *job):
        submitted.append(sorted(job[0].nodes))
        return original_submit(self, *job)

    try:
        alone = _train(project, tmp_path / "alone", tmp_path / "cache-alone", monkeypatch)
        parallel_training.install()
        monkeypatch.setattr(parallel_training.PolicyWorker, "submit", submit)
        split = _train(project, tmp_path / "split", tmp_path / "cache-split", monkeypatch)
    finally:
        parallel_training.uninstall()
        model_training.uninstall()
        training_graph.uninstall()

    assert submitted and "train_TEDPolicy2" in submitted[0]
    mine = _files(split, tmp_path / "x-split")
    theirs = _files(alone, tmp_path / "x-alone")
    assert sorted(mine) == sorted(theirs)
    assert any("ted_policy.tf_model" in name for name in mine)
    assert all(_same(name, mine[name], theirs[name]) for name in mine), [
        name for name in mine if not _same(name, mine[name], theirs[name])
    ]


def test_a_failure_in_the_child_fails_the_training(project, tmp_path, monkeypatch) -> None:
    (tmp_path / "broken").mkdir()
    worker = parallel_training.PolicyWorker()
    # A schema the child cannot run: it must say so, and the parent must raise.
    worker.submit(None, None, {}, str(tmp_path / "broken"))
    with pytest.raises(RuntimeError, match="training the policies failed"):
        worker.wait()


def test_an_unused_worker_stops() -> None:
    worker = parallel_training.PolicyWorker()
    worker.close()
    assert not worker._process.is_alive() and worker._process.exitcode == 0
