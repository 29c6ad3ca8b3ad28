"""Training patches that must not change what Rasa computes: batched count vectors,
fingerprints for the training cache, YAML parsed once, the model archive's compression."""

from __future__ import annotations

import copy
import gzip
import tarfile
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.exceptions import YamlException
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils import io as rasa_io
from rasa.shared.utils import validation as rasa_validation

from bot import batched_count_vectors, cache_fingerprints, model_packaging, yaml_cache
from bot.nlu.japanese_tokenizer import JapaneseTokenizer

TEXTS = [
    ("What's ICLEI?", "what_is_iclei"),
    ("where is the Tokyo office", "ask_office"),
    ("東京事務所の住所を教えてください", "ask_office"),
    ("ICLEIとは何ですか", "what_is_iclei"),
    ("👍", "affirm"),
    ("ok", "affirm"),
    ("Bonn? ボンの事務所は", "ask_office"),
]


def _messages() -> list[Message]:
    data = TrainingData([Message.build(text, intent) for text, intent in TEXTS])
    JapaneseTokenizer(JapaneseTokenizer.get_default_config()).process_training_data(data)
    return data.training_examples


def _featurizer(tmp_path: Path, **config) -> CountVectorsFeaturizer:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    featurizer = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), **config}, storage, Resource("cv"), context
    )
    featurizer.train(TrainingData(_messages()))
    return featurizer


def _as_tuples(message: Message) -> list[tuple]:
    rows = []
    for f in message.features:
        m = f.features
        rows.append(
            (f.type, f.attribute, f.origin, type(m), m.shape, m.dtype, m.row.dtype, m.col.dtype)
        )
        rows.append((m.row.tolist(), m.col.tolist(), m.data.tolist()))
    return rows


@pytest.mark.parametrize(
    "config", [{}, {"analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4}], ids=["words", "chars"]
)
def test_batched_count_vectors_make_rasas_features(tmp_path, config):
    featurizer = _featurizer(tmp_path, **config)
    rasas, ours = _messages(), _messages()
    featurizer.process(rasas)
    batched_count_vectors.install()
    try:
        featurizer.process(ours)
        single = _messages()[:1]
        featurizer.process(single)  # one message: Rasa's own path
    finally:
        batched_count_vectors.uninstall()
    assert [_as_tuples(m) for m in ours] == [_as_tuples(m) for m in rasas]
    assert _as_tuples(single[0]) == _as_tuples(rasas[0])
    assert all(m.features for m in ours if m.get("text") != "👍")


def test_a_message_keeps_rasas_fingerprint_and_changes_with_its_data(tmp_path):
    featurizer = _featurizer(tmp_path)
    messages = _messages()
    featurizer.process(messages)
    rasas = [m.fingerprint() for m in copy.deepcopy(messages)]
    cache_fingerprints.install()
    try:
        ours = copy.deepcopy(messages)
        assert [m.fingerprint() for m in ours] == [m.fingerprint() for m in messages]
        dense_only = [copy.deepcopy(m) for m in messages]
        for m in dense_only:  # no sparse features: Rasa's fingerprint to the character
            m.features = [f for f in m.features if f.is_dense()]
            m._cached_fingerprint = None
        before = ours[0].fingerprint()
        ours[0].set("text", "something else")
        assert ours[0].fingerprint() != before
        ours[1].add_diagnostic_data("test", {"x": 1})
        changed = ours[1].fingerprint()
    finally:
        cache_fingerprints.uninstall()
    assert [m.fingerprint() for m in dense_only] == [
        Message.fingerprint(m) for m in copy.deepcopy(dense_only)
    ]
    assert len(set(rasas)) == len(rasas)
    fresh = copy.deepcopy(messages[1])
    fresh.add_diagnostic_data("test", {"x": 1})
    assert fresh.fingerprint() != rasas[1] and changed != rasas[1]


def test_sparse_features_fingerprint_changes_with_any_entry_shape_or_type():
    def fingerprint(matrix) -> str:
        return cache_fingerprints.features_fingerprint(Features(matrix, "sequence", "text", "cv"))

    base = scipy.sparse.coo_matrix(np.array([[0, 1, 2], [3, 0, 0]], dtype=np.int64))
    same = scipy.sparse.coo_matrix(np.array([[0, 1, 2], [3, 0, 0]], dtype=np.int64))
    value = scipy.sparse.coo_matrix(np.array([[0, 1, 2], [4, 0, 0]], dtype=np.int64))
    place = scipy.sparse.coo_matrix(np.array([[0, 1, 2], [0, 3, 0]], dtype=np.int64))
    wider = scipy.sparse.coo_matrix(np.array([[0, 1, 2, 0], [3, 0, 0, 0]], dtype=np.int64))
    floats = scipy.sparse.coo_matrix(np.array([[0, 1, 2], [3, 0, 0]], dtype=np.float64))
    assert fingerprint(base) == fingerprint(same)
    assert len({fingerprint(m) for m in (base, value, place, wider, floats)}) == 5


def test_yaml_is_parsed_once_and_every_caller_gets_its_own_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path))
    text = 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi 👋\n    - こんにちは\n'
    expected = rasa_io.read_yaml(text)
    yaml_cache.install()
    try:
        first = rasa_io.read_yaml(text)
        first["nlu"].append("changed by a caller")
        yaml_cache._parsed.clear()  # a new process: read from the disk cache
        second = rasa_io.read_yaml(text)
    finally:
        yaml_cache.uninstall()
    assert second == expected and second is not first
    assert len(list((tmp_path / "yaml").glob("*.pickle"))) == 1


def test_a_schema_check_that_fails_fails_every_time(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path))
    good = 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n'
    bad = 'version: "3.1"\nnlu:\n- intent: greet\n  examples: 5\n'
    yaml_cache.install()
    try:
        rasa_validation.validate_yaml_schema(good, "shared/nlu/training_data/schemas/nlu.yml")
        rasa_validation.validate_yaml_schema(good, "shared/nlu/training_data/schemas/nlu.yml")
        for _ in range(2):
            with pytest.raises(YamlException):
                rasa_validation.validate_yaml_schema(
                    bad, "shared/nlu/training_data/schemas/nlu.yml"
                )
    finally:
        yaml_cache.uninstall()
    assert len(list((tmp_path / "yaml").glob("*.valid"))) == 1


def test_the_model_archive_is_stored_uncompressed_and_reads_back(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "weights").write_bytes(bytes(range(256)) * 400)
    model_packaging.install()
    try:
        with model_packaging.local_model_storage.TarSafe.open(tmp_path / "m.tar.gz", "w:gz") as tar:
            tar.add(tmp_path / "in", arcname="")
    finally:
        model_packaging.uninstall()
    header = (tmp_path / "m.tar.gz").read_bytes()[:10]
    assert header[:2] == b"\x1f\x8b"  # gzip still
    assert (tmp_path / "m.tar.gz").stat().st_size > 256 * 400  # stored, not compressed
    with tarfile.open(tmp_path / "m.tar.gz") as tar:
        assert tar.extractfile("weights").read() == bytes(range(256)) * 400
    assert gzip.decompress((tmp_path / "m.tar.gz").read_bytes())


def test_training_turns_grappler_off_and_serving_leaves_it_on(monkeypatch):
    import importlib

    from bot import rasa_compat, training_graph

    # The other training patches stay out of this test process.
    for name in ("batched_count_vectors", "cache_fingerprints", "model_packaging",
                 "model_training", "parallel_training", "rasa_autograph", "sparse_features",
                 "yaml_cache"):  # fmt: skip
        monkeypatch.setattr(importlib.import_module(f"bot.{name}"), "install", lambda: None)
    training_graph.uninstall()
    try:
        rasa_compat.install()  # what a server installs
        assert not training_graph.installed()
        rasa_compat.install_training()
        assert training_graph.installed()
    finally:
        training_graph.uninstall()


def test_a_yaml_text_with_environment_variables_is_read_again_each_time(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path))
    text = "action_endpoint:\n  url: ${ICLEI_TEST_URL}\n"
    yaml_cache.install()
    try:
        monkeypatch.setenv("ICLEI_TEST_URL", "http://one")
        first = rasa_io.read_yaml(text)
        monkeypatch.setenv("ICLEI_TEST_URL", "http://two")
        second = rasa_io.read_yaml(text)
    finally:
        yaml_cache.uninstall()
    assert first["action_endpoint"]["url"] == "http://one"
    assert second["action_endpoint"]["url"] == "http://two"


def test_an_entity_dict_is_checked_once_and_an_invalid_one_raises_every_time(monkeypatch):
    from rasa.shared.exceptions import SchemaValidationError
    from rasa.shared.nlu.training_data import entities_parser

    checks = []
    original = yaml_cache._ENTITY_DICT
    monkeypatch.setattr(yaml_cache, "_ENTITY_DICT", lambda s: checks.append(s) or original(s))
    text = (
        'nlu:\n- intent: x\n  examples: |\n    - my [mail]{"entity": "field", "value": "email"} is'
    )
    yaml_cache.install()
    try:
        assert entities_parser.get_validated_dict is yaml_cache.validated_entity_dict
        first = entities_parser.get_validated_dict('"entity": "field", "value": "email"')
        first["value"] = "changed by a caller"
        again = entities_parser.get_validated_dict('"entity": "field", "value": "email"')
        for _ in range(2):
            with pytest.raises(SchemaValidationError):
                entities_parser.get_validated_dict('"entity": 3')
        from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

        message = RasaYAMLReader().reads(text).training_examples[0]
    finally:
        yaml_cache.uninstall()
    assert again == {"entity": "field", "value": "email"}
    assert checks.count('"entity": "field", "value": "email"') == 1
    assert checks.count('"entity": 3') == 2
    assert message.get("entities")[0]["value"] == "email"
    assert entities_parser.get_validated_dict is not yaml_cache.validated_entity_dict


def test_setting_the_value_a_message_holds_keeps_its_fingerprint():
    message = Message.build("where is the office", " ask_office ")
    cache_fingerprints.install()
    try:
        before = message.fingerprint()
        message.set("intent", " ask_office ")
        assert message._cached_fingerprint == before  # not computed again
        message.set("intent", "ask_office")
        stripped = message.fingerprint()
        tokens = ["a"]
        message.set("tokens", tokens)
        with_tokens = message.fingerprint()
        tokens.append("b")  # a mutable value changed in place, then set again
        message.set("tokens", tokens)
        assert message.fingerprint() != with_tokens
        message.set("flag", 1)
        one = message.fingerprint()
        message.set("flag", True)  # equal to 1, but another value
        assert message.fingerprint() != one
    finally:
        cache_fingerprints.uninstall()
    assert stripped != before
    assert stripped == Message.build("where is the office", "ask_office").fingerprint()
