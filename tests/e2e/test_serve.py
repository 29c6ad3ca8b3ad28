"""`make run`'s launcher: both servers on the configured ports; SIGTERM stops both."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from bot.ops.processes import PROJECT_ROOT, free_port

pytestmark = pytest.mark.model


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_serve_answers_on_the_ports_and_stops_on_sigterm(tmp_path):
    rasa_port, action_port = free_port(), free_port()
    env = dict(os.environ, RASA_PORT=str(rasa_port), ACTION_PORT=str(action_port))
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"], cwd=PROJECT_ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        log_text = (tmp_path / "serve.log").read_text
        while "The ICLEI assistant is up" not in log_text() and time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            time.sleep(1)
        output = (tmp_path / "serve.log").read_text()
        assert f"localhost:{rasa_port}/webhooks/rest/webhook" in output
        body = json.dumps({"sender": "serve-test", "message": "hello"}).encode()
        request = urllib.request.Request(
            f"http://localhost:{rasa_port}/webhooks/rest/webhook", data=body,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.loads(response.read())
        assert _listening(action_port)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert process.returncode == 0
    assert not _listening(rasa_port) and not _listening(action_port)
