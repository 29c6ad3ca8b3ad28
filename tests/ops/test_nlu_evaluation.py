"""`python -m bot evaluate-nlu` (bot/ops/nlu_evaluation.py): the model it tests, the reports
it reads."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.ops import nlu_evaluation


def test_a_missing_model_is_refused_not_replaced_by_the_newest(tmp_path: Path, monkeypatch) -> None:
    # Rasa would quietly test the newest model in models/ instead.
    ran = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: ran.append(a))
    with pytest.raises(SystemExit, match="No trained model"):
        nlu_evaluation.evaluate(tmp_path / "gone.tar.gz", [tmp_path / "en"], tmp_path / "out")
    assert ran == []


def test_reports_left_by_another_model_are_cleared_before_testing(
    tmp_path: Path, monkeypatch
) -> None:
    model = tmp_path / "m.tar.gz"
    model.write_bytes(b"model")
    out = tmp_path / "out" / "en"
    out.mkdir(parents=True)
    (out / "DIETClassifier_report.json").write_text(json.dumps({"micro avg": {"f1-score": 1}}))

    def fake_rasa_test(command, **kwargs):
        # This model's test writes an intent report and no entity report.
        target = Path(command[command.index("--out") + 1])
        target.mkdir(parents=True, exist_ok=True)
        report = {"macro avg": {"f1-score": 0.9, "support": 2}, "accuracy": 0.9}
        (target / "intent_report.json").write_text(json.dumps(report))

    monkeypatch.setattr(subprocess, "run", fake_rasa_test)
    (scores,) = nlu_evaluation.evaluate(model, [tmp_path / "en"], tmp_path / "out")
    assert scores.entity_f1 is None  # not the old model's 1.0
