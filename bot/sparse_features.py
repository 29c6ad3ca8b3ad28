"""A message's sparse features joined side by side without `scipy.sparse.hstack`.

DIET reads a message's features from each featurizer joined into one matrix per attribute
and level (`Features._combine_sparse_features`, once per featurizer after the first).
Rasa joins them with `scipy.sparse.hstack`, whose general path costs about 100 µs for the
few-row matrices of one message: about 3 s of preparing DIET's training data (2,711
examples, four featurizers, sequence and sentence features; py-spy), and a little of every
prediction. Our featurizers all make COO matrices, and two COO matrices side by side are
their entries one after the other, the second's columns shifted: `install()` joins them so,
exactly as `hstack` does for COO blocks (same order, value and index types), all of a
message's at once. Any other pair keeps Rasa's join.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse._sputils import get_index_dtype, upcast

_COMBINE = Features._combine_sparse_features
_COMBINE_MESSAGE_FEATURES = Message._combine_features


def side_by_side(*matrices: scipy.sparse.coo_matrix) -> scipy.sparse.coo_matrix:
    """`scipy.sparse.hstack(matrices)` for COO matrices with the same rows."""
    shape = (matrices[0].shape[0], sum(m.shape[1] for m in matrices))
    index = get_index_dtype(maxval=max(shape))
    offsets = np.cumsum([0] + [m.shape[1] for m in matrices[:-1]])
    data = np.concatenate([m.data for m in matrices]).astype(upcast(*(m.dtype for m in matrices)))
    row = np.concatenate([m.row for m in matrices]).astype(index)
    col = np.concatenate([m.col + int(o) for m, o in zip(matrices, offsets, strict=True)])
    return scipy.sparse.coo_matrix((data, (row, col.astype(index))), shape=shape)


def joinable(matrices: list[Any]) -> bool:
    """Whether `side_by_side` joins these: COO matrices, all with the same rows."""
    rows = matrices[0].shape[0]
    return all(type(m) is scipy.sparse.coo_matrix and m.shape[0] == rows for m in matrices)


def combine_sparse_features(self: Features, additional_features: Features) -> None:
    """Rasa's `Features._combine_sparse_features`, COO pairs joined by `side_by_side`."""
    left, right = self.features, additional_features.features
    if not joinable([left, right]):
        return _COMBINE(self, additional_features)  # Rasa's join, and its error on bad rows
    self.features = side_by_side(left, right)
    self._cached_fingerprint = None


def combine_features(features: list[Features], featurizers: list[str]) -> Features | None:
    """Rasa's `Message._combine_features`: COO features with the same rows joined in one
    step (about 0.6 s of preparing DIET's data over joining them pair by pair, py-spy);
    otherwise the first copied as a new object around a copy of its matrix, not by
    `copy.deepcopy` (about 0.8 s, py-spy), and the others joined to it one by one."""
    matrices = [f.features for f in features]
    if len(matrices) > 1 and joinable(matrices):
        return Features(
            side_by_side(*matrices), features[0].type, features[0].attribute, featurizers
        )
    combined = None
    for f in features:
        if combined is None:
            combined = Features(f.features.copy(), f.type, f.attribute, featurizers)
        else:
            combined.combine_with_features(f)
    return combined


def install() -> None:
    """Join COO features with `side_by_side` (idempotent)."""
    Features._combine_sparse_features = combine_sparse_features  # type: ignore[method-assign]
    Message._combine_features = staticmethod(combine_features)  # type: ignore[method-assign,assignment]


def uninstall() -> None:
    """Rasa's own join again (for tests)."""
    Features._combine_sparse_features = _COMBINE  # type: ignore[method-assign]
    Message._combine_features = staticmethod(_COMBINE_MESSAGE_FEATURES)  # type: ignore[method-assign,assignment]
