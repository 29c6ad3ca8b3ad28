"""Timing `make train` after one NLU example is added, and scoring the model it makes.

In a scratch copy of the project's config, domain and training data (its own Rasa cache),
ours is trained from scratch as `make train` first does (`python -m bot train --incremental`),
then, each round, one new example (ROUND_EXAMPLES, wordings that are in neither the training
data nor the test sets) is added to `data/nlu/about.yml` and `make train`'s command is timed:
it fine-tunes the last model (bot/incremental_training.py). Each round starts again from the
model trained from scratch. The last round's model is then scored like the served model of
the full bench: the held-out NLU sets and the conversation sets, through a server started
on it, so the trade of speed against answers is printed beside the times.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import assistants, quality
from bot.ops.processes import PROJECT_ROOT

NLU_FILE = Path("data/nlu/about.yml")
ANCHOR = "- intent: what_is_iclei\n  examples: |\n"
ROUND_EXAMPLES = (
    "in a couple of sentences, what is iclei",
    "ICLEIって結局どんな組織なんですか",
    "what kind of body is ICLEI, roughly speaking",
    "ICLEIはざっくり言うと何をしているところですか",
    "is iclei something like an association of towns?",
)


def scratch_project(workdir: Path) -> Path:
    """The files a training reads, copied (`bot/` stays importable from PROJECT_ROOT)."""
    project = workdir / "project"
    project.mkdir(parents=True)
    for name in ("config.yml", "domain.yml"):
        shutil.copy2(PROJECT_ROOT / name, project / name)
    shutil.copytree(PROJECT_ROOT / "data", project / "data")
    return project


def add_example(project: Path, example: str) -> None:
    path = project / NLU_FILE
    text = path.read_text(encoding="utf-8")
    if ANCHOR not in text:
        raise RuntimeError(f"{NLU_FILE} has no what_is_iclei block to add an example to")
    path.write_text(text.replace(ANCHOR, f"{ANCHOR}    - {example}\n", 1), encoding="utf-8")


def train(project: Path, log: Path) -> tuple[float, str]:
    """`make train`'s command in `project`; its seconds and output."""
    env = dict(
        os.environ,
        RASA_TELEMETRY_ENABLED="false",
        RASA_CACHE_DIRECTORY=str(project.parent / "cache"),
        TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
    )
    command = [sys.executable, "-m", "bot", "train", "--incremental", "--skip-validation"]
    command += ["--fixed-model-name", "iclei", "--out", "models"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise RuntimeError(f"training failed (exit {done.returncode}); see {log}")
    return seconds, done.stdout


def fine_tunes(project: Path, rounds: int, logs: Path) -> list[float]:
    """`rounds` fine-tunes of the model `project` was last trained to, each after one new
    example; the seconds of each. Each round starts again from that model, so each is the
    one change a developer makes; the model of the last round is left in place."""
    model = project / "models" / "iclei.tar.gz"
    record = model.with_name("iclei.inputs.json")
    base = project.parent / "base"
    base.mkdir(exist_ok=True)
    shutil.copy2(model, base / model.name)
    shutil.copy2(record, base / record.name)
    original = (project / NLU_FILE).read_text(encoding="utf-8")
    times = []
    for number in range(rounds):
        shutil.copy2(base / model.name, model)
        shutil.copy2(base / record.name, record)
        (project / NLU_FILE).write_text(original, encoding="utf-8")
        add_example(project, ROUND_EXAMPLES[number % len(ROUND_EXAMPLES)])
        seconds, output = train(project, logs / f"retrain-{number + 1}.log")
        if "Fine-tuning" not in output:
            raise RuntimeError(f"round {number + 1} did not fine-tune: {output.strip()[-300:]}")
        times.append(seconds)
    return times


def measure(rounds: int, workdir: Path, out: Path) -> str:
    """Train from scratch, then time `rounds` fine-tunes; the Markdown report."""
    project = scratch_project(workdir)
    model = project / "models" / "iclei.tar.gz"
    scratch_seconds, _ = train(project, out / "logs" / "retrain-scratch.log")
    times = fine_tunes(project, rounds, out / "logs")
    with assistants.ours(model, workdir, out / "logs" / "retrain-server.log") as running:
        scores = quality.measure(model, running.base_url, out / "retrain-quality")
    rows = ["| round | example added | `make train` |", "|---|---|---:|"]
    rows += [
        f"| {n} | {ROUND_EXAMPLES[(n - 1) % len(ROUND_EXAMPLES)]} | {s:.1f} s |"
        for n, s in enumerate(times, start=1)
    ]
    rows.append(f"| median | | **{statistics.median(times):.1f} s** |")
    below = scores.nlu_below_gates() + scores.conversation_cells_below()
    return "\n".join(
        [
            f"Training from scratch first: {scratch_seconds:.0f} s.",
            "",
            *rows,
            "",
            "The last round's fine-tuned model:",
            "",
            scores.markdown(),
            "",
            "Under a gate: " + (", ".join(below) if below else "none"),
        ]
    )
