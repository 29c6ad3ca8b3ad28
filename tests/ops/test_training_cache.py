"""`python -m bot train` keeps Rasa's cache per version of the training patch."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from bot import model_training, training_graph
from bot.ops import rasa_commands


def test_the_cache_is_named_after_the_training_patch(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", "")  # unset, and restored after the test
    patches = hashlib.sha256()
    for module in (model_training, training_graph):  # the patches that change what is learnt
        patches.update(Path(module.__file__).read_bytes())
    digest = patches.hexdigest()[:12]
    stale = tmp_path / "cache-000000000000"
    (stale / "tmp1").mkdir(parents=True)
    unrelated = tmp_path / "other"
    unrelated.mkdir()
    rasa_commands.use_training_cache(tmp_path)
    assert os.environ["RASA_CACHE_DIRECTORY"] == str(tmp_path / f"cache-{digest}")
    assert not stale.exists()  # a cache trained by an earlier version of the patch
    assert unrelated.exists()


def test_a_cache_directory_set_by_the_caller_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "mine"))
    (tmp_path / "cache-000000000000").mkdir()
    rasa_commands.use_training_cache(tmp_path)
    assert os.environ["RASA_CACHE_DIRECTORY"] == str(tmp_path / "mine")
    assert (tmp_path / "cache-000000000000").exists()
