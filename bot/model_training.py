"""Training DIET and TED with one trace of their training step instead of two.

Rasa 3.6 creates a model's variables inside its first training step. A `tf.function` that
creates variables on its first call is traced a second time, to get a function that may
not create them (TensorFlow's rule for variables in functions), and the training step is
the most expensive graph to trace: the entity CRF's gradients alone take about 10 s. So
`install()` creates the variables before `fit`: one eager forward pass over the first
batch builds every layer, and the optimizer builds its slots for the trainable variables.
The training step is then traced once.

The initial weights come from the same seeded initializers, drawn eagerly instead of in
a graph, so a model trained with the patch is not bit-identical to one trained without;
both are reproducible. `python -m bot train` installs it (bot/ops/rasa_commands.py).
"""

from __future__ import annotations

from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.data_generator import RasaDataGenerator
from rasa.utils.tensorflow.models import RasaModel


def build_training_variables(model: RasaModel, data: RasaDataGenerator) -> None:
    """Create every variable one training step of `model` uses, eagerly, without training."""
    batch = data[0][0]
    model._training = True  # what `train_step` sets: dropout and the training-only losses
    try:
        model.batch_loss(batch)
    finally:
        model._training = None
    model.optimizer.build(model.trainable_variables)
    # The forward pass counted towards the metrics; fit resets them per epoch anyway.
    model.reset_metrics()


def fit_with_built_variables(self: RasaModel, x: Any = None, *args: Any, **kwargs: Any) -> Any:
    """`Model.fit`, with the variables created before the training step is traced."""
    if isinstance(x, RasaDataGenerator) and len(x) and not self.built_for_training:
        build_training_variables(self, x)
        self.built_for_training = True
    return tf.keras.Model.fit(self, x, *args, **kwargs)


def install() -> None:
    """Give `RasaModel` the fit above (idempotent)."""
    RasaModel.fit = fit_with_built_variables  # type: ignore[method-assign]
    RasaModel.built_for_training = False  # type: ignore[attr-defined]


def uninstall() -> None:
    """Put Keras's own `fit` back (for tests that compare both)."""
    if "fit" in vars(RasaModel):
        del RasaModel.fit
