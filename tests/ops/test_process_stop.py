"""Stopping a server stops its forked workers too, even one that missed its SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil

from bot.ops.processes import PROJECT_ROOT, ServerGroup, free_port, stop_process
from bot.rasa_server import _reset_worker_signals

# A parent like Sanic's multi-worker runner in the failure seen in CI: its worker ignored
# SIGTERM and serves on, the parent ignores SIGTERM while it waits for that worker.
STUBBORN_SERVER = textwrap.dedent(
    """
    import os, signal, socket, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(sys.argv[1])))
    sock.listen()
    if os.fork() == 0:
        while True:
            time.sleep(1)
    sock.close()
    print("ready", flush=True)
    while True:
        time.sleep(1)
    """
)


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _start_stubborn(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", STUBBORN_SERVER, str(port)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "ready"
    assert _listening(port)
    return process


def test_group_stop_kills_a_worker_that_outlives_its_parent():
    port = free_port()
    group = ServerGroup()
    group.processes.append(_start_stubborn(port))
    worker = psutil.Process(group.processes[0].pid).children()[0]
    started = time.monotonic()
    group.stop(timeout=2)
    assert time.monotonic() - started < 10
    assert not worker.is_running() or worker.status() == psutil.STATUS_ZOMBIE
    assert not _listening(port)


def test_stop_process_kills_a_worker_that_outlives_its_parent():
    port = free_port()
    process = _start_stubborn(port)
    worker = psutil.Process(process.pid).children()[0]
    stop_process(process, timeout=1)
    assert not worker.is_running() or worker.status() == psutil.STATUS_ZOMBIE
    assert not _listening(port)


def test_a_forked_worker_ends_on_sigterm_before_sanic_takes_over():
    # The Rasa server's runner installs a forwarding SIGTERM handler before it forks; the
    # worker must not inherit it (bot/rasa_server.py), or a SIGTERM during model loading
    # is lost.
    script = textwrap.dedent(
        """
        import os, signal, sys, time
        from bot.rasa_server import _reset_worker_signals
        signal.signal(signal.SIGTERM, lambda *_: None)
        if sys.argv[1] == "reset":
            os.register_at_fork(after_in_child=_reset_worker_signals)
        child = os.fork()
        if child == 0:
            time.sleep(30)
            os._exit(0)
        time.sleep(0.5)
        os.kill(child, signal.SIGTERM)
        started = time.monotonic()
        while time.monotonic() - started < 3:
            pid, status = os.waitpid(child, os.WNOHANG)
            if pid:
                print("ended", flush=True)
                sys.exit(0)
            time.sleep(0.05)
        os.kill(child, signal.SIGKILL)
        print("survived", flush=True)
        """
    )
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))

    def run(mode: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", script, mode], env=env, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        return result.stdout.strip()

    assert run("inherit") == "survived"  # the failure, reproduced
    assert run("reset") == "ended"


def test_a_worker_leaves_sigint_to_its_parent():
    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        _reset_worker_signals()
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
