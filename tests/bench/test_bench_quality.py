"""The bench prints what the served model gets right beside its speed (bench/quality.py)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.quality import Quality
from bench.report import AssistantFigures, markdown, targets, to_json
from bot.checks.run import FileResult
from bot.checks.spec import CheckFile, Conversation, Turn
from bot.ops.nlu_evaluation import NluScores


def scores(name: str, intent_f1: float, entity_f1: float | None) -> NluScores:
    return NluScores(name, 440, intent_f1, intent_f1, entity_f1, [])


def results(category: str, language: str, passed: int, total: int) -> FileResult:
    conversations = tuple(
        Conversation(f"c{i}", (Turn("hello"),)) for i in range(total)
    )  # fmt: skip
    check = CheckFile(Path(f"{language}/{category}.yml"), category, language, conversations)
    return FileResult(check, passed, ())


def ours(quality: Quality | None) -> AssistantFigures:
    return AssistantFigures("ours", 200.0, 20.0, 1000.0, quality=quality)


def test_a_model_that_keeps_the_gates_passes_both_quality_targets() -> None:
    quality = Quality(
        [scores("en", 0.961, 0.978), scores("ja", 0.968, 0.992)],
        [results("followup", "en", 14, 14), results("followup", "ja", 13, 14)],
    )
    nlu, conversations = [
        t for t in targets(ours(quality), None) if t.name.startswith(("held", "conv"))
    ]
    assert nlu.passed is True and nlu.value == "en 0.961 / 0.978, ja 0.968 / 0.992"
    assert conversations.passed is True and conversations.value == "27 / 28 passed"


def test_a_faster_model_that_loses_answers_fails_and_says_where() -> None:
    quality = Quality(
        [scores("en", 0.953, 0.864), scores("ja", 0.949, 0.992)],
        [results("followup", "ja", 12, 14), results("form", "ja", 13, 13)],
    )
    nlu, conversations = [
        t for t in targets(ours(quality), None) if t.name.startswith(("held", "conv"))
    ]
    assert nlu.passed is False
    assert "under: en entity F1 0.864, ja intent macro-F1 0.949" in nlu.value
    assert conversations.passed is False
    assert conversations.value == "25 / 27 passed; under: followup/ja: 12/14"


def test_no_quality_targets_when_not_measured() -> None:
    assert not any("NLU" in t.name for t in targets(ours(None), None))


def test_the_report_shows_the_scores_and_the_json_carries_them() -> None:
    quality = Quality([scores("en", 0.961, None)], [results("polite", "en", 15, 15)])
    figures = ours(quality)
    items = targets(figures, None)
    text = markdown([figures], items, [])
    assert "### What the served model gets right (ours)" in text
    assert "| en | 440 | 0.961 | – |" in text and "| polite | 15/15 (100%) |" in text
    data = json.loads(json.dumps(to_json([figures], items, [], {})))
    assert data["assistants"]["ours"]["quality"] == {
        "nlu": [{"set": "en", "examples": 440, "intent_macro_f1": 0.961, "entity_f1": None}],
        "conversations_passed": 15,
        "conversations_total": 15,
        "conversation_cells_below": [],
    }


def test_a_set_without_an_entity_figure_fails_as_in_make_test_nlu() -> None:
    quality = Quality([scores("en", 0.961, None)], [])
    (nlu,) = [t for t in targets(ours(quality), None) if t.name.startswith("held")]
    assert nlu.passed is False and nlu.value.endswith("; under: en entity F1 n/a")
