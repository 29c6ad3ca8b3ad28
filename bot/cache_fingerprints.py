"""Rasa's training-cache fingerprints of messages and sparse features, computed once each.

Rasa's training cache keys a node's output by its fingerprint, so after every NLU node
(tokenizer, each featurizer) every training message is fingerprinted again: its data, with
one JSON-and-MD5 fingerprint per token, and its features, each sparse matrix first printed
as text, one line per entry. py-spy put about 3.3 s of a retrain after an NLU change there
(2,712 messages, five nodes), although a featurizer only adds features: a message's data is
the same before and after it. So a message keeps the fingerprint of its data until the data
changes (`Message.set`, `add_diagnostic_data`, the only two methods that write it), and a
sparse matrix is hashed from its index and value arrays instead of its printout. Setting a
property to the string or number it already holds changes nothing: Rasa's `TrainingData`
sets every example's intent again (stripped) each time training data is merged, which
made every merge fingerprint every message again (about 0.6 s of each training, py-spy).

A message's fingerprint is Rasa's own, value for value, given the features' fingerprints.
Those of sparse features differ from Rasa's printout hash but, like it, change with any
entry, shape or type; they only key the training cache, which `python -m bot train` keeps
per version of the training code.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.utils.io import deep_container_fingerprint, get_text_hash

_FEATURES_FINGERPRINT = Features.fingerprint
_MESSAGE_FINGERPRINT = Message.fingerprint
_MESSAGE_SET = Message.set
_MESSAGE_DIAGNOSTIC = Message.add_diagnostic_data
_DATA = "_data_fingerprint"


def message_fingerprint(self: Message) -> str:
    """Rasa's `Message.fingerprint`, its data's part kept while the data is unchanged."""
    if self._cached_fingerprint is None:
        data = self.__dict__.get(_DATA)
        if data is None:
            data = self.__dict__[_DATA] = deep_container_fingerprint(self.data)
        # Rasa's deep_container_fingerprint([data, features]), its first element known.
        features = deep_container_fingerprint(self.features)
        self._cached_fingerprint = get_text_hash(json.dumps([data, features]))
    return self._cached_fingerprint


_IMMUTABLE = (str, int, float, bool, type(None))


def message_set(self: Message, prop: str, info: Any, add_to_output: bool = False) -> None:
    """Rasa's `Message.set`; the fingerprint kept when the value is the immutable one the
    message already holds (a mutable one may have been changed in place before)."""
    if (
        isinstance(info, _IMMUTABLE)
        and prop in self.data
        and type(self.data[prop]) is type(info)
        and self.data[prop] == info
    ):
        if add_to_output:
            self.output_properties.add(prop)
        return
    self.__dict__.pop(_DATA, None)
    _MESSAGE_SET(self, prop, info, add_to_output)


def message_diagnostic_data(self: Message, *args: Any, **kwargs: Any) -> None:
    self.__dict__.pop(_DATA, None)
    _MESSAGE_DIAGNOSTIC(self, *args, **kwargs)


def sparse_matrix_digest(matrix: scipy.sparse.spmatrix) -> str:
    """A digest of a sparse matrix's shape, type and entries (in COO order)."""
    coo = matrix.tocoo()
    digest = hashlib.sha256()
    digest.update(repr((coo.shape, str(coo.dtype))).encode())
    for array in (coo.row, coo.col, coo.data):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def features_fingerprint(self: Features) -> str:
    """`Features.fingerprint` with a sparse matrix hashed from its arrays."""
    if self._cached_fingerprint is None and not self.is_dense():
        self._cached_fingerprint = deep_container_fingerprint(
            [self.type, self.origin, self.attribute, sparse_matrix_digest(self.features)]
        )
    if self._cached_fingerprint is None:
        return _FEATURES_FINGERPRINT(self)
    return self._cached_fingerprint


def install() -> None:
    """Messages keep their data's fingerprint; sparse features are hashed from their
    arrays (idempotent)."""
    Message.fingerprint = message_fingerprint  # type: ignore[method-assign]
    Message.set = message_set  # type: ignore[method-assign]
    Message.add_diagnostic_data = message_diagnostic_data  # type: ignore[method-assign]
    Features.fingerprint = features_fingerprint  # type: ignore[method-assign]


def uninstall() -> None:
    """Rasa's own fingerprints again (for tests that compare both)."""
    Message.fingerprint = _MESSAGE_FINGERPRINT  # type: ignore[method-assign]
    Message.set = _MESSAGE_SET  # type: ignore[method-assign]
    Message.add_diagnostic_data = _MESSAGE_DIAGNOSTIC  # type: ignore[method-assign]
    Features.fingerprint = _FEATURES_FINGERPRINT  # type: ignore[method-assign]
