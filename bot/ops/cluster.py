"""`make cluster`: the production layout on one machine.

    clients ──► nginx :8080 ──► Rasa replica 1 ─┐            ┌─► action server 1
                            └─► Rasa replica 2 ─┴► nginx ────┴─► action server 2
                                  │     │         (actions port)        │
                         PostgreSQL     Redis                    PostgreSQL
                       (tracker store) (lock store)         (enquiry database)

Every process is a real server: nginx, PostgreSQL and Redis from Debian packages, the Rasa
and action servers as `make run` starts them but with endpoints.production.yml. The
directory (var/cluster by default) keeps PostgreSQL's data, so conversations and enquiries
survive a restart of the cluster; logs go to <dir>/logs.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.ops.nginx import NginxBalancer, render_config
from bot.ops.postgres import PostgresServer, find_bin_dir
from bot.ops.processes import (
    DEFAULT_MODEL,
    Ports,
    ServerGroup,
    action_server_command,
    api_token,
    free_port,
    rasa_server_command,
    server_env,
    wait_for_http,
)
from bot.ops.redis_server import RedisServer

PRODUCTION_ENDPOINTS = "endpoints.production.yml"
TRACKER_DATABASE = "iclei_tracker"
ENQUIRY_DATABASE = "iclei_enquiries"


@dataclass
class ClusterPorts:
    """Where each part of the cluster listens (free ports unless given)."""

    front: int = field(default_factory=free_port)
    actions: int = field(default_factory=free_port)
    rasa: tuple[int, ...] = field(default_factory=lambda: (free_port(), free_port()))
    action_servers: tuple[int, ...] = field(default_factory=lambda: (free_port(), free_port()))


def replica_env(postgres: PostgresServer, redis: RedisServer, actions_port: int) -> dict[str, str]:
    """The environment endpoints.production.yml reads, for this cluster's services."""
    return {
        "RASA_ENDPOINTS": PRODUCTION_ENDPOINTS,
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        # One secret for the cluster: the replicas send it, the action servers require it.
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32),
        "TRACKER_DB_HOST": "127.0.0.1",
        "TRACKER_DB_PORT": str(postgres.port),
        "TRACKER_DB_NAME": TRACKER_DATABASE,
        "TRACKER_DB_USER": "postgres",
        "TRACKER_DB_PASSWORD": "",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis.port),
        "REDIS_PASSWORD": "",
        "REDIS_DB": "1",
        # The channels' shared state (rate limit, LINE de-duplication) in the same Redis.
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/2",
        # nginx is the replicas' peer: the client is the address it puts in X-Forwarded-For.
        "TRUSTED_PROXIES": "127.0.0.1",
    }


class Cluster:
    """Starts and stops every process of the cluster, in dependency order."""

    def __init__(
        self,
        directory: Path,
        model: Path = DEFAULT_MODEL,
        ports: ClusterPorts | None = None,
        keep_data: bool = True,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.directory = directory.resolve()
        self.model = model
        self.ports = ports or ClusterPorts()
        self.extra_env = extra_env or {}
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed: run `make system-deps`")
        self.postgres = PostgresServer(bin_dir, self.directory / "postgres" if keep_data else None)
        self.redis = RedisServer(self.directory / "redis")
        self.nginx = NginxBalancer(
            self.directory / "nginx",
            render_config(
                self.directory / "nginx",
                self.ports.front,
                self.ports.rasa,
                self.ports.actions,
                self.ports.action_servers,
                rate_per_second=0
                if os.environ.get("RATE_LIMIT_MESSAGES", "").strip() == "0"
                else 5,
            ),
        )
        self.servers = ServerGroup()
        self._logs: list = []

    @property
    def url(self) -> str:
        """The load balancer's URL: what clients use."""
        return f"http://127.0.0.1:{self.ports.front}"

    @property
    def replica_urls(self) -> list[str]:
        """Each Rasa replica's own URL (tests address them directly)."""
        return [f"http://127.0.0.1:{port}" for port in self.ports.rasa]

    def tracker_database_url(self) -> str:
        """SQLAlchemy URL of the tracker store's database."""
        return self.postgres.url(TRACKER_DATABASE)

    def _log(self, name: str):
        logs = self.directory / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        handle = open(logs / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self._logs.append(handle)
        return handle

    def start(self) -> None:
        """Start everything and wait until the load balancer answers through both replicas."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        if not self.postgres.initialised:
            self.postgres.init()
        self.postgres.start()
        self.postgres.create_database(TRACKER_DATABASE)
        enquiries_url = self.postgres.create_database(ENQUIRY_DATABASE)
        self.redis.start()
        env = server_env(Ports(), replica_env(self.postgres, self.redis, self.ports.actions))
        env.update(
            DATABASE_URL=enquiries_url,
            ENQUIRY_SPOOL_DIR=str(self.directory / "spool"),
            **self.extra_env,
        )
        for number, port in enumerate(self.ports.action_servers, start=1):
            command = action_server_command(Ports(action=port))
            log = self._log(f"actions-{number}")
            self.servers.start(command, env, stdout=log, stderr=subprocess.STDOUT)
        for port in self.ports.action_servers:
            if not wait_for_http(f"http://127.0.0.1:{port}/health", self.servers):
                raise RuntimeError(f"an action server did not start; see {self.directory}/logs")
        self.nginx.start(f"http://127.0.0.1:{self.ports.actions}/health")
        token = api_token(env)
        # One replica after the other: the first creates the tracker tables, and two
        # processes racing to CREATE TABLE in PostgreSQL would fail one of them.
        for number, port in enumerate(self.ports.rasa, start=1):
            command = rasa_server_command(
                Ports(rasa=port), self.model, endpoints=PRODUCTION_ENDPOINTS, api_token=token
            )
            log = self._log(f"rasa-{number}")
            self.servers.start(command, env, stdout=log, stderr=subprocess.STDOUT)
            if not wait_for_http(f"http://127.0.0.1:{port}/", self.servers):
                raise RuntimeError(
                    f"Rasa replica {number} did not start; see {self.directory}/logs"
                )

    def stop(self) -> None:
        """Stop everything, front to back; delete the data unless they are kept."""
        self.servers.stop()
        self.nginx.stop()
        self.redis.stop()
        if self.postgres.throwaway:
            self.postgres.cleanup()
        else:
            self.postgres.stop()
        for handle in self._logs:
            handle.close()
        self._logs.clear()


def run(directory: Path, model: Path, port: int) -> int:
    """`python -m bot cluster`: start the cluster, print how to reach it, run until Ctrl-C."""
    if not model.exists():
        print(f"No trained model at {model}: run `make train` first.", file=sys.stderr)
        return 1
    cluster = Cluster(directory, model, ClusterPorts(front=port))
    stopping = False

    def handler(signum: int, _frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    started = time.monotonic()
    print(f"Starting PostgreSQL, Redis, 2 action servers, nginx, 2 Rasa replicas in {directory}")
    try:
        cluster.start()
        print(
            f"\nThe cluster is up after {time.monotonic() - started:.0f} s.\n"
            f"  Load balancer: {cluster.url}  (REST: {cluster.url}/webhooks/rest/webhook,"
            f" widget: {cluster.url}/webhooks/webchat/)\n"
            f"  Replicas:      {', '.join(cluster.replica_urls)}\n"
            f"  Tracker store: {cluster.tracker_database_url()}\n"
            f"  Lock store:    redis://127.0.0.1:{cluster.redis.port}/1\n"
            f"  Logs:          {directory}/logs\n"
            "Ctrl-C stops everything.",
            flush=True,
        )
        while (code := cluster.servers.first_exit()) is None:
            time.sleep(0.5)
        print(f"A server exited with code {code}; stopping the cluster.", file=sys.stderr)
        return code or 1
    except KeyboardInterrupt:
        print("\nStopping the cluster ...", flush=True)
        return 0
    finally:
        cluster.stop()
