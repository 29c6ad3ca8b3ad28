"""`python -m bot evaluate-nlu`: score the model on the held-out test set, per language."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.ops.processes import PROJECT_ROOT, Ports, server_env

# The component whose entity report is the entity figure (the NLU's entity extractor).
ENTITY_EXTRACTOR = "DIETClassifier"


# `make test-nlu`'s gates (the Makefile passes the same figures).
MIN_INTENT_F1 = 0.95
MIN_ENTITY_F1 = 0.90


@dataclass(frozen=True)
class NluScores:
    """Intent and entity figures of one test file."""

    name: str
    examples: int
    intent_macro_f1: float
    intent_accuracy: float
    entity_f1: float | None
    worst_intents: list[tuple[str, float]]


def _read_scores(name: str, out: Path) -> NluScores:
    intents = json.loads((out / "intent_report.json").read_text())
    entity_file = out / f"{ENTITY_EXTRACTOR}_report.json"
    entity_f1 = None
    if entity_file.exists():
        entities = json.loads(entity_file.read_text())
        entity_f1 = entities.get("micro avg", {}).get("f1-score")
    per_intent = {
        key: value["f1-score"]
        for key, value in intents.items()
        if isinstance(value, dict) and "support" in value and not key.endswith(" avg")
    }
    worst = sorted(per_intent.items(), key=lambda item: item[1])[:3]
    return NluScores(
        name=name,
        examples=int(intents["macro avg"]["support"]),
        intent_macro_f1=intents["macro avg"]["f1-score"],
        intent_accuracy=intents["accuracy"],
        entity_f1=entity_f1,
        worst_intents=worst,
    )


def evaluate(model: Path, test_files: list[Path], out_root: Path) -> list[NluScores]:
    """Run `rasa test nlu` on each file and collect its figures."""
    # Rasa would quietly test the newest model in models/ instead of a missing one.
    if not Path(model).is_file():
        raise SystemExit(f"No trained model at {model}: run `make train` or pass --model.")
    scores = []
    env = server_env(Ports.from_env())
    for test_file in test_files:
        name = test_file.stem.removeprefix("test_")
        out = out_root / name
        # A report left from another model (another entity extractor) must not be read.
        shutil.rmtree(out, ignore_errors=True)
        command = [
            sys.executable,
            "-m",
            "bot.ops.rasa_commands",
            "test-nlu",
            "--model",
            str(model),
            "--nlu",
            str(test_file),
            "--out",
            str(out),
            "--no-plot",
        ]
        subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        scores.append(_read_scores(name, out))
    return scores


def f1_text(value: float | None) -> str:
    """An F1 figure as the reports print it."""
    return "n/a" if value is None else f"{value:.3f}"


def below_gates(
    s: NluScores, min_intent_f1: float = MIN_INTENT_F1, min_entity_f1: float = MIN_ENTITY_F1
) -> list[tuple[str, float | None, float]]:
    """(figure, value, gate) for each figure of `s` under its gate; a test set without an
    entity figure is under the entity gate."""
    found: list[tuple[str, float | None, float]] = []
    if s.intent_macro_f1 < min_intent_f1:
        found.append(("intent macro-F1", s.intent_macro_f1, min_intent_f1))
    if s.entity_f1 is None or s.entity_f1 < min_entity_f1:
        found.append(("entity F1", s.entity_f1, min_entity_f1))
    return found


def report(scores: list[NluScores], min_intent_f1: float, min_entity_f1: float) -> bool:
    """Print the figures as a table; True when every file meets both targets."""
    ok = True
    print(
        f"{'test set':<10}{'examples':>9}{'intent macro-F1':>17}{'accuracy':>10}{'entity F1':>11}"
    )
    for s in scores:
        entity = f"{s.entity_f1:.3f}" if s.entity_f1 is not None else "n/a"
        print(
            f"{s.name:<10}{s.examples:>9}{s.intent_macro_f1:>17.3f}"
            f"{s.intent_accuracy:>10.3f}{entity:>11}"
        )
        worst = ", ".join(f"{intent} {f1:.2f}" for intent, f1 in s.worst_intents)
        print(f"{'':<10}weakest intents: {worst}")
        for figure, value, gate in below_gates(s, min_intent_f1, min_entity_f1):
            print(f"FAIL {s.name}: {figure} {f1_text(value)} < {gate}")
            ok = False
    return ok
