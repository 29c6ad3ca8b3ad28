"""Timing training from scratch: a fresh, empty Rasa cache for every run.

Ours trains the way `make train` does (`python -m bot train`, bot/model_training.py); the
template with plain `rasa train`, as `rasa init` leaves it."""

from __future__ import annotations

import os
import statistics
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


def compare(
    rounds: int, ours: Path, template: Path, out: Path, logs: Path
) -> list[tuple[float, float]]:
    """Train ours and then the template from scratch, `rounds` times in turn (so both see
    the same machine load); the seconds of each pair."""
    pairs = []
    for number in range(1, rounds + 1):
        _, mine = train(ours, "iclei", out, logs / f"train-ours-{number}.log")
        _, theirs = train(template, "template", out, logs / f"train-template-{number}.log")
        pairs.append((mine, theirs))
    return pairs


def comparison_table(pairs: list[tuple[float, float]]) -> str:
    """A Markdown table of the rounds and their medians."""
    rows = ["| round | ours | template |", "|---|---:|---:|"]
    rows += [f"| {n} | {a:.0f} s | {b:.0f} s |" for n, (a, b) in enumerate(pairs, start=1)]
    mine, theirs = (statistics.median(side) for side in zip(*pairs, strict=True))
    rows.append(f"| median | {mine:.0f} s | {theirs:.0f} s |")
    return "\n".join(rows)
