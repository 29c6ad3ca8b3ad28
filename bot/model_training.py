"""Training DIET and TED with one trace of their training step instead of two.

Rasa 3.6 creates a model's variables inside its first training step. A `tf.function` that
creates variables on its first call is traced a second time, to get a function that may
not create them (TensorFlow's rule for variables in functions), and the training step is
the most expensive graph to trace: the entity CRF's gradients alone take about 10 s. So
`install()` creates the variables before `fit`: one eager forward pass over the first
batch builds every layer it runs, tracing that pass (without running it) builds the
layers of the `tf.cond` branches it did not take, and the optimizer builds its slots for
the trainable variables. The training step is then traced once. The trace matters for
TED, which chooses branches by the batch (one without text or slot features takes the
"fake features" branch): a layer first built inside the training step is unknown to the
optimizer, a KeyError when Rasa's fine-tuning loaded TED from a one-example batch.

The initial weights come from the same seeded initializers, drawn eagerly instead of in
the training graph, so a model trained with the patch is not bit-identical to one trained
without; both are reproducible. `python -m bot train` installs it (bot/ops/rasa_commands.py).

It also switches tf.data's autotuning off for the batches Keras reads from Rasa's data
generator. The pipeline has nothing to tune (one generator, a fixed prefetch of one
batch), but autotuning runs a thread of its own, and at the end of DIET's `fit` deleting
the iterator sometimes waited 46-57 s to join that thread (4 of 10 trainings from scratch
in fresh clones): py-spy caught the main thread in `RootDataset::Iterator::~Iterator`
joining it.

DIET's batches are cut from the epoch's examples sorted by length (`length_bucketed`). Rasa
cuts them in shuffled order and pads every batch to its longest message: our messages are
5 tokens on average and up to 24, so 60 % of what DIET's transformer and CRF computed was
padding (46,672 padded token positions per epoch, 16,256 when sorted). Every example is
still seen once per epoch (more for rare intents, Rasa's balancing), the order of the
batches is shuffled by the same seeded generator, and a message's batch-mates change from
epoch to epoch with the shuffle that breaks ties between equal lengths.

Last, a training step no longer runs the entity CRF's decoding (`entity_loss_without_decoding`).
Rasa decodes there only for the entity F1 it prints in the progress bar; nothing is
differentiated through it. The printed F1 now comes from each token's best tag, and the
trained weights are the same to the bit (every variable compared on our model); the step
traces and runs the two `while` loops of Viterbi decoding less (about 1 s of the first
epoch, then a little each epoch). Prediction decodes as before.

And a batch's sparse features become TensorFlow's (indices, values, shape) by one
concatenation per array over the batch (`sparse_batch_values`) instead of Rasa's three
small arrays stacked per message: the same arrays, but Rasa's way was the largest piece of
Python left in DIET's training (about 9 s over 40 epochs in py-spy, in the thread that
feeds the steps, beside TensorFlow's own two threads on a two-core machine).

The entity CRF's loss (`rasa.utils.tensorflow.crf`) chooses by `tf.cond` between a path for
batches of one-token messages and the general one. Under the training step's gradient tape
TensorFlow builds each `tf.cond` branch as a function with its own forward and backward
graphs, and the general branch holds the forward algorithm's `while` loop: about 4 s of
every trace of DIET's training step (py-spy). The general path alone gives the same values
and gradients to the bit for one-token batches too (`crf_log_norm_without_cond`,
`crf_sequence_score_without_cond`; tests/ops/test_model_training.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
import tensorflow as tf
from keras.engine import data_adapter
from rasa.shared.nlu.constants import TEXT
from rasa.utils.tensorflow import crf
from rasa.utils.tensorflow.constants import SEQUENCE_LENGTH
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator, RasaDataGenerator
from rasa.utils.tensorflow.model_data import Data, FeatureArray
from rasa.utils.tensorflow.models import RasaModel, TransformerRasaModel


def build_training_variables(model: RasaModel, data: RasaDataGenerator) -> None:
    """Create every variable one training step of `model` uses, eagerly, without training."""
    batch = data[0][0]
    model._training = True  # what `train_step` sets: dropout and the training-only losses
    try:
        model.batch_loss(batch)
        # An eager pass builds the `tf.cond` branches it takes; tracing builds the others.
        tf.function(model.batch_loss).get_concrete_function(batch)
    finally:
        model._training = None
    model.optimizer.build(model.trainable_variables)
    # The eager pass counted towards the metrics; fit resets them per epoch anyway.
    model.reset_metrics()


def fit_with_built_variables(self: RasaModel, x: Any = None, *args: Any, **kwargs: Any) -> Any:
    """`Model.fit`, with the variables created before the training step is traced."""
    # Only a model without variables: Rasa's fine-tuning load has built them already.
    if isinstance(x, RasaDataGenerator) and len(x) and not self.trainable_variables:
        build_training_variables(self, x)
    return tf.keras.Model.fit(self, x, *args, **kwargs)


_SEQUENCE_DATASET = data_adapter.KerasSequenceAdapter.get_dataset


def dataset_without_autotuning(self: data_adapter.KerasSequenceAdapter) -> tf.data.Dataset:
    """The dataset Keras reads a `Sequence` through, without tf.data's autotuning thread."""
    options = tf.data.Options()
    options.autotune.enabled = False
    return _SEQUENCE_DATASET(self).with_options(options)


_SHUFFLE_AND_BALANCE = RasaBatchDataGenerator._shuffle_and_balance


def message_lengths(data: Data) -> np.ndarray | None:
    """Each example's token count, for an intent/entity model's data (DIET); None for data
    without one length per example (TED's dialogues)."""
    lengths = data.get(TEXT, {}).get(SEQUENCE_LENGTH)
    if not lengths or lengths[0].number_of_dimensions != 1:
        return None
    return np.asarray(lengths[0], dtype=np.int64)


def length_bucketed(self: RasaBatchDataGenerator, batch_size: int) -> Data:
    """Rasa's shuffled (and balanced) epoch, reordered so each batch holds messages of
    similar length and the batches come in random order."""
    data = _SHUFFLE_AND_BALANCE(self, batch_size)
    lengths = message_lengths(data) if self.shuffle else None
    if lengths is None or len(lengths) <= batch_size:
        return data
    # Stable: equal lengths keep the shuffled order, so batch-mates change every epoch.
    by_length = np.argsort(lengths, kind="stable")
    batches = [by_length[i : i + batch_size] for i in range(0, len(by_length), batch_size)]
    order = np.random.permutation(len(batches))
    ids = np.concatenate([batches[i] for i in order])
    return self.model_data._data_for_ids(data, ids)


_ENTITY_LOSS = TransformerRasaModel._calculate_entity_loss


def entity_loss_without_decoding(
    self: TransformerRasaModel,
    inputs: tf.Tensor,
    tag_ids: tf.Tensor,
    mask: tf.Tensor,
    sequence_lengths: tf.Tensor,
    tag_name: str,
    entity_tags: tf.Tensor | None = None,
) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
    """Rasa's entity loss, its training F1 read from each token's best tag instead of the
    CRF's Viterbi decoding (Rasa's own code otherwise, and wherever the CRF is unbuilt)."""
    crf = self._tf_layers[f"crf.{tag_name}"]
    if not (self._training and crf.built):
        # Rasa calls the CRF first to build its transitions; prediction decodes.
        return _ENTITY_LOSS(self, inputs, tag_ids, mask, sequence_lengths, tag_name, entity_tags)
    tag_ids = tf.cast(tag_ids[:, :, 0], tf.int32)
    if entity_tags is not None:
        tags = self._tf_layers[f"embed.{tag_name}.tags"](entity_tags)
        inputs = tf.concat([inputs, tags], axis=-1)
    logits = self._tf_layers[f"embed.{tag_name}.logits"](inputs)
    best = tf.argmax(logits, axis=-1, output_type=tf.int32)
    best *= tf.sequence_mask(sequence_lengths, maxlen=tf.shape(best)[1], dtype=tf.int32)
    loss = crf.loss(logits, tag_ids, sequence_lengths)
    return loss, crf.f1_score(tag_ids, best, mask), logits


_SPARSE_VALUES = RasaDataGenerator._scipy_matrix_to_values


def sparse_batch_values(array_of_sparse: FeatureArray) -> list[np.ndarray]:
    """Rasa's `_scipy_matrix_to_values` for a batch of messages (a 3-D feature array): the
    indices, values and shape of one sparse tensor, in Rasa's order. Dialogues (4-D, TED)
    keep Rasa's own."""
    if array_of_sparse.number_of_dimensions == 4:
        return _SPARSE_VALUES(array_of_sparse)
    matrices = list(array_of_sparse)
    if not isinstance(matrices[0], scipy.sparse.coo_matrix):
        matrices = [x.tocoo() for x in matrices]
    counts = np.fromiter((x.nnz for x in matrices), dtype=np.int64, count=len(matrices))
    indices = np.empty((int(counts.sum()), 3), dtype=np.int64)
    indices[:, 0] = np.repeat(np.arange(len(matrices), dtype=np.int64), counts)
    indices[:, 1] = np.concatenate([x.row for x in matrices])
    indices[:, 2] = np.concatenate([x.col for x in matrices])
    values = np.concatenate([x.data for x in matrices]).astype(np.float32)
    shape = (len(matrices), max(x.shape[0] for x in matrices), matrices[0].shape[-1])
    return [indices, values, np.array(shape, dtype=np.int64)]


_CRF_LOG_NORM = crf.crf_log_norm
_CRF_SEQUENCE_SCORE = crf.crf_sequence_score


def crf_log_norm_without_cond(
    inputs: tf.Tensor, sequence_lengths: tf.Tensor, transition_params: tf.Tensor
) -> tf.Tensor:
    """Rasa's `crf_log_norm` by its general path only. One zero step is appended so the
    forward scan has a step even for one-token batches; its alphas are never read (each
    message's are taken at its own last token)."""
    sequence_lengths = tf.cast(sequence_lengths, dtype=tf.int32)
    inputs = tf.pad(inputs, [[0, 0], [0, 1], [0, 0]])
    first_input = tf.squeeze(tf.slice(inputs, [0, 0, 0], [-1, 1, -1]), [1])
    rest_of_input = tf.slice(inputs, [0, 1, 0], [-1, -1, -1])
    alphas = crf.crf_forward(rest_of_input, first_input, transition_params, sequence_lengths)
    log_norm = tf.reduce_logsumexp(alphas, [1])
    return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(log_norm), log_norm)


def crf_sequence_score_without_cond(
    inputs: tf.Tensor,
    tag_indices: tf.Tensor,
    sequence_lengths: tf.Tensor,
    transition_params: tf.Tensor,
) -> tf.Tensor:
    """Rasa's `crf_sequence_score` by its general path only: for one-token messages the
    binary score is a sum over no transitions, and the unary score is the single tag's."""
    tag_indices = tf.cast(tag_indices, dtype=tf.int32)
    sequence_lengths = tf.cast(sequence_lengths, dtype=tf.int32)
    unary = crf.crf_unary_score(tag_indices, sequence_lengths, inputs)
    return unary + crf.crf_binary_score(tag_indices, sequence_lengths, transition_params)


def install() -> None:
    """Give `RasaModel` the fit above, DIET length-sorted batches, Keras's `Sequence`
    datasets no autotuning, training steps no CRF decoding, batches their sparse features
    by concatenation, and the CRF's loss no `tf.cond` (idempotent)."""
    RasaModel.fit = fit_with_built_variables  # type: ignore[method-assign]
    RasaBatchDataGenerator._shuffle_and_balance = length_bucketed  # type: ignore[method-assign]
    data_adapter.KerasSequenceAdapter.get_dataset = dataset_without_autotuning  # type: ignore[method-assign]
    TransformerRasaModel._calculate_entity_loss = entity_loss_without_decoding  # type: ignore[method-assign]
    RasaDataGenerator._scipy_matrix_to_values = staticmethod(sparse_batch_values)  # type: ignore[method-assign,assignment]
    crf.crf_log_norm = crf_log_norm_without_cond
    crf.crf_sequence_score = crf_sequence_score_without_cond


def uninstall() -> None:
    """Put Keras's own `fit` and datasets back (for tests that compare both)."""
    if "fit" in vars(RasaModel):
        del RasaModel.fit
    RasaBatchDataGenerator._shuffle_and_balance = _SHUFFLE_AND_BALANCE  # type: ignore[method-assign]
    data_adapter.KerasSequenceAdapter.get_dataset = _SEQUENCE_DATASET  # type: ignore[method-assign]
    TransformerRasaModel._calculate_entity_loss = _ENTITY_LOSS  # type: ignore[method-assign]
    RasaDataGenerator._scipy_matrix_to_values = staticmethod(_SPARSE_VALUES)  # type: ignore[method-assign,assignment]
    crf.crf_log_norm = _CRF_LOG_NORM
    crf.crf_sequence_score = _CRF_SEQUENCE_SCORE
