"""Shared pytest set-up: markers, telemetry off for anything that imports Rasa, and a
black-holed port for the tests of dead databases and Redis."""

import os
import socket
import threading
from collections.abc import Iterator

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


def pytest_configure(config):
    config.addinivalue_line("markers", "model: needs the trained model and running servers")


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port that accepts connections and never answers: a server whose packets vanish
    (not refused), the failure that freezes a client without timeouts."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])  # kept open, never read, never answered
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        listener.close()
