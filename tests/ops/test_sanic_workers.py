"""Each Sanic worker listens on its own socket (bot/sanic_workers.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from bot.ops.processes import PROJECT_ROOT, free_port

APP = """
import os, sys
from sanic import Sanic, response
from bot import sanic_workers
from bot.rasa_server import _reset_worker_signals

# As `python -m bot.rasa_server` does: without it a worker that gets SIGTERM before Sanic
# installs its handler drops it and the parent waits for ever (a CI run hung on it).
os.register_at_fork(after_in_child=_reset_worker_signals)
if sys.argv[2] == "ours":
    sanic_workers.install()
app = Sanic("workers_test")

@app.get("/")
async def pid(_request):
    return response.text(str(os.getpid()))

app.run(host="127.0.0.1", port=int(sys.argv[1]), workers=2, access_log=False)
"""


def _listening_sockets(pid: int, port: int) -> set[str]:
    """The socket inodes `pid` listens on at `port` (one shared socket has one inode)."""
    inodes = set()
    for conn in psutil.Process(pid).connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port:
            inodes.add(os.readlink(f"/proc/{pid}/fd/{conn.fd}"))
    return inodes


def _serve(tmp_path: Path, which: str):
    script = tmp_path / "app.py"
    script.write_text(APP)
    port = free_port()
    parent = subprocess.Popen(
        [sys.executable, str(script), str(port), which],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        workers = psutil.Process(parent.pid).children()
        if len(workers) == 2 and all(_listening_sockets(w.pid, port) for w in workers):
            break
        if time.monotonic() > deadline or parent.poll() is not None:
            parent.kill()
            pytest.fail("the two workers did not start listening")
        time.sleep(0.2)
    return parent, port, workers


def _stop(parent: subprocess.Popen) -> None:
    workers = psutil.Process(parent.pid).children()
    parent.send_signal(signal.SIGTERM)
    try:
        parent.wait(timeout=15)
    except subprocess.TimeoutExpired:
        for process in [*workers, parent]:  # leave no worker holding the port
            process.kill()
        raise


def test_each_worker_listens_on_its_own_socket_and_both_answer(tmp_path):
    parent, port, workers = _serve(tmp_path, "ours")
    try:
        sockets = [_listening_sockets(w.pid, port) for w in workers]
        assert len(sockets[0]) == 1 and len(sockets[1]) == 1
        assert sockets[0] != sockets[1]  # two sockets, not one shared
        assert not _listening_sockets(parent.pid, port)  # the parent accepts nothing
        # New connections are spread by the kernel: 40 in a row all on one worker would
        # happen once in 2**39 with two sockets.
        answered = set()
        for _ in range(40):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
                answered.add(int(reply.read()))
        assert answered == {w.pid for w in workers}
    finally:
        _stop(parent)
    assert parent.returncode == 0
    assert all(not psutil.pid_exists(w.pid) or w.status() == psutil.STATUS_ZOMBIE for w in workers)


def test_sanics_own_runner_shares_one_socket(tmp_path):
    """What the patch changes: without it both workers accept from the parent's socket."""
    parent, port, workers = _serve(tmp_path, "sanic")
    try:
        sockets = [_listening_sockets(w.pid, port) for w in workers]
        assert sockets[0] == sockets[1]
        assert _listening_sockets(parent.pid, port) == sockets[0]
    finally:
        _stop(parent)
