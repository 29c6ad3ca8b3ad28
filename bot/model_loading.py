"""Loading DIET and TED for serving without tracing their training step.

`RasaModel.load` (Rasa 3.6) builds a model's variables by *training it for one step*
(`model.fit` on one example), then overwrites them with the saved weights. The fit traces
the whole training graph, gradients of the entity CRF included: cProfile of
`Agent.load("models/iclei.tar.gz")` put 46 of its 55 s in those two `fit` calls, once per
Sanic worker at every start. A server never trains, so `install()` builds the variables
with one eager prediction instead, restores the saved weights over them (the optimizer's
saved slots are left unread), and traces the prediction step once, as Rasa does.

Fine-tuning (`rasa train --finetune`) and a model without a prediction example keep Rasa's
own path. tests/nlu_components/test_model_loading.py checks that both paths give the same
weights and the same predictions on the trained model.
"""

from __future__ import annotations

from typing import Any

from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

_ORIGINAL_LOAD = RasaModel.load.__func__  # type: ignore[attr-defined]


def load_for_inference(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: RasaModelData | None = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """`RasaModel.load`, building the variables by prediction instead of a training step."""
    if finetune_mode or not predict_data_example:
        return _ORIGINAL_LOAD(
            cls,
            model_file_name,
            model_data_example,
            predict_data_example,
            finetune_mode,
            *args,
            **kwargs,
        )
    model = cls(*args, **kwargs)
    batch = next(iter(RasaBatchDataGenerator(predict_data_example, batch_size=1)))[0]
    model.predict_step(batch)  # eager: creates every variable prediction uses, no tracing
    model.load_weights(model_file_name).expect_partial()  # optimizer slots: not needed
    # The eager call cached label embeddings computed from the random initial weights.
    model.prepared_for_prediction = False
    model.run_inference(predict_data_example)  # traces the prediction step, as Rasa does
    return model


def install() -> None:
    """Replace `RasaModel.load` (idempotent)."""
    if getattr(RasaModel.load, "__func__", None) is not load_for_inference:
        RasaModel.load = classmethod(load_for_inference)  # type: ignore[method-assign,assignment]


def uninstall() -> None:
    """Put Rasa's own `RasaModel.load` back (for tests that compare both)."""
    RasaModel.load = classmethod(_ORIGINAL_LOAD)  # type: ignore[method-assign,assignment]
