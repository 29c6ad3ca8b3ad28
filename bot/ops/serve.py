"""`python -m bot serve` and `python -m bot shell`: what `make run` and `make shell` start."""

from __future__ import annotations

import os
import shutil
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
    start_servers,
)


def _stop_on_signals(group: ServerGroup) -> None:
    def handler(signum: int, _frame: object) -> None:
        print(f"\nStopping (signal {signum}) ...", flush=True)
        group.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


# Each worker holds a model (about 1.2 GB); past 4 the action server becomes the bottleneck.
MAX_DEFAULT_WORKERS = 4


def default_workers(env: dict[str, str] | None = None, cores: int | None = None) -> str:
    """RASA_WORKERS for `make run`: as set, else one Sanic worker per core (at most 4) on a
    multi-core machine with redis-server installed (the lock store several workers need),
    else 1. Rasa runs one worker on one core otherwise: half of a 2-core machine idles."""
    env = os.environ if env is None else env
    if env.get("RASA_WORKERS", "").strip():
        return env["RASA_WORKERS"].strip()
    cores = cores or os.cpu_count() or 1
    has_redis = shutil.which("redis-server") or Path("/usr/bin/redis-server").exists()
    return str(min(cores, MAX_DEFAULT_WORKERS)) if cores > 1 and has_redis else "1"


def serve(model: Path = DEFAULT_MODEL) -> int:
    """Run both servers until one of them ends or SIGTERM / Ctrl-C arrives."""
    ports = Ports.from_env()
    workers = default_workers()
    print(
        f"Starting the action server on :{ports.action} and Rasa on :{ports.rasa} "
        f"({workers} worker{'s' if workers != '1' else ''}) ..."
    )
    # Handlers first: a SIGTERM during the start-up must stop what has started too.
    group = ServerGroup()
    _stop_on_signals(group)
    try:
        start_servers(ports, model, extra_env={"RASA_WORKERS": workers}, group=group)
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


def shell(model: Path = DEFAULT_MODEL, explain: bool = False) -> int:
    """The explaining staff shell (bot/staff/shell.py) against the model, servers started."""
    import secrets

    from bot.staff.shell import Shell, Transport, read_lines

    ports = Ports.from_env()
    token = secrets.token_urlsafe(24)  # Rasa's API for this shell only, never without a token
    log_path = PROJECT_ROOT / "var" / "shell.log"
    log_path.parent.mkdir(exist_ok=True)
    print(f"Starting the assistant (log: {log_path}) ...")
    with log_path.open("ab") as log:
        try:
            group = start_servers(
                ports,
                model,
                extra_env={"RASA_API_TOKEN": token, "RATE_LIMIT_MESSAGES": "0"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        except RuntimeError as error:
            print(f"{error} ({log_path})", file=sys.stderr)
            return 1
        try:
            Shell(Transport(f"http://localhost:{ports.rasa}", token), explain_always=explain).run(
                read_lines()
            )
        finally:
            group.stop()
    return 0
