"""Timing training from scratch: a fresh, empty Rasa cache for every run.

Ours trains the way `make train` does (`python -m bot train`, bot/model_training.py); the
template with plain `rasa train`, as `rasa init` leaves it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.template import rasa_bin
from bot.ops.processes import PROJECT_ROOT


def train_command(project: Path, name: str, out: Path) -> list[str]:
    """The training command of the assistant in `project`, writing `out/<name>.tar.gz`:
    ours as `make train` runs it, any other with plain `rasa train`."""
    train = (
        [sys.executable, "-m", "bot", "train", "--skip-validation"]
        if project.resolve() == PROJECT_ROOT.resolve()
        else [rasa_bin(), "train"]
    )
    return [*train, "--fixed-model-name", name, "--out", str(out)]


def train(project: Path, name: str, out: Path, log: Path) -> tuple[Path, float]:
    """Train the assistant in `project` with an empty cache (RASA_CACHE_DIRECTORY in a fresh
    temporary directory); return the model and the seconds the subprocess took. Rasa's
    output goes to `log`. Raises RuntimeError when training fails."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rasa-cache-") as cache, log.open("wb") as output:
        env = dict(
            os.environ,
            RASA_TELEMETRY_ENABLED="false",
            RASA_CACHE_DIRECTORY=cache,
            TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            # Our pipeline has custom components (bot.nlu.*).
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
            ),
        )
        start = time.perf_counter()
        command = train_command(project, name, out)
        done = subprocess.run(
            command, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        seconds = time.perf_counter() - start
    model = out / f"{name}.tar.gz"
    if done.returncode != 0 or not model.exists():
        raise RuntimeError(f"training in {project} failed (exit {done.returncode}); see {log}")
    return model, seconds
