"""The Rasa server's command line: endpoints file and HTTP API token from the environment."""

from __future__ import annotations

import pytest

from bot.ops.processes import Ports, api_token, rasa_server_command, rasa_workers


def test_the_http_api_is_off_by_default() -> None:
    command = rasa_server_command(Ports())
    assert "--enable-api" not in command
    assert api_token({}) is None
    assert api_token({"RASA_API_TOKEN": "  "}) is None


def test_a_token_turns_the_api_on_behind_it() -> None:
    token = "t" * 32
    command = rasa_server_command(Ports(), api_token=api_token({"RASA_API_TOKEN": token}))
    assert command[command.index("--enable-api") + 1 :][:2] == ["--auth-token", token]


def test_a_short_token_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 24"):
        api_token({"RASA_API_TOKEN": "secret"})


def test_the_endpoints_file_is_on_the_command_line() -> None:
    command = rasa_server_command(Ports(), endpoints="endpoints.production.yml")
    assert command[command.index("--endpoints") + 1] == "endpoints.production.yml"


def test_the_rasa_server_starts_through_the_project_entry_point() -> None:
    """`python -m bot.rasa_server` installs the Rasa patches before Rasa runs."""
    command = rasa_server_command(Ports())
    assert command[1:4] == ["-m", "bot.rasa_server", "run"]


def test_workers_default_to_one_and_bad_values_are_refused() -> None:
    assert rasa_workers({}) == 1
    assert rasa_workers({"RASA_WORKERS": "2"}) == 2
    for bad in ("0", "two", "-1"):
        with pytest.raises(ValueError, match="RASA_WORKERS"):
            rasa_workers({"RASA_WORKERS": bad})


def test_several_workers_share_a_private_redis_lock_store(tmp_path, monkeypatch) -> None:
    import yaml

    import bot.ops.processes as processes

    monkeypatch.setattr(processes, "PROJECT_ROOT", tmp_path)
    (tmp_path / "endpoints.yml").write_text(
        "tracker_store:\n  type: sql\nlock_store:\n  type: in_memory\n"
    )
    env: dict[str, str] = {}
    path, redis = processes._with_shared_redis("endpoints.yml", env, 2)
    try:
        assert redis.ping()
        config = yaml.safe_load(open(path).read())
        assert config["lock_store"] == {
            "type": "redis",
            "url": "127.0.0.1",
            "port": redis.port,
            "db": 1,
        }
        assert config["tracker_store"] == {"type": "sql"}
        assert env["SANIC_WORKERS"] == "2"
        assert env["REDIS_URL"] == f"redis://127.0.0.1:{redis.port}/2"
    finally:
        redis.stop()


def test_make_run_uses_a_worker_per_core_where_redis_is_installed(monkeypatch) -> None:
    import bot.ops.serve as serve

    assert serve.default_workers({"RASA_WORKERS": "3"}, cores=8) == "3"
    monkeypatch.setattr(serve.shutil, "which", lambda name: "/usr/bin/redis-server")
    assert serve.default_workers({}, cores=2) == "2"
    assert serve.default_workers({}, cores=16) == "4"
    assert serve.default_workers({}, cores=1) == "1"
    monkeypatch.setattr(serve.shutil, "which", lambda name: None)
    monkeypatch.setattr(serve.Path, "exists", lambda self: False)
    assert serve.default_workers({}, cores=8) == "1"
