"""Timing `rasa train` from scratch: a fresh, empty Rasa cache for every run."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from bench.template import rasa_bin
from bot.ops.processes import PROJECT_ROOT


def train_command(name: str, out: Path) -> list[str]:
    """`rasa train` writing `out/<name>.tar.gz`."""
    return [rasa_bin(), "train", "--fixed-model-name", name, "--out", str(out)]


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
        done = subprocess.run(
            train_command(name, out), cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        seconds = time.perf_counter() - start
    model = out / f"{name}.tar.gz"
    if done.returncode != 0 or not model.exists():
        raise RuntimeError(f"`rasa train` in {project} failed (exit {done.returncode}); see {log}")
    return model, seconds
