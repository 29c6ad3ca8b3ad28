"""`make train` after a change to the NLU examples only: Rasa's fine-tuning of the last model.

DIET learns the NLU examples from scratch in about a minute (40 epochs), however small the
change. When only files of NLU examples changed since the last `make train` (the config,
the domain, the stories and rules, the NLU components and the training patch unchanged),
`python -m bot train --incremental` passes Rasa's `--finetune <last model>` with
`--epoch-fraction FINETUNE_EPOCH_FRACTION`: the featurizers extend their vocabularies, DIET
continues from its weights for a few epochs over all the examples, and the policies, whose
inputs did not change, come from Rasa's training cache. Anything else, a missing record of
the last training, or FINETUNE_LIMIT fine-tunes in a row trains from scratch, as does a
fine-tune that fails (for example a feature space that shrank). CI trains from scratch (a
fresh clone has no last model), as do `make train-full` and `make bench`'s training timing.

Rasa's fine-tuning needs three mends to be quick and right here:

- Rasa scales the epochs of every component with an `epochs` setting, policies included;
  TED's changed config missed the cache and TED was retrained (8 s, and its accuracy
  dropped to 0.67 after 4 epochs). Only the NLU components are scaled here.
- A fine-tuned featurizer's vocabulary is the old one extended, so its output must never be
  exchanged through the cache with a from-scratch training of the same data (DIET would read
  features at the wrong indices). Every NLU component's config carries the digest of the
  model it continues (`finetuned_from`), which keys its cache entries apart.
- The policies restored from the cache land where the unpacked old model already holds
  their files; Rasa refuses to copy into a non-empty directory and retrains. The cached
  copy (same inputs, same config) replaces the old one.

Loading DIET to fine-tune it, Rasa builds its variables by one training step on one example
(`RasaModel.load`), and again after a vocabulary grew (`_compile_and_fit`); each traces the
whole training step, which `fit` then traces again. Here both build the variables by one
eager forward pass and `fit` traces the step once. After a vocabulary grew Rasa also starts
a fresh Adam; here its step count and moments carry over (`carry_optimizer_state`). And
DIET fine-tunes at FINETUNE_LEARNING_RATE_FACTOR of its learning rate, so a few epochs add
the new examples without moving the model as far as its own last epochs did.

Measured with `python -m bench --retrain-only 5` (README, "Training time").
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FINETUNE_EPOCH_FRACTION = 0.1
# DIET's configured learning rate kept at a constant 0.001 left its last epochs moving
# between nearby models; fine-tuning at the full rate moved English intent macro-F1 from
# 0.959 to 0.938 after one added example, at 0.3 of it to 0.957 (README, stop 26).
FINETUNE_LEARNING_RATE_FACTOR = 0.3
# Fine-tunes in a row before the next NLU change trains from scratch again.
FINETUNE_LIMIT = 5
RECORD_SUFFIX = ".inputs.json"
FINETUNE_MARKER = "finetuned_from"


def _digest(paths: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def is_nlu_examples_file(path: Path) -> bool:
    """A training file of NLU examples only (no stories, rules or retrieval responses)."""
    from rasa.shared.utils.io import is_key_in_yaml

    return is_key_in_yaml(path, "nlu") and not is_key_in_yaml(path, "stories", "rules", "responses")


def training_inputs(root: Path) -> dict[str, str]:
    """Digests of what a model depends on: the NLU example files under `data/`, and
    everything else (config, domain, the other training files, NLU components, patch)."""
    data = sorted(p for p in (root / "data").rglob("*.yml") if p.is_file())
    nlu = [p for p in data if is_nlu_examples_file(p)]
    other = [root / "config.yml", root / "domain.yml", root / "bot" / "model_training.py"]
    other += [p for p in data if p not in nlu]
    other += sorted((root / "bot" / "nlu").glob("*.py"))
    return {"nlu": _digest(nlu, root), "other": _digest([p for p in other if p.exists()], root)}


def record_path(model: Path) -> Path:
    return model.with_name(model.name.removesuffix(".tar.gz") + RECORD_SUFFIX)


def read_record(model: Path) -> dict[str, Any] | None:
    """The inputs the model at `model` was trained from, if recorded and readable."""
    try:
        record = json.loads(record_path(model).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def write_record(model: Path, inputs: dict[str, str], finetunes: int) -> None:
    record = {**inputs, "finetunes": finetunes, "model": file_digest(model)}
    record_path(model).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as model:
        for block in iter(lambda: model.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Plan:
    """How to train: from scratch (`finetune` False) or by fine-tuning `model`."""

    finetune: bool
    reason: str
    finetunes: int = 0
    model_digest: str = ""  # the model to fine-tune, read once


def plan(model: Path, inputs: dict[str, str]) -> Plan:
    """Fine-tune `model` when only the NLU examples changed since it was trained."""
    record = read_record(model)
    if not model.is_file() or record is None:
        return Plan(False, "no record of the last training")
    digest = file_digest(model)
    if record.get("model") != digest:
        return Plan(False, "the model is not the one last trained")
    if record.get("other") != inputs["other"]:
        return Plan(False, "the config, domain, stories, rules or NLU components changed")
    if record.get("nlu") == inputs["nlu"]:
        return Plan(False, "nothing changed")
    finetunes = int(record.get("finetunes", 0))
    if finetunes >= FINETUNE_LIMIT:
        return Plan(False, f"{finetunes} fine-tunes in a row")
    return Plan(True, "only NLU examples changed", finetunes + 1, digest)


def finetune_marker(base_model_digest: str) -> str:
    """What keys a fine-tune's cache entries apart: the model it continues, and how."""
    return (
        f"{base_model_digest} epochs*{FINETUNE_EPOCH_FRACTION} lr*{FINETUNE_LEARNING_RATE_FACTOR}"
    )


def nlu_epochs_only(
    self: Any, cli_parameters: dict[str, Any], component: type, component_config: dict[str, Any]
) -> dict[str, Any]:
    """Rasa's `_extra_config_from_cli`: when fine-tuning, the epoch fraction for the NLU
    components only, and the marker of the model they continue."""
    from rasa.core.policies.policy import Policy

    config = _ORIGINALS["extra_config"](self, cli_parameters, component, component_config)
    if not self._is_finetuning:
        return config
    if issubclass(component, Policy):
        config.pop("epochs", None)
        config.pop("finetuning_epoch_fraction", None)
        return config
    return {**config, FINETUNE_MARKER: finetune_marker(_ORIGINALS["base"])}


def schema_fingerprint_without_marker(self: Any) -> str:
    """Rasa's check that only the epochs changed, blind to the marker (it changes nothing
    in the model's configuration)."""
    schema = self._execution_context.graph_schema
    markers = {
        name: node.config.pop(FINETUNE_MARKER)
        for name, node in schema.nodes.items()
        if FINETUNE_MARKER in node.config
    }
    try:
        return _ORIGINALS["schema_fingerprint"](self)
    finally:
        for name, marker in markers.items():
            schema.nodes[name].config[FINETUNE_MARKER] = marker


def from_cache_replacing(
    cls: type, node_name: str, directory: Path, model_storage: Any, output_fingerprint: str
) -> Any:
    """Rasa's `Resource.from_cache`, the old model's copy of the resource replaced."""
    old = Path(getattr(model_storage, "_storage_path", "")) / node_name
    if node_name and old.is_dir() and any(directory.glob("*")):
        shutil.rmtree(old)
    return _ORIGINALS["from_cache"](cls, node_name, directory, model_storage, output_fingerprint)


def _finetuned_nlu_node(node_name: str, execution_context: Any, config: dict[str, Any]) -> bool:
    """A fine-tuned NLU component's node, or, while fine-tuning, one that runs the training
    data through the NLU pipeline: the data changed (that is why it is fine-tuned)."""
    if FINETUNE_MARKER in config:
        return True
    if not getattr(execution_context, "is_finetuning", False):
        return False
    node = getattr(execution_context.graph_schema, "nodes", {}).get(node_name)
    return node is not None and node.fn == "process_training_data"


def before_node_unless_finetuned(
    self: Any, node_name: str, execution_context: Any, config: dict[str, Any], received_inputs: Any
) -> dict[str, Any]:
    """Rasa's `TrainingHook.on_before_node`, which fingerprints a node's inputs for the cache;
    nothing for a fine-tuned NLU component (see `after_node_unless_finetuned`)."""
    if _finetuned_nlu_node(node_name, execution_context, config):
        return {}
    return _ORIGINALS["before_node"](self, node_name, execution_context, config, received_inputs)


def after_node_unless_finetuned(
    self: Any,
    node_name: str,
    execution_context: Any,
    config: dict[str, Any],
    output: Any,
    input_hook_data: dict[str, Any],
) -> None:
    """Rasa's `TrainingHook.on_after_node`, which fingerprints a node's output and caches it;
    not for a fine-tuned NLU component, whose entry only a fine-tune of the same model with
    the same examples could use: fingerprinting every message's features again cost 1.4 s
    of each fine-tune (py-spy), and 1.3 s more for the nodes that pass the changed training
    data through the tokenizer and featurizers."""
    if _finetuned_nlu_node(node_name, execution_context, config):
        return None
    return _ORIGINALS["after_node"](
        self, node_name, execution_context, config, output, input_hook_data
    )


def load_built(
    cls: type,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """`RasaModel.load`; DIET loaded for fine-tuning by `load_for_finetuning`."""
    if finetune_mode and _is_diet(cls):
        return load_for_finetuning(cls, model_file_name, model_data_example, *args, **kwargs)
    return _ORIGINALS["load"](
        cls,
        model_file_name,
        model_data_example,
        predict_data_example,
        finetune_mode,
        *args,
        **kwargs,
    )


_ORIGINALS: dict[str, Any] = {}


def install(base_model_digest: str) -> None:
    """Rasa's fine-tuning as described above, continuing the model whose archive has the
    digest `base_model_digest`."""
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.engine.storage.resource import Resource
    from rasa.engine.training.hooks import TrainingHook
    from rasa.graph_components.validators.finetuning_validator import FinetuningValidator
    from rasa.utils.tensorflow.models import RasaModel, TransformerRasaModel

    _ORIGINALS["base"] = base_model_digest
    if _ORIGINALS.keys() > {"base"}:
        return
    validator = FinetuningValidator
    _ORIGINALS.update(
        extra_config=DefaultV1Recipe._extra_config_from_cli,
        schema_fingerprint=validator._get_fingerprint_of_schema_without_irrelevant_keys,
        from_cache=Resource.from_cache.__func__,  # type: ignore[attr-defined]
        load=RasaModel.load.__func__,  # type: ignore[attr-defined]
        compile_and_fit=TransformerRasaModel._compile_and_fit,
        before_node=TrainingHook.on_before_node,
        after_node=TrainingHook.on_after_node,
    )
    TrainingHook.on_before_node = before_node_unless_finetuned  # type: ignore[method-assign]
    TrainingHook.on_after_node = after_node_unless_finetuned  # type: ignore[method-assign]
    DefaultV1Recipe._extra_config_from_cli = nlu_epochs_only  # type: ignore[method-assign]
    validator._get_fingerprint_of_schema_without_irrelevant_keys = schema_fingerprint_without_marker  # type: ignore[method-assign]
    Resource.from_cache = classmethod(from_cache_replacing)  # type: ignore[method-assign,assignment]
    RasaModel.load = classmethod(load_built)  # type: ignore[method-assign,assignment]
    TransformerRasaModel._compile_and_fit = compile_and_build  # type: ignore[method-assign]


def uninstall() -> None:
    """Rasa's own fine-tuning again (for tests)."""
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.engine.storage.resource import Resource
    from rasa.engine.training.hooks import TrainingHook
    from rasa.graph_components.validators.finetuning_validator import FinetuningValidator
    from rasa.utils.tensorflow.models import RasaModel, TransformerRasaModel

    if _ORIGINALS.keys() <= {"base"}:
        return
    TrainingHook.on_before_node = _ORIGINALS["before_node"]  # type: ignore[method-assign]
    TrainingHook.on_after_node = _ORIGINALS["after_node"]  # type: ignore[method-assign]
    DefaultV1Recipe._extra_config_from_cli = _ORIGINALS["extra_config"]  # type: ignore[method-assign]
    FinetuningValidator._get_fingerprint_of_schema_without_irrelevant_keys = _ORIGINALS[  # type: ignore[method-assign]
        "schema_fingerprint"
    ]
    Resource.from_cache = classmethod(_ORIGINALS["from_cache"])  # type: ignore[method-assign,assignment]
    RasaModel.load = classmethod(_ORIGINALS["load"])  # type: ignore[method-assign,assignment]
    TransformerRasaModel._compile_and_fit = _ORIGINALS["compile_and_fit"]  # type: ignore[method-assign]
    _ORIGINALS.clear()


def load_for_finetuning(
    cls: type, model_file_name: str, model_data_example: Any, *args: Any, **kwargs: Any
) -> Any:
    """`RasaModel.load(..., finetune_mode=True)` with the variables built without a
    training step: the saved weights and optimizer state are then restored over them."""
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(
        optimizer=tf.keras.optimizers.Adam(
            finetune_learning_rate(config.get(LEARNING_RATE, 0.001))
        ),
        run_eagerly=config.get(RUN_EAGERLY),
    )
    build_variables(model, RasaBatchDataGenerator(model_data_example, batch_size=1))
    model.load_weights(model_file_name).assert_existing_objects_matched()
    # The checkpoint restores Adam's learning rate too.
    model.optimizer.learning_rate.assign(finetune_learning_rate(config.get(LEARNING_RATE, 0.001)))
    return model


def finetune_learning_rate(configured: float) -> float:
    """DIET's learning rate while fine-tuning: FINETUNE_LEARNING_RATE_FACTOR of its own."""
    return configured * FINETUNE_LEARNING_RATE_FACTOR


def _is_diet(cls: type) -> bool:
    from rasa.nlu.classifiers.diet_classifier import DIET

    return issubclass(cls, DIET)


def build_variables(model: Any, data: Any) -> None:
    """Create the variables of `model` and its optimizer by one eager forward pass over the
    first batch of `data` (no training step, nothing traced). Unlike TED, DIET takes no
    `tf.cond` branch that builds a layer, so the pass builds every variable its training
    step uses. Tracing the pass as well (bot/model_training.py does, for TED) made the
    retrain 3-6 s slower here, and Rasa's one training step 11-15 s."""
    model._training = True  # what `train_step` sets: dropout and the training-only losses
    try:
        model.batch_loss(data[0][0])
    finally:
        model._training = None
    model.optimizer.build(model.trainable_variables)
    model.reset_metrics()


def carry_optimizer_state(old: Any, new: Any, variables: list[Any]) -> None:
    """Adam's step count and its moments of every variable `old` knew, into `new`."""
    new.iterations.assign(old.iterations)
    for variable in variables:
        was = old._index_dict.get(old._var_key(variable))
        if was is None:
            continue  # a grown layer's new kernel: moments from zero
        now = new._index_dict[new._var_key(variable)]
        new._momentums[now].assign(old._momentums[was])
        new._velocities[now].assign(old._velocities[was])


def compile_and_build(self: Any, data_example: Any) -> None:
    """Rasa's `_compile_and_fit` after DIET's sparse layers grew, without its training
    step on one example, and keeping what Adam learnt: Rasa starts a fresh optimizer, and
    its first steps, each about the learning rate for every weight, undid part of the
    model (intent F1 0.961 -> 0.951 after two epochs). The grown layers' new kernels start
    with zero moments (DIET's; any other model keeps Rasa's)."""
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import INTENT_CLASSIFICATION, LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
    from rasa.utils.tensorflow.model_data import RasaModelData
    from rasa.utils.tensorflow.models import LABEL_KEY, LABEL_SUB_KEY

    if not _is_diet(type(self)):
        return _ORIGINALS["compile_and_fit"](self, data_example)
    self.compile(
        optimizer=tf.keras.optimizers.Adam(finetune_learning_rate(self.config[LEARNING_RATE])),
        run_eagerly=self.config[RUN_EAGERLY],
    )
    labels = self.config[INTENT_CLASSIFICATION]
    model_data = RasaModelData(
        label_key=LABEL_KEY if labels else None,
        label_sub_key=LABEL_SUB_KEY if labels else None,
        data=data_example,
    )
    self._update_data_signatures(model_data)
    restored = self.optimizer
    build_variables(self, RasaBatchDataGenerator(model_data, batch_size=1))
    carry_optimizer_state(restored, self.optimizer, self.trainable_variables)
    return None
