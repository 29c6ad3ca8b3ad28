"""A private Redis server from the Debian package (`redis-server`), for `make cluster` and
its tests: the lock store the Rasa replicas share."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from bot.ops.processes import free_port, stop_process, system_binary


class RedisServer:
    """`redis-server` on 127.0.0.1:port, without persistence (locks live for seconds)."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @staticmethod
    def binary() -> str:
        """The redis-server executable; a clear error when it is not installed."""
        return system_binary("redis-server", "/usr/bin/redis-server")

    def start(self, timeout: float = 20.0) -> None:
        """Start the server and wait until it answers PING."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        command = [
            self.binary(), "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(self.workdir),
            "--logfile", str(self.workdir / "redis.log"), "--daemonize", "no",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited; see {self.workdir / 'redis.log'}")
            if self.ping():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("redis-server did not answer PING in time")

    def ping(self) -> bool:
        """True when the server answers PING (plain RESP over a socket: no client needed)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server."""
        stop_process(self.process)
