"""The LINE channel's configuration: environment variables, and off when they are unset."""

from __future__ import annotations

import logging

import pytest
from rasa.shared.exceptions import RasaException

from bot.channels.line import (
    ENV_ACCESS_TOKEN,
    ENV_API_BASE_URL,
    ENV_CHANNEL_SECRET,
    LineInput,
)
from bot.channels.line_api import DEFAULT_API_BASE_URL
from tests.channels.conftest import (
    ACCESS_TOKEN,
    CHANNEL_SECRET,
    FakeLineApi,
    FakeRasa,
    start_line_server,
    text_event,
    webhook_body,
)


@pytest.fixture
def no_line_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No LINE_* variables, whatever the developer's shell has."""
    for variable in (ENV_CHANNEL_SECRET, ENV_ACCESS_TOKEN, ENV_API_BASE_URL):
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def test_the_channel_is_named_line() -> None:
    assert LineInput.name() == "line"
    assert LineInput(None, None).url_prefix() == "line"


@pytest.mark.parametrize("credentials", [None, {}, {"channel_secret": None}])
def test_without_secret_and_token_the_channel_is_off_with_one_warning(
    no_line_env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, credentials: dict | None
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.channels.line"):
        channel = LineInput.from_credentials(credentials)
    assert not channel.enabled
    (record,) = caplog.records
    assert "LINE channel is off" in record.message
    assert ENV_CHANNEL_SECRET in record.message and ENV_ACCESS_TOKEN in record.message


def test_a_missing_token_alone_is_named(
    no_line_env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    no_line_env.setenv(ENV_CHANNEL_SECRET, CHANNEL_SECRET)
    with caplog.at_level(logging.WARNING, logger="bot.channels.line"):
        assert not LineInput.from_credentials(None).enabled
    assert f"({ENV_ACCESS_TOKEN} not set)" in caplog.text


def test_the_environment_turns_the_channel_on(no_line_env: pytest.MonkeyPatch) -> None:
    no_line_env.setenv(ENV_CHANNEL_SECRET, CHANNEL_SECRET)
    no_line_env.setenv(ENV_ACCESS_TOKEN, ACCESS_TOKEN)
    channel = LineInput.from_credentials(None)
    assert channel.enabled
    assert channel.api._base_url == DEFAULT_API_BASE_URL
    no_line_env.setenv(ENV_API_BASE_URL, "http://127.0.0.1:9999/")
    assert LineInput.from_credentials(None).api._base_url == "http://127.0.0.1:9999"


def test_credentials_yml_values_win_over_the_environment(no_line_env: pytest.MonkeyPatch) -> None:
    no_line_env.setenv(ENV_API_BASE_URL, "http://127.0.0.1:9999")
    channel = LineInput.from_credentials(
        {
            "channel_secret": CHANNEL_SECRET,
            "access_token": ACCESS_TOKEN,
            "api_base_url": "http://127.0.0.1:8888",
        }
    )
    assert channel.enabled and channel.channel_secret == CHANNEL_SECRET
    assert channel.api._base_url == "http://127.0.0.1:8888"


def test_a_base_url_that_is_not_http_is_a_clear_error(no_line_env: pytest.MonkeyPatch) -> None:
    no_line_env.setenv(ENV_API_BASE_URL, "api.line.me")
    with pytest.raises(RasaException, match=ENV_API_BASE_URL):
        LineInput.from_credentials(None)


async def test_an_off_channel_answers_503_and_processes_nothing(
    no_line_env: pytest.MonkeyPatch, line_api: FakeLineApi, rasa: FakeRasa
) -> None:
    async for line in start_line_server(LineInput.from_credentials(None), rasa):
        resp = await line.post(webhook_body(text_event("hello")))
        assert resp.status == 503
        async with line.client.post(line.url + "/webhooks/line/webhook", data=b"{}") as off:
            assert off.status == 503
            assert "LINE_CHANNEL_SECRET" in (await off.json())["error"]
        async with line.client.get(line.url + "/webhooks/line/") as health:
            assert health.status == 503
            assert (await health.json())["status"] == "off"
    assert rasa.received == [] and line_api.replies == [] and line_api.pushes == []
