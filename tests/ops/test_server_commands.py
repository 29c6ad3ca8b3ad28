"""The Rasa server's command line: endpoints file and HTTP API token from the environment."""

from __future__ import annotations

import pytest

from bot.ops.processes import Ports, api_token, rasa_server_command


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
