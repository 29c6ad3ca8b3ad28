"""A message's COO features joined side by side are what `scipy.sparse.hstack` makes."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features

from bot import sparse_features


def _features(matrix, origin: str) -> Features:
    return Features(matrix, "sequence", "text", origin)


@pytest.fixture
def joined_side_by_side():
    sparse_features.install()
    yield
    sparse_features.uninstall()


@pytest.mark.parametrize(
    "left_type, right_type",
    [("float64", "float64"), ("int64", "float64"), ("float32", "float64"), ("int64", "int64")],
)
@pytest.mark.parametrize("rows", [1, 4])
def test_side_by_side_is_hstack_for_coo_matrices(left_type, right_type, rows):
    left = scipy.sparse.random(rows, 9, 0.3, "coo", left_type, random_state=1)
    right = scipy.sparse.random(rows, 5, 0.3, "coo", right_type, random_state=2)
    ours, scipys = sparse_features.side_by_side(left, right), scipy.sparse.hstack([left, right])
    assert type(ours) is type(scipys) and ours.shape == scipys.shape
    for name in ("row", "col", "data"):
        mine, theirs = getattr(ours, name), getattr(scipys, name)
        assert mine.dtype == theirs.dtype
        np.testing.assert_array_equal(mine, theirs)


def test_a_message_with_an_empty_feature_matrix_joins_too():
    left = scipy.sparse.coo_matrix((3, 4))
    right = scipy.sparse.random(3, 2, 0.5, "coo", random_state=3)
    ours = sparse_features.side_by_side(left, right)
    np.testing.assert_array_equal(ours.toarray(), scipy.sparse.hstack([left, right]).toarray())


def test_rasas_join_uses_side_by_side_for_coo_and_its_own_otherwise(joined_side_by_side):
    coo = _features(scipy.sparse.random(2, 3, 0.5, "coo", random_state=4), "a")
    coo.combine_with_features(_features(scipy.sparse.random(2, 2, 0.5, "coo", random_state=5), "b"))
    assert isinstance(coo.features, scipy.sparse.coo_matrix) and coo.features.shape == (2, 5)
    csr = _features(scipy.sparse.random(2, 3, 0.5, "csr", random_state=4), "a")
    csr.combine_with_features(_features(scipy.sparse.random(2, 2, 0.5, "csr", random_state=5), "b"))
    assert isinstance(csr.features, scipy.sparse.csr_matrix)  # what hstack makes of two CSR
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        coo.combine_with_features(_features(scipy.sparse.coo_matrix((3, 1)), "c"))


def test_the_joined_features_get_a_new_fingerprint(joined_side_by_side):
    features = _features(scipy.sparse.coo_matrix(np.eye(2)), "a")
    before = features.fingerprint()
    features.combine_with_features(_features(scipy.sparse.coo_matrix(np.ones((2, 1))), "b"))
    assert features.fingerprint() != before


def test_install_is_idempotent_and_uninstall_restores_rasas_join():
    sparse_features.install()
    sparse_features.install()
    assert Features._combine_sparse_features is sparse_features.combine_sparse_features
    sparse_features.uninstall()
    assert Features._combine_sparse_features is sparse_features._COMBINE


def test_a_messages_combined_features_are_rasas(joined_side_by_side):
    from rasa.shared.nlu.training_data.message import Message

    parts = [
        _features(scipy.sparse.random(3, 4, 0.5, "coo", random_state=6), "a"),
        _features(scipy.sparse.random(3, 2, 0.5, "coo", random_state=7), "b"),
    ]
    ours = Message._combine_features(parts, ["a", "b"])
    sparse_features.uninstall()
    try:
        rasas = Message._combine_features(parts, ["a", "b"])
    finally:
        sparse_features.install()
    assert (ours.type, ours.attribute, ours.origin) == (rasas.type, rasas.attribute, rasas.origin)
    np.testing.assert_array_equal(ours.features.toarray(), rasas.features.toarray())
    assert ours.features is not parts[0].features and parts[0].features.shape == (3, 4)
    assert Message._combine_features([], ["a"]) is None


@pytest.mark.parametrize("types", [("int64", "float64", "float32"), ("float32",) * 4])
def test_side_by_side_joins_any_number_of_matrices_as_hstack(types):
    matrices = [
        scipy.sparse.random(3, 2 + i, 0.4, "coo", t, random_state=10 + i)
        for i, t in enumerate(types)
    ]
    ours, scipys = sparse_features.side_by_side(*matrices), scipy.sparse.hstack(matrices)
    assert ours.shape == scipys.shape
    for name in ("row", "col", "data"):
        mine, theirs = getattr(ours, name), getattr(scipys, name)
        assert mine.dtype == theirs.dtype
        np.testing.assert_array_equal(mine, theirs)


def test_three_features_are_joined_in_one_step_and_others_one_by_one(joined_side_by_side):
    from rasa.shared.nlu.training_data.message import Message

    coo = [scipy.sparse.random(3, 2 + i, 0.5, "coo", random_state=20 + i) for i in range(3)]
    parts = [_features(m, name) for m, name in zip(coo, "abc", strict=True)]
    joined = Message._combine_features(parts, ["a", "b", "c"])
    np.testing.assert_array_equal(joined.features.toarray(), scipy.sparse.hstack(coo).toarray())
    assert joined.origin == ["a", "b", "c"] and isinstance(joined.features, scipy.sparse.coo_matrix)
    mixed = [parts[0], _features(coo[1].tocsr(), "b")]
    joined = Message._combine_features(mixed, ["a", "b"])
    np.testing.assert_array_equal(joined.features.toarray(), scipy.sparse.hstack(coo[:2]).toarray())
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        Message._combine_features([parts[0], _features(scipy.sparse.coo_matrix((2, 1)), "d")], [])
