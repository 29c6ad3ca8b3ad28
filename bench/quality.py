"""What the measured model gets right, printed beside its speed so a trade is visible.

A faster pipeline is only worth having if the assistant still answers: the bench scores the
very model it served on the held-out NLU sets (`make test-nlu`'s gates) and runs the
conversation sets against the very server it loaded (`make test-conversations`' bar).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.checks.run import FileResult, below, rest_sender, run_files, table
from bot.checks.spec import load
from bot.ops.nlu_evaluation import NluScores, below_gates, evaluate, f1_text
from bot.ops.processes import PROJECT_ROOT

NLU_SETS = (PROJECT_ROOT / "tests/nlu/en", PROJECT_ROOT / "tests/nlu/ja")
CONVERSATIONS = PROJECT_ROOT / "tests/conversations"
# `make test-conversations`' bar (Makefile); the NLU gates are make test-nlu's own.
MIN_CONVERSATION_PASS = 0.90


@dataclass
class Quality:
    """Held-out NLU scores per language and the conversation sets' results."""

    nlu: list[NluScores] = field(default_factory=list)
    conversations: list[FileResult] = field(default_factory=list)

    @property
    def conversations_passed(self) -> int:
        return sum(result.passed for result in self.conversations)

    @property
    def conversations_total(self) -> int:
        return sum(result.total for result in self.conversations)

    def nlu_below_gates(self) -> list[str]:
        """`en intent macro-F1 0.941` for each score under `make test-nlu`'s gate."""
        return [
            f"{scores.name} {figure} {f1_text(value)}"
            for scores in self.nlu
            for figure, value, _gate in below_gates(scores)
        ]

    def conversation_cells_below(self) -> list[str]:
        return below(self.conversations, MIN_CONVERSATION_PASS)

    def markdown(self) -> str:
        lines = [
            "| held-out set | examples | intent macro-F1 | entity F1 |",
            "|---|---:|---:|---:|",
        ]
        for s in self.nlu:
            entity = "–" if s.entity_f1 is None else f"{s.entity_f1:.3f}"
            lines.append(f"| {s.name} | {s.examples} | {s.intent_macro_f1:.3f} | {entity} |")
        if self.conversations:
            lines += [
                "",
                f"Conversation sets: {self.conversations_passed} / "
                f"{self.conversations_total} conversations passed.",
                "",
                table(self.conversations),
            ]
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "nlu": [
                {
                    "set": s.name,
                    "examples": s.examples,
                    "intent_macro_f1": s.intent_macro_f1,
                    "entity_f1": s.entity_f1,
                }
                for s in self.nlu
            ],
            "conversations_passed": self.conversations_passed,
            "conversations_total": self.conversations_total,
            "conversation_cells_below": self.conversation_cells_below(),
        }


def measure(model: Path, base_url: str, out: Path) -> Quality:
    """Score `model` on the held-out NLU sets and the server at `base_url` on the
    conversation sets (each conversation under its own sender id)."""
    nlu = evaluate(model, list(NLU_SETS), out / "nlu")
    checks = [load(path) for path in sorted(CONVERSATIONS.rglob("*.yml"))]
    return Quality(nlu, run_files(checks, rest_sender(base_url)))
