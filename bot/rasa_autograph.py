"""Rasa's TensorFlow code traced as it is written, without AutoGraph's rewrite.

When TensorFlow traces a `tf.function` (DIET's and TED's training and prediction steps),
AutoGraph first rewrites every Python function the step calls that is not TensorFlow's
own: it reads the function's source, transforms its syntax tree and compiles the result,
so that an `if` or a `while` on a tensor becomes graph control flow. Rasa 3.6's layers and
models write their control flow with `tf.cond`, `tf.scan` and `tf.while_loop` themselves,
so the rewrite leaves the graph as it was and costs only time: about 6 of the 14 s py-spy
saw in tracing DIET's steps went to transforming source (`transpiler.transform`), and
DIET's first epoch took 9 s instead of 13 s without it. The trained weights are the same
to the bit (DIET's checkpoint files compared after training both ways from scratch).

`install()` puts Rasa's package on AutoGraph's list of modules whose functions it calls
unconverted, the list TensorFlow keeps for itself. Should a later Rasa put a Python `if`
on a tensor, tracing fails loudly ("using a `tf.Tensor` as a Python `bool`"), it does not
change meaning. Our own functions (bot/model_training.py) are still converted.
"""

from __future__ import annotations

from tensorflow.python.autograph.core import config, config_lib

_RASA = config_lib.DoNotConvert("rasa")


def install() -> None:
    """Let AutoGraph call Rasa's functions unconverted (idempotent)."""
    if _RASA not in config.CONVERSION_RULES:
        config.CONVERSION_RULES = (_RASA, *config.CONVERSION_RULES)


def uninstall() -> None:
    """AutoGraph's own rules again (for tests)."""
    config.CONVERSION_RULES = tuple(r for r in config.CONVERSION_RULES if r is not _RASA)
