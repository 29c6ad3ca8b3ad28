"""Starts the real action server and Rasa server on free ports for the REST tests."""

from __future__ import annotations

import json
import subprocess
import urllib.request
import uuid
from collections.abc import Callable, Iterator

import pytest

from bot.ops.processes import DEFAULT_MODEL, Ports, free_port, start_servers


@pytest.fixture(scope="session")
def enquiry_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The enquiry database the test servers write to (a fresh SQLite file)."""
    return f"sqlite:///{tmp_path_factory.mktemp('enquiries') / 'enquiries.db'}"


@pytest.fixture(scope="session")
def rasa_url(enquiry_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a Rasa server (with its action server) running the trained model."""
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make train` first")
    ports = Ports(rasa=free_port(), action=free_port())
    env = {
        "DATABASE_URL": enquiry_database_url,
        "ENQUIRY_SPOOL_DIR": str(tmp_path_factory.mktemp("spool")),
        # Every test talks from 127.0.0.1: one address, far more than a visitor's 60 a
        # minute. The per-sender limit stays on.
        "RATE_LIMIT_ADDRESS_MESSAGES": "0",
    }
    group = start_servers(
        ports, extra_env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield f"http://localhost:{ports.rasa}"
    finally:
        group.stop()


Chat = Callable[..., list[dict]]


@pytest.fixture
def chat(rasa_url: str) -> Chat:
    """Send messages as one new user over REST; returns the bot's messages for each."""
    sender = f"test-{uuid.uuid4().hex[:12]}"

    def send(message: str, metadata: dict | None = None) -> list[dict]:
        body = {"sender": sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        request = urllib.request.Request(
            f"{rasa_url}/webhooks/rest/webhook",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    return send
