"""Start, watch and stop the two server processes: the action server and the Rasa server."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = PROJECT_ROOT / "models" / "iclei.tar.gz"
MIN_API_TOKEN_CHARS = 24


@dataclass(frozen=True)
class Ports:
    """The ports the Rasa server and the action server listen on."""

    rasa: int = 5005
    action: int = 5055

    @classmethod
    def from_env(cls) -> Ports:
        """Ports from RASA_PORT and ACTION_PORT, falling back to the defaults."""
        return cls(
            rasa=int(os.environ.get("RASA_PORT", "5005")),
            action=int(os.environ.get("ACTION_PORT", "5055")),
        )


def endpoints_file(env: dict[str, str] | None = None) -> str:
    """The endpoints file the Rasa server reads: RASA_ENDPOINTS, else endpoints.yml (SQLite
    tracker store, in-memory lock store). endpoints.production.yml is the PostgreSQL + Redis
    one that `make cluster` and a deployment use."""
    env = os.environ if env is None else env
    return env.get("RASA_ENDPOINTS", "").strip() or "endpoints.yml"


def api_token(env: dict[str, str] | None = None) -> str | None:
    """RASA_API_TOKEN: set, it turns Rasa's HTTP API on behind this token; unset, it is off.
    A short token is refused: it would be guessable."""
    env = os.environ if env is None else env
    token = env.get("RASA_API_TOKEN", "").strip()
    if not token:
        return None
    if len(token) < MIN_API_TOKEN_CHARS:
        raise ValueError(f"RASA_API_TOKEN must be at least {MIN_API_TOKEN_CHARS} characters")
    return token


def system_binary(name: str, *fallbacks: str) -> str:
    """A Debian package's executable: on PATH, else at one of `fallbacks` (sbin is not always
    on PATH); a clear error when it is not installed."""
    found = shutil.which(name) or next((path for path in fallbacks if Path(path).exists()), None)
    if not found:
        raise RuntimeError(f"{name} is not installed: run `make system-deps`")
    return found


def _descendants(process: subprocess.Popen) -> list[psutil.Process]:
    try:
        return psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _kill_leftovers(children: list[psutil.Process], timeout: float) -> None:
    """Wait up to `timeout` for `children` (a server's forked workers) to end, then SIGKILL
    the rest: a worker that outlives its parent would keep serving on the port."""
    _, alive = psutil.wait_procs(children, timeout=timeout)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)


def stop_process(process: subprocess.Popen | None, timeout: float = 10.0) -> None:
    """SIGTERM `process`, then SIGKILL it (and what it forked) if still alive after `timeout`."""
    if process is not None:
        ServerGroup([process]).stop(timeout)


def free_port() -> int:
    """A TCP port on localhost that is free right now (for tests and benchmarks)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(ports: Ports, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment both servers run with (telemetry off, action URL from the port)."""
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL=env.get("TF_CPP_MIN_LOG_LEVEL", "2"),
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        RASA_PORT=str(ports.rasa),
        ACTION_PORT=str(ports.action),
        ACTION_ENDPOINT_URL=f"http://localhost:{ports.action}/webhook",
        # The secret only the Rasa server knows (bot/action_server.py): fresh for each start.
        ACTION_SERVER_TOKEN=env.get("ACTION_SERVER_TOKEN") or secrets.token_urlsafe(32),
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])),
    )
    env.update(extra or {})
    return env


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def action_server_command(ports: Ports) -> list[str]:
    """The command line of the action server (rasa_sdk serving `actions/`)."""
    return [sys.executable, "-m", "bot.action_server", "--port", str(ports.action)]


def rasa_server_command(
    ports: Ports,
    model: Path = DEFAULT_MODEL,
    credentials: str | Path = "credentials.yml",
    endpoints: str | Path | None = None,
    api_token: str | None = None,
) -> list[str]:
    """The command line of the Rasa server with this project's channels (or those of another
    credentials file, for tests) and endpoints (see `endpoints_file`).

    Rasa's HTTP API (models, trackers, events) stays off unless `api_token` is given: then it
    is on and every call must carry the token. There is no way to turn it on without one."""
    api = ["--enable-api", "--auth-token", api_token] if api_token else []
    return [
        sys.executable,
        "-m",
        "bot.rasa_server",
        "run",
        "--model",
        str(model),
        "--port",
        str(ports.rasa),
        "--credentials",
        str(credentials),
        "--endpoints",
        str(endpoints or endpoints_file()),
        *api,
    ]


@dataclass
class ServerGroup:
    """The running processes of one deployment, stopped together."""

    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self, command: Sequence[str], env: dict[str, str], **kwargs: object) -> None:
        """Start one process in the project root."""
        (PROJECT_ROOT / "var").mkdir(exist_ok=True)
        self.processes.append(
            subprocess.Popen(list(command), cwd=PROJECT_ROOT, env=env, **kwargs)  # type: ignore[arg-type]
        )

    def first_exit(self) -> int | None:
        """The exit code of the first process that has ended, or None while all run."""
        for process in self.processes:
            code = process.poll()
            if code is not None:
                return code
        return None

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM every process, then SIGKILL what is still alive after `timeout`, forked
        workers included."""
        children = [child for process in self.processes for child in _descendants(process)]
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        _kill_leftovers(children, timeout=max(0.1, deadline - time.monotonic()))


def wait_for_http(url: str, group: ServerGroup, timeout: float = 180.0) -> bool:
    """Poll `url` until it answers 200; False if a process died or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if group.first_exit() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    return False


def rasa_workers(env: dict[str, str] | None = None) -> int:
    """RASA_WORKERS: how many Sanic worker processes the Rasa server runs (default 1)."""
    env = os.environ if env is None else env
    raw = env.get("RASA_WORKERS", "").strip() or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"RASA_WORKERS must be a whole number >= 1, not {raw!r}")
    return int(raw)


def _with_shared_redis(endpoints: str, env: dict[str, str], workers: int) -> tuple[str, Any]:
    """Several Sanic workers need what several replicas need: a lock store they share
    (Rasa refuses workers with the in-memory one) and shared channel limits. Starts a
    private redis-server (Debian) under var/redis and returns an endpoints file using it."""
    import yaml

    from bot.ops.redis_server import RedisServer

    redis = RedisServer(PROJECT_ROOT / "var" / "redis")
    redis.start()
    config = yaml.safe_load((PROJECT_ROOT / endpoints).read_text(encoding="utf-8"))
    config["lock_store"] = {"type": "redis", "url": "127.0.0.1", "port": redis.port, "db": 1}
    path = PROJECT_ROOT / "var" / "redis" / "endpoints.workers.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env.update(SANIC_WORKERS=str(workers), REDIS_URL=f"redis://127.0.0.1:{redis.port}/2")
    return str(path), redis


def start_servers(
    ports: Ports,
    model: Path = DEFAULT_MODEL,
    extra_env: dict[str, str] | None = None,
    credentials: str | Path = "credentials.yml",
    group: ServerGroup | None = None,
    **kwargs,
) -> ServerGroup:
    """Start the action server and the Rasa server (into `group`) and wait until both answer."""
    env = server_env(ports, extra_env)
    group = group if group is not None else ServerGroup()
    endpoints = endpoints_file(env)
    workers = rasa_workers(env)
    redis = None
    if workers > 1:
        endpoints, redis = _with_shared_redis(endpoints, env, workers)
    try:
        group.start(action_server_command(ports), env, **kwargs)
        command = rasa_server_command(ports, model, credentials, endpoints, api_token(env))
        group.start(command, env, **kwargs)
    finally:
        if redis is not None:  # after the two servers: callers find them first in the group
            group.processes.append(redis.process)
    ready = wait_for_http(f"http://localhost:{ports.action}/health", group) and wait_for_http(
        f"http://localhost:{ports.rasa}/", group
    )
    if not ready:
        group.stop()
        raise RuntimeError("the servers did not start; see their output above")
    return group
