"""The retraining bench adds its example to a scratch copy, never to the project."""

from __future__ import annotations

import pytest

from bench import retrain
from bot.ops.processes import PROJECT_ROOT


def test_an_example_goes_into_the_scratch_copy_only(tmp_path):
    project = retrain.scratch_project(tmp_path)
    before = (PROJECT_ROOT / retrain.NLU_FILE).read_text(encoding="utf-8")
    retrain.add_example(project, "what is iclei, in one line")
    text = (project / retrain.NLU_FILE).read_text(encoding="utf-8")
    assert retrain.ANCHOR + "    - what is iclei, in one line\n" in text
    assert (PROJECT_ROOT / retrain.NLU_FILE).read_text(encoding="utf-8") == before
    assert not (project / "bot").exists()  # `python -m bot` imports the real package


def test_the_round_examples_are_new_to_training_and_test_data():
    texts = [
        p.read_text(encoding="utf-8").lower()
        for root in ("data", "tests/nlu", "tests/conversations")
        for p in (PROJECT_ROOT / root).rglob("*.yml")
    ]
    for example in retrain.ROUND_EXAMPLES:
        assert not any(example.lower() in text for text in texts), example


def test_a_file_without_the_block_is_refused(tmp_path):
    project = retrain.scratch_project(tmp_path)
    (project / retrain.NLU_FILE).write_text("nlu: []\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="what_is_iclei"):
        retrain.add_example(project, "x")
