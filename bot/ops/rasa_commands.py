"""Rasa's own commands, run in this process with the project's patches (bot/rasa_compat.py).

- `python -m bot train`: `rasa train`, its training step traced once (bot/model_training.py),
  with Rasa's cache in `.rasa/cache-<hash of bot/model_training.py>` unless
  `RASA_CACHE_DIRECTORY` is set: Rasa keys its cache on the config and the data, not on how
  a component trains, so a change to the patch would otherwise be answered with a model
  trained the old way. Caches of earlier versions are deleted.
- `python -m bot test-stories`: `rasa test core`, the `language` entity, which spans every
  message, left out of the comparison: test stories annotate entities inline, and a
  whole-message span cannot hold a `place` annotation inside it. The language is tested on
  its own (tests/nlu_components, tests/e2e); everything else is Rasa's own evaluation.
- `rasa test nlu` for `python -m bot evaluate-nlu` (bot/ops/nlu_evaluation.py), with the
  model loaded for inference as the server loads it (bot/model_loading.py): 4 s instead of
  about 40 s per test set.

Everything after the command goes to Rasa, options included.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path


def _rasa(argv: list[str]) -> int:
    import rasa.__main__

    sys.argv = ["rasa", *argv]
    try:
        rasa.__main__.main()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


CACHE_ROOT = Path(".rasa")


def training_cache(root: Path = CACHE_ROOT) -> Path:
    """Rasa's cache directory for this version of the training patches that change what a
    component learns (its outputs then differ from the cached ones)."""
    bot = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for name in ("model_training.py", "training_graph.py"):
        digest.update((bot / name).read_bytes())
    return root / f"cache-{digest.hexdigest()[:12]}"


def use_training_cache(root: Path = CACHE_ROOT) -> None:
    """Point Rasa at `training_cache()` unless RASA_CACHE_DIRECTORY is set, and delete the
    caches of earlier versions of the patch."""
    if os.environ.get("RASA_CACHE_DIRECTORY"):
        return
    current = training_cache(root)
    for old in root.glob("cache-*"):
        if old != current and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    os.environ["RASA_CACHE_DIRECTORY"] = str(current)


def _option(argv: list[str], name: str, default: str) -> str:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return default


def train(argv: list[str]) -> int:
    """`rasa train <argv>` with the training patch; Rasa's exit code. With `--incremental`
    (`make train`), a fine-tune of the last model when only NLU examples changed
    (bot/incremental_training.py), unless `--from-scratch` (`make train-full`)."""
    from bot import incremental_training, parallel_training, rasa_compat

    incremental = "--incremental" in argv
    from_scratch = "--from-scratch" in argv
    argv = [arg for arg in argv if arg not in ("--incremental", "--from-scratch")]
    name = _option(argv, "--fixed-model-name", "")
    model = Path(_option(argv, "--out", "models")) / (
        name if name.endswith(".tar.gz") else f"{name}.tar.gz"
    )
    inputs = incremental_training.training_inputs(Path.cwd()) if incremental and name else None
    plan = incremental_training.plan(model, inputs) if inputs else None
    if plan and from_scratch:
        plan = incremental_training.Plan(False, "asked for")
    use_training_cache()
    rasa_compat.install_training()
    if plan and plan.finetune:
        print(f"Fine-tuning {model} ({plan.reason}; `make train-full` trains from scratch).")
        incremental_training.install(plan.model_digest)
        code = _rasa(
            [
                "train",
                *argv,
                "--finetune",
                str(model),
                "--epoch-fraction",
                str(incremental_training.FINETUNE_EPOCH_FRACTION),
            ]
        )
        if code == 0:
            incremental_training.write_record(model, inputs, plan.finetunes)
            return 0
        # A fine-tune Rasa refuses (a feature space that shrank, say): train from scratch.
        print("Fine-tuning failed; training from scratch.", file=sys.stderr)
        incremental_training.record_path(model).unlink(missing_ok=True)
        os.execv(sys.executable, [sys.executable, "-m", "bot", "train", "--incremental", *argv])
    if plan:
        print(f"Training from scratch ({plan.reason}).")
    parallel_training.start_worker()
    try:
        code = _rasa(["train", *argv])
    finally:
        parallel_training.stop_worker()
    if code == 0 and inputs and model.is_file():
        incremental_training.write_record(model, inputs, 0)
    return code


def test_stories(argv: list[str]) -> int:
    """`rasa test core <argv>` as the server predicts, without the language entity."""
    from bot import rasa_compat

    rasa_compat.install()
    rasa_compat.install_story_test_comparison()
    return _rasa(["test", "core", *argv])


def test_nlu(argv: list[str]) -> int:
    """`rasa test nlu <argv>` with the model loaded as the server loads it."""
    from bot import rasa_compat

    rasa_compat.install()
    return _rasa(["test", "nlu", *argv])


COMMANDS = {"train": train, "test-stories": test_stories, "test-nlu": test_nlu}

if __name__ == "__main__":
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
