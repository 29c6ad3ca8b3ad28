"""A private PostgreSQL server from the Debian package's binaries (initdb + pg_ctl).

Throwaway for tests (a temporary directory), or kept under a given directory for
`make cluster`, so its conversations survive a restart of the cluster."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from bot.ops.processes import free_port


def find_bin_dir() -> Path | None:
    """Return the newest /usr/lib/postgresql/<version>/bin with initdb, or None."""
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not candidates:
        found = shutil.which("initdb")
        return Path(found).parent if found else None
    newest = max(candidates, key=lambda path: int(Path(path).parts[4].split(".")[0]))
    return Path(newest).parent


class PostgresServer:
    """initdb + pg_ctl in a temporary directory; runs as a non-root user (initdb refuses root)."""

    def __init__(self, bin_dir: Path, root: Path | None = None, port: int | None = None) -> None:
        self.bin_dir = bin_dir
        # Not pytest's tmp_path: its parents are private to root, and the server runs as
        # another user who must reach the data directory.
        self.throwaway = root is None
        self.root = root.resolve() if root else Path(tempfile.mkdtemp(prefix="iclei-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log = self.root / "server.log"
        self.port = port or free_port()
        self._user = self._os_user()
        self._databases = 0

    @staticmethod
    def _os_user() -> pwd.struct_passwd | None:
        """The user to run the server as: ourselves, or if root, `postgres` (else `nobody`)."""
        if os.geteuid() != 0:
            return None
        for name in ("postgres", "nobody"):
            try:
                return pwd.getpwnam(name)
            except KeyError:
                continue
        raise RuntimeError("running as root and no postgres/nobody user to run PostgreSQL as")

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL binary as the server's user."""
        kwargs: dict = {}
        if self._user is not None:
            kwargs = {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": []}
        return subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"},
            **kwargs,
        )

    @property
    def initialised(self) -> bool:
        """True when the data directory holds a cluster already."""
        return (self.data / "PG_VERSION").exists()

    def init(self) -> None:
        """Create the cluster (trust authentication: local use only)."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self._user is not None:
            for path in (self.root, self.socket_dir):
                os.chown(path, self._user.pw_uid, self._user.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--no-locale",
        )  # fmt: skip

    def start(self) -> None:
        """Start the server on 127.0.0.1:port and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        if self.throwaway:
            options += " -c fsync=off -c full_page_writes=off"  # speed; the data go anyway
        result = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start",
            check=False,
        )  # fmt: skip
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {result.stderr}\n{log}")

    def stop(self) -> None:
        """Stop the server (fast shutdown: clients are disconnected)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """Create a database (a fresh numbered one unless `name` is given; a named one that
        exists already is kept) and return its URL."""
        import psycopg2

        if name is None:
            self._databases += 1
            name = f"enquiries_{self._databases}"
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres"
        )
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cursor.fetchone() is None:
                    cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return self.url(name)

    def cleanup(self) -> None:
        """Stop the server and delete its files."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
