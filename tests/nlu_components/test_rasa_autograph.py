"""Rasa's TensorFlow functions are traced unconverted by AutoGraph, ours still converted."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest
import tensorflow as tf
from rasa.utils.tensorflow import crf
from rasa.utils.tensorflow.layers import DenseForSparse
from tensorflow.python.autograph.impl import conversion

from bot import model_training, rasa_autograph


@pytest.fixture
def unconverted():
    rasa_autograph.install()
    yield
    rasa_autograph.uninstall()


def test_only_rasas_functions_skip_the_rewrite(unconverted):
    assert conversion.is_allowlisted(crf.crf_log_norm)
    assert conversion.is_allowlisted(DenseForSparse.call)
    assert not conversion.is_allowlisted(model_training.entity_loss_without_decoding)


def test_install_is_idempotent_and_uninstall_restores_autographs_rules():
    from tensorflow.python.autograph.core import config

    before = tuple(config.CONVERSION_RULES)
    rasa_autograph.install()
    rasa_autograph.install()
    assert len(config.CONVERSION_RULES) == len(before) + 1
    rasa_autograph.uninstall()
    assert tuple(config.CONVERSION_RULES) == before
    assert not conversion.is_allowlisted(crf.crf_log_norm)


def test_a_traced_rasa_function_computes_what_it_computes_eagerly(unconverted):
    """The CRF's normaliser (tf.cond around tf.scan) traced without the rewrite, with its
    gradient: the same as eager execution, for batches longer than one token and of one."""
    rng = np.random.default_rng(3)
    transitions = tf.Variable(rng.normal(size=(4, 4)).astype("float32"))

    def log_norm_and_gradient(inputs, lengths):
        with tf.GradientTape() as tape:
            value = tf.reduce_sum(crf.crf_log_norm(inputs, lengths, transitions))
        return value, tape.gradient(
            value, transitions, unconnected_gradients=tf.UnconnectedGradients.ZERO
        )

    traced = tf.function(log_norm_and_gradient)
    for steps in (5, 1):
        inputs = tf.constant(rng.normal(size=(3, steps, 4)).astype("float32"))
        lengths = tf.constant([steps, max(steps - 2, 1), 1])
        eager_value, eager_grad = log_norm_and_gradient(inputs, lengths)
        traced_value, traced_grad = traced(inputs, lengths)
        np.testing.assert_allclose(traced_value, eager_value, rtol=1e-5)
        np.testing.assert_allclose(traced_grad, eager_grad, rtol=1e-5, atol=1e-6)


def _module_named_like_rasas(tmp_path, monkeypatch):
    """A module `rasa.autograph_probe` with a Python `if` on a tensor, loaded from a file so
    AutoGraph can read its source."""
    path = tmp_path / "autograph_probe.py"
    path.write_text("def absolute(x):\n    if x > 0:\n        return x\n    return -x\n")
    spec = importlib.util.spec_from_file_location("rasa.autograph_probe", path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "rasa.autograph_probe", module)
    spec.loader.exec_module(module)
    return module


def test_a_python_branch_on_a_tensor_fails_loudly_instead_of_changing_meaning(
    tmp_path, monkeypatch
):
    """What a Rasa function relying on the rewrite would meet: an error at trace time."""
    probe = _module_named_like_rasas(tmp_path, monkeypatch)

    def step(x):  # a step of ours calling Rasa, as Keras's train function calls train_step
        return probe.absolute(x)

    assert tf.function(step)(tf.constant(-2.0)).numpy() == 2.0  # converted: a tf.cond
    rasa_autograph.install()
    try:
        with pytest.raises(TypeError, match="bool"):
            tf.function(step)(tf.constant(-2.0))
    finally:
        rasa_autograph.uninstall()
