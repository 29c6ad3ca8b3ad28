"""Scaffolding the starter assistant, the commands, and the command line (nothing started)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
import yaml

from bench import assistants, template, training
from bench.__main__ import levels, parse_args
from bot.ops.processes import PROJECT_ROOT


def test_scaffold_copies_rasa_init_project_untrained(tmp_path: Path) -> None:
    project = template.scaffold(tmp_path / "starter")
    for name in ("config.yml", "domain.yml", "credentials.yml", "endpoints.yml", "data/nlu.yml"):
        assert (project / name).is_file(), name
    assert "rest" in yaml.safe_load((project / "credentials.yml").read_text())
    assert not (project / "models").exists()


def test_template_server_command(tmp_path: Path) -> None:
    command = template.server_command(tmp_path, tmp_path / "m.tar.gz", 5123)
    assert Path(command[0]).name == "rasa"
    assert command[1:] == [
        "run",
        "--model",
        str(tmp_path / "m.tar.gz"),
        "--port",
        "5123",
        "--credentials",
        str(tmp_path / "credentials.yml"),
        "--endpoints",
        str(tmp_path / "endpoints.yml"),
    ]


def test_train_command_trains_ours_through_the_bot_and_the_template_with_rasa(
    tmp_path: Path,
) -> None:
    ours = training.train_command(PROJECT_ROOT, "iclei", tmp_path)
    assert ours[1:4] == ["-m", "bot", "train"]
    assert ours[4:] == ["--skip-validation", "--fixed-model-name", "iclei", "--out", str(tmp_path)]
    template = training.train_command(tmp_path / "template", "template", tmp_path)
    assert Path(template[0]).name == "rasa"
    assert template[1:] == ["train", "--fixed-model-name", "template", "--out", str(tmp_path)]


ENDPOINTS = """
action_endpoint:
  url: ${ACTION_ENDPOINT_URL}
tracker_store:
  type: SQL
  dialect: "sqlite"
  db: "var/tracker.db"
lock_store:
  type: in_memory
"""


def test_bench_endpoints_moves_only_the_sqlite_file(tmp_path: Path) -> None:
    source = tmp_path / "endpoints.yml"
    source.write_text(ENDPOINTS)
    workdir = tmp_path / "work"
    workdir.mkdir()
    copy = yaml.safe_load(assistants.bench_endpoints(workdir, source).read_text())
    assert copy["tracker_store"]["db"] == str(workdir / "tracker.db")
    copy["tracker_store"]["db"] = "var/tracker.db"
    assert copy == yaml.safe_load(ENDPOINTS)


def test_bench_endpoints_leaves_other_stores_alone(tmp_path: Path) -> None:
    source = tmp_path / "endpoints.yml"
    source.write_text("tracker_store:\n  type: SQL\n  dialect: postgresql\n  db: iclei\n")
    workdir = tmp_path / "work"
    workdir.mkdir()
    copy = yaml.safe_load(assistants.bench_endpoints(workdir, source).read_text())
    assert copy == yaml.safe_load(source.read_text())


def test_the_project_endpoints_can_be_copied(tmp_path: Path) -> None:
    assert yaml.safe_load(assistants.bench_endpoints(tmp_path).read_text())


def test_apology_texts_are_read_from_the_domain() -> None:
    texts = assistants.apology_texts()
    assert len(texts) == 4  # unavailable and busy, in English and Japanese
    assert any(text.startswith("Sorry, I can't answer right now") for text in texts)
    assert any("申し訳ありません" in text for text in texts)


def test_apology_texts_of_a_file_without_them(tmp_path: Path) -> None:
    other = tmp_path / "domain.yml"
    other.write_text("responses: {}\n")
    assert assistants.apology_texts(other) == ()


def test_levels() -> None:
    assert levels("1,8,16,32") == [1, 8, 16, 32]
    assert levels("4") == [4]
    for bad in ("", "0,1", "a,b", "-1"):
        with pytest.raises(argparse.ArgumentTypeError):
            levels(bad)


def test_defaults() -> None:
    args = parse_args([])
    assert (args.assistant, args.levels, args.duration) == ("both", [1, 8, 16, 32], 30.0)
    assert not args.skip_training
    args = parse_args(
        ["--assistant", "ours", "--levels", "1,8", "--duration", "5", "--skip-training"]
    )
    assert (args.assistant, args.levels, args.duration, args.skip_training) == (
        "ours",
        [1, 8],
        5.0,
        True,
    )


def test_main_writes_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from bench import __main__ as cli
    from bench.report import AssistantFigures

    def run(args: argparse.Namespace, workdir: Path) -> list[AssistantFigures]:
        assert workdir.is_dir()
        return [AssistantFigures("ours", None, 30.0, 1000.0, 50.0, model_mb=60.0)]

    monkeypatch.setattr(cli, "run", run)
    assert cli.main(["--out", str(tmp_path), "--skip-training", "--levels", "1"]) == 0
    printed = capsys.readouterr().out
    assert "### Start-up and training" in printed
    assert (tmp_path / "bench.md").read_text() in printed
    data = json.loads((tmp_path / "bench.json").read_text())
    assert data["settings"]["levels"] == [1]
    assert data["assistants"]["ours"]["training_seconds"] is None


def test_listening_workers_counts_the_forked_workers_that_listen_on_the_port(tmp_path):
    """The bench starts a level only once every worker listens (bench/assistants.py)."""
    import subprocess
    import sys
    import time

    import psutil

    from bench.assistants import listening_workers
    from bot.ops.processes import free_port

    port = free_port()
    script = tmp_path / "two.py"
    script.write_text(
        "import os, socket, sys, time\n"
        "port = int(sys.argv[1])\n"
        "for delay in (0, 3):\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(delay)\n"
        "        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)\n"
        "        s.bind(('127.0.0.1', port)); s.listen(); time.sleep(60)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, str(script), str(port)])
    children = []
    try:
        time.sleep(1.5)
        children = psutil.Process(parent.pid).children()
        assert listening_workers(parent.pid, port) == 1  # the second is still "loading"
        time.sleep(3)
        assert listening_workers(parent.pid, port) == 2
    finally:
        for process in [*children, parent]:
            process.kill()
        parent.wait()


def test_training_only_alternates_the_assistants_and_reports_medians(tmp_path, monkeypatch):
    order: list[str] = []

    def fake_train(project, name, out, log):
        order.append(name)
        return out / f"{name}.tar.gz", {"iclei": 80.0, "template": 60.0}[name] + len(order)

    monkeypatch.setattr(training, "train", fake_train)
    pairs = training.compare(2, tmp_path / "ours", tmp_path / "tpl", tmp_path, tmp_path)
    assert order == ["iclei", "template", "iclei", "template"]
    assert pairs == [(81.0, 62.0), (83.0, 64.0)]
    table = training.comparison_table(pairs).splitlines()
    assert table[-1] == "| median | 82 s | 63 s |"
