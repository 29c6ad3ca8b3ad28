"""Training traces DIET's training step once (bot/model_training.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
import tensorflow as tf
from keras.engine import data_adapter
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator, RasaDataGenerator
from rasa.utils.tensorflow.layers import CRF
from rasa.utils.tensorflow.model_data import FeatureArray
from rasa.utils.tensorflow.models import RasaModel, TransformerRasaModel

from bot import model_training

EXAMPLES = {
    "greet": ["hello", "hi there", "good morning", "hey"],
    "ask_office": ["where is the office", "office address please", "which office"],
    "goodbye": ["bye", "see you", "good night"],
}


def _featurized(
    storage: LocalModelStorage,
    context: ExecutionContext,
    examples: dict[str, list[str]] = EXAMPLES,
) -> TrainingData:
    data = TrainingData(
        [Message.build(text, intent) for intent, texts in examples.items() for text in texts]
    )
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(data)
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("cvf"), context
    )
    featurizer.train(data)
    featurizer.process_training_data(data)
    return data


@pytest.fixture
def traces(monkeypatch) -> list[str]:
    """Names of the models whose training step was traced (Python runs only when tracing)."""
    seen: list[str] = []
    original = RasaModel.train_step

    def recording(self, batch_in):
        seen.append(type(self).__name__)
        return original(self, batch_in)

    monkeypatch.setattr(RasaModel, "train_step", recording)
    return seen


def _train_diet(tmp_path: Path, name: str, epochs: int = 3) -> tuple[DIETClassifier, TrainingData]:
    (tmp_path / name).mkdir()
    storage = LocalModelStorage(tmp_path / name)
    context = ExecutionContext(GraphSchema({}), name)
    data = _featurized(storage, context)
    config = {
        **DIETClassifier.get_default_config(),
        "epochs": epochs,
        "number_of_transformer_layers": 0,
        "random_seed": 1,
    }
    diet = DIETClassifier.create(config, storage, Resource(f"diet_{name}"), context)
    diet.train(data)
    return diet, data


@pytest.mark.parametrize("installed, expected_traces", [(False, 2), (True, 1)])
def test_the_training_step_is_traced_once_with_the_patch_and_twice_without(
    tmp_path, traces, installed, expected_traces
):
    if installed:
        model_training.install()
    try:
        diet, _ = _train_diet(tmp_path, "diet")
    finally:
        model_training.uninstall()
    assert traces == ["DIET"] * expected_traces
    # Building the variables trained nothing: one optimizer step per batch of each epoch
    # (10 examples, batch size 64: one batch per epoch).
    assert int(diet.model.optimizer.iterations.numpy()) == 3


def _predicted_intents(diet: DIETClassifier, data: TrainingData) -> list[str]:
    messages = [
        Message(data=dict(m.data, intent=None), features=m.features) for m in data.training_examples
    ]
    return [m.get("intent")["name"] for m in diet.process(messages)]


def test_a_model_trained_with_the_patch_has_rasas_variables_and_learns(tmp_path, traces):
    plain, _ = _train_diet(tmp_path, "plain", epochs=30)
    model_training.install()
    try:
        patched, data = _train_diet(tmp_path, "patched", epochs=30)
    finally:
        model_training.uninstall()
    assert sorted(str(v.shape) for v in patched.model.variables) == sorted(
        str(v.shape) for v in plain.model.variables
    )
    assert len(patched.model.optimizer.variables) == len(plain.model.optimizer.variables)
    expected = [m.get("intent") for m in data.training_examples]
    assert _predicted_intents(patched, data) == expected
    assert _predicted_intents(plain, data) == expected


def test_install_is_idempotent_and_uninstall_restores_keras():
    try:
        model_training.install()
        model_training.install()
        assert RasaModel.fit is model_training.fit_with_built_variables
        entity_loss = TransformerRasaModel._calculate_entity_loss
        assert entity_loss is model_training.entity_loss_without_decoding
    finally:
        model_training.uninstall()
    assert "fit" not in vars(RasaModel)
    assert TransformerRasaModel._calculate_entity_loss is model_training._ENTITY_LOSS
    model_training.uninstall()  # twice: no error


class _Batches(tf.keras.utils.Sequence):
    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int):
        return np.ones((2, 3), "float32"), np.ones((2, 1), "float32")


def test_keras_reads_a_sequence_without_autotuning_only_with_the_patch():
    unpatched = data_adapter.KerasSequenceAdapter(_Batches()).get_dataset()
    assert unpatched.options().autotune.enabled is not False  # None: tf.data's default, on
    model_training.install()
    try:
        dataset = data_adapter.KerasSequenceAdapter(_Batches()).get_dataset()
        assert dataset.options().autotune.enabled is False
        assert len(list(dataset.take(2))) == 2  # still yields the batches
    finally:
        model_training.uninstall()
    assert data_adapter.KerasSequenceAdapter.get_dataset is model_training._SEQUENCE_DATASET


PLACES = ["Tokyo", "Bonn", "Seoul", "Manila", "Denver", "Toronto"]


def _entity_examples() -> list[Message]:
    messages = []
    for place in PLACES:
        for template in ["where is the {} office", "{} address please", "office in {}"]:
            text = template.format(place)
            start = text.index(place)
            entity = {"start": start, "end": start + len(place), "value": place, "entity": "place"}
            messages.append(Message.build(text, "ask_office", entities=[entity]))
    return messages


def _train_entity_diet(tmp_path: Path, name: str) -> DIETClassifier:
    (tmp_path / name).mkdir()
    storage = LocalModelStorage(tmp_path / name)
    context = ExecutionContext(GraphSchema({}), name)
    data = TrainingData(_entity_examples() + [Message.build("hello", "greet")])
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(data)
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("cvf"), context
    )
    featurizer.train(data)
    featurizer.process_training_data(data)
    config = {
        **DIETClassifier.get_default_config(),
        "epochs": 3,
        "number_of_transformer_layers": 0,
        "random_seed": 1,
    }
    diet = DIETClassifier.create(config, storage, Resource(f"diet_{name}"), context)
    diet.train(data)
    return diet


@pytest.fixture
def decodes_in_training_steps(monkeypatch) -> list[bool]:
    """For each CRF decoding traced or run: whether it was inside a training step."""
    in_step = [False]
    decodes: list[bool] = []
    train_step, decode = RasaModel.train_step, CRF.call

    def stepping(self, batch_in):
        in_step[0] = True
        try:
            return train_step(self, batch_in)
        finally:
            in_step[0] = False

    def decoding(self, logits, sequence_lengths):
        decodes.append(in_step[0])
        return decode(self, logits, sequence_lengths)

    monkeypatch.setattr(RasaModel, "train_step", stepping)
    monkeypatch.setattr(CRF, "call", decoding)
    return decodes


def test_training_steps_skip_the_crf_decoding_and_train_the_same_weights(
    tmp_path, decodes_in_training_steps
):
    weights = {}
    for rasas_steps in (True, False):
        decodes_in_training_steps.clear()
        model_training.install()
        try:
            if rasas_steps:  # Rasa's own entity loss (uninstall puts it back)
                TransformerRasaModel._calculate_entity_loss = model_training._ENTITY_LOSS
            diet = _train_entity_diet(tmp_path, f"diet_{rasas_steps}")
        finally:
            model_training.uninstall()
        # Building the variables decodes (Rasa creates the transitions so); Rasa's steps
        # decode too, the patched ones never.
        assert decodes_in_training_steps[0] is False
        assert any(decodes_in_training_steps) is rasas_steps
        weights[rasas_steps] = {v.name: v.numpy() for v in diet.model.trainable_variables}
    assert weights[True].keys() == weights[False].keys()
    for name, value in weights[True].items():
        np.testing.assert_array_equal(weights[False][name], value, err_msg=name)


class _Branchy(RasaModel):
    """A loss that, like TED's, takes a `tf.cond` branch by the batch: a layer only on one."""

    def __init__(self) -> None:
        super().__init__(random_seed=1)
        # Rasa's train step adds up the regularization losses: it needs one.
        self.real = tf.keras.layers.Dense(1, kernel_regularizer="l2")

    def batch_loss(self, batch_in):
        x = tf.convert_to_tensor(batch_in[0], tf.float32)
        return tf.cond(
            tf.shape(x)[0] > 0, lambda: tf.reduce_mean(self.real(x) ** 2), lambda: tf.constant(0.0)
        )


class _FirstBatchEmpty(RasaBatchDataGenerator):
    """No rows in the first batch (TED's "fake features" case), two in the second."""

    def __init__(self) -> None:
        self.batches = [(np.zeros((0, 3), "float32"),), (np.ones((2, 3), "float32"),)]

    def __len__(self) -> int:
        return len(self.batches)

    def __getitem__(self, index: int):
        return self.batches[index], None

    def on_epoch_end(self) -> None:
        pass


def test_a_layer_built_only_in_a_branch_the_first_batch_skips_is_trained(traces):
    model = _Branchy()
    model.compile(optimizer=tf.keras.optimizers.Adam(0.1))
    model_training.install()
    try:
        model.fit(_FirstBatchEmpty(), epochs=2, verbose=0)
    finally:
        model_training.uninstall()
    assert traces == ["_Branchy"]
    assert len(model.trainable_variables) == 2  # the branch's kernel and bias
    assert int(model.optimizer.iterations.numpy()) == 4


LONG_AND_SHORT = {
    "greet": ["hi", "hello there", "good morning to you all and thanks"],
    "ask_office": [
        "office",
        "where is the office",
        "could you please tell me where your nearest regional office is located",
    ],
    "goodbye": ["bye", "see you later then", "thanks a lot for all your help today goodbye"],
}


def _generator_batches(tmp_path: Path, seed: int) -> list[list[tuple[int, int]]]:
    """One epoch's batches of size 3 from DIET's own model data, each example as (label
    id, token count)."""
    tmp_path.mkdir()
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "bucket")
    data = _featurized(storage, context, LONG_AND_SHORT)
    diet = DIETClassifier.create(
        DIETClassifier.get_default_config(), storage, Resource("diet"), context
    )
    model_data = diet.preprocess_train_data(data)
    np.random.seed(seed)
    generator = RasaBatchDataGenerator(model_data, batch_size=3, batch_strategy="balanced")
    lengths = model_training.message_lengths(generator._data)
    labels = np.asarray(generator._data["label"]["ids"][0]).ravel()
    size = generator._current_batch_size
    return [
        list(zip(labels[i : i + size].tolist(), lengths[i : i + size].tolist(), strict=True))
        for i in range(0, len(lengths), size)
    ]


def _padded(batches: list[list[tuple[int, int]]]) -> int:
    return sum(len(batch) * max(n for _, n in batch) for batch in batches)


def test_diet_batches_hold_messages_of_similar_length_and_the_same_examples(tmp_path):
    plain = _generator_batches(tmp_path / "plain", seed=3)
    model_training.install()
    try:
        bucketed = _generator_batches(tmp_path / "bucketed", seed=3)
        again = _generator_batches(tmp_path / "again", seed=3)
    finally:
        model_training.uninstall()
    # The same examples (Rasa's balancing repeats some), in another order.
    assert sorted(x for b in bucketed for x in b) == sorted(x for b in plain for x in b)
    # Sorted by length: each batch's lengths come after the previous batch's in the sort.
    spans = sorted((min(n for _, n in b), max(n for _, n in b)) for b in bucketed)
    assert all(high <= next_low for (_, high), (next_low, _) in zip(spans, spans[1:], strict=False))
    assert _padded(bucketed) < _padded(plain)
    assert again == bucketed  # reproducible from Rasa's seed


def test_data_without_one_length_per_message_is_not_reordered():
    assert model_training.message_lengths({}) is None
    assert model_training.message_lengths({"dialogue": {}}) is None


def _sparse_batch(kind: str, rows: list[int], features: int = 7) -> FeatureArray:
    """A batch of messages as Rasa's featurizers leave it: one sparse matrix per message,
    `rows[i]` tokens long, some of them without any feature."""
    rng = np.random.default_rng(len(rows))
    matrices = np.empty(len(rows), dtype=object)
    for i, n in enumerate(rows):
        dense = rng.random((n, features)) * (rng.random((n, features)) < 0.3)
        matrices[i] = scipy.sparse.coo_matrix(dense).asformat(kind)
    return FeatureArray(matrices, number_of_dimensions=3)


@pytest.mark.parametrize("kind", ["coo", "csr"])
@pytest.mark.parametrize("rows", [[3, 1, 5, 2], [1], [4, 0, 2], [2, 2]])
def test_sparse_batch_values_are_rasas_arrays(kind, rows):
    batch = _sparse_batch(kind, rows)
    ours = model_training.sparse_batch_values(batch)
    rasas = model_training._SPARSE_VALUES(batch)
    assert [a.dtype for a in ours] == [a.dtype for a in rasas]
    for mine, theirs in zip(ours, rasas, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    assert ours[0].shape[1] == 3 and ours[2].tolist() == [len(rows), max(rows), 7]


def test_batches_are_converted_by_concatenation_only_with_the_patch():
    model_training.install()
    try:
        assert RasaDataGenerator._scipy_matrix_to_values is model_training.sparse_batch_values
    finally:
        model_training.uninstall()
    assert RasaDataGenerator._scipy_matrix_to_values is model_training._SPARSE_VALUES


def _crf_values_and_gradients(log_norm, sequence_score, max_len: int):
    rng = np.random.default_rng(max_len)
    inputs = tf.constant(rng.normal(size=(4, max_len, 7)).astype("float32"))
    tags = tf.constant(rng.integers(0, 7, size=(4, max_len)))
    lengths = tf.constant([0, 1, max_len, max(1, max_len - 1)])
    transitions = tf.constant(rng.normal(size=(7, 7)).astype("float32"))
    results = []
    for fn, args in (
        (log_norm, (inputs, lengths, transitions)),
        (sequence_score, (inputs, tags, lengths, transitions)),
    ):
        with tf.GradientTape() as tape:
            tape.watch([inputs, transitions])
            value = fn(*args)
        gradients = tape.gradient(value, [inputs, transitions])
        # Rasa's one-token path does not read the transitions: no gradient, i.e. zero.
        zeros = [tf.zeros_like(inputs), tf.zeros_like(transitions)]
        gradients = [z if g is None else g for g, z in zip(gradients, zeros, strict=True)]
        results.append([value.numpy()] + [g.numpy() for g in gradients])
    return results


@pytest.mark.parametrize("max_len", [1, 2, 5])
def test_the_crf_loss_without_cond_has_rasas_values_and_gradients(max_len):
    from rasa.utils.tensorflow import crf

    ours = _crf_values_and_gradients(
        model_training.crf_log_norm_without_cond,
        model_training.crf_sequence_score_without_cond,
        max_len,
    )
    rasas = _crf_values_and_gradients(crf.crf_log_norm, crf.crf_sequence_score, max_len)
    for mine, theirs in zip(ours, rasas, strict=True):
        for a, b in zip(mine, theirs, strict=True):
            np.testing.assert_array_equal(a, b)
    # Messages of length 0 have no normalizer, as in Rasa's.
    assert ours[0][0][0] == 0


def _cond_ops_in_crf_loss_trace() -> int:
    from rasa.utils.tensorflow.crf import crf_log_likelihood

    transitions = tf.Variable(tf.ones((3, 3)))

    @tf.function
    def step(inputs, tags, lengths):
        with tf.GradientTape() as tape:
            log_likelihood, _ = crf_log_likelihood(inputs, tags, lengths, transitions)
        return tape.gradient(log_likelihood, transitions)

    graph = step.get_concrete_function(
        tf.TensorSpec([None, None, 3]),
        tf.TensorSpec([None, None], tf.int32),
        tf.TensorSpec([None], tf.int32),
    ).graph
    return sum(op.type in ("If", "StatelessIf") for op in graph.get_operations())


def test_the_crf_loss_is_traced_without_cond_only_with_the_patch():
    from rasa.utils.tensorflow import crf

    assert _cond_ops_in_crf_loss_trace() > 0
    model_training.install()
    try:
        assert crf.crf_log_norm is model_training.crf_log_norm_without_cond
        assert _cond_ops_in_crf_loss_trace() == 0
    finally:
        model_training.uninstall()
    assert crf.crf_log_norm is model_training._CRF_LOG_NORM
    assert crf.crf_sequence_score is model_training._CRF_SEQUENCE_SCORE
