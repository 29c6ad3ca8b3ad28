"""Starting and stopping each assistant for a measurement, one at a time.

Both run as `rasa run` with a REST channel on a free port, telemetry off. Start-up time is
from spawning the servers (ours: the action server and the Rasa server, via
`bot.ops.processes.start_servers`) to the first successful answer on the REST webhook.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
import yaml

from bench import procstats, template
from bench.messages import MESSAGES
from bot.ops.processes import (
    PROJECT_ROOT,
    Ports,
    ServerGroup,
    free_port,
    server_env,
    start_servers,
    wait_for_http,
)

WEBHOOK_PATH = "/webhooks/rest/webhook"
START_TIMEOUT = 300.0
ENDPOINTS_FILE = PROJECT_ROOT / "endpoints.yml"
DOMAIN_FILE = PROJECT_ROOT / "domain.yml"


@dataclass
class Running:
    """One assistant's running servers."""

    name: str
    group: ServerGroup
    base_url: str
    rasa_pid: int
    action_pid: int | None
    startup_seconds: float = 0.0

    @property
    def webhook(self) -> str:
        """The REST webhook URL."""
        return self.base_url + WEBHOOK_PATH

    def check_alive(self) -> None:
        """Raise RuntimeError when one of the servers has exited."""
        code = self.group.first_exit()
        if code is not None:
            raise RuntimeError(f"{self.name}: a server exited with code {code}")

    def memory(self) -> tuple[procstats.Memory, procstats.Memory | None]:
        """Memory of the Rasa server and of the action server (None without one)."""
        action = procstats.memory(self.action_pid) if self.action_pid else None
        return procstats.memory(self.rasa_pid), action

    def cpu_seconds(self) -> float:
        """CPU time the servers have used so far, added up."""
        pids = [self.rasa_pid] + ([self.action_pid] if self.action_pid else [])
        return sum(procstats.cpu_seconds(pid) for pid in pids)


def answers(url: str, message: str = MESSAGES[0]) -> bool:
    """True when the webhook answers `message` with 200 and a JSON list."""
    body = json.dumps({"sender": f"bench-start-{uuid.uuid4().hex[:8]}", "message": message})
    request = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status == 200 and isinstance(json.loads(response.read()), list)
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return False


def wait_for_answer(running: Running, timeout: float = START_TIMEOUT) -> None:
    """Poll the webhook until it answers; RuntimeError if a server died or time ran out."""
    deadline = time.monotonic() + timeout
    while not answers(running.webhook):
        running.check_alive()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{running.name}: no answer on {running.webhook}")
        time.sleep(0.2)


def listening_workers(rasa_pid: int, port: int) -> int:
    """How many of the Rasa server's forked workers listen on `port` (each binds its own
    socket once its model is loaded: bot/sanic_workers.py)."""
    count = 0
    for child in psutil.Process(rasa_pid).children():
        try:
            sockets = child.connections(kind="tcp")
        except psutil.Error:
            continue
        count += any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in sockets)
    return count


def wait_for_workers(
    running: Running, port: int, workers: int, timeout: float = START_TIMEOUT
) -> None:
    """Wait until every worker listens. A level's clients keep their connections, so
    connecting while one worker is still loading would leave the other core idle."""
    deadline = time.monotonic() + timeout
    while listening_workers(running.rasa_pid, port) < workers:
        running.check_alive()
        if time.monotonic() > deadline:
            raise RuntimeError(f"{running.name}: {workers} workers not all listening")
        time.sleep(0.2)


def bench_endpoints(workdir: Path, source: Path = ENDPOINTS_FILE) -> Path:
    """A copy of the project's endpoints.yml whose SQLite tracker store lives in `workdir`,
    so benchmark conversations neither pile up in var/tracker.db nor show in `bot report`."""
    endpoints = yaml.safe_load(source.read_text())
    store = endpoints.get("tracker_store") or {}
    if store.get("dialect") == "sqlite":
        store["db"] = str(workdir / "tracker.db")
    path = workdir / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints, allow_unicode=True))
    return path


def apology_texts(domain_file: Path = DOMAIN_FILE) -> tuple[str, ...]:
    """The English and Japanese texts our channels send instead of an answer when an action
    failed, the assistant said nothing or the server is busy (`utter_channel_unavailable`,
    `utter_channel_busy` in domain.yml; read as YAML: importing the channels would load
    TensorFlow). Empty when they are not found."""
    responses = (yaml.safe_load(domain_file.read_text()) or {}).get("responses") or {}
    return tuple(
        variation["text"]
        for name in ("utter_channel_unavailable", "utter_channel_busy")
        for variation in responses.get(name, [])
        if isinstance(variation, dict) and isinstance(variation.get("text"), str)
    )


@contextmanager
def ours(model: Path, workdir: Path, log: Path, workers: int = 1) -> Iterator[Running]:
    """Our action server and Rasa server (every channel limit off), stopped on exit; with
    `workers` > 1, Rasa's Sanic workers and the private Redis they share (RASA_WORKERS)."""
    ports = Ports(rasa=free_port(), action=free_port())
    # The one-process set-up of `make run` whatever the caller's environment: no HTTP API,
    # no Redis, endpoints.yml (with its SQLite file in `workdir`).
    extra_env = {
        "RATE_LIMIT_MESSAGES": "0",
        "RASA_ENDPOINTS": str(bench_endpoints(workdir)),
        "RASA_API_TOKEN": "",
        "REDIS_URL": "",
        "RASA_WORKERS": str(workers),
    }
    with log.open("ab") as output:
        start = time.perf_counter()
        group = start_servers(
            ports, model, extra_env=extra_env, stdout=output, stderr=subprocess.STDOUT
        )
        action, rasa = group.processes[:2]
        running = Running("ours", group, f"http://localhost:{ports.rasa}", rasa.pid, action.pid)
        try:
            wait_for_answer(running)
            running.startup_seconds = time.perf_counter() - start
            if workers > 1:
                wait_for_workers(running, ports.rasa, workers)
            yield running
        finally:
            group.stop()


@contextmanager
def starter(project: Path, model: Path, log: Path) -> Iterator[Running]:
    """Rasa's starter assistant in `project` (no action server), stopped on exit."""
    port = free_port()
    group = ServerGroup()
    with log.open("ab") as output:
        start = time.perf_counter()
        # Not group.start: that runs in our project root, the starter runs in its own.
        process = subprocess.Popen(
            template.server_command(project, model, port),
            cwd=project,
            env=server_env(Ports(rasa=port, action=free_port())),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        group.processes.append(process)
        running = Running("template", group, f"http://localhost:{port}", process.pid, None)
        try:
            if not wait_for_http(running.base_url + "/", group, START_TIMEOUT):
                raise RuntimeError(f"template: the Rasa server did not start; see {log}")
            wait_for_answer(running)
            running.startup_seconds = time.perf_counter() - start
            yield running
        finally:
            group.stop()
