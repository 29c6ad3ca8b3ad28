"""`python -m bot serve` and `python -m bot shell`: what `make run` and `make shell` start."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.ops.processes import (
    DEFAULT_MODEL,
    PROJECT_ROOT,
    Ports,
    ServerGroup,
    action_server_command,
    endpoints_file,
    server_env,
    start_servers,
    wait_for_http,
)


def _stop_on_signals(group: ServerGroup) -> None:
    def handler(signum: int, _frame: object) -> None:
        print(f"\nStopping (signal {signum}) ...", flush=True)
        group.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def serve(model: Path = DEFAULT_MODEL) -> int:
    """Run both servers until one of them ends or SIGTERM / Ctrl-C arrives."""
    ports = Ports.from_env()
    print(f"Starting the action server on :{ports.action} and Rasa on :{ports.rasa} ...")
    # Handlers first: a SIGTERM during the start-up must stop what has started too.
    group = ServerGroup()
    _stop_on_signals(group)
    try:
        start_servers(ports, model, group=group)
    except ValueError as error:  # a bad setting, e.g. a short RASA_API_TOKEN
        print(f"Not started: {error}", file=sys.stderr)
        group.stop()
        return 2
    base = f"http://localhost:{ports.rasa}"
    print(
        "\nThe ICLEI assistant is up.\n"
        f"  REST:  curl -s {base}/webhooks/rest/webhook -H 'Content-Type: application/json' "
        """-d '{"sender": "me", "message": "ICLEIとは？"}'\n"""
        f"  Shell: make shell\n"
        "Ctrl-C stops both servers.",
        flush=True,
    )
    while (code := group.first_exit()) is None:
        time.sleep(0.5)
    print(f"A server exited with code {code}; stopping the other.", flush=True)
    group.stop()
    return code


def shell(model: Path = DEFAULT_MODEL) -> int:
    """The staff shell (`rasa shell`) against the model, with the action server up."""
    ports = Ports.from_env()
    env = server_env(ports)
    group = ServerGroup()
    group.start(action_server_command(ports), env, stdout=subprocess.DEVNULL)
    try:
        if not wait_for_http(f"http://localhost:{ports.action}/health", group):
            print("The action server did not start.", file=sys.stderr)
            return 1
        command = [
            str(Path(sys.executable).parent / "rasa"),
            "shell",
            "--model",
            str(model),
            "--endpoints",
            endpoints_file(env),
            "--port",
            str(ports.rasa),
        ]
        return subprocess.call(command, cwd=PROJECT_ROOT, env=env)
    finally:
        group.stop()
