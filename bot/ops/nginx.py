"""nginx from the Debian package as the load balancer of `make cluster`.

One front port spreads the channels' requests (REST, widget, LINE) over the Rasa replicas;
a second port spreads the Rasa servers' action calls over the action servers. Round robin,
no sticky sessions: the shared tracker store and lock store make any replica right for any
message.
"""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from bot.ops.processes import stop_process, system_binary

CONFIG_TEMPLATE = """\
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    # The access log names the replica that answered ($upstream_addr); no bodies, so no
    # personal data from enquiries.
    log_format upstream '$time_iso8601 $request_method $uri $status $upstream_addr '
                        '$request_time';
    access_log {prefix}/access.log upstream;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    # Above the channels' own limits, so they answer oversized bodies themselves.
    client_max_body_size 2m;
{limits_zone}
    upstream rasa_replicas {{
{rasa_servers}
        keepalive 32;
    }}

    upstream action_servers {{
{action_servers}
        keepalive 32;
    }}

    server {{
        listen 127.0.0.1:{front_port};
        location / {{
            proxy_pass http://rasa_replicas;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
{limits}            # A message may wait for the conversation's lock behind earlier ones.
            proxy_read_timeout 120s;
            # A replica that refuses the connection is skipped; a request already sent is
            # never replayed on another replica (messages are not idempotent).
            proxy_next_upstream error timeout;
        }}
    }}

    server {{
        listen 127.0.0.1:{actions_port};
        location / {{
            proxy_pass http://action_servers;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_read_timeout 60s;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


def _servers(ports: Sequence[int]) -> str:
    return "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports
    )


# The edge's own limit per client address, a coarse one before the replicas' finer limits
# (bot/channels/limits.py): it keeps a flood from one address off the replicas entirely.
LIMITS_ZONE = """\
    limit_req_zone $binary_remote_addr zone=per_address:10m rate={rate}r/s;
    limit_conn_zone $binary_remote_addr zone=connections:10m;
    limit_req_status 429;
    limit_conn_status 429;
"""
LIMITS = """\
            limit_req zone=per_address burst={burst} nodelay;
            limit_conn connections {connections};
"""


def render_config(
    prefix: Path,
    front_port: int,
    rasa_ports: Sequence[int],
    actions_port: int,
    action_ports: Sequence[int],
    *,
    rate_per_second: int = 5,
    burst: int = 20,
    connections: int = 20,
) -> str:
    """The nginx.conf of the cluster's load balancer; `rate_per_second` 0 sets no limits
    (RATE_LIMIT_MESSAGES=0, for load tests)."""
    if not rasa_ports or not action_ports:
        raise ValueError("at least one Rasa replica and one action server are needed")
    on = rate_per_second > 0
    return CONFIG_TEMPLATE.format(
        limits_zone=LIMITS_ZONE.format(rate=rate_per_second) if on else "",
        limits=LIMITS.format(burst=burst, connections=connections) if on else "",
        prefix=prefix,
        front_port=front_port,
        actions_port=actions_port,
        rasa_servers=_servers(rasa_ports),
        action_servers=_servers(action_ports),
    )


class NginxBalancer:
    """nginx running a generated config in its own prefix directory (not the system's)."""

    def __init__(self, prefix: Path, config: str) -> None:
        self.prefix = prefix.resolve()
        self.config = config
        self.process: subprocess.Popen | None = None

    @property
    def access_log(self) -> Path:
        """The access log (one line per request, with the replica that answered)."""
        return self.prefix / "access.log"

    @staticmethod
    def binary() -> str:
        """The nginx executable; a clear error when it is not installed."""
        return system_binary("nginx", "/usr/sbin/nginx")

    def start(self, probe_url: str, timeout: float = 20.0) -> None:
        """Write the config, check it (`nginx -t`), start nginx and wait for `probe_url`."""
        self.prefix.mkdir(parents=True, exist_ok=True)
        config_file = self.prefix / "nginx.conf"
        config_file.write_text(self.config)
        command = [self.binary(), "-p", str(self.prefix), "-c", str(config_file), "-e", "stderr"]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejected its config:\n{check.stderr}")
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited; see {self.prefix / 'error.log'}")
            try:
                with urllib.request.urlopen(probe_url, timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # nginx answered (the upstream may say 404/502): it is up
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not come up in time")

    def stop(self) -> None:
        """Stop nginx (SIGTERM: fast shutdown)."""
        stop_process(self.process)
